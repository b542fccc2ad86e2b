import { isStaff, type Role, type Viewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import type { OrderStatus, OrderStatusMessage } from '@fabline/shared/events';
import { compareOrderEventCursors } from '@fabline/shared/orderEventLog';

export const ORDER_EVENT_KINDS = ['AWAITING_REVIEW', 'PRODUCTION', 'ALL'] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];

/** Who may follow each staff feed. */
export const FEED_ROLES: Record<OrderEventKind, readonly Role[]> = {
  AWAITING_REVIEW: ['MANAGER', 'ADMIN'],
  PRODUCTION: ['OPERATOR', 'MANAGER', 'ADMIN'],
  ALL: ['MANAGER', 'ADMIN'],
};

const ON_THE_FLOOR = new Set<OrderStatus>(['APPROVED', 'IN_PRODUCTION', 'QUALITY_CHECK', 'READY', 'SHIPPED']);

/**
 * Whether a status change belongs in a feed: managers see orders arrive for review and leave it
 * (decided, by anyone, or cancelled), operators see the production queue move.
 */
export function inFeed(kind: OrderEventKind, event: Pick<OrderStatusMessage, 'status' | 'previousStatus'>): boolean {
  switch (kind) {
    case 'AWAITING_REVIEW':
      return event.status === 'PLACED' || event.previousStatus === 'PLACED';
    case 'PRODUCTION':
      // an approved order cancelled before production leaves the operators' queue
      return ON_THE_FLOOR.has(event.status) || (event.status === 'CANCELLED' && event.previousStatus === 'APPROVED');
    case 'ALL':
      return true;
    default: {
      const never: never = kind;
      throw new Error(`unknown feed ${String(never)}`);
    }
  }
}

/** A customer hears only about their own orders; staff about every order. */
export const mayHear = (viewer: Viewer, event: Pick<OrderStatusMessage, 'customerId'>) => isStaff(viewer) || event.customerId === viewer.id;

/** Status changes a resuming feed reads from the order event log per round trip. */
export const FEED_PAGE = 500;

/**
 * Whether a feed still has to send `event`: it comes after `cursor` in the log (the last event the feed
 * sent or replayed). A message without a cursor (from a publisher that does not log) is always new.
 */
export const isAfterCursor = (event: Pick<OrderStatusMessage, 'cursor'>, cursor: string | null) =>
  cursor === null || event.cursor === undefined || compareOrderEventCursors(event.cursor, cursor) > 0;

/** A cursor the log no longer holds: what came after it may be gone, so the client must start over. */
export const resumeWindowExpired = (cursor: string) =>
  userError(
    'RESUME_WINDOW_EXPIRED',
    `The feed cannot resume after ${cursor}: the events after it are no longer kept. Subscribe again without \`after\` and reload the list of orders.`,
  );
