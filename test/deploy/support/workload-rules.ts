/**
 * What a Tidings deployment on Kubernetes must get right beyond the API schema, checked the same
 * way on the plain manifests and on the Helm chart: each role runs with its own --role, reads its
 * configuration and Secret through envFrom, is probed on /healthz and /readyz, is limited and
 * hardened, is given time to drain, and is covered by the Service, the PodDisruptionBudgets and
 * the HorizontalPodAutoscalers. Returns problems as sentences; an empty list means it holds.
 */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { KubeObject } from './kubernetes-schema.js';
import { configProblem, durationSeconds, knownVariables, secretVariables } from './tidings-facts.js';

const ROLES = ['api', 'worker'] as const;
/** How long closing the database and Redis connections may take after the drain deadline. */
const CLOSE_MARGIN_SECONDS = 5;
/** Tidings' own default for TIDINGS_SHUTDOWN_DEADLINE. */
const DEFAULT_DEADLINE = '10s';

const ofKind = <T>(objects: readonly KubeObject[], kind: string) => objects.filter((o) => o.kind === kind) as T[];

/** Does a label selector pick a pod with these labels? */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v) && Object.keys(selector ?? {}).length > 0;
}

/** The configuration every pod gets: ConfigMap and Secret data named by its envFrom. */
function environmentOf(d: IDeployment, objects: readonly KubeObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  const maps = ofKind<IConfigMap>(objects, 'ConfigMap');
  const secrets = ofKind<ISecret>(objects, 'Secret');
  for (const source of d.spec?.template.spec?.containers[0]?.envFrom ?? []) {
    const map = maps.find((m) => m.metadata?.name === source.configMapRef?.name);
    const secret = secrets.find((s) => s.metadata?.name === source.secretRef?.name);
    Object.assign(env, map?.data ?? {}, secret?.stringData ?? {});
  }
  return env;
}

function deploymentProblems(d: IDeployment, objects: readonly KubeObject[]): string[] {
  const name = d.metadata?.name ?? '?';
  const problems: string[] = [];
  const fail = (text: string) => problems.push(`Deployment ${name}: ${text}`);
  const pod = d.spec?.template;
  const role = pod?.metadata?.labels?.['app.kubernetes.io/component'];
  const containers = pod?.spec?.containers ?? [];
  const c = containers[0];
  if (!role || !(ROLES as readonly string[]).includes(role)) fail(`component label is ${role}, not api or worker`);
  if (containers.length !== 1 || !c) return [...problems, `Deployment ${name}: expected one container`];
  if (!selects(d.spec?.selector.matchLabels, pod?.metadata?.labels)) fail('selector does not match its own pods');

  const args = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (!args.includes(`serve --role ${role}`)) fail(`runs "${args}" instead of serve --role ${role}`);
  if (!c.image || !/:[\w][\w.-]*$/.test(c.image) || c.image.endsWith(':latest'))
    fail(`image ${c.image} has no version tag`);

  for (const source of c.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    if (!objects.some((o) => o.kind === kind && o.metadata?.name === ref?.name))
      fail(`envFrom names a missing ${kind} ${ref?.name}`);
  }
  if (!c.envFrom?.some((s) => s.configMapRef)) fail('reads no ConfigMap through envFrom');
  if (!c.envFrom?.some((s) => s.secretRef)) fail('reads no Secret through envFrom');

  const env = environmentOf(d, objects);
  const problem = configProblem(env);
  if (problem) fail(`Tidings would refuse its environment: ${problem}`);
  if (env['TIDINGS_HOST'] !== '0.0.0.0') fail('TIDINGS_HOST is not 0.0.0.0, so nothing outside the pod reaches it');
  const port = Number(env['TIDINGS_PORT'] ?? 3000);
  const http = c.ports?.find((p) => p.name === 'http');
  if (http?.containerPort !== port) fail(`port "http" is ${http?.containerPort}, Tidings listens on ${port}`);

  const probes = { startupProbe: '/healthz', livenessProbe: '/healthz', readinessProbe: '/readyz' } as const;
  for (const [probe, path] of Object.entries(probes)) {
    const get = c[probe as keyof typeof probes]?.httpGet;
    if (get?.path !== path || get.port !== 'http') fail(`${probe} is not GET ${path} on port http`);
  }

  const { requests, limits } = c.resources ?? {};
  if (!requests?.['cpu'] || !requests['memory'] || !limits?.['memory'] || !limits['cpu']) {
    fail('needs cpu and memory requests and limits');
  }

  const podSecurity = pod?.spec?.securityContext;
  if (podSecurity?.runAsNonRoot !== true || podSecurity.runAsUser === 0) fail('pod may run as root');
  if (podSecurity?.seccompProfile?.type !== 'RuntimeDefault') fail('pod has no RuntimeDefault seccomp profile');
  const security = c.securityContext;
  if (security?.allowPrivilegeEscalation !== false) fail('container allows privilege escalation');
  if (security?.readOnlyRootFilesystem !== true) fail('container root filesystem is writable');
  if (!security?.capabilities?.drop?.includes('ALL')) fail('container keeps Linux capabilities');
  if (!c.volumeMounts?.some((m) => m.mountPath === '/tmp')) fail('read-only root with no writable /tmp');
  if (pod?.spec?.enableServiceLinks !== false)
    fail('service links would inject TIDINGS_PORT=tcp://… for a Service named tidings');

  const preStop = Number(c.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
  if (role === 'api' && !preStop)
    fail('api has no preStop pause, so requests in flight on other nodes hit a closed port');
  const deadline = durationSeconds(env['TIDINGS_SHUTDOWN_DEADLINE'] ?? DEFAULT_DEADLINE);
  const grace = pod?.spec?.terminationGracePeriodSeconds ?? 30;
  if (grace < preStop + deadline + CLOSE_MARGIN_SECONDS) {
    fail(
      `terminationGracePeriodSeconds ${grace} < preStop ${preStop} + TIDINGS_SHUTDOWN_DEADLINE ${deadline} + ${CLOSE_MARGIN_SECONDS}`,
    );
  }
  return problems;
}

/** Every object of a Tidings deployment, checked together. */
export function workloadProblems(objects: readonly KubeObject[]): string[] {
  const deployments = ofKind<IDeployment>(objects, 'Deployment');
  const problems = deployments.flatMap((d) => deploymentProblems(d, objects));
  const podsOf = (role: string) =>
    deployments.filter((d) => d.spec?.template.metadata?.labels?.['app.kubernetes.io/component'] === role);
  const stableOf = (role: string) =>
    podsOf(role).filter((d) => d.spec?.template.metadata?.labels?.['app.kubernetes.io/track'] !== 'canary');
  const hpas = ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');

  for (const role of ROLES) {
    const stable = stableOf(role);
    if (stable.length !== 1) {
      problems.push(`expected one stable ${role} Deployment, found ${stable.length}`);
      continue;
    }
    const [d] = stable as [IDeployment];
    const hpa = hpas.find(
      (h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === d.metadata?.name,
    );
    if (!hpa) problems.push(`no HorizontalPodAutoscaler scales ${d.metadata?.name}`);
    else if (!hpa.spec?.metrics?.some((m) => m.resource?.name === 'cpu'))
      problems.push(`${hpa.metadata?.name} does not scale on CPU`);
    const least = Math.min(d.spec?.replicas ?? Infinity, hpa?.spec?.minReplicas ?? Infinity);
    if (least < 3) problems.push(`${d.metadata?.name} may run fewer than 3 replicas (${least})`);

    const pdbs = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
    for (const pods of podsOf(role)) {
      const labels = pods.spec?.template.metadata?.labels;
      if (!pdbs.some((p) => selects(p.spec?.selector?.matchLabels, labels))) {
        problems.push(`no PodDisruptionBudget covers ${pods.metadata?.name}`);
      }
    }
  }

  const services = ofKind<IService>(objects, 'Service');
  if (services.length !== 1) problems.push(`expected one Service (the API's), found ${services.length}`);
  for (const s of services) {
    for (const d of deployments) {
      const labels = d.spec?.template.metadata?.labels;
      const isApi = labels?.['app.kubernetes.io/component'] === 'api';
      if (selects(s.spec?.selector, labels) !== isApi) {
        problems.push(
          `Service ${s.metadata?.name} ${isApi ? 'misses' : 'also selects'} the pods of ${d.metadata?.name}`,
        );
      }
    }
    if (s.spec?.ports?.some((p) => p.targetPort !== 'http'))
      problems.push(`Service ${s.metadata?.name} targets a port other than http`);
  }

  const known = knownVariables();
  const secret = secretVariables();
  for (const map of ofKind<IConfigMap>(objects, 'ConfigMap')) {
    for (const key of Object.keys(map.data ?? {})) {
      if (!known.has(key)) problems.push(`ConfigMap ${map.metadata?.name}: ${key} is not a variable Tidings reads`);
      if (secret.has(key))
        problems.push(`ConfigMap ${map.metadata?.name}: ${key} is a credential; it belongs in the Secret`);
    }
  }
  for (const s of ofKind<ISecret>(objects, 'Secret')) {
    for (const key of Object.keys({ ...s.stringData, ...s.data })) {
      if (!known.has(key)) problems.push(`Secret ${s.metadata?.name}: ${key} is not a variable Tidings reads`);
    }
  }
  return problems;
}
