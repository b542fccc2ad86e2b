import { describe, expect, it } from 'vitest';
import { addAmounts, fromUnits, toUnits } from '../src/contracts/money.ts';

describe('money', () => {
  it('adds decimal strings exactly where floats would drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(addAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(addAmounts(['19.99', '0.01', '1000'])).toBe('1020.00');
    expect(addAmounts(Array.from({ length: 1000 }, () => '0.01'))).toBe('10.00');
  });

  it('round-trips through minor units at any scale', () => {
    expect(toUnits('12.5')).toBe(1250n);
    expect(toUnits('-0.07')).toBe(-7n);
    expect(fromUnits(1250n)).toBe('12.50');
    expect(fromUnits(-7n)).toBe('-0.07');
    expect(fromUnits(toUnits('1.234567', 6), 6)).toBe('1.234567');
  });

  it('refuses what is not a decimal, or would lose digits', () => {
    expect(() => toUnits('1e3')).toThrow(/not a decimal/);
    expect(() => toUnits('abc')).toThrow(/not a decimal/);
    expect(() => toUnits('1.005')).toThrow(/more than 2 decimal places/);
    expect(toUnits('1.500')).toBe(150n);
  });
});
