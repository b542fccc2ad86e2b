import { createHash } from 'node:crypto';
import { type ApolloServerPlugin, type GraphQLRequestContext, HeaderMap } from '@apollo/server';
import type { Viewer } from '@fabline/shared/auth';
import { type ErrorCode, requestError } from '@fabline/shared/errors';
import { execute, GraphQLError, type GraphQLSchema } from 'graphql';
import { actualQueryCost, estimateQueryCost } from './computeQueryCost.ts';
import { budgetFor, type TrafficEnv } from './config.ts';
import { createContractValidator, isIntrospectionOnly, usesIntrospection } from './contract.ts';
import type { CostDirectives } from './costDirectives.ts';
import type { TrafficMetrics } from './metrics.ts';
import { checkOperationLimits, measureOperation } from './operationLimits.ts';
import type { RateLimiter } from './rateLimit.ts';

/** What traffic control needs from the gateway's per-request context. */
export interface TrafficContext {
  viewer: (Viewer & { plan?: string }) | null;
  ip?: string;
  /** An operation the gateway runs itself (see GatewayContext.internal): not limited again. */
  internal?: boolean;
}

export interface TrafficPluginOptions {
  env: TrafficEnv;
  directives: CostDirectives;
  metrics: TrafficMetrics;
  /** Operation bodies by id (the persisted-query manifest). */
  manifest: Map<string, string>;
  /** Anonymous and first-party clients may send only manifest operations. */
  manifestOnly: boolean;
  /** Anonymous clients may introspect. */
  anonymousIntrospection: boolean;
  contract: GraphQLSchema | null;
  rateLimiter: RateLimiter | null;
}

/** The request header asking for `extensions.cost` in the answer. */
export const COST_HEADER = 'x-fabline-cost';

/** A refusal before execution, counted; `headers` go on the HTTP answer (Retry-After). */
function refuse(metrics: TrafficMetrics, code: ErrorCode | 'GRAPHQL_VALIDATION_FAILED', message: string, headers?: Record<string, string>): GraphQLError {
  metrics.refusals.inc({ code });
  if (code === 'GRAPHQL_VALIDATION_FAILED') return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
  const error = requestError(code, message);
  if (headers) (error.extensions.http as { headers?: HeaderMap }).headers = new HeaderMap(Object.entries(headers));
  return error;
}

/** Partner API key, else user id, else IP: whose budget a request draws from. */
function clientOf(context: TrafficContext, apiKey: string | undefined) {
  if (apiKey) return `key:${createHash('sha256').update(apiKey).digest('hex').slice(0, 32)}`;
  if (context.viewer) return `user:${context.viewer.id}`;
  return `ip:${context.ip ?? 'unknown'}`;
}

/**
 * Every check that runs before a subgraph is called, in order of cost to the gateway: manifest,
 * introspection policy, the partner contract, operation limits, the cost budget, the rate limit.
 * After execution, the actual cost of the response.
 */
export function createTrafficPlugin(options: TrafficPluginOptions): ApolloServerPlugin<TrafficContext> {
  const { env, directives, metrics, manifest, contract, rateLimiter } = options;
  const validateContract = contract ? createContractValidator(contract) : null;
  // estimates depend only on the document and variables: partners and apps repeat both
  const estimates = new Map<string, number>();
  const limits = {
    maxDepth: env.MAX_DEPTH,
    maxAliases: env.MAX_ALIASES,
    maxRootFields: env.MAX_ROOT_FIELDS,
    maxDirectivesPerField: env.MAX_DIRECTIVES_PER_FIELD,
  };

  return {
    async requestDidStart({ request }) {
      // a manifest id resolves to its body before Apollo's APQ lookup, so listed operations never miss
      const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      if (typeof hash === 'string' && request.query === undefined) request.query = manifest.get(hash);
      let cost: { estimated: number; limit: number; result: string } | undefined;

      return {
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
          const introspection = usesIntrospection(document);
          if (introspection && !viewer && !options.anonymousIntrospection) {
            throw refuse(metrics, 'INTROSPECTION_DISABLED', 'Introspection is off for anonymous clients; send a session token or a partner API key');
          }
          if (partner && validateContract) {
            const invalid = validateContract(rc.queryHash ?? '', document);
            if (invalid) throw refuse(metrics, 'GRAPHQL_VALIDATION_FAILED', `${invalid} (partners use the public contract)`);
            if (introspection && !isIntrospectionOnly(operation)) {
              throw refuse(metrics, 'BAD_USER_INPUT', 'Send introspection (__schema, __type) in an operation of its own');
            }
          }
          const over = checkOperationLimits(measureOperation(document, operation), limits);
          if (over) throw refuse(metrics, over.code, over.message);

          const estimateKey = `${rc.queryHash}:${rc.operationName ?? ''}:${JSON.stringify(rc.request.variables ?? {})}`;
          let estimated = estimates.get(estimateKey);
          if (estimated === undefined) {
            estimated = estimateQueryCost(rc.schema, directives, document, {
              operationName: rc.operationName,
              variables: rc.request.variables,
              defaultListSize: env.COST_DEFAULT_LIST_SIZE,
            });
            if (estimates.size >= 5000) estimates.clear();
            estimates.set(estimateKey, estimated);
          }
          const limit = budgetFor(env.COST_BUDGETS, role, viewer?.plan);
          const result = estimated > limit ? ('COST_ESTIMATED_TOO_EXPENSIVE' as const) : ('COST_OK' as const);
          cost = { estimated, limit, result };
          metrics.costEstimated.observe({ result, mode: env.COST_MODE }, estimated);
          if (result !== 'COST_OK' && env.COST_MODE === 'enforce') {
            throw refuse(
              metrics,
              result,
              `The operation's estimated cost is ${estimated}, over the limit of ${limit} for ${viewer?.plan ? `plan ${viewer.plan}` : role.toLowerCase()} clients; ask for smaller lists (first/limit arguments) or split the operation`,
            );
          }

          if (!rateLimiter) return;
          const apiKey = rc.request.http?.headers.get('x-api-key');
          const budget = {
            requests: budgetFor(env.RATE_LIMIT_REQUESTS, role, viewer?.plan),
            costPoints: budgetFor(env.RATE_LIMIT_COST_POINTS, role, viewer?.plan),
          };
          const decision = await rateLimiter(clientOf(contextValue, apiKey), budget, estimated);
          if (!decision) return;
          const headers = rc.response.http.headers;
          headers.set('ratelimit-limit', String(decision.limit));
          headers.set('ratelimit-remaining', String(decision.remaining));
          headers.set('ratelimit-reset', String(decision.resetSeconds));
          if (!decision.allowed) {
            const what = decision.exhausted
              ? `${decision.exhausted} (${budget.requests} requests and ${budget.costPoints} cost points per ${env.RATE_LIMIT_WINDOW_SECONDS} s)`
              : 'budget: rate limits cannot be checked right now';
            throw refuse(metrics, 'RATE_LIMITED', `Rate limit reached: out of ${what}; retry in ${decision.resetSeconds} s`, {
              'retry-after': String(decision.resetSeconds),
            });
          }
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

        async willSendResponse(rc) {
          if (!cost || rc.response.body.kind !== 'single' || !rc.document) return;
          const single = rc.response.body.singleResult;
          const executed = single.data !== undefined;
          const actual = executed
            ? actualQueryCost(rc.schema, directives, rc.document, single.data, { operationName: rc.operationName, variables: rc.request.variables })
            : 0;
          if (executed) metrics.costActual.observe(actual);
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
