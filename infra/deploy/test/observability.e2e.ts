import { eventually, gql, metricsUrlOf, type Stack, startStack, stlCube, uploadFile } from '@fabline/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportedNames, metricsOf, queries } from './observedMetrics.ts';

// Every metric a dashboard or an alert rule reads must really be exported by the running processes:
// a renamed metric would otherwise leave a panel empty and an alert silent.
let stack: Stack;
const pages: Record<string, string> = {};

beforeAll(async () => {
  // ANALYSIS_MAX_BYTES 0: the quote goes through the job (an upload-time analysis would answer it at once)
  stack = await startStack({ env: { LOG_LEVEL: 'warn', QUOTE_WAIT_MS: '15000', ANALYSIS_MAX_BYTES: '0' } });
  const url = stack.urls.gateway;
  const signUp = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
    input: { email: `metrics-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Mia Metrics' },
  });
  const customer = { token: signUp.signUp.token as string, headers: { 'apollographql-client-name': 'shop-web' } };
  const upload = await uploadFile<{ uploadModel: { id: string } }>(
    url,
    'mutation Upload($file: Upload!) { uploadModel(file: $file) { id } }',
    { name: 'm.stl', bytes: stlCube(12) },
    customer,
  );
  const { requestQuote } = await gql(
    url,
    'mutation RequestQuote($input: QuoteInput!) { requestQuote(input: $input) { id status } }',
    { input: { modelId: upload.data?.uploadModel.id, material: 'PLA', quantity: 1 } },
    customer,
  );
  expect(requestQuote.status).toBe('READY');
  await gql(
    url,
    'mutation PlaceOrder($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
    { input: { items: [{ quoteId: requestQuote.id }] } },
    customer,
  );
  await gql(url, 'query Materials { materials { code } }', {}, customer);
  const targets: Record<string, string> = {
    gateway: metricsUrlOf(stack.urls.gateway),
    shop: stack.urls.shop.replace('/graphql', '/metrics'),
    crm: stack.urls.crm.replace('/graphql', '/metrics'),
    mes: stack.urls.mes.replace('/graphql', '/metrics'),
    'price-worker': `${stack.workerUrl}/metrics`,
  };
  // the order's event reaches crm through the outbox relay: wait until crm consumed it
  await eventually(
    async () => ((await (await fetch(targets.crm as string)).text()).includes('fabline_bus_consumed_total{queue="crm.order-placed"') ? true : undefined),
    {
      timeoutMs: 20_000,
    },
  );
  for (const [service, target] of Object.entries(targets)) pages[service] = await (await fetch(target)).text();
});
afterAll(async () => {
  await stack?.stop();
});

describe('metrics used by dashboards and alerts', () => {
  it('are all exported by the process each query selects (or by some process)', () => {
    const byService = Object.fromEntries(Object.entries(pages).map(([service, page]) => [service, exportedNames(page)]));
    const anywhere = new Set(Object.values(byService).flatMap((names) => [...names]));
    const missing: string[] = [];
    let checked = 0;
    for (const { source, expr } of queries()) {
      const { names, service } = metricsOf(expr);
      const exported = service ? byService[service] : anywhere;
      expect(exported, `${source} selects service="${service}", which no process is`).toBeDefined();
      for (const name of names) {
        checked++;
        if (!exported?.has(name)) missing.push(`${source}: ${name}${service ? ` (service=${service})` : ''}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('count the traffic by operation, client, subgraph and queue, with no ids in labels', () => {
    const gateway = pages.gateway ?? '';
    expect(gateway).toMatch(/fabline_gateway_operation_duration_seconds_count\{[^}]*operation="RequestQuote",type="mutation",client="shop-web"[^}]*\} 1/);
    expect(gateway).toMatch(/fabline_gateway_subgraph_fetch_duration_seconds_count\{[^}]*subgraph="mes",outcome="ok"/);
    expect(pages.mes).toMatch(/fabline_bus_published_total\{[^}]*destination="mes.quote-jobs",outcome="confirmed"/);
    expect(pages['price-worker']).toMatch(/fabline_bus_consumed_total\{[^}]*queue="mes.quote-jobs",outcome="ack"/);
    expect(pages['price-worker']).toMatch(/fabline_bus_queue_depth\{[^}]*queue="mes.quote-jobs.dlq"/);
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
    for (const [service, page] of Object.entries(pages))
      expect(
        page.split('\n').filter((l) => !l.startsWith('#') && uuid.test(l)),
        service,
      ).toEqual([]);
  });
});
