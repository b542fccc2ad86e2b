import { createHash } from 'node:crypto';
import { userTokenExpiresAt, type Viewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import type { Request } from 'express';
import { GraphQLError, type GraphQLSchema, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import type { CheckedOperation, OperationChecks } from '../traffic/operationChecks.ts';
import { parseFailure } from '../traffic/operationChecks.ts';
import type { SubscriptionEngine } from './engine.ts';
import type { ConnectionBudget, SubscriptionLimits } from './limits.ts';
import type { SubscriptionMetrics } from './metrics.ts';
import { planSubscription, type SubscriptionPlan } from './plan.ts';
import { variableSkipProblem } from './refuseHttpSubscriptions.ts';
import type { EventStream } from './stream.ts';

const PLANS = new Map<string, SubscriptionPlan>();

/** Credentials from a `connection_init` payload (or SSE headers) as the request shape the HTTP resolver reads. */
export function credentialsRequest(params: Record<string, unknown> | undefined, requestId: string): Request {
  const pick = (...keys: string[]) => {
    for (const key of keys) {
      const value = params?.[key];
      if (typeof value === 'string' && value) return value;
    }
    return undefined;
  };
  const headers: Record<string, string> = {};
  const authorization = pick('authorization', 'Authorization');
  const apiKey = pick('apiKey', 'x-api-key', 'X-Api-Key');
  if (authorization) headers.authorization = authorization;
  if (apiKey) headers['x-api-key'] = apiKey;
  return { headers, id: requestId } as unknown as Request;
}

/** When the Bearer token of verified credentials expires (ms since the epoch); null for API keys and tokens without `exp`. */
export function credentialsExpireAt(req: Request): number | null {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return token ? userTokenExpiresAt(token) : null;
}

/** The longest delay `setTimeout` takes (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** An error as a subscription client receives it: without the HTTP details Apollo would have taken off. */
function forClient(error: GraphQLError, code?: string): GraphQLError {
  const { http: _http, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: code && extensions.code === undefined ? { ...extensions, code } : extensions,
  });
}

export interface ConnectionDeps {
  engine: SubscriptionEngine;
  limits: SubscriptionLimits;
  metrics: SubscriptionMetrics;
  schema: () => GraphQLSchema;
  /** Traffic control's checks, shared with HTTP operations; null when traffic control is off. */
  checks: OperationChecks | null;
  /** The parser's token limit (MAX_TOKENS). */
  maxTokens: number;
}

/**
 * One client connection (a WebSocket, or one SSE response): its viewer, its streams and the
 * budget they share. Cutting it off ends every stream at once, so queued events are freed.
 */
export class SubscriptionConnection {
  readonly streams = new Set<EventStream>();
  readonly budget: ConnectionBudget;
  /** Subscriptions open or starting: taken before the first `await`, given back when one fails or ends. */
  private slots = 0;

  constructor(
    readonly viewer: Viewer | null,
    readonly requestId: string,
    private readonly deps: ConnectionDeps,
    bufferedBytes: () => number,
    cutOff: () => void,
    /** When the credentials expire, and what the transport does then (close with a code the client understands). */
    expiry?: { at: number | null; expire: () => void },
    /** What the rate limit keys the caller by, besides the viewer (see traffic/admission.ts). */
    private readonly caller: { ip?: string; apiKey?: string } = {},
  ) {
    if (expiry?.at != null) this.expireAt(expiry.at, expiry.expire);
    const streams = this.streams;
    this.budget = {
      pending: 0,
      closed: false,
      bufferedBytes,
      overflow() {
        if (this.closed) return;
        this.closed = true;
        deps.metrics.drops.labels('slow_client').inc();
        for (const stream of [...streams]) void stream.return();
        cutOff();
      },
    };
  }

  /** Parses, validates, checks (as HTTP operations are), authorizes and starts one subscription. */
  async subscribe(payload: {
    query?: unknown;
    variables?: unknown;
    operationName?: unknown;
  }): Promise<{ stream: EventStream; plan: SubscriptionPlan } | readonly GraphQLError[]> {
    // the slot is taken here, synchronously: subscribe frames sent back to back cannot all pass the check
    if (this.slots >= this.deps.limits.maxSubscriptionsPerConnection) {
      this.deps.metrics.drops.labels('subscription_limit').inc();
      return [
        userError(
          'SUBSCRIPTION_LIMIT',
          `Too many subscriptions on one connection (limit ${this.deps.limits.maxSubscriptionsPerConnection}); complete one first`,
        ),
      ];
    }
    this.slots++;
    let held = false;
    try {
      const started = await this.start(payload);
      if (Array.isArray(started)) return started;
      const { stream, plan } = started as { stream: EventStream; plan: SubscriptionPlan };
      if (this.budget.closed) {
        void stream.return();
        return [userError('SERVICE_UNAVAILABLE', 'The connection is closing')];
      }
      held = true;
      this.streams.add(stream);
      stream.onEnd(() => {
        this.streams.delete(stream);
        this.slots--;
      });
      return { stream, plan };
    } catch (error) {
      // a bug here ends this subscription only, not the connection it shares with others
      if (error instanceof GraphQLError) return [forClient(error)];
      return [new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' }, originalError: error as Error })];
    } finally {
      if (!held) this.slots--;
    }
  }

  /** Everything between a subscribe message and a running stream; refusals are charged to the caller as HTTP's are. */
  private async start(payload: {
    query?: unknown;
    variables?: unknown;
    operationName?: unknown;
  }): Promise<{ stream: EventStream; plan: SubscriptionPlan } | readonly GraphQLError[]> {
    const { checks } = this.deps;
    const refused = async (errors: readonly GraphQLError[], code?: string) => {
      // as over HTTP, an operation refused before it ran still draws one request from the budget
      if (checks) await checks.admit({ viewer: this.viewer, ...this.caller }, null);
      return errors.map((error) => forClient(error, code));
    };
    if (typeof payload.query !== 'string') return refused([userError('BAD_USER_INPUT', '`query` must be a string')]);
    const query = payload.query;
    const variables = payload.variables && typeof payload.variables === 'object' ? (payload.variables as Record<string, unknown>) : {};
    const operationName = typeof payload.operationName === 'string' ? payload.operationName : null;
    const queryHash = createHash('sha256').update(query).digest('hex');
    // thousands of clients send the same operation: one parsed and planned copy serves them all
    const cacheKey = `${queryHash}\u0000${JSON.stringify(variables)}\u0000${operationName}`;
    let plan = PLANS.get(cacheKey);
    if (!plan) {
      let document: ReturnType<typeof parse>;
      try {
        document = parse(query, { maxTokens: this.deps.maxTokens });
      } catch (error) {
        return refused([parseFailure(error)]);
      }
      const skipped = variableSkipProblem(document);
      if (skipped) return refused([userError('BAD_USER_INPUT', skipped)]);
      const schema = this.deps.schema();
      // what a caller is told is what it may see: a partner's errors come from the contract (see traffic/operationChecks.ts)
      const invalid = validate(schema, document, specifiedRules);
      if (invalid.length > 0) {
        return refused(checks ? checks.visibleValidationErrors(this.viewer, queryHash, document, invalid) : invalid, 'GRAPHQL_VALIDATION_FAILED');
      }
      const planned = planSubscription(schema, document, variables, operationName);
      if (Array.isArray(planned)) return refused(planned as readonly GraphQLError[]);
      plan = planned as SubscriptionPlan;
      if (PLANS.size >= 1000) PLANS.clear();
      PLANS.set(cacheKey, plan);
    }
    if (checks) {
      const operation = getOperationAST(plan.document, plan.operationName) as CheckedOperation['operation'];
      let cost: ReturnType<OperationChecks['check']>;
      try {
        cost = checks.check({ viewer: this.viewer, schema: this.deps.schema(), document: plan.document, operation, queryHash, operationName, variables });
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return refused([error]);
      }
      const refusal = checks.refusal(await checks.admit({ viewer: this.viewer, ...this.caller }, cost));
      if (refusal) return [forClient(refusal)];
    }
    const started = await this.deps.engine.start(plan, this.viewer, this.budget, this.requestId);
    if (Array.isArray(started)) return started;
    return { stream: started as EventStream, plan };
  }

  private expiryTimer: NodeJS.Timeout | null = null;

  /** A connection outlives nothing it was authorized with: at `at` its credentials are void and it ends. */
  private expireAt(at: number, expire: () => void) {
    const wait = at - Date.now();
    this.expiryTimer = setTimeout(
      () => {
        if (this.budget.closed) return;
        if (Date.now() < at) return this.expireAt(at, expire);
        this.deps.metrics.drops.labels('token_expired').inc();
        expire();
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    this.expiryTimer.unref();
  }

  close() {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.budget.closed = true;
    for (const stream of [...this.streams]) void stream.return();
  }
}
