import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * A subgraph's field limit (`RATE_LIMITED` with `extensions.retryAfter`, see
 * @fabline/shared/fieldRateLimit) refuses inside a resolver, so its refusal reaches the gateway
 * as a field error in a 200. The client is told as the gateway's own limits tell it: HTTP 429
 * and `Retry-After`, the longest wait any refused field asked for. The body is unchanged.
 */
export function fieldLimitStatusPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          let wait = 0;
          for (const error of response.body.singleResult.errors ?? []) {
            const retryAfter = error.extensions?.retryAfter;
            if (error.extensions?.code === 'RATE_LIMITED' && typeof retryAfter === 'number' && retryAfter > wait) wait = retryAfter;
          }
          if (wait === 0) return;
          response.http.status = 429;
          response.http.headers.set('retry-after', String(Math.ceil(wait)));
        },
      };
    },
  };
}
