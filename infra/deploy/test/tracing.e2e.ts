import { readdirSync, readFileSync } from 'node:fs';
import { eventually, gql, graphql, type OtlpReceiver, type ReceivedSpan, type Stack, startOtlpReceiver, startStack, stlCube, uploadFile } from '@fabline/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// One quote through the real stack, traced into a local OTLP receiver: the trace must run from the
// gateway through mes, the RabbitMQ publish, the worker that priced it and its Redis calls.
const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

let receiver: OtlpReceiver;
let stack: Stack;
let customer: { token: string };
let logDir: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  stack = await startStack({
    // ANALYSIS_MAX_BYTES 0: the quote is priced by a job (an upload-time analysis would answer it at once)
    env: { LOG_LEVEL: 'debug', QUOTE_WAIT_MS: '15000', ANALYSIS_MAX_BYTES: '0', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' },
  });
  logDir = `${stack.env.DATA_DIR}/logs`;
  const signUp = await gql(stack.urls.gateway, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
    input: { email: `traces-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Tracy Trace' },
  });
  customer = { token: signUp.signUp.token };
});
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);

describe('traces', () => {
  it('follow one quote from the gateway through mes, RabbitMQ and the price worker to Redis', async () => {
    const upload = await uploadFile<{ uploadModel: { id: string } }>(
      stack.urls.gateway,
      'mutation Upload($file: Upload!) { uploadModel(file: $file) { id } }',
      { name: 'traced.stl', bytes: stlCube(17) },
      customer,
    );
    const modelId = upload.data?.uploadModel.id;
    expect(modelId).toBeTruthy();
    const answer = await graphql<{ requestQuote: { id: string; status: string } }>(
      stack.urls.gateway,
      'mutation RequestQuote($input: QuoteInput!) { requestQuote(input: $input) { id status } }',
      { input: { modelId, material: 'PETG', quantity: 2 } },
      customer,
    );
    expect(answer.data?.requestQuote.status).toBe('READY');

    const root = await eventually(
      async () => receiver.spans.find((s) => s.name === 'gateway.request' && s.attributes['graphql.operation.name'] === 'RequestQuote'),
      {
        timeoutMs: 20_000,
      },
    );
    // each process exports on its own schedule: wait until every span the assertions below read
    // has arrived (mes's server span may come after the worker's spans), not for a fixed time
    const expected: Record<string, (s: ReceivedSpan) => boolean> = {
      'gateway plan': (s) => s.service === 'gateway' && s.name === 'gateway.plan',
      'gateway fetch': (s) => s.service === 'gateway' && s.name === 'gateway.fetch',
      'mes server': (s) => s.service === 'mes' && s.kind === SERVER,
      'mes publish': (s) => s.service === 'mes' && s.kind === PRODUCER,
      'mes prisma': (s) => s.service === 'mes' && s.name.startsWith('prisma:'),
      'worker consume': (s) => s.service === 'price-worker' && s.kind === CONSUMER,
      'worker redis': (s) => s.service === 'price-worker' && s.name.startsWith('redis '),
    };
    const missing = () => {
      const trace = inTrace(root.traceId);
      return Object.entries(expected)
        .filter(([, is]) => !trace.some(is))
        .map(([name]) => name);
    };
    await eventually(async () => (missing().length === 0 ? true : undefined), { timeoutMs: 20_000 }).catch((error: Error) => {
      throw new Error(`${error.message}; spans still missing from the trace: ${missing().join(', ')}`);
    });
    const spans = inTrace(root.traceId);
    const services = new Set(spans.map((s) => s.service));
    expect([...services].sort()).toEqual(expect.arrayContaining(['gateway', 'mes', 'price-worker']));

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (span: ReceivedSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    // the gateway's own spans: planning and one fetch to mes, whose server span continues it
    expect(spans.some((s) => s.service === 'gateway' && s.name === 'gateway.plan')).toBe(true);
    const mesServer = spans.find((s) => s.service === 'mes' && s.kind === SERVER);
    expect(mesServer && parentOf(mesServer)).toMatchObject({ service: 'gateway', name: 'gateway.fetch' });
    // the gateway names each subgraph operation after the client's: RequestQuote__mes__0
    expect(mesServer?.name).toMatch(/^POST \/graphql RequestQuote__mes__\d+$/);
    // mes publishes the job; the worker's consumer span is the publish span's child
    const publish = spans.find((s) => s.service === 'mes' && s.kind === PRODUCER);
    expect(publish?.attributes['messaging.system']).toBe('rabbitmq');
    const consume = spans.find((s) => s.service === 'price-worker' && s.kind === CONSUMER);
    expect(consume && parentOf(consume)?.spanId).toBe(publish?.spanId);
    // the worker's Redis calls and database queries hang under its consumer span
    expect(spans.filter((s) => s.service === 'price-worker' && s.name.startsWith('redis ')).length).toBeGreaterThan(0);
    expect(spans.some((s) => s.service === 'mes' && s.name.startsWith('prisma:'))).toBe(true);
  });

  it('pass a caller\'s "not sampled" on to the subgraphs, which then start no trace of their own', async () => {
    // two different queries: the response cache must not answer the second one
    const unsampled = { traceId: 'c0ffee'.padEnd(32, '1'), flags: '00', query: 'query Codes { materials { code } }' };
    const marker = { traceId: 'feed'.padEnd(32, '2'), flags: '01', query: 'query Names { materials { name } }' };
    for (const { traceId, flags, query } of [unsampled, marker]) {
      const answer = await graphql(stack.urls.gateway, query, {}, { headers: { traceparent: `00-${traceId}-${'3'.repeat(16)}-${flags}` } });
      expect(answer.errors).toBeUndefined();
    }
    // mes exports its spans in the order they end: once the later, sampled request's server span
    // has arrived, a span of the earlier one would have too
    await eventually(async () => (inTrace(marker.traceId).some((s) => s.service === 'mes' && s.kind === SERVER) ? true : undefined), { timeoutMs: 20_000 });
    expect(inTrace(unsampled.traceId)).toEqual([]);
    // without the flag mes would have started a trace of its own: a server span with no parent
    expect(receiver.spans.filter((s) => s.service === 'mes' && s.kind === SERVER && !s.parentSpanId)).toEqual([]);
  });

  it('put the trace id on log lines written inside the trace', async () => {
    const root = receiver.spans.find((s) => s.name === 'gateway.request' && s.attributes['graphql.operation.name'] === 'RequestQuote');
    expect(root).toBeDefined();
    const lines = readdirSync(logDir)
      .flatMap((file) => readFileSync(`${logDir}/${file}`, 'utf8').split('\n'))
      .filter((line) => line.includes(`"traceId":"${root?.traceId}"`));
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ traceId: root?.traceId, spanId: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });
});
