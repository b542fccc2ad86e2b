import { type ApolloServerPlugin, type GraphQLRequestContext, HeaderMap } from '@apollo/server';
import type { Viewer } from '@fabline/shared/auth';
import { type ErrorCode, requestError } from '@fabline/shared/errors';
import { type DocumentNode, execute, GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { type Admit, type CostCheck, rateLimitHeaders } from './admission.ts';
import { actualQueryCost, estimateQueryCost } from './computeQueryCost.ts';
import { budgetFor, type TrafficEnv } from './config.ts';
import { createContractValidator, isIntrospectionOnly, usesIntrospection } from './contract.ts';
import type { CostDirectives } from './costDirectives.ts';
import type { TrafficMetrics } from './metrics.ts';
import { checkOperationLimits, measureOperation } from './operationLimits.ts';
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
  /** Anonymous clients may introspect. */
  anonymousIntrospection: boolean;
  contract: GraphQLSchema | null;
  /** Charges a request to its caller's budgets (see admission.ts). */
  admit: Admit;
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

/** Parser errors of graphql-js's `maxTokens` guard (whose message reads "more that N tokens" in graphql 16). */
const TOKEN_LIMIT = /Document contains more tha[nt] (\d+) tokens/;

/**
 * Every check that runs before a subgraph is called, in order of cost to the gateway: manifest,
 * introspection policy, the partner contract, operation limits, the cost budget, the rate limit.
 * After execution, the actual cost of the response.
 */
export function createTrafficPlugin(options: TrafficPluginOptions): ApolloServerPlugin<TrafficContext> {
  const { env, directives, metrics, manifest, contract, admit } = options;
  const validateContract = contract ? createContractValidator(contract) : null;
  // estimates depend only on the document and variables: partners and apps repeat both
  const estimates = new Map<string, number>();
  const actualCosts = new WeakMap<object, number>();
  const setRateLimitHeaders = (headers: HeaderMap, decision: RateLimitDecision) => {
    for (const [name, value] of rateLimitHeaders(decision)) headers.set(name, value);
  };
  const applyDecision = (headers: HeaderMap, decision: RateLimitDecision) => {
    setRateLimitHeaders(headers, decision);
    if (decision.allowed) return;
    const what = decision.exhausted
      ? `${decision.exhausted} (${decision.limit} requests and ${decision.costPointsLimit} cost points per ${env.RATE_LIMIT_WINDOW_SECONDS} s)`
      : 'budget: rate limits cannot be checked right now';
    throw refuse(metrics, 'RATE_LIMITED', `Rate limit reached: out of ${what}; retry in ${decision.resetSeconds} s`, {
      'retry-after': String(decision.resetSeconds),
    });
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
  const limits = {
    maxDepth: env.MAX_DEPTH,
    maxAliases: env.MAX_ALIASES,
    maxRootFields: env.MAX_ROOT_FIELDS,
    maxDirectivesPerField: env.MAX_DIRECTIVES_PER_FIELD,
  };
  /** What the checks find depends only on the operation: Apollo hands the same parsed document back for the same query text. */
  const shapes = new WeakMap<OperationDefinitionNode, { introspection: boolean; over: ReturnType<typeof checkOperationLimits> }>();
  const shapeOf = (document: DocumentNode, operation: OperationDefinitionNode) => {
    let shape = shapes.get(operation);
    if (!shape) {
      shape = { introspection: usesIntrospection(document), over: checkOperationLimits(measureOperation(document, operation), limits) };
      shapes.set(operation, shape);
    }
    return shape;
  };

  return {
    async requestDidStart({ request }) {
      // a manifest id resolves to its body before Apollo's APQ lookup, so listed operations never miss
      const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      if (typeof hash === 'string' && request.query === undefined) request.query = manifest.get(hash);
      let cost: CostCheck | undefined;
      let charged = false;
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
          const { introspection, over } = shapeOf(document, operation);
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
          contextValue.cost = cost;
          if (result !== 'COST_OK' && env.COST_MODE === 'enforce') {
            metrics.costEstimated.observe({ result, mode: env.COST_MODE }, estimated);
            throw refuse(
              metrics,
              result,
              `The operation's estimated cost is ${estimated}, over the limit of ${limit} for ${viewer?.plan ? `plan ${viewer.plan}` : role.toLowerCase()} clients; ask for smaller lists (first/limit arguments) or split the operation`,
            );
          }
          charged = true;
          // the response cache's fast path may have charged this request already (and found no entry)
          const caller = { viewer, ip: contextValue.ip };
          const decision = contextValue.admission !== undefined ? contextValue.admission : await admit(caller, cost);
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
          const decision = await admit(caller, null);
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
