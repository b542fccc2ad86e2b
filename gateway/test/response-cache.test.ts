import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cacheKeys, schemaVersion, stableStringify } from '../src/cache/cacheKey.ts';
import { decodeEntry, encodeEntry, withTimeout } from '../src/cache/cacheStore.ts';
import { CircuitBreaker } from '../src/cache/circuitBreaker.ts';
import { collectEntityTags, entityKeysFromSupergraph, UNTRACEABLE } from '../src/cache/entityTags.ts';
import { PurgedMessages, tagsChangedByMutation } from '../src/cache/invalidation.ts';
import { countingReads, fragmentBomb } from './fragmentBomb.ts';

const parts = { schemaHash: 's1', queryHash: 'q1', operationName: 'Op', variables: { a: 1, b: { c: 2, d: [1, 2] } } };

describe('cache keys', () => {
  it('ignore the order of variables but not their values', () => {
    expect(stableStringify({ b: 1, a: { y: 2, x: 1 } })).toBe(stableStringify({ a: { x: 1, y: 2 }, b: 1 }));
    expect(cacheKeys(parts).public).toBe(cacheKeys({ ...parts, variables: { b: { d: [1, 2], c: 2 }, a: 1 } }).public);
    expect(cacheKeys(parts).public).not.toBe(cacheKeys({ ...parts, variables: { a: 2, b: { c: 2, d: [1, 2] } } }).public);
    expect(cacheKeys(parts).public).not.toBe(cacheKeys({ ...parts, variables: { a: 1, b: { c: 2, d: [2, 1] } } }).public);
  });

  it('differ by operation, operation name and schema version', () => {
    const base = cacheKeys(parts).public;
    expect(cacheKeys({ ...parts, queryHash: 'q2' }).public).not.toBe(base);
    expect(cacheKeys({ ...parts, operationName: 'Other' }).public).not.toBe(base);
    expect(cacheKeys({ ...parts, schemaHash: schemaVersion('type Query { a: Int }') }).public).not.toBe(base);
    expect(schemaVersion('type Query { a: Int }')).not.toBe(schemaVersion('type Query { a: String }'));
  });

  it('give each viewer a private key of their own and anonymous callers none', () => {
    const alice = cacheKeys(parts, 'alice');
    const bob = cacheKeys(parts, 'bob');
    expect(alice.private).not.toBeNull();
    expect(alice.private).not.toBe(bob.private);
    expect(alice.public).toBe(bob.public);
    expect(cacheKeys(parts).private).toBeNull();
  });
});

describe('stored entries', () => {
  it('round-trip, including JSON with newlines', () => {
    const entry = { storedAt: 1700000000000, maxAge: 300, scope: 'PUBLIC' as const, epoch: 42, json: '{"data":{"a":"x\\ny\n"}}' };
    expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
  });
});

const supergraph = `
type Order @join__type(graph: SHOP, key: "id") @join__type(graph: CRM, key: "id") { id: ID! }
type Material @join__type(graph: MES, key: "code") { code: String! }
type Money @join__type(graph: MES) { amount: String! }
`;
const schema = buildSchema(`
  interface Node { id: ID! }
  type Money { amount: String! }
  type Material { code: String! name: String! price: Money! }
  type Item { material: Material! }
  type Order implements Node { id: ID! status: String! items: [Item!]! }
  union Thing = Order | Material
  type Query { order(id: ID!): Order orders: [Order!]! materials: [Material!]! node(id: ID!): Node things: [Thing!]! }
`);
const keys = entityKeysFromSupergraph(supergraph);
const tags = (query: string, data: unknown) => [...collectEntityTags({ schema, document: parse(query), data, keys })].sort();

describe('entity tags', () => {
  it('read entity keys from the supergraph join directives', () => {
    expect(keys.get('Order')).toEqual([['id']]);
    expect(keys.get('Material')).toEqual([['code']]);
    expect(keys.has('Money')).toBe(false);
  });

  it('walk fragments that spread each other twice once per object, not 2^n times', () => {
    const { document, reads } = countingReads(fragmentBomb(30, 'Material', 'code', '{ materials { ...F0 } }'));
    const found = collectEntityTags({ schema, document, data: { materials: [{ code: 'PLA' }, { code: 'ABS' }] }, keys });
    expect([...found].sort()).toEqual(['Material', 'Material:ABS', 'Material:PLA']);
    expect(reads()).toBeLessThanOrEqual(2 * 31);
  });

  it('name every entity in the response, through aliases, lists and fragments, without __typename', () => {
    const query = `{ o: order(id: "1") { ...F items { material { c: code name } } } materials { code } }
      fragment F on Order { key: id status }`;
    const data = {
      o: { key: '1', status: 'PLACED', items: [{ material: { c: 'PLA', name: 'PLA' } }, { material: { c: 'ABS', name: 'ABS' } }] },
      materials: [{ code: 'PETG' }],
    };
    expect(tags(query, data)).toEqual(['Material', 'Material:ABS', 'Material:PETG', 'Material:PLA', 'Order', 'Order:1']);
  });

  it('mark an entity whose key was not selected as unknown, and skip nulls', () => {
    expect(tags('{ order(id: "1") { status } }', { order: { status: 'PLACED' } })).toEqual(['Order', 'Order:?']);
    expect(tags('{ order(id: "1") { id } }', { order: null })).toEqual([]);
  });

  it('use __typename on abstract types and refuse to guess without it', () => {
    const query = '{ things { __typename ... on Order { id } ... on Material { code } } }';
    expect(
      tags(query, {
        things: [
          { __typename: 'Order', id: '7' },
          { __typename: 'Material', code: 'PA12' },
        ],
      }),
    ).toEqual(['Material', 'Material:PA12', 'Order', 'Order:7']);
    expect(tags('{ node(id: "7") { id } }', { node: { id: '7' } })).toEqual([UNTRACEABLE]);
  });
});

describe('what a mutation invalidates', () => {
  it('each entity it returns, any entity of a type returned without its key, and the caller’s private entries', () => {
    expect(tagsChangedByMutation(new Set(['Order', 'Order:1', 'Material:?']), 'u1').sort()).toEqual(['Material', 'Order:1', 'Order:?', 'viewer:u1']);
    expect(tagsChangedByMutation(new Set(), null)).toEqual([]);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, lets one probe through after the pause, and closes on success', () => {
    let now = 0;
    const changes: boolean[] = [];
    const breaker = new CircuitBreaker({ threshold: 3, openMs: 1000, now: () => now, onChange: (open) => changes.push(open) });
    breaker.failure();
    breaker.failure();
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.open).toBe(true);
    expect(breaker.allow()).toBe(false);
    now = 1500;
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
    breaker.failure();
    expect(breaker.allow()).toBe(false);
    now = 3000;
    expect(breaker.allow()).toBe(true);
    breaker.success();
    expect(breaker.allow()).toBe(true);
    expect(changes).toEqual([true, false]);
  });
});

describe('command timeout', () => {
  it('rejects a slow command and lets a reply that arrived in time win even when the event loop was busy', async () => {
    // a reply that never comes (a timer of a few hundred ms could come due together with the timeout on a stalled machine)
    await expect(withTimeout(new Promise(() => {}), 20)).rejects.toThrow(/longer than 20 ms/);
    const reply = new Promise((resolve) => setTimeout(() => resolve('ok'), 5));
    const result = withTimeout(reply, 10);
    const until = Date.now() + 30;
    while (Date.now() < until) {
      // a blocked event loop: both the reply and the timer are due when it frees up
    }
    await expect(result).resolves.toBe('ok');
  });
});

describe('purged messages', () => {
  it('settle when the purge ends, whether it ended before or after the question, and never later than the bound', async () => {
    const purged = new PurgedMessages(100);
    purged.finished('a');
    await purged.settled('a');
    let b = false;
    const waiting = purged.settled('b').then(() => {
      b = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(b).toBe(false);
    purged.finished('b');
    await waiting;
    expect(b).toBe(true);
    // a message the cache never hears (its connection is down): the event goes out after the bound
    const started = Date.now();
    await purged.settled('never');
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });
});
