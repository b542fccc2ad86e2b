import { HeaderMap } from '@apollo/server';
import { type ErrorCode, requestError } from '@fabline/shared/errors';
import { type DocumentNode, GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Admit, Caller, CostCheck } from './admission.ts';
import { estimateQueryCost } from './computeQueryCost.ts';
import { budgetFor, type TrafficEnv } from './config.ts';
import { createContractValidator, isIntrospectionOnly, usesIntrospection } from './contract.ts';
import type { CostDirectives } from './costDirectives.ts';
import type { TrafficMetrics } from './metrics.ts';
import { checkOperationLimits, measureOperation } from './operationLimits.ts';
import type { RateLimitDecision } from './rateLimit.ts';

export interface OperationChecksOptions {
  env: TrafficEnv;
  directives: CostDirectives;
  metrics: TrafficMetrics;
  /** Anonymous clients may introspect (and so are told which field they may have meant). */
  anonymousIntrospection: boolean;
  contract: GraphQLSchema | null;
  /** Charges a request to its caller's budgets (see admission.ts). */
  admit: Admit;
}

/** One operation as the checks see it, whichever transport brought it. */
export interface CheckedOperation {
  viewer: Caller['viewer'];
  /** The API schema the operation runs against. */
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** SHA-256 of the query text (Apollo's `queryHash`): what contract outcomes are remembered by. */
  queryHash: string;
  operationName: string | null | undefined;
  variables: Record<string, unknown> | undefined;
}

/** A refusal before execution, counted; `headers` go on the HTTP answer (Retry-After). */
export function refuse(
  metrics: TrafficMetrics,
  code: ErrorCode | 'GRAPHQL_VALIDATION_FAILED',
  message: string,
  headers?: Record<string, string>,
): GraphQLError {
  metrics.refusals.inc({ code });
  if (code === 'GRAPHQL_VALIDATION_FAILED') return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
  const error = requestError(code, message);
  if (headers) (error.extensions.http as { headers?: HeaderMap }).headers = new HeaderMap(Object.entries(headers));
  return error;
}

/** Parser errors of graphql-js's `maxTokens` guard (whose message reads "more that N tokens" in graphql 16). */
export const TOKEN_LIMIT = /Document contains more tha[nt] (\d+) tokens/;

/** A parse failure as the client is told it: the token limit with its own code, as Apollo's path rewrites it (plugin.ts). */
export function parseFailure(error: unknown): GraphQLError {
  const message = error instanceof Error ? error.message : String(error);
  const tokens = TOKEN_LIMIT.exec(message)?.[1];
  if (tokens) return requestError('MAX_TOKENS_LIMIT', `The operation has more than ${tokens} tokens; at most ${tokens} are allowed`);
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
}

/** graphql-js's "Did you mean …?" tail of a validation message (as Apollo's DisableSuggestions plugin strips it). */
const SUGGESTION = / ?Did you mean(.+?)\?$/;
const withoutSuggestion = (error: GraphQLError) =>
  SUGGESTION.test(error.message)
    ? new GraphQLError(error.message.replace(SUGGESTION, ''), {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        extensions: error.extensions,
      })
    : error;

/**
 * The checks every operation passes before a subgraph is called, whether it came over HTTP
 * (the traffic plugin) or as a subscription (WebSocket or SSE): one implementation, so the
 * transports cannot drift. In order of cost to the gateway: validation as the caller may see it,
 * introspection policy, the partner contract, operation limits, the cost budget; then the rate limit.
 */
export function createOperationChecks(options: OperationChecksOptions) {
  const { env, directives, metrics, contract, admit } = options;
  const validateContract = contract ? createContractValidator(contract) : null;
  const limits = {
    maxDepth: env.MAX_DEPTH,
    maxAliases: env.MAX_ALIASES,
    maxRootFields: env.MAX_ROOT_FIELDS,
    maxDirectivesPerField: env.MAX_DIRECTIVES_PER_FIELD,
  };
  /** What the checks find depends only on the operation: the same query text yields the same parsed document. */
  const shapes = new WeakMap<OperationDefinitionNode, { introspection: boolean; over: ReturnType<typeof checkOperationLimits> }>();
  const shapeOf = (document: DocumentNode, operation: OperationDefinitionNode) => {
    let shape = shapes.get(operation);
    if (!shape) {
      shape = { introspection: usesIntrospection(document), over: checkOperationLimits(measureOperation(document, operation), limits) };
      shapes.set(operation, shape);
    }
    return shape;
  };
  // estimates depend only on the document and variables: partners and apps repeat both
  const estimates = new Map<string, number>();
  const isPartner = (viewer: Caller['viewer']) => viewer?.role === 'PARTNER';

  return {
    /**
     * The validation errors a caller is shown, given those of the API schema: a partner's come
     * from the contract alone (phrased as if nothing else existed, suggestions included); an
     * anonymous client that may not introspect is suggested nothing.
     */
    visibleValidationErrors(viewer: Caller['viewer'], queryHash: string, document: DocumentNode, errors: readonly GraphQLError[]): GraphQLError[] {
      if (errors.length === 0) return [];
      if (isPartner(viewer) && validateContract) {
        const fromContract = validateContract(queryHash, document);
        // the contract is part of the API schema: what fails there fails here; if not, nothing of it is named
        return fromContract.length > 0 ? [...fromContract] : errors.map(withoutSuggestion);
      }
      if (!viewer && !options.anonymousIntrospection) return errors.map(withoutSuggestion);
      return [...errors];
    },

    /**
     * Everything decided by the operation and its caller; throws the refusal. Returns the estimate
     * the operation is admitted with; `estimated` hears it first, even when it is over the budget.
     */
    check({ viewer, schema, document, operation, queryHash, operationName, variables }: CheckedOperation, estimated?: (cost: CostCheck) => void): CostCheck {
      const role = viewer?.role ?? 'ANONYMOUS';
      const { introspection, over } = shapeOf(document, operation);
      if (introspection && !viewer && !options.anonymousIntrospection) {
        throw refuse(metrics, 'INTROSPECTION_DISABLED', 'Introspection is off for anonymous clients; send a session token or a partner API key');
      }
      if (isPartner(viewer) && validateContract) {
        const invalid = validateContract(queryHash, document);
        if (invalid.length > 0)
          throw refuse(metrics, 'GRAPHQL_VALIDATION_FAILED', `${invalid.map((e) => e.message).join('; ')} (partners use the public contract)`);
        if (introspection && !isIntrospectionOnly(operation)) {
          throw refuse(metrics, 'BAD_USER_INPUT', 'Send introspection (__schema, __type) in an operation of its own');
        }
      }
      if (over) throw refuse(metrics, over.code, over.message);

      const estimateKey = `${queryHash}:${operationName ?? ''}:${JSON.stringify(variables ?? {})}`;
      let estimate = estimates.get(estimateKey);
      if (estimate === undefined) {
        estimate = estimateQueryCost(schema, directives, document, { operationName, variables, defaultListSize: env.COST_DEFAULT_LIST_SIZE });
        if (estimates.size >= 5000) estimates.clear();
        estimates.set(estimateKey, estimate);
      }
      const limit = budgetFor(env.COST_BUDGETS, role, viewer?.plan);
      const result = estimate > limit ? ('COST_ESTIMATED_TOO_EXPENSIVE' as const) : ('COST_OK' as const);
      const cost: CostCheck = { estimated: estimate, limit, result };
      estimated?.(cost);
      if (result !== 'COST_OK' && env.COST_MODE === 'enforce') {
        metrics.costEstimated.observe({ result, mode: env.COST_MODE }, estimate);
        throw refuse(
          metrics,
          result,
          `The operation's estimated cost is ${estimate}, over the limit of ${limit} for ${viewer?.plan ? `plan ${viewer.plan}` : role.toLowerCase()} clients; ask for smaller lists (first/limit arguments) or split the operation`,
        );
      }
      return cost;
    },

    /** Charges an operation (`cost` null: one that never got that far) to its caller's budgets. */
    admit,

    /** The refusal a rate-limit decision means, or null when it lets the operation through. */
    refusal(decision: RateLimitDecision | null): GraphQLError | null {
      if (!decision || decision.allowed) return null;
      const what = decision.exhausted
        ? `${decision.exhausted} (${decision.limit} requests and ${decision.costPointsLimit} cost points per ${env.RATE_LIMIT_WINDOW_SECONDS} s)`
        : 'budget: rate limits cannot be checked right now';
      return refuse(metrics, 'RATE_LIMITED', `Rate limit reached: out of ${what}; retry in ${decision.resetSeconds} s`, {
        'retry-after': String(decision.resetSeconds),
      });
    },
  };
}

export type OperationChecks = ReturnType<typeof createOperationChecks>;
