import { describe, expect, it } from 'vitest';
import { boundedLabel } from '../src/observability/operationMetrics.ts';

describe('operation metric labels', () => {
  it('keep the first names a client sends and fold the rest into "other"', () => {
    const label = boundedLabel(2);
    expect(label('GetOrders', 'anonymous')).toBe('GetOrders');
    expect(label('PlaceOrder', 'anonymous')).toBe('PlaceOrder');
    expect(label('Invented123', 'anonymous')).toBe('other');
    expect(label('GetOrders', 'anonymous')).toBe('GetOrders');
    expect(label(undefined, 'anonymous')).toBe('anonymous');
  });

  it('refuse values that are not names (ids, spaces, very long strings)', () => {
    const label = boundedLabel(100);
    expect(label('order 42', 'x')).toBe('other');
    expect(label('a'.repeat(80), 'x')).toBe('other');
    expect(label('shop-web', 'x')).toBe('shop-web');
  });
});
