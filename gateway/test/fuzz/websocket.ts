import fc from 'fast-check';
import WebSocket from 'ws';
import { credentials } from './bodies.ts';
import { operationArbitrary } from './documents.ts';

// graphql-ws (`graphql-transport-ws`) sessions of generated frames: init with odd payloads,
// subscribe before init, duplicate ids, unknown types, junk text, binary and oversized frames.
// The server may close the socket for a protocol violation (4400-4499, 1009 for a frame over its
// limit), but never as an internal error (1011, 4500), and errors it sends carry a code.

export type Frame = { kind: 'json'; value: unknown } | { kind: 'text'; text: string } | { kind: 'binary'; size: number };

const SUBSCRIPTIONS = [
  { query: 'subscription { quoteReady(quoteId: "no-such-quote") { id status } }', variables: {} },
  { query: 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status at } }', variables: { id: 'no-such-order' } },
  { query: 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }', variables: {} },
  { query: 'subscription { orderEvents(kind: AWAITING_REVIEW) { status } }', variables: {} },
  { query: 'subscription { orderEvents(kind: NOPE) { status } }', variables: {} },
  { query: 'subscription { quoteReady(quoteId: "1") { id } orderEvents(kind: PRODUCTION) { status } }', variables: {} },
  { query: 'subscription S { ...F } fragment F on Subscription { ...F }', variables: {} },
  { query: 'subscription', variables: {} },
  { query: 'subscription($s: Boolean = true) { quoteReady(quoteId: "1") @skip(if: $s) { id } }', variables: {} },
  { query: 'subscription($s: Boolean!) { quoteReady(quoteId: "1") @include(if: $s) { id } }', variables: { s: true } },
];

const initPayload = fc.constantFrom<(() => unknown) | unknown>(
  undefined,
  () => ({ authorization: `Bearer ${credentials.customerToken}` }),
  { authorization: 'Bearer not.a.token' },
  { apiKey: 'fbl_not_a_key' },
  'a string',
  [1, 2],
  null,
  { authorization: 42 },
);

const frameArbitrary: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 3, arbitrary: initPayload.map((payload): Frame => ({ kind: 'json', value: { type: 'connection_init', payload } })) },
  {
    weight: 4,
    arbitrary: fc
      .record({
        id: fc.constantFrom<unknown>('a', 'a', 'b', '', 42, null, 'x'.repeat(300)),
        payload: fc.oneof(fc.constantFrom(...SUBSCRIPTIONS), operationArbitrary(150), fc.constantFrom<unknown>(null, 'query', { query: 7 }, {})),
      })
      .map(({ id, payload }): Frame => ({ kind: 'json', value: { id, type: 'subscribe', payload } })),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('a', 'b', 7).map((id): Frame => ({ kind: 'json', value: { id, type: 'complete' } })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('ping', 'pong', 'next', 'error', 'connection_ack', 'nope').map((type): Frame => ({ kind: 'json', value: { type } })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('not json', '{}', '[]', 'null', '{"type":', '\u0000', '{"type":"subscribe","id":"c","payload":{"query":"{ __typename }"},"type":"ping"}')
      .map((text): Frame => ({ kind: 'text', text })),
  },
  { weight: 1, arbitrary: fc.constantFrom(1, 1024, 70 * 1024).map((size): Frame => ({ kind: 'binary', size })) },
);

export const wsSessionArbitrary = fc.array(frameArbitrary, { minLength: 1, maxLength: 6 });

const materialize = (frame: Frame) => {
  if (frame.kind === 'binary') return Buffer.alloc(frame.size, 0x7b);
  if (frame.kind === 'text') return frame.text;
  const value = frame.value as { payload?: unknown };
  return JSON.stringify(typeof value.payload === 'function' ? { ...value, payload: value.payload() } : value);
};

export const describeSession = (frames: Frame[]) =>
  frames.map((frame) => (frame.kind === 'binary' ? `<binary ${frame.size} bytes>` : materialize(frame).toString().slice(0, 400))).join('\n');

/** Plays a session against the gateway; returns why its outcome is not acceptable, or null. */
export async function playSession(httpUrl: string, frames: Frame[], stallMs: number): Promise<string | null> {
  const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const received: { type?: string; payload?: unknown }[] = [];
  let closed: { code: number; reason: string } | null = null;
  let failure: string | null = null;
  socket.on('message', (data) => {
    try {
      received.push(JSON.parse(data.toString()));
    } catch {
      failure ??= `a frame that is not JSON: ${data.toString().slice(0, 200)}`;
    }
  });
  socket.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
  });
  socket.on('error', () => {});
  const opened = await new Promise<string | null>((resolve) => {
    const timer = setTimeout(() => resolve('the WebSocket upgrade got no answer (stall)'), stallMs);
    socket.once('open', () => {
      clearTimeout(timer);
      resolve(null);
    });
    socket.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      resolve((res.statusCode ?? 0) >= 500 ? `upgrade answered HTTP ${res.statusCode}` : null);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      resolve(`the WebSocket upgrade failed: ${error.message}`);
    });
  });
  if (opened) {
    socket.terminate();
    return opened;
  }
  for (const frame of frames) {
    if (closed || socket.readyState !== WebSocket.OPEN) break;
    socket.send(materialize(frame));
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  // what the server says within a short while: events of a live subscription need not come at all
  await new Promise((resolve) => setTimeout(resolve, 500));
  socket.terminate();
  const close = closed as { code: number; reason: string } | null;
  if (close && (close.code === 1011 || close.code === 4500)) return `closed as an internal error: ${close.code} ${close.reason}`;
  for (const message of received) {
    const errors =
      message.type === 'error' ? (message.payload as unknown[]) : message.type === 'next' ? (message.payload as { errors?: unknown[] })?.errors : undefined;
    if (!Array.isArray(errors)) continue;
    for (const error of errors as { extensions?: { code?: unknown } }[]) {
      const code = error?.extensions?.code;
      if (typeof code !== 'string' || code === 'INTERNAL_SERVER_ERROR')
        return `a ${message.type} error without a client code: ${JSON.stringify(error).slice(0, 300)}`;
    }
  }
  return failure;
}
