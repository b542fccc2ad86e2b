// The production stages in their order, and what the board derives from them.
import type { BoardCardFragment, ProductionStage } from '@fabline/ui/operations';

export const STAGES: readonly ProductionStage[] = ['QUEUED', 'PRINTING', 'POST_PROCESSING', 'QUALITY_CHECK', 'READY', 'SHIPPED'];

/** The stage after `stage`, or null at the end. */
export function nextStage(stage: ProductionStage): ProductionStage | null {
  return STAGES[STAGES.indexOf(stage) + 1] ?? null;
}

/**
 * Where a card stands. An order approved a moment ago may reach the board (from the shop's status
 * event) before the MES has queued it: it is waiting in the queue either way.
 */
export function stageOf(order: Pick<BoardCardFragment, 'status' | 'production'>): ProductionStage | null {
  if (order.production) return order.production.stage;
  return order.status === 'APPROVED' ? 'QUEUED' : null;
}

/** The order's short id, as the floor says it: the first 8 characters. */
export const shortId = (id: string) => id.slice(0, 8);

/** The sum of the lines' estimated print times, in seconds (null when none is known). */
export function printSeconds(order: Pick<BoardCardFragment, 'items'>): number | null {
  let total = 0;
  let known = false;
  for (const item of order.items) {
    if (item.quote.estimatedPrintSeconds !== null) {
      total += item.quote.estimatedPrintSeconds;
      known = true;
    }
  }
  return known ? total : null;
}

export interface BoardFilter {
  material: string;
  stage: ProductionStage | '';
  /** A printer's id: only the jobs assigned to it. */
  printer: string;
}

export interface Size {
  xMm: number;
  yMm: number;
  zMm: number;
}

/** Whether a part fits a build volume; it may be turned about z (x and y swap), not tipped over. */
export function fitsIn(part: Size, volume: Size): boolean {
  if (part.zMm > volume.zMm) return false;
  return (part.xMm <= volume.xMm && part.yMm <= volume.yMm) || (part.xMm <= volume.yMm && part.yMm <= volume.xMm);
}

/** The board's cards grouped by stage (oldest first within a stage), filtered. */
export function groupByStage(orders: readonly BoardCardFragment[], filter: BoardFilter): Record<ProductionStage, BoardCardFragment[]> {
  const columns = Object.fromEntries(STAGES.map((stage) => [stage, [] as BoardCardFragment[]])) as Record<ProductionStage, BoardCardFragment[]>;
  for (const order of orders) {
    const stage = stageOf(order);
    if (!stage) continue;
    if (filter.stage && stage !== filter.stage) continue;
    if (filter.material && !order.items.some((item) => item.material === filter.material)) continue;
    if (filter.printer && order.production?.printer?.id !== filter.printer) continue;
    columns[stage].push(order);
  }
  return columns;
}
