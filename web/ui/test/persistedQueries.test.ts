// The persisted-query manifest must hold exactly what Apollo Client sends (with the `__typename`
// fields its cache adds): the gateway answers an id with the manifest's body, and an answer without
// `__typename` cannot be normalized, so a list would keep showing a status an event already changed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApolloClient } from '../src/apollo/createApolloClient.ts';
import * as documents from '../src/generated/operations.ts';
import ids from '../src/generated/persisted-query-ids.json' with { type: 'json' };

const manifest = JSON.parse(readFileSync(new URL('../../../schema/persisted-query-manifest.json', import.meta.url), 'utf8')) as {
  operations: { id: string; name: string; type: string; body: string }[];
};
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Sent {
  query?: string;
  operationName: string;
  extensions?: { persistedQuery?: { sha256Hash: string } };
}

/** A client whose gateway answers every hash-only request "not found", so the client then sends the text too. */
function capturingClient() {
  const sent: Sent[] = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    const body = JSON.parse(String(init?.body)) as Sent;
    sent.push(body);
    const answer = body.query
      ? { data: null, errors: [{ message: 'captured', extensions: { code: 'CAPTURED' } }] }
      : { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] };
    return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/graphql-response+json' } });
  };
  // the socket is lazy: no subscription here opens it
  const { client } = createApolloClient({
    httpUrl: 'http://gateway.test/graphql',
    wsUrl: 'ws://gateway.test/graphql',
    getToken: () => null,
    onUnauthenticated() {},
    persistedQueryIds: ids,
    fetch,
    webSocketImpl: WebSocket,
  });
  return { client, sent };
}

const operations = Object.entries(documents)
  .filter(([name]) => name.endsWith('Document'))
  .map(([, document]) => document as import('graphql').DocumentNode)
  .map((document) => ({ document, definition: document.definitions[0] as OperationDefinitionNode }))
  .filter(({ definition }) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation !== 'subscription');

describe('the persisted-query manifest', () => {
  it('lists every operation of web/operations, subscriptions too', () => {
    const names = Object.keys(documents)
      .filter((name) => name.endsWith('Document') && !name.endsWith('FragmentDoc'))
      .map((name) => name.replace(/Document$/, ''));
    expect(manifest.operations.map((o) => o.name).sort()).toEqual(names.sort());
    expect(manifest.operations.some((o) => o.type === 'subscription' && o.name === 'OrderStatusChanged')).toBe(true);
  });

  it.each(operations.map((o) => [o.definition.name?.value, o] as const))(
    'holds exactly the body and id Apollo Client sends for %s',
    async (name, { document, definition }) => {
      const { client, sent } = capturingClient();
      const run = definition.operation === 'mutation' ? client.mutate({ mutation: document, variables: {} }) : client.query({ query: document, variables: {} });
      await run.catch(() => {});
      const [hashOnly, withText] = sent;
      const entry = manifest.operations.find((o) => o.name === name);
      expect(entry, `${name} is in the manifest`).toBeDefined();
      expect(hashOnly?.query).toBeUndefined();
      expect(hashOnly?.extensions?.persistedQuery?.sha256Hash).toBe(entry?.id);
      // the text the client falls back to is the manifest's body, byte for byte, and hashes to the id
      expect(withText?.query).toBe(entry?.body);
      expect(sha256(withText?.query ?? '')).toBe(entry?.id);
      // objects in the answer carry __typename (an operation answering only a scalar has none to carry)
      if ((entry?.body.match(/\{/g) ?? []).length > 1) expect(entry?.body).toContain('__typename');
    },
  );
});
