import { createHash } from 'node:crypto';
import { fromUnits, toUnits } from '@fabline/shared/money';

/**
 * Bump when the formula, the discount curve or the rounding changes: it is part of every
 * price cache key, so every quote priced by another version is recomputed.
 */
export const PRICING_ALGORITHM_VERSION = 'v2-shell-infill';

/** The material figures a price is computed from, as exact decimal strings. */
export interface MaterialRates {
  densityGCm3: string;
  pricePerKg: string;
  machineHourlyRate: string;
  layerHeightMm: string;
  depositionCm3PerHour: string;
  /** Solid shell printed under the whole surface. */
  wallThicknessMm: string;
  /** Share of the inside volume that is printed (0–1). */
  infillRatio: string;
  /** Travel, retraction and layer change per layer. */
  layerOverheadSeconds: string;
  setupFee: string;
  minimumPrice: string;
}

export const RATE_FIELDS = [
  'densityGCm3',
  'pricePerKg',
  'machineHourlyRate',
  'layerHeightMm',
  'depositionCm3PerHour',
  'wallThicknessMm',
  'infillRatio',
  'layerOverheadSeconds',
  'setupFee',
  'minimumPrice',
] as const satisfies readonly (keyof MaterialRates)[];

/** What the price depends on in the geometry (float64 from the analysis). */
export interface PriceGeometry {
  volumeMm3: number;
  surfaceAreaMm2: number;
  /** Bounding-box extent along the build axis (z). */
  heightMm: number;
}

/** Money strings with two decimals, for the whole order line; `total = material + machine + setup − discount + minimumSurcharge`. */
export interface PriceBreakdown {
  material: string;
  machine: string;
  setup: string;
  discount: string;
  /** Added when the line would cost less than the material's minimum price. */
  minimumSurcharge: string;
  total: string;
  /** Discount on the per-part cost, in percent (a plain decimal string). */
  discountPercent: string;
  /** Machine time for all parts. */
  printSeconds: number;
  /** Material actually deposited per part (walls + infill). */
  printedCm3: string;
  layers: number;
}

/** Quantity discount on material + machine time, by the smallest quantity a tier starts at; part of the algorithm version. */
export const QUANTITY_DISCOUNTS: readonly { minQuantity: number; percent: string }[] = [
  { minQuantity: 100, percent: '20' },
  { minQuantity: 50, percent: '15' },
  { minQuantity: 10, percent: '10' },
  { minQuantity: 5, percent: '5' },
];

export function discountPercent(quantity: number): string {
  return QUANTITY_DISCOUNTS.find((tier) => quantity >= tier.minQuantity)?.percent ?? '0';
}

/**
 * A short digest of a material's pricing figures: in the price cache key, so editing a
 * material's price makes its cached quotes unreachable at once.
 */
export function ratesFingerprint(code: string, rates: MaterialRates): string {
  const canonical = [code, ...RATE_FIELDS.map((field) => toUnits(rates[field], S).toString())].join('|');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** A Prisma Material row (Decimal fields) as decimal strings. */
export function materialRates(row: Record<(typeof RATE_FIELDS)[number], { toString(): string }>): MaterialRates {
  return Object.fromEntries(RATE_FIELDS.map((field) => [field, row[field].toString()])) as unknown as MaterialRates;
}

// fixed point with six decimals: floats never touch money
const S = 6;
const ONE = 10n ** BigInt(S);
const mul = (a: bigint, b: bigint) => (a * b) / ONE;
const div = (a: bigint, b: bigint) => (a * ONE) / b;
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const roundCents = (units: bigint) => (units + 5_000n) / 10_000n; // half-up, non-negative amounts
const min = (a: bigint, b: bigint) => (a < b ? a : b);
// geometry is float64; it enters the money path once, rounded to a thousandth
const fromFloat = (value: number) => toUnits(Math.abs(value).toFixed(3), S);

/**
 * Price of `quantity` parts. Time comes from a shell + infill model: a solid wall of
 * `wallThicknessMm` under the whole surface (capped at the volume), `infillRatio` of the
 * volume left inside, deposited at `depositionCm3PerHour`, plus `layerOverheadSeconds` for
 * each of the ceil(height / layer height) layers. Material is paid by deposited mass.
 * Per part: material + machine time; the line: × quantity, minus the quantity discount,
 * plus the setup fee once; at least the minimum price.
 */
export function priceQuote(geometry: PriceGeometry, quantity: number, rates: MaterialRates): PriceBreakdown {
  const volumeCm3 = div(fromFloat(geometry.volumeMm3), 1000n * ONE);
  const areaCm2 = div(fromFloat(geometry.surfaceAreaMm2), 100n * ONE);
  const heightMm = fromFloat(geometry.heightMm);
  const wallCm3 = min(volumeCm3, mul(areaCm2, toUnits(rates.wallThicknessMm, S)) / 10n);
  const infillCm3 = mul(volumeCm3 - wallCm3, toUnits(rates.infillRatio, S));
  const printedCm3 = wallCm3 + infillCm3;
  const layers = heightMm === 0n ? 0n : ceilDiv(heightMm, toUnits(rates.layerHeightMm, S));
  const depositSeconds = div(printedCm3 * 3600n, toUnits(rates.depositionCm3PerHour, S));
  const partSeconds = depositSeconds + layers * toUnits(rates.layerOverheadSeconds, S);

  const q = BigInt(quantity);
  const massKg = div(mul(printedCm3, toUnits(rates.densityGCm3, S)), 1000n * ONE);
  const material = roundCents(mul(massKg, toUnits(rates.pricePerKg, S)) * q);
  const machine = roundCents((mul(partSeconds, toUnits(rates.machineHourlyRate, S)) * q) / 3600n);
  const percent = discountPercent(quantity);
  const discount = ((material + machine) * toUnits(percent, S) + 50n * ONE) / (100n * ONE); // cents, half-up
  const setup = roundCents(toUnits(rates.setupFee, S));
  const minimum = roundCents(toUnits(rates.minimumPrice, S));
  const subtotal = material + machine - discount + setup;
  const minimumSurcharge = subtotal < minimum ? minimum - subtotal : 0n;
  return {
    material: fromUnits(material),
    machine: fromUnits(machine),
    setup: fromUnits(setup),
    discount: fromUnits(discount),
    minimumSurcharge: fromUnits(minimumSurcharge),
    total: fromUnits(subtotal + minimumSurcharge),
    discountPercent: percent,
    printSeconds: Number(((partSeconds + ONE / 2n) / ONE) * q),
    printedCm3: fromUnits(printedCm3, S),
    layers: Number(layers),
  };
}
