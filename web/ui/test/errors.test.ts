// The one place that turns a gateway's answer into a sentence: every code the issue names, the wait
// of a RATE_LIMITED answer read from its Retry-After header, and a lost network.
import { gql } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApolloClient } from '../src/apollo/createApolloClient.ts';
import { describeError } from '../src/apollo/errors.ts';
import { createI18n } from '../src/i18n/i18n.tsx';
import { en as sharedEn } from '../src/i18n/messages.ts';

const en = createI18n('en', sharedEn);
const sentence = (error: unknown) => {
  const { key, values } = describeError(error);
  return en.t(key, values);
};
const graphqlError = (code: string, message = 'm') => new CombinedGraphQLErrors({ errors: [{ message, extensions: { code } }] });

/** A client whose gateway answers every request with the given status, headers and body. */
async function answerOf(status: number, headers: Record<string, string>, body: unknown) {
  const fetch: typeof globalThis.fetch = async () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/graphql-response+json', ...headers } });
  const { client } = createApolloClient({
    httpUrl: 'http://gateway.test/graphql',
    wsUrl: 'ws://gateway.test/graphql',
    getToken: () => null,
    onUnauthenticated() {},
    persistedQueryIds: {},
    fetch,
    webSocketImpl: WebSocket,
  });
  return client.query({ query: gql`query Probe { viewer { id } }` }).then(
    () => null,
    (error: unknown) => error,
  );
}

describe('error sentences', () => {
  it('has a sentence for every gateway code', () => {
    expect(sentence(graphqlError('UNAUTHENTICATED'))).toBe('Your session has ended. Please log in again.');
    expect(sentence(graphqlError('FORBIDDEN'))).toBe('You are not allowed to do this.');
    expect(sentence(graphqlError('PAYLOAD_TOO_LARGE'))).toBe('The file is too large.');
    expect(sentence(graphqlError('COST_ESTIMATED_TOO_EXPENSIVE'))).toBe('This request asks for too much at once. Ask for fewer items.');
    expect(sentence(graphqlError('COST_LIMIT_EXCEEDED'))).toMatch(/request budget/);
    // a client's mistake: the gateway's message says what was wrong and what is allowed
    expect(sentence(graphqlError('BAD_USER_INPUT', 'photo.stl is not an STL, OBJ or 3MF model'))).toBe('photo.stl is not an STL, OBJ or 3MF model');
    expect(sentence(graphqlError('SOMETHING_NEW'))).toBe('Something went wrong on our side. Please try again.');
  });

  it('says how long to wait when the gateway limits the rate, from its Retry-After header', async () => {
    const error = await answerOf(429, { 'retry-after': '17' }, { errors: [{ message: 'Rate limit reached', extensions: { code: 'RATE_LIMITED' } }] });
    expect(sentence(error)).toBe('Too many requests. Please wait 17 s and try again.');
  });

  it('reads a refusal whose body is not a GraphQL answer by its status', async () => {
    const error = await answerOf(413, { 'content-type': 'application/json' }, { message: 'too big' });
    expect(ServerError.is(error)).toBe(true);
    expect(sentence(error)).toBe('The file is too large.');
  });

  it('says the network is lost when the gateway cannot be reached', () => {
    expect(sentence(new TypeError('Failed to fetch'))).toBe('Fabline cannot be reached. Check your connection; we will keep trying.');
  });
});
