import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';
import type { TradeCharges } from '../charges-service.js';
import { money, price } from './json-contract.js';

/** `ptexec charges`: the trade, each charge, the total in bps and the net amount. */
export function renderTradeCharges(out: Output, t: TradeCharges): void {
  const cur = t.market.currency === 'INR' ? '₹' : '$';
  out.paragraph(`${t.market.scheduleName} — ${t.side} ${t.quantity} @ ${cur}${formatMinor(t.price)} on ${t.exchange} (value ${cur}${formatMinor(t.value)})`);
  out.table(
    [{ header: 'charge', truncate: true, minWidth: 20 }, { header: 'amount', align: 'right' }],
    [...t.components.map((c) => [`${c.label}${c.uncertain ? ' (uncertain)' : ''}`, formatMinor(c.amount)]), [out.c.bold('Total'), out.c.bold(formatMinor(t.total))]],
  );
  out.data(`${((t.total / t.value) * 10_000).toFixed(2)} bps of the trade value; net ${t.side === 'buy' ? 'cost' : 'proceeds'} ${cur}${formatMinor(t.net)}`);
  if (t.components.some((c) => c.uncertain)) out.warn('figures marked uncertain could not be confirmed from the broker\'s published schedule; check them');
}

/** `charges --json` (README "Output contract"): every amount with its `*_minor` twin. */
export function tradeChargesJson(t: TradeCharges) {
  const c = t.market.currency;
  return {
    broker: t.broker,
    schedule: t.market.scheduleName,
    exchange: t.exchange,
    currency: c,
    side: t.side,
    quantity: t.quantity,
    price: price(t.price, c),
    ...money('value', t.value, c),
    components: t.components.map((k) => ({ id: k.id, label: k.label, ...money('amount', k.amount, c), uncertain: k.uncertain })),
    ...money('total', t.total, c),
    total_bps: Number(((t.total / t.value) * 10_000).toFixed(4)),
    ...money('net', t.net, c),
  };
}
