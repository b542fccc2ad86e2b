import { fromUnits, toUnits } from '@fabline/shared/money';

/** Bump when the formula changes: every quote priced by another version is stale. */
export const PRICING_ALGORITHM_VERSION = 'v1';

/** The material figures a price is computed from, as exact decimal strings. */
export interface MaterialRates {
  densityGCm3: string;
  pricePerKg: string;
  machineHourlyRate: string;
  depositionCm3PerHour: string;
  setupFee: string;
  minimumPrice: string;
}

export interface PriceBreakdown {
  material: string;
  machine: string;
  setup: string;
  total: string;
  printSeconds: number;
}

// fixed point with six decimals: floats never touch money
const S = 6;
const ONE = 10n ** BigInt(S);
const mul = (a: bigint, b: bigint) => (a * b) / ONE;
const div = (a: bigint, b: bigint) => (a * ONE) / b;
const roundCents = (units: bigint) => (units + 5_000n) / 10_000n; // half-up, non-negative amounts

/**
 * Price of `quantity` parts of a model of `volumeMm3` in a material:
 * material mass × price per kg + print hours × machine rate, per part; plus the setup fee; at least the minimum.
 */
export function priceQuote(volumeMm3: number, quantity: number, rates: MaterialRates): PriceBreakdown {
  // geometry is float64; it enters the money path once, rounded to a thousandth of a cm³
  const volumeCm3 = toUnits((Math.round(Math.abs(volumeMm3)) / 1000).toFixed(3), S);
  const q = BigInt(quantity) * ONE;
  const massKg = div(mul(volumeCm3, toUnits(rates.densityGCm3, S)), 1000n * ONE);
  const hours = div(volumeCm3, toUnits(rates.depositionCm3PerHour, S));
  const material = mul(mul(massKg, toUnits(rates.pricePerKg, S)), q);
  const machine = mul(mul(hours, toUnits(rates.machineHourlyRate, S)), q);
  const setup = toUnits(rates.setupFee, S);
  const minimum = toUnits(rates.minimumPrice, S);
  const sum = material + machine + setup;
  // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigint
  const total = sum > minimum ? sum : minimum;
  return {
    material: fromUnits(roundCents(material)),
    machine: fromUnits(roundCents(machine)),
    setup: fromUnits(roundCents(setup)),
    total: fromUnits(roundCents(total)),
    printSeconds: Number((mul(hours, q) * 3600n) / ONE),
  };
}
