/**
 * The deployment files in deploy/ checked offline, with npm packages only (no docker, helm or
 * kubeconform here): the Dockerfile and its build context, the container health check, the compose
 * project with its Prometheus and Grafana, the Kubernetes manifests against the Kubernetes API schema
 * (strict: unknown fields are errors), and the Helm chart through its values schema and a value
 * substitution into its templates (support/helm-substitute.ts says what that can and cannot prove).
 * The facts they must agree with (variables, metrics, the config loader) come from src/.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { DCLinter } from 'dclint';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { inBuildContext } from './support/docker-context.js';
import { loadChart, substituteValues, TemplateError } from './support/helm-substitute.js';
import { schemaProblems, strictFieldProblems, type KubeObject, type Located } from './support/kubernetes-schema.js';
import {
  configProblem,
  durationSeconds,
  exportedMetrics,
  knownVariables,
  readRepoFile,
  ROOT,
  secretVariables,
} from './support/tidings-facts.js';
import { selects, workloadProblems } from './support/workload-rules.js';

type Json = Record<string, unknown>;
const yamlFile = (path: string): Json => YAML.parse(readRepoFile(path), { merge: true }) as Json;
const packageVersion = (JSON.parse(readRepoFile('package.json')) as { version: string }).version;

/** Every YAML document of a text, failing on any parse error. */
function documents(text: string, source: string): Located[] {
  return YAML.parseAllDocuments(text).flatMap((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${source} #${i}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const object = doc.toJS() as KubeObject | null;
    return object === null ? [] : [{ source: `${source}#${i}`, object }];
  });
}

/** The Dockerfile as stages of instructions. */
function dockerStages(): { name: string; from: string; instructions: Instruction[] }[] {
  const dockerfile = DockerfileParser.parse(readRepoFile('deploy/Dockerfile'));
  const args = new Map(
    dockerfile.getInitialARGs().map((a) => [a.getProperty()?.getName() ?? '', a.getProperty()?.getValue() ?? '']),
  );
  const stages: { name: string; from: string; instructions: Instruction[] }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image = '', , name = ''] = instruction.getArguments().map((a) => a.getValue());
      stages.push({
        name,
        from: image.replace(/^\$\{(\w+)\}$/, (_, arg: string) => args.get(arg) ?? ''),
        instructions: [],
      });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

/** An instruction's arguments as written, flags included, continuation lines joined. */
const argumentsOf = (i: Instruction): string =>
  i
    .getTextContent()
    .replace(/\\\n\s*/g, ' ')
    .replace(/^\w+\s+/, '');
const jsonArguments = (i: Instruction): string[] => JSON.parse(argumentsOf(i)) as string[];

describe('Dockerfile', () => {
  const stages = dockerStages();
  const runtime = stages.at(-1);
  const final = (keyword: string) => runtime?.instructions.filter((i) => i.getKeyword() === keyword) ?? [];

  it('passes the Dockerfile linter with every check at its default severity', () => {
    const diagnostics = lintDockerfile(readRepoFile('deploy/Dockerfile'));
    expect(diagnostics.map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds in separate stages and runs on a slim Node 20 image without compilers', () => {
    expect(stages.map((s) => s.name)).toEqual(['toolchain', 'build', 'prod-deps', 'runtime']);
    expect(runtime?.from).toMatch(/^node:20[\w.-]*-slim$/);
    const runs = final('RUN').map(argumentsOf).join('\n');
    expect(runs).not.toMatch(/apt-get|npm (ci|install)|g\+\+|python3/);
    // The toolchain stage has what node-gyp needs for better-sqlite3; production deps are built there.
    const toolchain = stages[0]?.instructions
      .filter((i) => i.getKeyword() === 'RUN')
      .map(argumentsOf)
      .join(' ');
    expect(toolchain).toMatch(/python3.*make.*g\+\+/s);
    const prodInstall = stages
      .find((s) => s.name === 'prod-deps')
      ?.instructions.map(argumentsOf)
      .join(' ');
    expect(prodInstall).toContain('npm ci --omit=dev');
  });

  it('copies compiled code and production dependencies only into the runtime stage', () => {
    const copies = final('COPY').map(argumentsOf);
    expect(copies).toContain('--from=prod-deps /app/node_modules node_modules');
    expect(copies).toContain('--from=build /app/dist dist');
    expect(copies.some((c) => /\bsrc\b|tsconfig|package-lock/.test(c))).toBe(false);
    const build = stages
      .find((s) => s.name === 'build')
      ?.instructions.map(argumentsOf)
      .join('\n');
    expect(build).toContain('tsc -p deploy/tsconfig.image.json');
  });

  it('runs as the unprivileged node user, exposes 3000 and checks /healthz with Node', () => {
    expect(final('USER').map(argumentsOf)).toEqual(['node']);
    expect(final('EXPOSE').map(argumentsOf)).toEqual(['3000']);
    const [healthcheck] = final('HEALTHCHECK');
    expect(argumentsOf(healthcheck as Instruction)).toMatch(/CMD \["node", "\/app\/healthcheck\.mjs"\]$/);
    expect(final('COPY').map(argumentsOf)).toContain('deploy/docker/healthcheck.mjs healthcheck.mjs');
    expect(jsonArguments(final('ENTRYPOINT')[0] as Instruction)).toEqual(['node', '/app/bin/tidings.js']);
    expect(jsonArguments(final('CMD')[0] as Instruction)).toEqual(['serve', '--role', 'all']);
    // bin/tidings.js is the package's published entry, and it loads what the build stage compiles.
    expect((JSON.parse(readRepoFile('package.json')) as { bin: Record<string, string> }).bin['tidings']).toBe(
      './bin/tidings.js',
    );
    expect(readRepoFile('bin/tidings.js')).toContain('../dist/src/main/cli.js');
    const image = JSON.parse(readRepoFile('deploy/tsconfig.image.json')) as {
      include: string[];
      compilerOptions: Json;
    };
    expect(image.include).toEqual(['../src']);
    expect(image.compilerOptions['outDir']).toBe('../dist');
  });

  it('sends everything it copies, and nothing private, in the build context (.dockerignore)', () => {
    const ignore = readRepoFile('.dockerignore');
    const filesUnder = (path: string): string[] =>
      statSync(join(ROOT, path)).isDirectory()
        ? readdirSync(join(ROOT, path)).flatMap((entry) => filesUnder(`${path}/${entry}`))
        : [path];
    const sources = stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.getKeyword() === 'COPY' && !argumentsOf(i).startsWith('--from'))
      .flatMap((i) =>
        argumentsOf(i)
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1),
      );
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      const files = filesUnder(source).filter((f) => !f.endsWith('.test.ts'));
      expect(
        files.filter((f) => !inBuildContext(f, ignore)),
        `${source} is not in the build context`,
      ).toEqual([]);
    }
    for (const privatePath of ['.env', 'data/tidings.db', 'data/admin.key', 'node_modules/x/index.js', '.git/HEAD']) {
      expect(inBuildContext(privatePath, ignore), privatePath).toBe(false);
    }
    expect(inBuildContext('src/config/config.test.ts', ignore)).toBe(false);
    expect(inBuildContext('deploy/secrets/tidings.env', ignore)).toBe(false);
  });
});

describe('container health check (deploy/docker/healthcheck.mjs)', () => {
  const servers: Server[] = [];
  const serve = (handler: Parameters<typeof createServer>[1]) =>
    new Promise<number>((resolve) => {
      const server = createServer(handler);
      servers.push(server);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const check = (port: number) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'deploy/docker/healthcheck.mjs')], {
        env: { PATH: process.env['PATH'], TIDINGS_PORT: String(port), TIDINGS_HEALTHCHECK_TIMEOUT_MS: '300' },
        stdio: 'ignore',
      });
      child.on('exit', (code) => resolve(code));
    });
  afterAll(() => {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('passes when /healthz answers 200 and fails on any other answer, on silence and on a closed port', async () => {
    const paths: string[] = [];
    const healthy = await serve((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(req.url === '/healthz' ? 200 : 404).end('{"status":"ok"}');
    });
    const failing = await serve((_req, res) => res.writeHead(503).end());
    const silent = await serve(() => undefined);
    const closed = await serve(() => undefined);
    await new Promise<void>((resolve) => servers.at(-1)?.close(() => resolve()));

    expect(await check(healthy)).toBe(0);
    expect(paths).toEqual(['/healthz']);
    expect(await check(failing)).toBe(1);
    expect(await check(silent)).toBe(1);
    expect(await check(closed)).toBe(1);
  });
});

describe('compose project (deploy/compose.yaml)', () => {
  const compose = yamlFile('deploy/compose.yaml') as {
    services: Record<string, Json & { environment?: Record<string, string>; command?: string[] }>;
    secrets: Record<string, { file: string }>;
    volumes: Json;
  };
  const services = compose.services;
  /** What compose substitutes for `${VAR:-default}` when VAR is unset. */
  const interpolated = (env: Record<string, string> | undefined): Record<string, string> =>
    Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]));
  const tidings = ['api', 'worker'] as const;
  const exampleEnv = (): Record<string, string> =>
    Object.fromEntries(
      readRepoFile('deploy/secrets.example/tidings.env')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );

  it('is valid against the Compose Specification schema and clean under every dclint rule', () => {
    const linter = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] });
    const [result] = linter.lintFiles([join(ROOT, 'deploy/compose.yaml')], false);
    const messages = (result?.messages ?? []) as { line: number; rule: string; message: string }[];
    expect(messages.map((m) => `${m.line}: ${m.rule}: ${m.message}`)).toEqual([]);
  });

  it('runs an api and a worker of the same image with their roles, on PostgreSQL 16 and Redis 7', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'grafana', 'postgres', 'prometheus', 'redis', 'worker']);
    for (const role of tidings) {
      expect(services[role]?.command).toEqual(['serve', '--role', role]);
      expect(services[role]?.['build']).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
      expect(services[role]?.['depends_on']).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      expect(services[role]).toMatchObject({ read_only: true, cap_drop: ['ALL'] });
    }
    expect(services['postgres']?.['image']).toMatch(/^postgres:16/);
    expect(services['redis']?.['image']).toMatch(/^redis:7/);
    // BullMQ loses jobs if Redis may evict keys.
    expect((services['redis']?.command ?? []).join(' ')).toContain('--maxmemory-policy noeviction');
  });

  it('commits no credential: secrets come from git-ignored files, with a placeholder template of each', () => {
    const secretish = /PASSWORD|TOKEN|SECRET|API_KEY/;
    const credentialVars = secretVariables();
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (secretish.test(key)) expect(key, `${name}: ${key}`).toMatch(/_FILE$/);
        expect(credentialVars.has(key), `${name}: ${key} belongs in secrets/`).toBe(false);
        expect(String(value)).not.toMatch(/:\/\/[^/\s:]+:[^@\s]+@/);
      }
    }
    const referenced = [
      ...Object.values(compose.secrets).map((s) => s.file),
      ...tidings.flatMap((r) => services[r]?.['env_file'] as string[]),
    ];
    expect(new Set(referenced)).toEqual(
      new Set([
        './secrets/postgres_password',
        './secrets/redis.acl',
        './secrets/grafana_admin_password',
        './secrets/tidings.env',
      ]),
    );
    expect(readRepoFile('deploy/.gitignore').split('\n')).toContain('/secrets/');
    for (const file of referenced) {
      const example = readRepoFile(`deploy/secrets.example/${file.replace('./secrets/', '')}`);
      expect(example).toContain('CHANGE_ME');
    }
  });

  it('gives Tidings an environment its own config loader accepts, and time to drain on stop', () => {
    const known = knownVariables();
    for (const role of tidings) {
      const env = { ...interpolated(services[role]?.environment), ...exampleEnv() };
      expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
      expect(configProblem(env)).toBeNull();
      const deadline = durationSeconds(env['TIDINGS_SHUTDOWN_DEADLINE'] ?? '10s');
      expect(durationSeconds(String(services[role]?.['stop_grace_period']))).toBeGreaterThan(deadline);
    }
  });

  it('make-secrets.sh writes matching random credentials that Tidings accepts, and never overwrites them', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tidings-secrets-')), 'secrets');
    const run = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn('sh', [join(ROOT, 'deploy/make-secrets.sh')], {
          env: { PATH: process.env['PATH'], TIDINGS_SECRETS_DIR: dir },
          stdio: 'ignore',
        });
        child.on('exit', resolve);
      });
    expect(await run()).toBe(0);
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    const env = Object.fromEntries(
      read('tidings.env')
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    const postgres = read('postgres_password').trim();
    const redisPassword = /user tidings on >(\S+)/.exec(read('redis.acl'))?.[1];
    expect(postgres).toMatch(/^[0-9a-f]{48}$/);
    expect(env['TIDINGS_DATABASE_URL']).toBe(`postgres://tidings:${postgres}@postgres:5432/tidings`);
    expect(env['TIDINGS_REDIS_URL']).toBe(`redis://tidings:${redisPassword}@redis:6379`);
    expect(new Set([postgres, redisPassword, env['TIDINGS_API_KEY'], read('grafana_admin_password').trim()]).size).toBe(
      4,
    );
    expect(configProblem({ ...interpolated(services['api']?.environment), ...env })).toBeNull();
    expect(statSync(dir).mode & 0o077).toBe(0);
    const before = read('postgres_password');
    expect(await run()).toBe(1);
    expect(read('postgres_password')).toBe(before);
  });

  it('has Prometheus scrape every api and worker container on the port the image exposes', () => {
    const prometheus = yamlFile('deploy/prometheus/prometheus.yml') as {
      scrape_configs: {
        job_name: string;
        metrics_path?: string;
        dns_sd_configs?: { names: string[]; port: number }[];
      }[];
    };
    for (const role of tidings) {
      const job = prometheus.scrape_configs.find((j) => j.job_name === `tidings-${role}`);
      expect(job?.metrics_path).toBe('/metrics');
      expect(job?.dns_sd_configs).toEqual([expect.objectContaining({ names: [role], type: 'A', port: 3000 })]);
    }
    expect(services['prometheus']?.['volumes']).toContain(
      './prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
  });

  it('provisions Grafana with the Prometheus data source and the dashboard folder it mounts', () => {
    const datasources = yamlFile('deploy/grafana/provisioning/datasources/prometheus.yaml') as {
      datasources: { uid: string; url: string; type: string }[];
    };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const providers = yamlFile('deploy/grafana/provisioning/dashboards/tidings.yaml') as {
      providers: { options: { path: string } }[];
    };
    const mounts = services['grafana']?.['volumes'] as string[];
    expect(mounts).toContain(`./grafana/dashboards:${providers.providers[0]?.options.path}:ro`);
    expect(mounts).toContain('./grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(services['grafana']?.environment?.['GF_SECURITY_ADMIN_PASSWORD__FILE']).toBe(
      '/run/secrets/grafana_admin_password',
    );
  });
});

describe('Grafana dashboard (deploy/grafana/dashboards/tidings.json)', () => {
  interface Panel {
    title: string;
    datasource?: { uid: string };
    targets?: { expr: string; legendFormat?: string; datasource?: { uid: string } }[];
  }
  const dashboard = JSON.parse(readRepoFile('deploy/grafana/dashboards/tidings.json')) as {
    panels: (Panel & { type: string })[];
  };
  const panels = dashboard.panels.filter((p) => p.type !== 'row');
  const metrics = exportedMetrics();
  const PROMETHEUS_LABELS = ['job', 'instance', 'le'];

  it('queries only metrics Tidings exports, by labels they have', () => {
    const problems: string[] = [];
    for (const panel of panels) {
      expect(panel.datasource?.uid, panel.title).toBe('prometheus');
      for (const target of panel.targets ?? []) {
        const names = [
          ...target.expr.matchAll(/\b([a-z_]+(?:_total|_seconds(?:_bucket)?|_depth|_state|_rate|_bytes|_today))\b/g),
        ]
          .map((m) => (m[1] ?? '').replace(/_bucket$/, ''))
          .filter((n) => !['rate', 'increase'].includes(n));
        const labels = new Set(PROMETHEUS_LABELS);
        for (const name of names) {
          const own = metrics.get(name);
          if (!own) problems.push(`${panel.title}: ${name} is not exported`);
          own?.forEach((l) => labels.add(l));
        }
        const used = [
          ...[...target.expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => (m[1] ?? '').split(',').map((s) => s.trim())),
          ...[...target.expr.matchAll(/([a-z_]+)=~?"/g)].map((m) => m[1] ?? ''),
          ...[...(target.legendFormat ?? '').matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? ''),
        ];
        for (const label of used)
          if (!labels.has(label)) problems.push(`${panel.title}: no label ${label} on ${names}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('shows the message, provider and queue metrics', () => {
    const queries = panels
      .flatMap((p) => p.targets ?? [])
      .map((t) => t.expr)
      .join('\n');
    const shown = [
      'tidings_messages_accepted_total',
      'tidings_messages_sent_total',
      'tidings_messages_failed_total',
      'tidings_message_status_total',
      'tidings_message_fallbacks_total',
      'tidings_provider_send_duration_seconds',
      'tidings_queue_depth',
      'tidings_provider_circuit_state',
      'tidings_provider_error_rate',
    ];
    expect(shown.filter((name) => !queries.includes(name))).toEqual([]);
  });
});

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  const dir = 'deploy/kubernetes';
  const files = readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  const located = files.flatMap((f) => documents(readRepoFile(`${dir}/${f}`), `${dir}/${f}`));
  const objects = located.map((l) => l.object);

  it('are valid against the Kubernetes API schema', async () => {
    expect(await schemaProblems(located)).toEqual([]);
  });

  it('use no field the Kubernetes API does not define', () => {
    expect(strictFieldProblems(located)).toEqual([]);
  });

  it('run both roles with 3 replicas, envFrom, probes, limits, hardening, a drain budget, a PDB and an HPA', () => {
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata?.name)).toEqual([
      'tidings-api',
      'tidings-worker',
    ]);
    for (const o of objects.filter((o) => o.kind === 'Deployment')) expect(o['spec']).toMatchObject({ replicas: 3 });
    expect(workloadProblems(objects)).toEqual([]);
  });

  it('apply as one kustomization with everything but the Secret template', () => {
    const kustomization = yamlFile(`${dir}/kustomization.yaml`) as { resources: string[]; images: { name: string }[] };
    expect(kustomization.resources.sort()).toEqual(files.filter((f) => f !== 'secret.example.yaml').sort());
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const image = JSON.stringify(d).match(/"image":"([^":]+):([^"]+)"/);
      expect(kustomization.images.map((i) => i.name)).toContain(image?.[1]);
      expect(image?.[2]).toBe(packageVersion);
    }
  });

  it('ship the Secret as a template of obvious placeholders only', () => {
    const secret = objects.find((o) => o.kind === 'Secret') as KubeObject & { stringData: Record<string, string> };
    expect(Object.keys(secret.stringData).sort()).toEqual(
      ['TIDINGS_API_KEY', 'TIDINGS_DATABASE_URL', 'TIDINGS_PROVIDERS', 'TIDINGS_REDIS_URL'].sort(),
    );
    for (const value of Object.values(secret.stringData)) expect(value).toContain('CHANGE_ME');
  });

  it('catch the mistakes they are there to catch', async () => {
    const api = located.find((l) => l.object.metadata?.name === 'tidings-api' && l.object.kind === 'Deployment');
    const broken = JSON.parse(
      JSON.stringify(api)
        .replace('"livenessProbe"', '"livenesProbe"')
        .replace('"replicas":3', '"replicas":"3"')
        .replace('"--role","api"', '"--role","worker"')
        .replace('"readOnlyRootFilesystem":true', '"readOnlyRootFilesystem":false'),
    ) as Located;
    expect((await schemaProblems([broken])).join('\n')).toMatch(/replicas must be integer/);
    expect(strictFieldProblems([broken]).join('\n')).toMatch(/livenesProbe.*does not exist in type 'IContainer'/);
    const rules = workloadProblems([...objects.filter((o) => o !== api?.object), broken.object]).join('\n');
    expect(rules).toMatch(/runs "serve --role worker" instead of serve --role api/);
    expect(rules).toMatch(/livenessProbe is not GET \/healthz/);
    expect(rules).toMatch(/root filesystem is writable/);
  });
});

describe('Helm chart (deploy/helm/tidings)', () => {
  const chartDir = join(ROOT, 'deploy/helm/tidings');
  const chart = loadChart(chartDir);
  const values = yamlFile('deploy/helm/tidings/values.yaml');
  const schema = JSON.parse(readRepoFile('deploy/helm/tidings/values.schema.json')) as Json;
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const validateValues = ajv.compile(schema);
  const withValues = (patch: Json): Json => {
    const merge = (base: unknown, over: unknown): unknown =>
      over && typeof over === 'object' && !Array.isArray(over) && base && typeof base === 'object'
        ? Object.fromEntries(
            [...new Set([...Object.keys(base), ...Object.keys(over)])].map((k) => [
              k,
              k in over ? merge((base as Json)[k], (over as Json)[k]) : (base as Json)[k],
            ]),
          )
        : over;
    return merge(values, patch) as Json;
  };
  /** Every option switched on, so every block of every template is exercised with real content. */
  const everything = withValues({
    canary: { enabled: true, image: { tag: '0.2.0' } },
    secret: {
      create: true,
      stringData: {
        TIDINGS_DATABASE_URL: 'postgres://tidings:CHANGE_ME@postgres:5432/tidings',
        TIDINGS_REDIS_URL: 'redis://tidings:CHANGE_ME@redis:6379',
        TIDINGS_API_KEY: 'CHANGE_ME_TO_A_LONG_RANDOM_ADMIN_KEY',
      },
    },
    imagePullSecrets: [{ name: 'registry' }],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'tidings', effect: 'NoSchedule' }],
    affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
    podAnnotations: { 'example.com/team': 'messaging' },
  });
  let rendered: Map<string, string>;
  let located: Located[];
  beforeAll(() => {
    rendered = substituteValues(chart, everything);
    located = [...rendered]
      .filter(([file]) => file.endsWith('.yaml'))
      .flatMap(([file, text]) => documents(text, `templates/${file}`));
  });

  it('describes itself as Helm 3 expects, at the version of the package', () => {
    expect(chart.meta).toMatchObject({
      apiVersion: 'v2',
      name: 'tidings',
      type: 'application',
      appVersion: packageVersion,
    });
    expect(String(chart.meta['version'])).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('has default values that pass its values.schema.json', () => {
    expect(validateValues(values) ? [] : validateValues.errors).toEqual([]);
    expect(validateValues(everything) ? [] : validateValues.errors).toEqual([]);
  });

  it.each([
    ['a misspelt key', { api: { replica: 5 } }],
    ['replicas as text', { worker: { replicas: '3' } }],
    ['a canary without the version under test', { canary: { enabled: true } }],
    ['no Secret at all', { existingSecret: '' }],
    ['a credential in the ConfigMap', { config: { TIDINGS_DATABASE_URL: 'postgres://u:p@h/db' } }],
    ['a number where a ConfigMap needs text', { config: { TIDINGS_WORKER_CONCURRENCY: 512 } }],
    ['a port the chart sets itself', { config: { TIDINGS_PORT: '8080' } }],
    ['a malformed shutdown deadline', { config: { TIDINGS_SHUTDOWN_DEADLINE: 'soon' } }],
  ])('refuses values with %s', (_what, patch) => {
    expect(validateValues(withValues(patch))).toBe(false);
  });

  it('keeps the pods longer than their drain takes with the default values', () => {
    const shutdown = values['shutdown'] as { preStopSleepSeconds: number; terminationGracePeriodSeconds: number };
    const deadline = durationSeconds(
      (values['config'] as Record<string, string>)['TIDINGS_SHUTDOWN_DEADLINE'] ?? '10s',
    );
    expect(shutdown.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(shutdown.preStopSleepSeconds + deadline + 5);
  });

  it('renders every template, with values substituted, to YAML that parses', () => {
    expect([...rendered.keys()].sort()).toEqual([
      'NOTES.txt',
      'configmap.yaml',
      'deployment-api-canary.yaml',
      'deployment-api.yaml',
      'deployment-worker-canary.yaml',
      'deployment-worker.yaml',
      'hpa.yaml',
      'pdb.yaml',
      'secret.yaml',
      'service.yaml',
    ]);
    expect(located.map((l) => `${l.object.kind}/${l.object.metadata?.name}`).sort()).toEqual([
      'ConfigMap/tidings-config',
      'Deployment/tidings-api',
      'Deployment/tidings-api-canary',
      'Deployment/tidings-worker',
      'Deployment/tidings-worker-canary',
      'HorizontalPodAutoscaler/tidings-api',
      'HorizontalPodAutoscaler/tidings-worker',
      'PodDisruptionBudget/tidings-api',
      'PodDisruptionBudget/tidings-worker',
      'Secret/tidings-secrets',
      'Service/tidings-api',
    ]);
    expect(rendered.get('NOTES.txt')).toContain('service/tidings-api');
  });

  it('renders objects valid against the Kubernetes API schema, with no unknown field', async () => {
    expect(await schemaProblems(located)).toEqual([]);
    expect(strictFieldProblems(located)).toEqual([]);
  });

  it('renders the same workload rules as the plain manifests', () => {
    expect(workloadProblems(located.map((l) => l.object))).toEqual([]);
  });

  it('runs a canary of the version under test beside the stable pods, behind the same Service', () => {
    const objects = located.map((l) => l.object);
    const deployment = (name: string) => objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === name);
    const podLabels = (o: KubeObject | undefined) =>
      (o?.['spec'] as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    const service = objects.find((o) => o.kind === 'Service') as KubeObject & {
      spec: { selector: Record<string, string> };
    };
    for (const role of ['api', 'worker']) {
      const canary = deployment(`tidings-${role}-canary`);
      expect(JSON.stringify(canary)).toContain(`"image":"ghcr.io/your-org/tidings:0.2.0"`);
      expect(canary?.['spec']).toMatchObject({ replicas: 1 });
      expect(podLabels(canary)).toMatchObject({
        'app.kubernetes.io/track': 'canary',
        'app.kubernetes.io/version': '0.2.0',
      });
      expect(JSON.stringify(deployment(`tidings-${role}`))).toContain(
        `"image":"ghcr.io/your-org/tidings:${packageVersion}"`,
      );
      expect(selects(service.spec.selector, podLabels(canary))).toBe(role === 'api');
    }
    // The autoscalers scale the stable Deployments; the canary keeps the share it was given.
    const targets = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => JSON.stringify(o['spec']));
    expect(targets.join()).not.toContain('canary');
  });

  it('refuses a template that refers to a value values.yaml does not define', () => {
    const { api: _api, ...withoutApi } = everything;
    expect(() => substituteValues(chart, withoutApi)).toThrow(TemplateError);
    expect(() => substituteValues(chart, withoutApi)).toThrow(/\.Values\.api is not defined/);
  });

  it('keeps every template free of the constructs the substitution cannot follow', () => {
    for (const file of readdirSync(join(chartDir, 'templates'))) {
      const text = readFileSync(join(chartDir, 'templates', file), 'utf8');
      expect(text, file).not.toMatch(/\{\{-?\s*(else|range|with)\b/);
    }
    expect(existsSync(join(chartDir, 'values.schema.json'))).toBe(true);
  });
});
