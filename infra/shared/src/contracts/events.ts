/**
 * The events that travel between subgraphs on the bus, and the Redis channels that carry
 * status changes to waiting mutations and (later) subscriptions. One contract, one place.
 */
export const ORDER_STATUSES = ['PLACED', 'APPROVED', 'REJECTED', 'CANCELLED', 'IN_PRODUCTION', 'QUALITY_CHECK', 'READY', 'SHIPPED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PRODUCTION_STAGES = ['QUEUED', 'PRINTING', 'POST_PROCESSING', 'QUALITY_CHECK', 'READY', 'SHIPPED'] as const;
export type ProductionStage = (typeof PRODUCTION_STAGES)[number];

/** What the customer sees for a production stage. */
export function statusForStage(stage: ProductionStage): OrderStatus {
  switch (stage) {
    case 'QUEUED':
      return 'APPROVED';
    case 'PRINTING':
    case 'POST_PROCESSING':
      return 'IN_PRODUCTION';
    case 'QUALITY_CHECK':
      return 'QUALITY_CHECK';
    case 'READY':
      return 'READY';
    case 'SHIPPED':
      return 'SHIPPED';
    default: {
      const never: never = stage;
      throw new Error(`unknown stage ${String(never)}`);
    }
  }
}

export interface OrderPlaced {
  orderId: string;
  customerId: string;
  placedAt: string;
  total: { amount: string; currency: string };
  items: { quoteId: string; modelId: string; material: string; quantity: number; amount: string }[];
}
export interface OrderReviewed {
  orderId: string;
  customerId: string;
  reviewerId: string;
  decision: 'APPROVED' | 'REJECTED';
  reason: string | null;
  at: string;
}
export interface ProductionStageChanged {
  orderId: string;
  stage: ProductionStage;
  previousStage: ProductionStage | null;
  operatorId: string | null;
  at: string;
}
export interface OrderCancelled {
  orderId: string;
  customerId: string;
  at: string;
}
/** Published by shop when a new model is stored (not for a deduplicated re-upload). */
export interface ModelUploaded {
  modelId: string;
  ownerId: string;
  sha256: string;
  format: 'STL' | 'OBJ' | 'THREE_MF';
  sizeBytes: number;
  storageKey: string;
}
export interface QuoteJob {
  quoteId: string;
}

export const EVENTS = {
  orderPlaced: 'order.placed',
  orderApproved: 'order.approved',
  orderRejected: 'order.rejected',
  productionStageChanged: 'production.stage_changed',
  orderCancelled: 'order.cancelled',
  modelUploaded: 'model.uploaded',
} as const;

/** Work queue the price workers consume. */
export const QUOTE_JOBS_QUEUE = 'mes.quote-jobs';

/** Published on Redis by shop after a status change is stored. */
export interface OrderStatusMessage {
  orderId: string;
  customerId: string;
  previousStatus: OrderStatus | null;
  status: OrderStatus;
  at: string;
  /** Id of the status-history row, monotonic per order. */
  eventId: string;
  /** Entry id in the order event log (orderEventLog.ts), added by the publisher: the staff feeds' resume cursor. */
  cursor?: string;
  /**
   * On a change that comes from a production stage move: the stage moved to. A move that leaves the
   * customer's status as it was (PRINTING → POST_PROCESSING) has `status` equal to `previousStatus`
   * and no history row: the staff feeds carry it, `orderStatusChanged` does not (see isStatusChange).
   */
  stage?: ProductionStage;
}

/** Whether a message changes the customer-facing status (false for a production move within one status). */
export const isStatusChange = (message: Pick<OrderStatusMessage, 'status' | 'previousStatus'>) => message.status !== message.previousStatus;
export const orderStatusChannel = (orderId: string) => `order-status:${orderId}`;

/** Published on Redis by a price worker when a quote is READY or FAILED. */
export interface QuoteReadyMessage {
  quoteId: string;
  status: 'READY' | 'FAILED';
}
export const quoteReadyChannel = (quoteId: string) => `quote-ready:${quoteId}`;
