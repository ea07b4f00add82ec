/**
 * Trade ids in the order people read them: runs of digits compare as numbers, the rest as text,
 * so the paper broker's `P000000002-16` (order 2, 16 filled so far) comes before `P000000002-150`.
 */
export function compareTradeIds(a: string, b: string): number {
  const x = a.match(/\d+|\D+/g) ?? [];
  const y = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    if (/^\d/.test(p) && /^\d/.test(q)) {
      // Compared as digit strings without leading zeros: exact for ids longer than a double holds.
      const m = p.replace(/^0+(?=\d)/, '');
      const n = q.replace(/^0+(?=\d)/, '');
      if (m.length !== n.length) return m.length - n.length;
      if (m !== n) return m < n ? -1 : 1;
      continue;
    }
    return p < q ? -1 : 1;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}
