import { readdirSync } from 'node:fs';
import { QUOTE_JOBS_QUEUE } from '@fabline/shared/events';
import { QUEUES } from '@fabline/shared/topology';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { type Manifest, renderKustomization } from './kustomize.ts';

// No cluster runs here: every overlay is rendered as kustomize would and each object validated
// against the Kubernetes (1.3x) and KEDA (v2) schemas of kubernetes-models (ajv, offline), then the
// autoscaling is checked against the code: queue names from topology.ts, the gateway's gauge.
const k8s = new URL('../k8s/', import.meta.url).pathname;
const overlays = readdirSync(`${k8s}overlays`).sort();
const rendered = Object.fromEntries(overlays.map((name) => [name, renderKustomization(`${k8s}overlays/${name}`)])) as Record<string, Manifest[]>;

const MODELS: Record<string, { validate(): void } & (new (data: any) => { validate(): void })> = {
  'apps/v1 Deployment': Deployment,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1 Job': Job,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'v1 ConfigMap': ConfigMap,
  'v1 Namespace': Namespace,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim,
  'v1 Service': Service,
  'keda.sh/v1alpha1 ScaledObject': ScaledObject,
  'keda.sh/v1alpha1 TriggerAuthentication': TriggerAuthentication,
} as never;

/** The queues each consuming Deployment reads (what its entry point passes to bus.consume). */
const CONSUMES: Record<string, (keyof typeof QUEUES)[]> = { 'price-worker': ['quoteJobs', 'modelAnalysis'], mes: ['mesOrderApproved'] };

const autoscalerTargets = (objects: Manifest[]) =>
  objects.flatMap((o) => (o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject' ? [o.spec.scaleTargetRef.name as string] : []));
const bounds = (o: Manifest) =>
  (o.kind === 'ScaledObject' ? [o.spec.minReplicaCount, o.spec.maxReplicaCount] : [o.spec.minReplicas, o.spec.maxReplicas]) as number[];

describe.each(overlays)('the %s overlay', (overlay) => {
  const objects = rendered[overlay] as Manifest[];
  const of = (kind: string) => objects.filter((o) => o.kind === kind);

  it('validates against the Kubernetes and KEDA schemas', () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion} ${object.kind}`];
      expect(Model, `${object.apiVersion} ${object.kind} has a schema here`).toBeDefined();
      expect(() => new (Model as any)(object).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow();
    }
  });

  it('scales every Deployment by exactly one autoscaler, within its bounds, beside a disruption budget', () => {
    const deployments = of('Deployment').map((d) => d.metadata.name);
    expect(autoscalerTargets(objects).sort()).toEqual([...deployments].sort());
    expect(
      of('PodDisruptionBudget')
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual([...deployments].sort());
    for (const autoscaler of [...of('ScaledObject'), ...of('HorizontalPodAutoscaler')]) {
      const [min, max] = bounds(autoscaler);
      expect(min, autoscaler.metadata.name).toBeGreaterThanOrEqual(1);
      expect(max, autoscaler.metadata.name).toBeGreaterThanOrEqual(min as number);
      // the budget keeps one pod (minAvailable 1): with a single pod a node drain could never evict it
      if (overlay !== 'local') expect(min, `${overlay}: ${autoscaler.metadata.name} min replicas`).toBeGreaterThanOrEqual(2);
    }
    for (const pdb of of('PodDisruptionBudget')) expect(pdb.spec.minAvailable).toBe(1);
  });

  it('scales the queue consumers on the depth of the queues they read, named as topology.ts names them, and on CPU', () => {
    const namespace = of('ConfigMap')[0]?.data?.NAMESPACE;
    expect(namespace).toBeTruthy();
    const auth = of('TriggerAuthentication').map((t) => t.metadata.name);
    for (const [deployment, queues] of Object.entries(CONSUMES)) {
      const scaled = of('ScaledObject').find((s) => s.spec.scaleTargetRef.name === deployment);
      expect(scaled, deployment).toBeDefined();
      const triggers = scaled?.spec.triggers as { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[];
      const rabbit = triggers.filter((t) => t.type === 'rabbitmq');
      expect(rabbit.map((t) => t.metadata.queueName).sort(), deployment).toEqual(queues.map((q) => `${namespace}.${QUEUES[q].queue}`).sort());
      for (const trigger of rabbit) {
        expect(trigger.metadata.mode).toBe('QueueLength');
        expect(Number(trigger.metadata.value)).toBeGreaterThan(0);
        expect(auth).toContain(trigger.authenticationRef?.name);
      }
      expect(
        triggers.some((t) => t.type === 'cpu'),
        `${deployment} also scales on CPU`,
      ).toBe(true);
    }
    // the KEDA-read RABBITMQ_URL is the one the processes read from the same Secret
    for (const trigger of of('TriggerAuthentication'))
      expect(trigger.spec.secretTargetRef).toContainEqual({ parameter: 'host', name: 'fabline-secrets', key: 'RABBITMQ_URL' });
  });

  it('scales the gateway on CPU and on its subscription connection gauge', () => {
    const gateway = of('ScaledObject').find((s) => s.spec.scaleTargetRef.name === 'gateway');
    const triggers = gateway?.spec.triggers as { type: string; metadata: Record<string, string> }[];
    expect(triggers.map((t) => t.type).sort()).toEqual(['cpu', 'prometheus']);
    const prometheus = triggers.find((t) => t.type === 'prometheus');
    // the gauge the gateway exports (gateway/src/subscriptions/metrics.ts), labelled service="gateway"
    expect(prometheus?.metadata.query).toMatch(/^sum\(fabline_subscription_connections\{service="gateway"\}\)$/);
    expect(Number(prometheus?.metadata.threshold)).toBeGreaterThan(0);
  });

  it('resource-scales only containers with a CPU request (KEDA cpu triggers need one)', () => {
    for (const scaled of of('ScaledObject')) {
      const deployment = of('Deployment').find((d) => d.metadata.name === scaled.spec.scaleTargetRef.name);
      for (const container of deployment?.spec.template.spec.containers ?? []) expect(container.resources?.requests?.cpu, scaled.metadata.name).toBeTruthy();
    }
  });
});

describe('overlays', () => {
  it('are checked by a live validator: a ScaledObject without triggers, or with a number for a string, is refused', () => {
    const valid = rendered.production?.find((o) => o.kind === 'ScaledObject' && o.metadata.name === 'price-worker') as Manifest;
    expect(() => new ScaledObject({ ...valid, spec: { ...valid.spec, triggers: undefined } } as never).validate()).toThrow(/triggers/);
    const numeric = { ...valid.spec.triggers[0], metadata: { ...valid.spec.triggers[0].metadata, value: 8 } };
    expect(() => new ScaledObject({ ...valid, spec: { ...valid.spec, triggers: [numeric] } } as never).validate()).toThrow(/value must be string/);
  });

  it('are local, staging and production, each a different image tag over the same objects', () => {
    expect(overlays).toEqual(['local', 'production', 'staging']);
    const names = (objects: Manifest[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(names(rendered.staging ?? [])).toEqual(names(rendered.production ?? []));
    expect(names(rendered.local ?? [])).toEqual(names(rendered.production ?? []));
    const tags = overlays.map((o) => (rendered[o] ?? []).find((x) => x.kind === 'Deployment')?.spec.template.spec.containers[0].image);
    expect(new Set(tags).size).toBe(overlays.length);
  });

  it('the queue names checked against the code are the gateway gauge and queues the code declares', async () => {
    const { readFileSync } = await import('node:fs');
    const metrics = readFileSync(new URL('../../../gateway/src/subscriptions/metrics.ts', import.meta.url), 'utf8');
    expect(metrics).toContain("name: 'fabline_subscription_connections'");
    const worker = readFileSync(new URL('../../../subgraphs/mes/src/worker.ts', import.meta.url), 'utf8');
    expect(worker).toContain('QUEUES.modelAnalysis');
    expect(worker).toContain('queue: QUOTE_JOBS_QUEUE');
    expect(QUEUES.quoteJobs.queue).toBe(QUOTE_JOBS_QUEUE);
    const consumers = readFileSync(new URL('../../../subgraphs/mes/src/consumers.ts', import.meta.url), 'utf8');
    expect(consumers).toContain('QUEUES.mesOrderApproved');
  });
});
