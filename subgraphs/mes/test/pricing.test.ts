import { describe, expect, it } from 'vitest';
import { discountPercent, type MaterialRates, PRICING_ALGORITHM_VERSION, priceQuote, ratesFingerprint } from '../src/pricing.ts';
import { MATERIALS } from '../src/seed.ts';

const pla: MaterialRates = (() => {
  const row = MATERIALS.find((m) => m.code === 'PLA');
  if (!row) throw new Error('PLA missing from the seed');
  return row;
})();
/** An axis-aligned cube with edges of `mm`: what the analysis gives for it. */
const cube = (mm: number) => ({ volumeMm3: mm ** 3, surfaceAreaMm2: 6 * mm ** 2, heightMm: mm });
const plus = (...amounts: string[]) => amounts.reduce((sum, a) => sum + Math.round(Number(a) * 100), 0);

describe('priceQuote (shell + infill)', () => {
  it('prices a 20 mm PLA cube by hand', () => {
    // walls: 24 cm² × 0.12 cm = 2.88 cm³; infill: (8 − 2.88) × 20 % = 1.024 cm³; printed 3.904 cm³
    // material: 3.904 × 1.24 g = 4.84096 g at 25 €/kg = 0.121024 € per part
    // time: 3.904 cm³ / 12 cm³/h = 1171.2 s + 100 layers (20 / 0.2 mm) × 2 s = 1371.2 s per part, at 6 €/h = 2.285333 €
    const one = priceQuote(cube(20), 1, pla);
    expect(one).toMatchObject({ printedCm3: '3.904000', layers: 100, material: '0.12', machine: '2.29', setup: '5.00', discount: '0.00', printSeconds: 1371 });
    // 0.12 + 2.29 + 5.00 = 7.41 is under PLA's 8.00 minimum
    expect(one).toMatchObject({ minimumSurcharge: '0.59', total: '8.00' });
    // two parts: 0.242048 → 0.24, 4.570667 → 4.57, + 5.00 setup = 9.81
    expect(priceQuote(cube(20), 2, pla)).toMatchObject({ material: '0.24', machine: '4.57', minimumSurcharge: '0.00', total: '9.81', printSeconds: 2742 });
  });

  it('caps the walls at the volume: a thin part is all wall, no infill', () => {
    // a 1 mm plate of 50 × 50 mm: 2.5 cm³ but 50.2 cm² of surface × 0.12 cm > 2.5 cm³
    const plate = priceQuote({ volumeMm3: 2500, surfaceAreaMm2: 5200, heightMm: 1 }, 1, pla);
    expect(plate).toMatchObject({ printedCm3: '2.500000', layers: 5 });
  });

  it('the breakdown adds up to the total, to the cent', () => {
    for (const [mm, quantity] of [
      [7, 1],
      [20, 3],
      [33.3, 7],
      [55, 12],
      [80, 60],
      [120, 250],
    ] as const) {
      const b = priceQuote(cube(mm), quantity, pla);
      expect(plus(b.material, b.machine, b.setup, b.minimumSurcharge) - plus(b.discount)).toBe(plus(b.total));
      expect(b.total).toMatch(/^\d+\.\d{2}$/);
      expect(Number(b.total)).toBeGreaterThanOrEqual(Number(pla.minimumPrice));
    }
  });

  it('follows the quantity discount curve, on material and machine time only', () => {
    expect([1, 4, 5, 9, 10, 49, 50, 99, 100, 10_000].map(discountPercent)).toEqual(['0', '0', '5', '5', '10', '10', '15', '15', '20', '20']);
    const at = (quantity: number) => priceQuote(cube(40), quantity, pla);
    const ten = at(10);
    // 10 % of (material + machine), rounded half-up to the cent
    expect(plus(ten.discount)).toBe(Math.round((plus(ten.material) + plus(ten.machine)) / 10));
    // the price per part falls at each tier, and the setup fee is never discounted
    const perPart = (quantity: number) => (plus(at(quantity).total) - plus(pla.setupFee)) / quantity;
    expect(perPart(5)).toBeLessThan(perPart(4));
    expect(perPart(10)).toBeLessThan(perPart(9));
    expect(perPart(50)).toBeLessThan(perPart(49));
    expect(perPart(100)).toBeLessThan(perPart(99));
    expect(at(100).setup).toBe('5.00');
  });

  it('grows with volume and height', () => {
    expect(Number(priceQuote(cube(40), 1, pla).total)).toBeGreaterThan(Number(priceQuote(cube(30), 1, pla).total));
    const flat = priceQuote({ volumeMm3: 64_000, surfaceAreaMm2: 9_600, heightMm: 10 }, 1, pla);
    const tall = priceQuote({ volumeMm3: 64_000, surfaceAreaMm2: 9_600, heightMm: 100 }, 1, pla);
    // same volume and surface, ten times the layers: 450 more layers × 2 s
    expect(tall.printSeconds - flat.printSeconds).toBe(900);
  });
});

describe('what makes a cached price stale', () => {
  it('changes the fingerprint when any pricing figure of the material changes, not when it is spelt differently', () => {
    const base = ratesFingerprint('PLA', pla);
    expect(ratesFingerprint('PLA', { ...pla, pricePerKg: '25.0' })).toBe(base);
    expect(ratesFingerprint('PLA', { ...pla, pricePerKg: '26.00' })).not.toBe(base);
    expect(ratesFingerprint('PLA', { ...pla, infillRatio: '0.25' })).not.toBe(base);
    expect(ratesFingerprint('PETG', pla)).not.toBe(base);
  });

  it('has an algorithm version that is part of every price key', async () => {
    const { QuoteCache } = await import('../src/quoteCache.ts');
    const cache = new QuoteCache({} as never);
    const key = cache.priceKey('ab'.repeat(32), 'PLA', pla, 2);
    expect(key).toContain(PRICING_ALGORITHM_VERSION);
    expect(key).toContain(ratesFingerprint('PLA', pla));
    expect(cache.priceKey('ab'.repeat(32), 'PLA', { ...pla, pricePerKg: '30.00' }, 2)).not.toBe(key);
    expect(cache.priceKey('ab'.repeat(32), 'PLA', pla, 3)).not.toBe(key);
  });
});
