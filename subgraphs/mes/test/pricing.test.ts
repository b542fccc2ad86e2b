import { describe, expect, it } from 'vitest';
import { priceQuote } from '../src/pricing.ts';
import { MATERIALS } from '../src/seed.ts';

const pla = MATERIALS.find((m) => m.code === 'PLA');
if (!pla) throw new Error('PLA missing from the seed');

describe('priceQuote', () => {
  it('prices a 20 mm PLA cube from its volume: material + machine time + setup', () => {
    // 8 cm³ × 1.24 g/cm³ = 9.92 g → 0.248 € at 25 €/kg; 8 cm³ / 12 cm³/h = 0.667 h → 4.00 € at 6 €/h
    const one = priceQuote(8000, 1, pla);
    expect(one).toMatchObject({ material: '0.25', machine: '4.00', setup: '5.00', total: '9.25', printSeconds: 2399 });
    expect(priceQuote(8000, 2, pla).total).toBe('13.50');
  });

  it('grows with volume and quantity, never below the minimum price', () => {
    const small = priceQuote(100, 1, pla);
    expect(small.total).toBe(pla.minimumPrice);
    const a = Number(priceQuote(50_000, 1, pla).total);
    const b = Number(priceQuote(100_000, 1, pla).total);
    expect(b).toBeGreaterThan(a);
    // the setup fee is paid once per order line, the rest per part
    const setup = Number(pla.setupFee);
    expect(Number(priceQuote(50_000, 10, pla).total) - setup).toBeCloseTo(10 * (a - setup), 1);
  });

  it('answers with exact two-decimal strings', () => {
    for (const volume of [1, 999.5, 12_345.678, 1e7]) {
      expect(priceQuote(volume, 3, pla).total).toMatch(/^\d+\.\d{2}$/);
    }
  });
});
