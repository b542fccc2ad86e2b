/**
 * Exact money arithmetic on decimal strings through bigint minor units; floats never touch a price.
 * `scale` is the number of decimal places (2 for cents).
 */
export function toUnits(amount: string, scale = 2): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`not a decimal amount: ${amount}`);
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > scale && /[^0]/.test(fraction.slice(scale))) throw new Error(`${amount} has more than ${scale} decimal places`);
  const units = BigInt(whole) * 10n ** BigInt(scale) + BigInt((fraction.slice(0, scale) || '0').padEnd(scale, '0'));
  return sign ? -units : units;
}

export function fromUnits(units: bigint, scale = 2): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const base = 10n ** BigInt(scale);
  const fraction = scale > 0 ? `.${String(abs % base).padStart(scale, '0')}` : '';
  return `${negative ? '-' : ''}${abs / base}${fraction}`;
}

export const addAmounts = (amounts: string[], scale = 2) =>
  fromUnits(
    amounts.reduce((sum, a) => sum + toUnits(a, scale), 0n),
    scale,
  );
