import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderKustomization } from './kustomize.ts';

// No container engine runs here, so the deployment files are checked against the code they deploy.
const root = new URL('../../../', import.meta.url).pathname;
const k8sDir = `${root}infra/deploy/k8s/base`;
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

// the base every overlay (local, staging, production) patches; the overlays: kubernetes.test.ts
const docs = renderKustomization(k8sDir);
const byKind = (kind: string) => docs.filter((d) => d.kind === kind);

/** The bundles infra/deploy/build.mjs writes into dist/ (what the image runs). */
const bundles = [...read('infra/deploy/build.mjs').matchAll(/^ {2}'?([a-z-]+)'?: '([\w/.-]+\.ts)',$/gm)].map((m) => ({
  bundle: `dist/${m[1]}.mjs`,
  source: m[2] as string,
}));

/** A production command: plain node on a built bundle whose source exists; no transpiler (tsx, ts-node, a loader). */
function expectBuiltCommand(command: string[] | undefined, what: string) {
  expect(command?.join(' ') ?? '', what).not.toMatch(/tsx|ts-node|--import|--loader|--require|strip-types|\.ts\b/);
  expect(command?.length, what).toBe(2);
  expect(command?.[0], what).toBe('node');
  const built = bundles.find((b) => b.bundle === command?.[1]);
  expect(built, `${what} runs ${command?.[1]}, a bundle infra/deploy/build.mjs writes`).toBeDefined();
  expect(existsSync(`${root}${built?.source}`), `${what}: ${built?.source}`).toBe(true);
}

/** Every variable a process's env.ts declares (its zod shape keys, including the shared base). */
const declared = new Set(
  [
    'gateway/src/env.ts',
    'subgraphs/shop/src/env.ts',
    'subgraphs/crm/src/env.ts',
    'subgraphs/mes/src/env.ts',
    'infra/shared/src/platform/env.ts',
    'infra/shared/src/tracing/tracing.ts',
    'web/ui/server/env.ts',
  ].flatMap((file) => [...read(file).matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1] as string)),
);

describe('kubernetes manifests', () => {
  it('list every manifest in the kustomization', () => {
    const kustomization = parseYaml(readFileSync(`${k8sDir}/kustomization.yaml`, 'utf8')) as { resources: string[] };
    const files = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect(kustomization.resources.sort()).toEqual(files.sort());
  });

  it('run every process with probes on its health endpoints and its real port', () => {
    const deployments = byKind('Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['crm', 'gateway', 'mes', 'price-worker', 'shop', 'web-crm', 'web-mes', 'web-shop']);
    for (const deployment of deployments) {
      const [container] = deployment.spec.template.spec.containers;
      expectBuiltCommand(container.command, deployment.metadata.name);
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      const port = container.ports[0].containerPort;
      const env = container.env as { name: string; value: string }[];
      const [portVar] = env;
      expect(declared.has(portVar?.name ?? ''), `${portVar?.name} is read by some env.ts`).toBe(true);
      expect(Number(portVar?.value)).toBe(port);
      // Prometheus scrapes a port the container declares: the public one, or (the gateway) the METRICS_PORT it serves /metrics on instead
      const scraped = Number(deployment.spec.template.metadata.annotations['prometheus.io/port']);
      const metricsPort = env.find((v) => v.name === 'METRICS_PORT');
      if (metricsPort) expect(declared.has('METRICS_PORT')).toBe(true);
      expect(scraped).toBe(metricsPort ? Number(metricsPort.value) : port);
      expect(container.ports.map((p: { containerPort: number }) => p.containerPort)).toContain(scraped);
    }
  });

  it('never expose the gateway metrics port through a Service', () => {
    const gateway = byKind('Deployment').find((d) => d.metadata.name === 'gateway');
    const env = gateway?.spec.template.spec.containers[0].env as { name: string; value: string }[];
    const metricsPort = Number(env.find((v) => v.name === 'METRICS_PORT')?.value);
    expect(metricsPort).toBeGreaterThan(0);
    const [service] = byKind('Service').filter((s) => s.metadata.name === 'gateway');
    for (const port of (service?.spec.ports ?? []) as { port: number; targetPort: string | number }[]) {
      expect(port.targetPort).not.toBe('metrics');
      expect(port.targetPort).not.toBe(metricsPort);
      expect(port.port).not.toBe(metricsPort);
    }
  });

  it('autoscale every process (an HPA, or a KEDA ScaledObject) and keep one pod through disruptions', () => {
    const deployments = new Set(byKind('Deployment').map((d) => d.metadata.name));
    const autoscalers = [...byKind('HorizontalPodAutoscaler'), ...byKind('ScaledObject')];
    expect(new Set(autoscalers.map((h) => h.spec.scaleTargetRef.name))).toEqual(deployments);
    expect(autoscalers).toHaveLength(deployments.size);
    expect(new Set(byKind('PodDisruptionBudget').map((p) => p.metadata.name))).toEqual(deployments);
  });

  it('configure only variables the code reads, and route services to the subgraphs', () => {
    const [config] = byKind('ConfigMap');
    for (const key of Object.keys(config?.data ?? {})) expect(declared.has(key), `${key} is read by some env.ts`).toBe(true);
    const services = Object.fromEntries(byKind('Service').map((s) => [s.metadata.name, s.spec.ports[0].port]));
    for (const name of ['shop', 'crm', 'mes']) expect(config?.data?.[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${services[name]}/graphql`);
  });
});

describe('containers', () => {
  // processes listen on 127.0.0.1 unless HOST says otherwise: every container must say 0.0.0.0
  it('listen on every address (HOST 0.0.0.0) in the image, the compose file and kubernetes', () => {
    expect(declared.has('HOST')).toBe(true);
    expect(read('infra/deploy/Dockerfile')).toMatch(/^ENV HOST=0\.0\.0\.0$/m);
    const [config] = byKind('ConfigMap');
    expect(config?.data?.HOST).toBe('0.0.0.0');
    const compose = parseYaml(read('infra/deploy/docker-compose.yml'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    for (const name of ['gateway', 'shop', 'crm', 'mes', 'price-worker']) expect(compose.services[name]?.environment?.HOST, name).toBe('0.0.0.0');
  });
});

describe('compose file and image', () => {
  it('starts every process with variables the code reads', () => {
    const compose = parseYaml(read('infra/deploy/docker-compose.yml'), { merge: true }) as {
      services: Record<string, { command?: string[]; environment?: Record<string, string> }>;
    };
    for (const name of ['gateway', 'shop', 'crm', 'mes', 'price-worker', 'setup', 'web-shop', 'web-crm', 'web-mes']) {
      const service = compose.services[name];
      expectBuiltCommand(service?.command, `compose ${name}`);
      for (const key of Object.keys(service?.environment ?? {})) expect(declared.has(key), `${name}: ${key}`).toBe(true);
    }
  });

  it('builds the bundles on Node 24 and starts them without a transpiler', () => {
    const dockerfile = read('infra/deploy/Dockerfile');
    expect(bundles.map((b) => b.bundle).sort()).toEqual(
      ['crm', 'gateway', 'mes', 'price-worker', 'setup-databases', 'shop', 'web'].map((name) => `dist/${name}.mjs`),
    );
    const major = read('.nvmrc').trim().split('.')[0];
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual([`node:${major}-bookworm-slim`, `node:${major}-bookworm-slim`]);
    expect(dockerfile).toMatch(/^RUN node infra\/deploy\/build\.mjs dist$/m);
    const cmd = JSON.parse(dockerfile.match(/^CMD (\[.*\])$/m)?.[1] ?? '[]') as string[];
    expectBuiltCommand(cmd, 'the image CMD');
    // the setup Job too
    const [job] = byKind('Job');
    expectBuiltCommand(job?.spec.template.spec.containers[0].command, 'the setup Job');
  });

  it('copies every workspace package manifest before installing', () => {
    const dockerfile = read('infra/deploy/Dockerfile');
    const workspace = parseYaml(read('pnpm-workspace.yaml')) as { packages: string[] };
    const manifests = workspace.packages.flatMap((pattern) =>
      pattern.endsWith('/*')
        ? readdirSync(`${root}${pattern.slice(0, -2)}`, { withFileTypes: true })
            .filter((d) => d.isDirectory() && existsSync(`${root}${pattern.slice(0, -2)}/${d.name}/package.json`))
            .map((d) => `${pattern.slice(0, -2)}/${d.name}/package.json`)
        : [`${pattern}/package.json`],
    );
    for (const manifest of manifests) expect(dockerfile, manifest).toContain(`COPY ${manifest}`);
  });
});
