import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../src/client.ts';
import { AUTOMATIC_STAFF, brokerQueues, closeDbs, openDbs, type PipelineDbs, pipelineCounts, placeOrders, sigkill } from '../src/pipeline.ts';
import { type Stack, startStack } from '../src/stack.ts';
import { type TcpProxy, tcpProxy } from '../src/tcpProxy.ts';

// Orders through the whole pipeline (shop outbox → crm → mes → shop) while processes die hard.
// PIPELINE_FAULT_ORDERS sets the count (the issue asks for 10,000 once; CI uses 300).
const ORDERS = Number(process.env.PIPELINE_FAULT_ORDERS ?? 300);
const DRAIN_MS = Math.max(120_000, ORDERS * 60);

/** After recovery every order is READY exactly once, in all three databases, with a clean history. */
async function expectAllReady(dbs: PipelineDbs, total: number) {
  const counts = await eventually(
    async () => {
      const c = await pipelineCounts(dbs);
      return c.ready === total && c.productionReady === total && c.unpublished === 0 ? c : undefined;
    },
    { timeoutMs: DRAIN_MS, intervalMs: 500 },
  );
  expect(counts).toMatchObject({ orders: total, ready: total, reviews: total, approved: total, production: total, productionReady: total });
  // PLACED, APPROVED, IN_PRODUCTION, QUALITY_CHECK, READY: five rows per order, none twice
  expect(counts.duplicateHistory).toBe(0);
  expect(counts.history).toBe(total * 5);
}

describe('pipeline under faults', () => {
  let stack: Stack;
  let dbs: PipelineDbs;
  beforeAll(async () => {
    stack = await startStack({ env: AUTOMATIC_STAFF });
    dbs = openDbs(stack);
  });
  afterAll(async () => {
    await closeDbs(dbs);
    await stack?.stop();
  });

  it('loses and duplicates nothing when a consumer and the outbox relay are SIGKILLed mid-flight', async () => {
    await placeOrders(dbs, ORDERS);
    // (c) the shop's relay is publishing the backlog: killed between commit and confirm
    await eventually(async () => ((await pipelineCounts(dbs)).reviews > 0 ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 });
    await sigkill(stack.processes.get('shop'));
    // (a) the MES consumer holds messages (prefetch) and is killed in the middle of them
    await eventually(async () => ((await pipelineCounts(dbs)).production > 0 ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 });
    await sigkill(stack.processes.get('mes'));
    const during = await pipelineCounts(dbs);
    await placeOrders(dbs, ORDERS); // orders keep coming while both are down
    await sleep(500);
    await stack.restart('mes');
    await stack.restart('shop');
    await expectAllReady(dbs, ORDERS * 2);
    console.info(`pipeline faults: ${ORDERS * 2} orders; at the kills ${JSON.stringify(during)}`);
  });
});

describe('pipeline when RabbitMQ goes away', () => {
  // The broker is shared by every run on this machine, so it is not restarted: every process of
  // this stack reaches it through a proxy that the test cuts, which is what a broker restart looks
  // like from the services (connections drop, unconfirmed publishes fail, unacked deliveries return
  // to their durable queues) without touching anyone else's queues.
  let stack: Stack;
  let dbs: PipelineDbs;
  let broker: TcpProxy;
  beforeAll(async () => {
    broker = await tcpProxy(5672);
    stack = await startStack({ env: { ...AUTOMATIC_STAFF, RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${broker.port}` } });
    dbs = openDbs(stack);
  });
  afterAll(async () => {
    await closeDbs(dbs);
    await stack?.stop();
    await broker?.close();
  });

  it('loses and duplicates nothing when every connection to the broker drops mid-flight and comes back later', async () => {
    await placeOrders(dbs, ORDERS);
    // (b) events are on their way through every stage when the broker disappears
    await eventually(async () => ((await pipelineCounts(dbs)).production > 0 ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 });
    broker.cut();
    const during = await pipelineCounts(dbs);
    await placeOrders(dbs, ORDERS); // orders keep coming while the broker is away: they wait in the outbox
    await sleep(3000);
    broker.restore();
    await expectAllReady(dbs, ORDERS * 2);
    console.info(`pipeline broker outage: ${ORDERS * 2} orders; at the cut ${JSON.stringify(during)}`);
  });
});

describe('backpressure CRM → MES', () => {
  const MAX_LENGTH = 40;
  const PREFETCH = 4;
  const RELAY_BATCH = 200;
  let stack: Stack;
  let dbs: PipelineDbs;
  beforeAll(async () => {
    stack = await startStack({
      env: { ...AUTOMATIC_STAFF, MES_ORDER_QUEUE_MAX_LENGTH: String(MAX_LENGTH), MES_ORDER_PREFETCH: String(PREFETCH), MES_CONSUMER_DELAY_MS: '250' },
    });
    dbs = openDbs(stack);
  });
  afterAll(async () => {
    await closeDbs(dbs);
    await stack?.stop();
  });

  it('keeps the queue at its limit and the rest in the outbox while MES is slow, then drains with nothing lost', async () => {
    const total = 300;
    await placeOrders(dbs, total);
    const queue = 'mes.order-approved.v2';
    const full = await eventually(
      async () => {
        const q = brokerQueues(stack.namespace).get(queue);
        return q && q.ready + q.unacked >= MAX_LENGTH ? q : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const crmBacklog = Number((await dbs.crm.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM outbox_events WHERE published_at IS NULL'))[0]?.n);
    // the broker refused what did not fit; the CRM kept it in its outbox instead of dropping it
    expect(crmBacklog).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) {
      const q = brokerQueues(stack.namespace).get(queue);
      expect(q?.unacked ?? 0).toBeLessThanOrEqual(PREFETCH);
      // a quorum queue checks its limit as publishes arrive: those already in flight (one relay batch) still land
      expect((q?.ready ?? 0) + (q?.unacked ?? 0)).toBeLessThanOrEqual(MAX_LENGTH + RELAY_BATCH);
      await sleep(200);
    }
    const metrics = await (await fetch(stack.urls.crm.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/fabline_outbox_publish_nacks_total\{[^}]*\} [1-9]/);
    console.info(`backpressure: queue ${JSON.stringify(full)}, crm outbox backlog ${crmBacklog}`);

    // the slowdown ends: MES restarts at full speed and everything drains
    const mes = stack.processes.get('mes');
    mes?.kill('SIGTERM');
    await new Promise((resolve) => mes?.once('exit', resolve));
    await stack.restart('mes', { MES_CONSUMER_DELAY_MS: '0' });
    await expectAllReady(dbs, total);
    // bounded by its 300 orders, not by time: draining them takes minutes on a loaded machine
  }, 600_000);
});
