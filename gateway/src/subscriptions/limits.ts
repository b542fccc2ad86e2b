import type { Viewer } from '@fabline/shared/auth';

/** Bounds that keep one client from holding gateway memory. */
export interface SubscriptionLimits {
  /** Open connections (WebSocket + SSE) one viewer may hold on one replica. @default 20 */
  maxConnectionsPerClient: number;
  /** Active subscriptions on one WebSocket connection. @default 50 */
  maxSubscriptionsPerConnection: number;
  /** Events taken for a connection but not yet written to its socket (awaiting their turn, or held while the socket is full). @default 100 */
  maxPendingEvents: number;
  /** Bytes queued in the socket's send buffer beyond which the client is cut off. @default 1 MiB */
  maxBufferedBytes: number;
}

/** Close codes a client sees; 1013 ("try again later") lets graphql-ws clients reconnect and resume with `after`. */
export const CLOSE = {
  slowConsumer: { code: 1013, reason: 'Client cannot keep up with its events; reconnect and resume with `after`' },
  tooManyConnections: (limit: number) => ({ code: 4429, reason: `Too many subscription connections for this client (limit ${limit})` }),
  unauthenticated: (message: string) => ({ code: 4401, reason: message.slice(0, 120) }),
  tokenExpired: { code: 4401, reason: 'Token expired; log in again, reconnect and resume with `after`' },
} as const;

/** What a connection tells its subscriptions so they can bound what they queue. */
export interface ConnectionBudget {
  /** Events queued on this connection, across its subscriptions. */
  pending: number;
  closed: boolean;
  /** Bytes waiting in the transport's own send buffer. */
  bufferedBytes(): number;
  /** Cuts the client off (WebSocket close 1013, SSE stream ended). */
  overflow(): void;
}

/** True when one more event would exceed the connection's budget. */
export function isOverBudget(
  budget: Pick<ConnectionBudget, 'pending' | 'bufferedBytes'>,
  limits: Pick<SubscriptionLimits, 'maxPendingEvents' | 'maxBufferedBytes'>,
) {
  return budget.pending > limits.maxPendingEvents || budget.bufferedBytes() > limits.maxBufferedBytes;
}

export const clientKey = (viewer: Viewer) => `${viewer.role}:${viewer.id}`;

/** Counts open connections per client; `acquire` refuses once the limit is reached. */
export class ConnectionCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Returns a release function, or null when the client already holds `limit` connections. */
  acquire(key: string): (() => void) | null {
    const count = this.open.get(key) ?? 0;
    if (count >= this.limit) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }

  count(key: string) {
    return this.open.get(key) ?? 0;
  }
}
