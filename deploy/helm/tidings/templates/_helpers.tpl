{{/*
Shared pieces of the Tidings chart. Every helper takes the root context (.), and the chart uses
no else, range or with blocks: deploy/README.md explains how the offline check relies on that.
*/}}

{{/* Base name of every object: the release name unless fullnameOverride is set. */}}
{{- define "tidings.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "tidings.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tidings
{{- end -}}

{{/* What selectors match on; the component (api, worker) and track (stable, canary) come on top. */}}
{{- define "tidings.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The Secret the pods read: the chart's own when secret.create, else existingSecret. */}}
{{- define "tidings.secretName" -}}
{{- ternary (printf "%s-secrets" (include "tidings.fullname" .)) .Values.existingSecret .Values.secret.create -}}
{{- end -}}

{{/* Pod annotations: Prometheus discovery, plus a checksum so a config change rolls the pods. */}}
{{- define "tidings.podAnnotations" -}}
checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- if .Values.metricsAnnotations }}
prometheus.io/scrape: 'true'
prometheus.io/port: {{ .Values.port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- if .Values.podAnnotations }}
{{ toYaml .Values.podAnnotations }}
{{- end }}
{{- end -}}

{{/* Pod-level settings shared by every Deployment. */}}
{{- define "tidings.podSettings" -}}
terminationGracePeriodSeconds: {{ .Values.shutdown.terminationGracePeriodSeconds }}
# Service links would inject TIDINGS_PORT=tcp://… for a Service named "tidings", which Tidings reads.
enableServiceLinks: false
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- if .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml .Values.imagePullSecrets | nindent 2 }}
{{- end }}
{{- if .Values.nodeSelector }}
nodeSelector:
  {{- toYaml .Values.nodeSelector | nindent 2 }}
{{- end }}
{{- if .Values.tolerations }}
tolerations:
  {{- toYaml .Values.tolerations | nindent 2 }}
{{- end }}
{{- if .Values.affinity }}
affinity:
  {{- toYaml .Values.affinity | nindent 2 }}
{{- end }}
volumes:
  - name: tmp
    emptyDir:
      sizeLimit: 64Mi
{{- end -}}

{{/* Container settings shared by both roles: configuration, probes, hardening. */}}
{{- define "tidings.containerSettings" -}}
imagePullPolicy: {{ .Values.image.pullPolicy }}
ports:
  - name: http
    containerPort: {{ .Values.port }}
    protocol: TCP
envFrom:
  - configMapRef:
      name: {{ include "tidings.fullname" . }}-config
  - secretRef:
      name: {{ include "tidings.secretName" . }}
# Migrations run at start; give them up to a minute before liveness counts.
startupProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 2
  failureThreshold: 30
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
# 503 while PostgreSQL or Redis (or a worker's loop) is unhealthy.
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- end -}}
