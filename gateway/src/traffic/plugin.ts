import { type ApolloServerPlugin, type GraphQLRequestContext, HeaderMap } from '@apollo/server';
import type { Viewer } from '@fabline/shared/auth';
import type { ErrorCode } from '@fabline/shared/errors';
import { type DocumentNode, execute, type GraphQLError, type GraphQLSchema } from 'graphql';
import { type CostCheck, rateLimitHeaders } from './admission.ts';
import { actualQueryCost } from './computeQueryCost.ts';
import type { TrafficEnv } from './config.ts';
import { isIntrospectionOnly } from './contract.ts';
import type { CostDirectives } from './costDirectives.ts';
import type { TrafficMetrics } from './metrics.ts';
import { type OperationChecks, refuse, TOKEN_LIMIT } from './operationChecks.ts';
import type { RateLimitDecision } from './rateLimit.ts';

/** What traffic control needs from the gateway's per-request context. */
export interface TrafficContext {
  viewer: (Viewer & { plan?: string }) | null;
  ip?: string;
  /** An operation the gateway runs itself (see GatewayContext.internal): not limited again. */
  internal?: boolean;
  /** Set by the cost check: the estimate the request was admitted with. */
  cost?: CostCheck;
  /** The rate-limit decision when the request was charged before Apollo ran it (the cache's fast path). */
  admission?: RateLimitDecision | null;
}

export interface TrafficPluginOptions {
  env: TrafficEnv;
  directives: CostDirectives;
  metrics: TrafficMetrics;
  /** Operation bodies by id (the persisted-query manifest). */
  manifest: Map<string, string>;
  /** Anonymous and first-party clients may send only manifest operations. */
  manifestOnly: boolean;
  contract: GraphQLSchema | null;
  /** The checks shared with subscriptions (validation as the caller sees it, contract, limits, cost, rate limit). */
  checks: OperationChecks;
}

/** The request header asking for `extensions.cost` in the answer. */
export const COST_HEADER = 'x-fabline-cost';

/**
 * Every check that runs before a subgraph is called, in order of cost to the gateway: validation
 * errors as the caller may see them, the manifest, then the checks shared with subscriptions
 * (introspection policy, the partner contract, operation limits, the cost budget, the rate limit).
 * After execution, the actual cost of the response.
 */
export function createTrafficPlugin(options: TrafficPluginOptions): ApolloServerPlugin<TrafficContext> {
  const { env, directives, metrics, manifest, contract, checks } = options;
  const actualCosts = new WeakMap<object, number>();
  const setRateLimitHeaders = (headers: HeaderMap, decision: RateLimitDecision) => {
    for (const [name, value] of rateLimitHeaders(decision)) headers.set(name, value);
  };
  const applyDecision = (headers: HeaderMap, decision: RateLimitDecision) => {
    setRateLimitHeaders(headers, decision);
    const refusal = checks.refusal(decision);
    if (refusal) throw refusal;
  };
  /** An answer shared by inbound dedupe is one data object: its actual cost is walked once, not once per request. */
  const actualCostOf = (rc: GraphQLRequestContext<TrafficContext>, data: Record<string, unknown>) => {
    let actual = actualCosts.get(data);
    if (actual === undefined) {
      actual = actualQueryCost(rc.schema, directives, rc.document as DocumentNode, data, { operationName: rc.operationName, variables: rc.request.variables });
      actualCosts.set(data, actual);
    }
    return actual;
  };
  return {
    async requestDidStart({ request }) {
      // a manifest id resolves to its body before Apollo's APQ lookup, so listed operations never miss
      const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      if (typeof hash === 'string' && request.query === undefined) request.query = manifest.get(hash);
      let cost: CostCheck | undefined;
      let charged = false;
      return {
        // Apollo validates against the whole API schema; what a caller is told comes from what it may see
        async validationDidStart(rc) {
          if (rc.contextValue.internal) return;
          return async (errors) => {
            if (!errors?.length || !rc.document) return;
            const visible = checks.visibleValidationErrors(rc.contextValue.viewer, rc.queryHash ?? '', rc.document, errors as readonly GraphQLError[]);
            (errors as GraphQLError[]).splice(0, errors.length, ...visible);
          };
        },

        async didResolveOperation(rc: GraphQLRequestContext<TrafficContext>) {
          const { contextValue, document, operation } = rc;
          if (!document || !operation || contextValue.internal) return;
          const viewer = contextValue.viewer;
          const role = viewer?.role ?? 'ANONYMOUS';
          const partner = role === 'PARTNER';

          if (options.manifestOnly && !partner && !(rc.queryHash && manifest.has(rc.queryHash))) {
            throw refuse(
              metrics,
              'PERSISTED_QUERY_NOT_IN_LIST',
              'Only the operations of the persisted-query manifest are accepted from this client; send one by its id (extensions.persistedQuery.sha256Hash), or use a partner API key',
            );
          }
          const admitted = checks.check(
            { viewer, schema: rc.schema, document, operation, queryHash: rc.queryHash ?? '', operationName: rc.operationName, variables: rc.request.variables },
            (estimate) => {
              // an over-budget answer still reports its estimate (x-fabline-cost)
              cost = estimate;
              contextValue.cost = estimate;
            },
          );
          charged = true;
          // the response cache's fast path may have charged this request already (and found no entry)
          const caller = { viewer, ip: contextValue.ip };
          const decision = contextValue.admission !== undefined ? contextValue.admission : await checks.admit(caller, admitted);
          if (decision) applyDecision(rc.response.http.headers, decision);
        },

        // partners introspect the contract, not the supergraph's API schema
        async responseForOperation(rc) {
          if (!contract || rc.contextValue.viewer?.role !== 'PARTNER' || !rc.document || !rc.operation || !isIntrospectionOnly(rc.operation)) return null;
          const result = await execute({ schema: contract, document: rc.document, operationName: rc.operationName, variableValues: rc.request.variables });
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { data: result.data, errors: result.errors } },
          };
        },

        // a request that fails to parse or validate still costs the gateway: it draws one request from the budget
        async didEncounterErrors(rc) {
          for (const error of rc.errors) {
            const tokens = TOKEN_LIMIT.exec(error.message)?.[1];
            if (tokens) {
              (error.extensions as Record<string, unknown>).code = 'MAX_TOKENS_LIMIT' satisfies ErrorCode;
              error.message = `The operation has more than ${tokens} tokens; at most ${tokens} are allowed`;
              metrics.refusals.inc({ code: 'MAX_TOKENS_LIMIT' });
            }
          }
          if (charged || rc.contextValue.internal) return;
          charged = true;
          const caller = { viewer: rc.contextValue.viewer, ip: rc.contextValue.ip };
          const decision = await checks.admit(caller, null);
          if (decision) setRateLimitHeaders(rc.response.http.headers, decision);
        },

        async willSendResponse(rc) {
          if (!cost || rc.response.body.kind !== 'single' || !rc.document) return;
          const single = rc.response.body.singleResult;
          const actual = single.data ? actualCostOf(rc, single.data) : 0;
          if (single.data !== undefined) metrics.costActual.observe(actual);
          if (rc.request.http?.headers.get(COST_HEADER) === 'true') {
            single.extensions = {
              ...single.extensions,
              cost: { estimated: cost.estimated, actual, limit: cost.limit, result: cost.result, mode: env.COST_MODE },
            };
          }
        },
      };
    },
  };
}
