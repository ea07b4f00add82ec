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
