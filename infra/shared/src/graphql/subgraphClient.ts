import { traceHeaders } from '../tracing/tracing.ts';
import { INTERNAL_HEADER, signInternalToken, type Viewer } from './auth.ts';
import { userError } from './errors.ts';

export interface SubgraphClientOptions {
  url: string;
  internalSecret: string;
}

/**
 * Calls another subgraph the way the gateway does (signed internal header), for the rare
 * write path that must read an entity synchronously, e.g. shop pricing an order from mes quotes.
 */
export function createSubgraphClient({ url, internalSecret }: SubgraphClientOptions) {
  return async function query<T>(document: string, variables: Record<string, unknown>, viewer: Viewer | null, requestId?: string): Promise<T> {
    const token = await signInternalToken({ viewer, requestId }, internalSecret);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_HEADER]: token, ...traceHeaders() },
        body: JSON.stringify({ query: document, variables }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw userError('SERVICE_UNAVAILABLE', `A subgraph at ${url} did not answer: ${(error as Error).message}`);
    }
    const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    // entities the caller may not see come back as null beside an error; the caller decides what that means
    if (!body.data) throw new Error(`subgraph ${url} answered ${response.status} without data: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
}
