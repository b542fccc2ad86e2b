import net from 'node:net';
import type { Viewer } from '@fabline/shared/auth';
import { createLogger } from '@fabline/shared/logger';
import { buildSchema, GraphQLError, parse } from 'graphql';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { EventSource } from '../src/eventSource.ts';
import { SubscriptionConnection } from '../src/subscriptions/connection.ts';
import { SubscriptionEngine } from '../src/subscriptions/engine.ts';
import { inFeed, mayHear } from '../src/subscriptions/feeds.ts';
import { type ConnectionBudget, ConnectionCounter } from '../src/subscriptions/limits.ts';
import { createSubscriptionMetrics } from '../src/subscriptions/metrics.ts';
import { planSubscription, type SubscriptionPlan } from '../src/subscriptions/plan.ts';
import { resolveEvent } from '../src/subscriptions/resolveEvent.ts';
import { EventStream } from '../src/subscriptions/stream.ts';

const schema = buildSchema(`
  type Query { order(id: ID!): Order  quote(id: ID!): Quote }
  type Person { name: String! }
  type Order { id: ID! status: String! customer: Person! }
  type Quote { id: ID! status: String! }
  type OrderStatusEvent { id: ID! order: Order! status: String! }
  type Subscription { orderStatusChanged(orderId: ID!, after: ID): OrderStatusEvent! quoteReady(quoteId: ID!): Quote! }
`);
const plan = (query: string, variables = {}) => planSubscription(schema, parse(query), variables, null) as SubscriptionPlan;
const event = { id: '7', orderId: 'o1', previousStatus: null, status: 'APPROVED', at: '2026-01-01T00:00:00.000Z', cursor: null };

describe('planning a subscription', () => {
  it('asks the subgraphs only for what sits under `order`, keeping aliases, fragments and variables it uses', () => {
    const p = plan(
      `subscription($id: ID!, $after: ID) { changed: orderStatusChanged(orderId: $id, after: $after) { id ... on OrderStatusEvent { mine: order { ...O } } } }
       fragment O on Order { status who: customer { name } }`,
      { id: 'o1', after: '3' },
    );
    expect(p.args).toEqual({ orderId: 'o1', after: '3' });
    expect(p.federatedQuery?.replace(/\s+/g, ' ')).toBe(
      'query SubscriptionEvent($_fablineSubject: ID!) { mine: order(id: $_fablineSubject) { ...O } } fragment O on Order { status who: customer { name } }',
    );
  });

  it('needs no subgraph when only the event fields are selected', () => {
    expect(plan('subscription { orderStatusChanged(orderId: "o1") { id status } }').federatedQuery).toBeNull();
  });

  it('reads a variable its default value fills, as graphql-js coerces it', () => {
    const p = plan('subscription($id: ID = "o1", $after: ID) { orderStatusChanged(orderId: $id, after: $after) { id } }');
    expect(p.args).toEqual({ orderId: 'o1', after: undefined });
  });

  it('refuses variables of the wrong type with BAD_USER_INPUT, before any event', () => {
    const errors = planSubscription(schema, parse('subscription($id: ID!) { orderStatusChanged(orderId: $id) { id } }'), { id: { nested: true } }, null);
    expect((errors as GraphQLError[])[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses queries and invalid documents with errors, not exceptions', () => {
    const errors = planSubscription(schema, parse('{ order(id: "1") { id } }'), {}, null) as GraphQLError[];
    expect(errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect((planSubscription(schema, parse('subscription { nope }'), {}, null) as GraphQLError[]).length).toBe(1);
  });
});

describe('resolving an event', () => {
  it('shapes the federated answer as the client asked, aliases included', async () => {
    const p = plan('subscription { e: orderStatusChanged(orderId: "o1") { id status mine: order { status who: customer { name } } } }');
    const result = await resolveEvent(schema, p, 'o1', event, async () => ({ data: { mine: { status: 'APPROVED', who: { name: 'Carla' } } } }));
    expect(result).toEqual({ data: { e: { id: '7', status: 'APPROVED', mine: { status: 'APPROVED', who: { name: 'Carla' } } } } });
  });

  it('passes a subgraph error through with its code', async () => {
    const p = plan('subscription { orderStatusChanged(orderId: "o1") { id order { status } } }');
    const result = await resolveEvent(schema, p, 'o1', event, async () => ({
      data: { order: null },
      errors: [{ message: 'Order o1 belongs to another customer', path: ['order'], extensions: { code: 'FORBIDDEN' } }],
    }));
    expect(result.errors?.[0]?.message).toBe('Order o1 belongs to another customer');
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('resolves an entity payload (quoteReady) at the root', async () => {
    const p = plan('subscription { quoteReady(quoteId: "q1") { id status } }');
    const result = await resolveEvent(schema, p, 'q1', null, async (query) => {
      expect(query).toContain('quoteReady: quote(id: $_fablineSubject)');
      return { data: { quoteReady: { id: 'q1', status: 'READY' } } };
    });
    expect(result.data).toEqual({ quoteReady: { id: 'q1', status: 'READY' } });
  });
});

describe('a connection budget', () => {
  const budget = (): ConnectionBudget & { cut: number } => ({
    pending: 0,
    closed: false,
    cut: 0,
    bufferedBytes: () => 0,
    overflow() {
      this.cut++;
      this.closed = true;
    },
  });

  it('cuts the connection off once more events are queued than allowed, and frees them', async () => {
    const b = budget();
    const stream = new EventStream(b, { maxPendingEvents: 3, maxBufferedBytes: 1e6 });
    for (let i = 0; i < 3; i++) expect(stream.push({ data: { i } })).toBe(true);
    expect(stream.push({ data: { i: 3 } })).toBe(false);
    expect(b.cut).toBe(1);
    await stream.return();
    expect(b.pending).toBe(0);
  });

  it('hands queued events out in order, then ends (with an error when given one)', async () => {
    const stream = new EventStream(budget(), { maxPendingEvents: 10, maxBufferedBytes: 1e6 });
    stream.push({ data: { n: 1 } });
    stream.push({ data: { n: 2 } });
    stream.end(new GraphQLError('gone'));
    expect((await stream.next()).value).toEqual({ data: { n: 1 } });
    expect((await stream.next()).value).toEqual({ data: { n: 2 } });
    await expect(stream.next()).rejects.toThrow('gone');
  });

  it('limits connections per client', () => {
    const counter = new ConnectionCounter(2);
    const first = counter.acquire('CUSTOMER:1');
    expect(counter.acquire('CUSTOMER:1')).not.toBeNull();
    expect(counter.acquire('CUSTOMER:1')).toBeNull();
    first?.();
    first?.();
    expect(counter.count('CUSTOMER:1')).toBe(1);
    expect(counter.acquire('CUSTOMER:2')).not.toBeNull();
  });
});

describe('staff feeds', () => {
  it('show managers orders arriving for review and leaving it, and operators every production move', () => {
    expect(inFeed('AWAITING_REVIEW', { status: 'PLACED', previousStatus: null })).toBe(true);
    for (const status of ['APPROVED', 'REJECTED', 'CANCELLED'] as const) expect(inFeed('AWAITING_REVIEW', { status, previousStatus: 'PLACED' })).toBe(true);
    expect(inFeed('AWAITING_REVIEW', { status: 'IN_PRODUCTION', previousStatus: 'APPROVED' })).toBe(false);
    expect(inFeed('AWAITING_REVIEW', { status: 'CANCELLED', previousStatus: 'APPROVED' })).toBe(false);
    expect(inFeed('PRODUCTION', { status: 'IN_PRODUCTION', previousStatus: 'APPROVED' })).toBe(true);
    // a move that keeps the status (PRINTING → POST_PROCESSING)
    expect(inFeed('PRODUCTION', { status: 'IN_PRODUCTION', previousStatus: 'IN_PRODUCTION' })).toBe(true);
    expect(inFeed('PRODUCTION', { status: 'CANCELLED', previousStatus: 'APPROVED' })).toBe(true);
    expect(inFeed('PRODUCTION', { status: 'CANCELLED', previousStatus: 'PLACED' })).toBe(false);
  });

  it('let a customer hear only their own orders', () => {
    expect(mayHear({ id: 'c1', role: 'CUSTOMER' }, { customerId: 'c2' })).toBe(false);
    expect(mayHear({ id: 'c1', role: 'CUSTOMER' }, { customerId: 'c1' })).toBe(true);
    expect(mayHear({ id: 'm', role: 'MANAGER' }, { customerId: 'c2' })).toBe(true);
  });
});

describe('a staff feed', () => {
  const feedSchema = buildSchema(`
    type Query { order(id: ID!): Order }
    type Order { id: ID! status: String! }
    enum OrderEventKind { ALL }
    type OrderStatusEvent { id: ID! status: String! order: Order! cursor: ID }
    type Subscription { orderEvents(kind: OrderEventKind!, after: ID): OrderStatusEvent! }
  `);
  const manager = { id: 'm1', role: 'MANAGER' } as Viewer;
  const message = (eventId: string, orderId: string, cursor?: string) => ({
    eventId,
    orderId,
    customerId: 'c1',
    previousStatus: 'PLACED' as const,
    status: 'APPROVED' as const,
    at: new Date().toISOString(),
    ...(cursor && { cursor }),
  });

  /** An engine over a fake event source: `publish` is the pattern subscription, `log` what `readOrderEvents` serves. */
  function feedEngine(readOrderEvents: EventSource['readOrderEvents'] = async () => [], purged?: (raw: string) => Promise<void>) {
    let listener: (raw: string) => void = () => {};
    const events = {
      listen: async () => () => {},
      listenPattern: async (_pattern: string, onMessage: (raw: string) => void) => {
        listener = onMessage;
        return () => {};
      },
      readOrderEvents,
    } as unknown as EventSource;
    // order o1 takes longer to resolve than the others
    const resolving = { now: 0, most: 0 };
    const federate = () => async (_query: string, variables: Record<string, unknown>) => {
      const id = String(variables._fablineSubject);
      resolving.most = Math.max(resolving.most, ++resolving.now);
      await new Promise((resolve) => setTimeout(resolve, id === 'o1' ? 30 : 1));
      resolving.now--;
      return { data: { order: { id, status: 'X' } } };
    };
    const engine = new SubscriptionEngine({
      namespace: 'ns',
      events,
      schema: () => feedSchema,
      federate,
      limits: { maxConnectionsPerClient: 5, maxSubscriptionsPerConnection: 5, maxPendingEvents: 100, maxBufferedBytes: 1e6 },
      metrics: createSubscriptionMetrics({ registry: new Registry() }),
      logger: createLogger({ name: 'test', level: 'silent' }),
      purged,
    });
    const start = (after?: string) => {
      const query = 'subscription($after: ID) { orderEvents(kind: ALL, after: $after) { id cursor order { id } } }';
      const feedPlan = planSubscription(feedSchema, parse(query), { after }, null) as SubscriptionPlan;
      const budget: ConnectionBudget = { pending: 0, closed: false, bufferedBytes: () => 0, overflow() {} };
      return engine.start(feedPlan, manager, budget, 'r1');
    };
    return { start, publish: (m: ReturnType<typeof message>) => listener(JSON.stringify(m)), resolving };
  }
  const received = async (stream: EventStream, count: number) => {
    const out: { id: string; cursor: string | null }[] = [];
    for (let i = 0; i < count; i++) {
      const { id, cursor } = ((await stream.next()).value as { data: { orderEvents: { id: string; cursor: string | null } } }).data.orderEvents;
      out.push({ id, cursor });
    }
    return out;
  };

  it('delivers every order event in publish order, even when a later event of another order resolves first', async () => {
    const { start, publish } = feedEngine();
    const stream = (await start()) as EventStream;
    publish(message('10', 'o1'));
    publish(message('11', 'o2'));
    expect((await received(stream, 2)).map((e) => e.id)).toEqual(['10', '11']);
    await stream.return();
  });

  it('drops a message without an event id, and still delivers one whose time is unreadable', async () => {
    const { start, publish } = feedEngine();
    const stream = (await start()) as EventStream;
    // this runs inside Redis's message handler: a throw there would take the process down
    expect(() => publish(message('not-an-id', 'o2'))).not.toThrow();
    publish({ ...message('31', 'o2'), at: 'yesterday' });
    expect((await received(stream, 1)).map((e) => e.id)).toEqual(['31']);
    await stream.return();
  });

  it('sends an event only once the response cache has purged what its message made stale', async () => {
    const purging: { raw: string; done: () => void }[] = [];
    const { start, publish } = feedEngine(
      async () => [],
      (raw) => new Promise<void>((done) => purging.push({ raw, done })),
    );
    const stream = (await start()) as EventStream;
    const published = message('40', 'o2');
    publish(published);
    const next = stream.next();
    let sent = false;
    void next.then(() => {
      sent = true;
    });
    // resolved long since, still held back: the cache on some replica may hold the old status
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toBe(false);
    expect(purging.map((p) => JSON.parse(p.raw).eventId)).toEqual(['40']);
    purging[0]?.done();
    expect(((await next).value as { data: { orderEvents: { id: string } } }).data.orderEvents.id).toBe('40');
    await stream.return();
  });

  it('resolves a burst of feed events side by side, and still sends them in publish order', async () => {
    const { start, publish, resolving } = feedEngine();
    const stream = (await start()) as EventStream;
    const ids = Array.from({ length: 8 }, (_, i) => String(20 + i));
    for (const id of ids) publish(message(id, 'o1'));
    expect((await received(stream, ids.length)).map((e) => e.id)).toEqual(ids);
    // one event at a time would cap a feed at one resolution's round trip per event
    expect(resolving.most).toBe(ids.length);
    await stream.return();
  });

  it('resumes after a cursor: the logged events, then live ones, in log order, once each', async () => {
    const log = [message('1', 'o2', '5-0'), message('7', 'o1', '6-0'), message('2', 'o2', '6-1'), message('8', 'o1', '9-0')];
    let publishWhileReading = () => {};
    const { start, publish } = feedEngine(async (after) => {
      // events published while the log is read: one the read also returns, one after it
      publishWhileReading();
      const from = log.findIndex((m) => m.cursor === after);
      return from < 0 ? null : log.slice(from + 1);
    });
    publishWhileReading = () => {
      publish(log[3] as ReturnType<typeof message>);
      publish(message('3', 'o2', '9-1'));
    };
    const stream = (await start('5-0')) as EventStream;
    publishWhileReading = () => {};
    publish(message('9', 'o1', '10-0'));
    expect(await received(stream, 5)).toEqual([
      { id: '7', cursor: '6-0' },
      { id: '2', cursor: '6-1' },
      { id: '8', cursor: '9-0' },
      { id: '3', cursor: '9-1' },
      { id: '9', cursor: '10-0' },
    ]);
    publish(message('9', 'o1', '10-0'));
    publish(message('4', 'o2', '11-0'));
    expect(await received(stream, 1)).toEqual([{ id: '4', cursor: '11-0' }]);
    await stream.return();
  });

  it('refuses a cursor the log no longer holds, and one it never made', async () => {
    const { start } = feedEngine(async () => null);
    const [expired] = (await start('1-0')) as GraphQLError[];
    expect(expired?.extensions.code).toBe('RESUME_WINDOW_EXPIRED');
    expect(expired?.message).toContain('Subscribe again without `after`');
    const [malformed] = (await start('42')) as GraphQLError[];
    expect(malformed?.extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('a client that stops reading', () => {
  const customer = { id: 'c1', role: 'CUSTOMER' } as Viewer;
  const ORDER = '6f1c2a9e-0d4b-4c57-9a51-1f3e8b2d7c40';
  const limits = { maxConnectionsPerClient: 5, maxSubscriptionsPerConnection: 5, maxPendingEvents: 5, maxBufferedBytes: 1024 * 1024 };
  const statusMessage = (eventId: number) => ({
    eventId: String(eventId),
    orderId: ORDER,
    customerId: 'c1',
    previousStatus: 'PLACED' as const,
    status: 'APPROVED' as const,
    at: new Date().toISOString(),
  });

  /** A real TCP connection whose client never reads, its server side already full (the kernel's buffers too). */
  async function stalledSocket() {
    const server = net.createServer();
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    client.pause();
    const socket = await accepted;
    const chunk = Buffer.alloc(64 * 1024, 'x');
    // bounded: loopback buffers hold a few MiB at most
    for (let i = 0; i < 4000 && socket.write(chunk); i++) {}
    expect(socket.writableNeedDrain).toBe(true);
    const close = () => {
      client.destroy();
      socket.destroy();
      server.close();
    };
    return { socket, client, close };
  }

  /** A connection's budget as SubscriptionConnection makes it: over the transport's own send buffer. */
  const budgetOver = (socket: net.Socket): ConnectionBudget & { cut: number } => ({
    pending: 0,
    closed: false,
    cut: 0,
    bufferedBytes: () => socket.writableLength,
    overflow() {
      if (this.closed) return;
      this.cut++;
      this.closed = true;
    },
  });

  it('is cut off once it is more than maxPendingEvents behind, however much the kernel buffered, and what was held is freed', async () => {
    const { socket, close } = await stalledSocket();
    try {
      const budget = budgetOver(socket);
      const stream = new EventStream(budget, limits);
      stream.writeDirectly((payload) => socket.write(payload.json));
      let accepted = 0;
      for (let i = 0; i < 50 && stream.push({ data: { n: i } }); i++) accepted++;
      // one written into the full socket, five held: the sixth held is one too many
      expect(accepted).toBe(limits.maxPendingEvents + 1);
      expect(budget.cut).toBe(1);
      await stream.return();
      expect(budget.pending).toBe(0);
    } finally {
      close();
    }
  });

  it('writes what it held, in order, once the socket drains', async () => {
    const { socket, client, close } = await stalledSocket();
    try {
      const budget = budgetOver(socket);
      const stream = new EventStream(budget, limits);
      socket.on('drain', () => stream.drained());
      stream.writeDirectly((payload) => socket.write(`<${payload.json}>`));
      for (let i = 0; i < 4; i++) expect(stream.push({ data: { n: i } })).toBe(true);
      expect(budget.pending).toBe(3);
      let text = '';
      client.on('data', (data: Buffer) => {
        text += data.toString('latin1').replace(/x/g, '');
      });
      client.resume();
      const last = '<{"data":{"n":3}}>';
      await new Promise<void>((resolve) => {
        const check = () => (text.includes(last) ? resolve() : client.once('data', check));
        check();
      });
      expect(text).toBe('<{"data":{"n":0}}><{"data":{"n":1}}><{"data":{"n":2}}><{"data":{"n":3}}>');
      expect(budget.pending).toBe(0);
      expect(budget.cut).toBe(0);
      await stream.return();
    } finally {
      close();
    }
  });

  /** Order status subscriptions over a fake event source, and connections to them as the transports make them. */
  function orderEngine(purged?: (raw: string) => Promise<void>) {
    const listeners = new Map<string, (raw: string) => void>();
    const events = {
      listen: async (channel: string, onMessage: (raw: string) => void) => {
        listeners.set(channel, onMessage);
        return () => listeners.delete(channel);
      },
      listenPattern: async () => () => {},
      readOrderEvents: async () => [],
    } as unknown as EventSource;
    const registry = new Registry();
    const metrics = createSubscriptionMetrics({ registry });
    const engine = new SubscriptionEngine({
      namespace: 'ns',
      events,
      schema: () => schema,
      federate: () => async () => ({ data: { order: { customer: { id: 'c1' } } } }),
      limits,
      metrics,
      logger: createLogger({ name: 'test', level: 'silent' }),
      purged,
    });
    /** A connection and one subscription on it to the order's status; `cutOff` counts how often the client was cut off. */
    const subscribe = async (bufferedBytes: () => number = () => 0) => {
      const cut = { count: 0 };
      const deps = { engine, limits, metrics, schema: () => schema, checks: null, maxTokens: 10_000 };
      const connection = new SubscriptionConnection(customer, 'r1', deps, bufferedBytes, () => cut.count++);
      const started = await connection.subscribe({
        query: 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { id status } }',
        variables: { id: ORDER },
      });
      if (Array.isArray(started)) throw started[0];
      return { connection, cut, stream: (started as { stream: EventStream }).stream };
    };
    const publish = (eventId: number) => listeners.get(`ns:order-status:${ORDER}`)?.(JSON.stringify(statusMessage(eventId)));
    const drops = async () => (await metrics.drops.get()).values.find((v) => v.labels.reason === 'slow_client')?.value ?? 0;
    return { subscribe, publish, drops };
  }

  it('is cut off, and the other subscribers of the order get every event, in order', async () => {
    const { socket, close } = await stalledSocket();
    try {
      const { subscribe, publish, drops } = orderEngine();
      const slow = await subscribe(() => socket.writableLength);
      slow.stream.writeDirectly((payload) => socket.write(payload.json));
      const fast = await subscribe();
      const ids = Array.from({ length: 30 }, (_, i) => 100 + i);
      const got: string[] = [];
      for (const id of ids) {
        publish(id);
        // the fast client reads each event as it comes
        const { value } = await fast.stream.next();
        got.push((value as { data: { orderStatusChanged: { id: string } } }).data.orderStatusChanged.id);
      }
      expect(got).toEqual(ids.map(String));
      expect(slow.cut.count).toBe(1);
      expect(await drops()).toBe(1);
      expect(slow.stream.done).toBe(true);
      expect(slow.connection.budget.pending).toBe(0);
      expect(fast.cut.count).toBe(0);
      await fast.stream.return();
    } finally {
      close();
    }
  });

  it('is cut off when its events wait behind an earlier one of the order, instead of being held without bound', async () => {
    const purging: (() => void)[] = [];
    const { subscribe, publish, drops } = orderEngine(async (raw) => {
      if (JSON.parse(raw).eventId === '200') await new Promise<void>((done) => purging.push(done));
    });
    const client = await subscribe();
    // event 200 is held back (its purge has not finished); every later one waits behind it
    for (let id = 200; id < 260; id++) publish(id);
    await new Promise((resolve) => setImmediate(resolve));
    expect(client.cut.count).toBe(1);
    expect(await drops()).toBe(1);
    expect(client.stream.done).toBe(true);
    expect(client.connection.budget.pending).toBe(0);
    for (const done of purging) done();
  });
});
