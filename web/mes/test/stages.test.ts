// The board's own logic: where a card stands, which column it goes to under the filters, and
// whether a part fits a printer (turned about z, never tipped over).
import type { BoardCardFragment } from '@fabline/ui/operations';
import { describe, expect, it } from 'vitest';
import { fitsIn, groupByStage, nextStage, printSeconds, stageOf } from '../src/lib/stages.ts';

const order = (id: string, over: Partial<BoardCardFragment> = {}): BoardCardFragment => ({
  __typename: 'Order',
  id,
  status: 'IN_PRODUCTION',
  placedAt: '2026-12-06T00:00:00.000Z',
  production: { __typename: 'Production', stage: 'PRINTING', queuedAt: '2026-12-06T00:00:00.000Z', updatedAt: '2026-12-06T00:00:00.000Z', printer: null },
  items: [
    {
      __typename: 'OrderItem',
      id: `${id}-1`,
      material: 'PLA',
      quantity: 1,
      quote: { __typename: 'Quote', id: `${id}-q`, estimatedPrintSeconds: 600, needsReview: false },
    },
  ],
  ...over,
});

describe('the board', () => {
  it('puts an approved order the MES has not queued yet in Queued, and nothing else without production', () => {
    expect(stageOf(order('a', { status: 'APPROVED', production: null }))).toBe('QUEUED');
    expect(stageOf(order('b', { status: 'PLACED', production: null }))).toBeNull();
    expect(nextStage('READY')).toBe('SHIPPED');
    expect(nextStage('SHIPPED')).toBeNull();
  });

  it('groups by stage and filters by material, stage and printer', () => {
    const printer = { __typename: 'Printer' as const, id: 'p1', name: 'MK4' };
    const orders = [
      order('a'),
      order('b', { items: [{ ...order('b').items[0], material: 'PETG' } as BoardCardFragment['items'][number]] }),
      order('c', { production: { ...(order('c').production as NonNullable<BoardCardFragment['production']>), stage: 'READY', printer } }),
    ];
    const all = groupByStage(orders, { material: '', stage: '', printer: '' });
    expect(all.PRINTING.map((o) => o.id)).toEqual(['a', 'b']);
    expect(all.READY.map((o) => o.id)).toEqual(['c']);
    expect(groupByStage(orders, { material: 'PETG', stage: '', printer: '' }).PRINTING.map((o) => o.id)).toEqual(['b']);
    expect(groupByStage(orders, { material: '', stage: 'READY', printer: '' }).PRINTING).toEqual([]);
    expect(groupByStage(orders, { material: '', stage: '', printer: 'p1' }).READY.map((o) => o.id)).toEqual(['c']);
    expect(groupByStage(orders, { material: '', stage: '', printer: 'p1' }).PRINTING).toEqual([]);
  });

  it('sums the known print times and says so when none is known', () => {
    expect(printSeconds(order('a'))).toBe(600);
    const unknown = order('b');
    (unknown.items[0] as { quote: { estimatedPrintSeconds: number | null } }).quote.estimatedPrintSeconds = null;
    expect(printSeconds(unknown)).toBeNull();
  });

  it('fits a part turned about z, never tipped over', () => {
    const volume = { xMm: 250, yMm: 210, zMm: 220 };
    expect(fitsIn({ xMm: 200, yMm: 200, zMm: 200 }, volume)).toBe(true);
    expect(fitsIn({ xMm: 205, yMm: 240, zMm: 100 }, volume)).toBe(true);
    expect(fitsIn({ xMm: 200, yMm: 200, zMm: 230 }, volume)).toBe(false);
    expect(fitsIn({ xMm: 200, yMm: 200, zMm: 200 }, { xMm: 180, yMm: 180, zMm: 180 })).toBe(false);
  });
});
