import type { Viewer } from '@fabline/shared/auth';
import { createLogger } from '@fabline/shared/logger';
import { buildSchema, GraphQLError, parse } from 'graphql';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SubscriptionEngine } from '../src/subscriptions/engine.ts';
import type { EventSource } from '../src/subscriptions/eventSource.ts';
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
const event = { id: '7', orderId: 'o1', previousStatus: null, status: 'APPROVED', at: '2026-01-01T00:00:00.000Z' };

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
  it('show managers new orders and operators the production queue', () => {
    expect(inFeed('AWAITING_REVIEW', { status: 'PLACED', previousStatus: null })).toBe(true);
    expect(inFeed('AWAITING_REVIEW', { status: 'APPROVED', previousStatus: 'PLACED' })).toBe(false);
    expect(inFeed('PRODUCTION', { status: 'IN_PRODUCTION', previousStatus: 'APPROVED' })).toBe(true);
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
  it('delivers every order event even when a later event of another order is resolved first', async () => {
    const feedSchema = buildSchema(`
      type Query { order(id: ID!): Order }
      type Order { id: ID! status: String! }
      enum OrderEventKind { ALL }
      type OrderStatusEvent { id: ID! status: String! order: Order! }
      type Subscription { orderEvents(kind: OrderEventKind!): OrderStatusEvent! }
    `);
    let listener: ((raw: string) => void) | undefined;
    const events = {
      listen: async () => () => {},
      listenPattern: async (_pattern: string, onMessage: (raw: string) => void) => {
        listener = onMessage;
        return () => {};
      },
    } as unknown as EventSource;
    // order o1 takes longer to resolve than o2, whose event has the higher id
    const federate = () => async (_query: string, variables: Record<string, unknown>) => {
      const id = String(variables._fablineSubject);
      await new Promise((resolve) => setTimeout(resolve, id === 'o1' ? 30 : 1));
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
    });
    const manager = { id: 'm1', role: 'MANAGER' } as Viewer;
    const feedPlan = planSubscription(feedSchema, parse('subscription { orderEvents(kind: ALL) { id order { id } } }'), {}, null) as SubscriptionPlan;
    const budget: ConnectionBudget = { pending: 0, closed: false, bufferedBytes: () => 0, overflow() {} };
    const stream = (await engine.start(feedPlan, manager, budget, 'r1')) as EventStream;
    const message = (eventId: string, orderId: string) =>
      JSON.stringify({ eventId, orderId, customerId: 'c1', previousStatus: 'PLACED', status: 'APPROVED', at: new Date().toISOString() });
    listener?.(message('10', 'o1'));
    listener?.(message('11', 'o2'));
    const first = await stream.next();
    const second = await stream.next();
    const ids = [first.value, second.value].map((r) => (r as { data: { orderEvents: { id: string } } }).data.orderEvents.id);
    expect(ids.sort()).toEqual(['10', '11']);
    await stream.return();
  });
});
