/**
 * Charges are computed exactly and rounded once, at the level each component's rule names.
 * Rates like 0.00297% times a rupee value are not representable in binary floating point, so
 * amounts are carried as bigint counts of 10⁻¹² minor units ("pico-minor") until rounded.
 */
export const PICO_PER_MINOR = 1_000_000_000_000n;
const SCALE_DIGITS = 12;

export type RoundingMode = 'nearest' | 'up' | 'down';

/**
 * Parses a non-negative decimal ("0.00297", "13.50", "1e-7") into an integer count of 10⁻¹²
 * of its unit. Throws when the value has more precision than that, so nothing is silently lost.
 */
export function parseScaledDecimal(text: string | number): bigint {
  const str = typeof text === 'number' ? numberToPlainString(text) : text.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(str);
  if (!match) throw new RangeError(`not a non-negative decimal: ${str}`);
  const whole = match[1]!;
  const frac = (match[2] ?? '').replace(/0+$/, '');
  if (frac.length > SCALE_DIGITS) throw new RangeError(`too many decimal places (max ${SCALE_DIGITS}): ${str}`);
  return BigInt(whole) * PICO_PER_MINOR + BigInt(frac.padEnd(SCALE_DIGITS, '0') || '0');
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`not a non-negative decimal: ${n}`);
  const text = String(n);
  if (!/e/i.test(text)) return text;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

/** A percentage ("0.1" = 0.1%) as a fraction scaled by 10¹². */
export function percentToScaledFraction(percent: string | number): bigint {
  const scaled = parseScaledDecimal(percent);
  if (scaled % 100n !== 0n) throw new RangeError(`percentage has too many decimal places: ${percent}`);
  return scaled / 100n;
}

/** A major-unit amount (rupees, dollars) in pico-minor units. */
export function majorToPico(amount: string | number): bigint {
  return parseScaledDecimal(amount) * 100n;
}

/** Rounds a pico-minor amount to a multiple of `unitPico` and returns whole minor units. */
export function roundPico(amount: bigint, unitPico: bigint, mode: RoundingMode): number {
  if (unitPico <= 0n) throw new RangeError('rounding unit must be positive');
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  let units = abs / unitPico;
  const rest = abs % unitPico;
  if (rest !== 0n) {
    // Half-up for 'nearest' (the convention of Indian contract notes); up/down away from/toward zero.
    if (mode === 'up' || (mode === 'nearest' && rest * 2n >= unitPico)) units += 1n;
  }
  const minorPico = units * unitPico;
  const minor = minorPico / PICO_PER_MINOR;
  if (minorPico % PICO_PER_MINOR !== 0n) throw new RangeError('rounding unit must be a whole number of minor units');
  return Number(negative ? -minor : minor);
}

export function minorToPico(minor: number): bigint {
  return BigInt(minor) * PICO_PER_MINOR;
}
