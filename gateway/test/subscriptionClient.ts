import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Received<T> {
  events: T[];
  errors: unknown[];
  done: boolean;
  /** Resolves once `count` events arrived (or throws after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

/** A graphql-ws client as a browser app would open it, authenticated in connection_init (a user token, or `{ apiKey }`). */
export function wsClient(httpUrl: string, credentials: string | { apiKey: string }): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: typeof credentials === 'string' ? { authorization: `Bearer ${credentials}` } : credentials,
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and collects `data[field]` of every `next`. */
export function collect<T = any>(client: Client, query: string, variables: Record<string, unknown>, field: string): Received<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  const state = { done: false };
  const stop = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data) events.push(result.data[field] as T);
      },
      error: (error) => {
        errors.push(error);
        state.done = true;
      },
      complete: () => {
        state.done = true;
      },
    },
  );
  return {
    events,
    errors,
    get done() {
      return state.done;
    },
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`got ${events.length} of ${count} events; errors: ${JSON.stringify(errors)}`);
        if (state.done && events.length < count) throw new Error(`subscription ended after ${events.length} events: ${JSON.stringify(errors)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return events.slice(0, count);
    },
    stop,
  };
}
