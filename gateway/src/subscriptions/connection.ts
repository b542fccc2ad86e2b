import { userTokenExpiresAt, type Viewer } from '@fabline/shared/auth';
import type { Request } from 'express';
import { GraphQLError, parse } from 'graphql';
import type { SubscriptionEngine } from './engine.ts';
import type { ConnectionBudget, SubscriptionLimits } from './limits.ts';
import type { SubscriptionMetrics } from './metrics.ts';
import { planSubscription, type SubscriptionPlan } from './plan.ts';
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

/**
 * One client connection (a WebSocket, or one SSE response): its viewer, its streams and the
 * budget they share. Cutting it off ends every stream at once, so queued events are freed.
 */
export class SubscriptionConnection {
  readonly streams = new Set<EventStream>();
  readonly budget: ConnectionBudget;

  constructor(
    readonly viewer: Viewer | null,
    readonly requestId: string,
    private readonly deps: {
      engine: SubscriptionEngine;
      limits: SubscriptionLimits;
      metrics: SubscriptionMetrics;
      schema: () => import('graphql').GraphQLSchema;
    },
    bufferedBytes: () => number,
    cutOff: () => void,
    /** When the credentials expire, and what the transport does then (close with a code the client understands). */
    expiry?: { at: number | null; expire: () => void },
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

  /** Parses, validates, authorizes and starts one subscription. */
  async subscribe(payload: {
    query?: unknown;
    variables?: unknown;
    operationName?: unknown;
  }): Promise<{ stream: EventStream; plan: SubscriptionPlan } | readonly GraphQLError[]> {
    if (this.streams.size >= this.deps.limits.maxSubscriptionsPerConnection) {
      this.deps.metrics.drops.labels('subscription_limit').inc();
      return [
        new GraphQLError(`Too many subscriptions on one connection (limit ${this.deps.limits.maxSubscriptionsPerConnection}); complete one first`, {
          extensions: { code: 'SUBSCRIPTION_LIMIT' },
        }),
      ];
    }
    if (typeof payload.query !== 'string') return [new GraphQLError('`query` must be a string', { extensions: { code: 'BAD_USER_INPUT' } })];
    const variables = payload.variables && typeof payload.variables === 'object' ? (payload.variables as Record<string, unknown>) : {};
    const operationName = typeof payload.operationName === 'string' ? payload.operationName : null;
    // thousands of clients send the same operation: one parsed and planned copy serves them all
    const cacheKey = `${payload.query}\u0000${JSON.stringify(variables)}\u0000${operationName}`;
    let plan: SubscriptionPlan | readonly GraphQLError[] | undefined = PLANS.get(cacheKey);
    if (!plan) {
      try {
        plan = planSubscription(this.deps.schema(), parse(payload.query, { maxTokens: 5000 }), variables, operationName);
      } catch (error) {
        return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
      }
      if (!Array.isArray(plan)) {
        if (PLANS.size >= 1000) PLANS.clear();
        PLANS.set(cacheKey, plan as SubscriptionPlan);
      }
    }
    if (Array.isArray(plan)) return plan as readonly GraphQLError[];
    const started = await this.deps.engine.start(plan as Exclude<typeof plan, readonly GraphQLError[]>, this.viewer, this.budget, this.requestId);
    if (Array.isArray(started)) return started;
    const stream = started as EventStream;
    if (this.budget.closed) {
      void stream.return();
      return [new GraphQLError('The connection is closing', { extensions: { code: 'SERVICE_UNAVAILABLE' } })];
    }
    this.streams.add(stream);
    stream.onEnd(() => this.streams.delete(stream));
    return { stream, plan: plan as SubscriptionPlan };
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
