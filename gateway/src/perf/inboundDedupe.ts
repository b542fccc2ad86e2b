import { type ApolloServerPlugin, type GraphQLRequestContext, HeaderMap } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { viewerKey } from './token.ts';

type Context = { viewer: { id: string; role: string } | null };

/**
 * Opt-in (GATEWAY_INBOUND_DEDUPE): a query that arrives while an identical one (same document,
 * operation, variables and viewer) is being executed waits for that one's result instead of
 * running again. Nothing outlives the request: it shares an answer, it caches none. It is what
 * Hive Gateway's `inboundInflightRequestDeduplication` does, which the public benchmark enables.
 */
export function inboundDedupePlugin<C extends Context>(): ApolloServerPlugin<C> {
  const inFlight = new Map<string, Promise<FormattedExecutionResult | undefined>>();
  return {
    async requestDidStart() {
      let key: string | undefined;
      let share: ((result: FormattedExecutionResult | undefined) => void) | undefined;
      return {
        async responseForOperation(context: GraphQLRequestContext<C>) {
          if (context.operation?.operation !== 'query') return null;
          const candidate = `${viewerKey(context.contextValue.viewer)}\n${context.operationName ?? ''}\n${context.queryHash}\n${JSON.stringify(context.request.variables ?? {})}`;
          const pending = inFlight.get(candidate);
          if (pending) {
            const singleResult = await pending;
            return singleResult ? { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult } } : null;
          }
          key = candidate;
          inFlight.set(key, new Promise((resolve) => (share = resolve)));
          return null;
        },
        async willSendResponse({ response }) {
          if (!key) return;
          inFlight.delete(key);
          share?.(response.body.kind === 'single' ? response.body.singleResult : undefined);
        },
      };
    },
  };
}

const serialized = new WeakMap<object, string>();

/**
 * Apollo Server's `stringifyResult`: the answers shared by inboundDedupePlugin are the same
 * object, so the ~80 kB JSON of a shared answer is produced once, not once per waiting request.
 */
export function stringifyResult(value: FormattedExecutionResult): string {
  if (value.errors || value.extensions || !value.data) return JSON.stringify(value);
  let text = serialized.get(value.data);
  if (text === undefined) {
    text = JSON.stringify(value);
    serialized.set(value.data, text);
  }
  return text;
}
