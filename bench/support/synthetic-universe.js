// Synthetic NSE instruments for the scaling bench: SYN00001…, prices from ₹100 to ₹4,100 on the
// 5-paise tick, liquid enough that a leg of a few dozen shares fills at once.

/** The first `n` synthetic instruments, the same on every call. */
export function syntheticUniverse(n) {
  return Array.from({ length: n }, (_, i) => {
    const referencePrice = 10_000 + ((i * 7_919) % 80_000) * 5;
    return { symbol: syntheticSymbol(i), exchange: 'NSE', name: `Synthetic ${i}`, currency: 'INR', tickSize: 5, lotSize: 1, sector: `S${i % 20}`, adv: 5_000_000, volatility: 0.25, referencePrice };
  });
}

export function syntheticSymbol(i) {
  return `SYN${String(i + 1).padStart(5, '0')}`;
}

/** A target buying 10 to 29 shares of each of the first `n` synthetic instruments. */
export function syntheticTarget(n) {
  const lines = ['symbol,target_quantity'];
  for (let i = 0; i < n; i++) lines.push(`${syntheticSymbol(i)},${10 + (i % 20)}`);
  return `${lines.join('\n')}\n`;
}

/** The risk config of the synthetic benches: every limit off, so they measure the path, not the checks' verdicts. */
export const NO_LIMITS = {
  order: { max_quantity: null, max_value: null },
  child: { max_quantity: null, max_value: null },
  price_band: { max_pct: null, warn_pct: null },
  liquidity: { max_adv_pct: null, warn_adv_pct: null, when_adv_unknown: 'pass' },
  concentration: { max_position_pct: null, max_group_pct: null },
  run: { max_turnover_value: null, max_turnover_pct: null, max_orders: null, max_child_orders: null },
  duplicates: { window_seconds: 0 },
  session: { enforce: false },
};
