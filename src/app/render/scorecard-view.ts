import { formatMinor } from '../../domain/money.js';
import type { Scorecard } from '../../engine/scorecard/types.js';
import type { Cell } from '../../lib/table.js';
import type { Output } from '../../lib/output.js';
import type { BrokerScorecardEntry, ScorecardReport } from '../scorecard-service.js';
import { money } from './json-contract.js';

function round(x: number | null, decimals: number): number | null {
  if (x === null) return null;
  const scale = 10 ** decimals;
  return Math.round(x * scale) / scale;
}

/** One scorecard's figures in the output contract's words (README "Broker scorecard"). */
export function scorecardJson(card: Scorecard) {
  return {
    runs: card.runs,
    legs: card.legs,
    ordered_quantity: card.ordered,
    filled_quantity: card.filled,
    fill_rate: round(card.fillRate, 6),
    child_orders: card.childOrders,
    rejected: card.rejected,
    cancelled: card.cancelled,
    cancelled_on_request: card.cancelledOnRequest,
    reject_rate: round(card.rejectRate, 6),
    cancel_rate: round(card.cancelRate, 6),
    unknown_outcomes: card.unknownOutcomes,
    unresolved: card.unresolved,
    latency: { measured: card.latency.measured, p50_ms: card.latency.p50Ms, p95_ms: card.latency.p95Ms },
    currencies: card.currencies.map((c) => ({
      currency: c.currency,
      legs: c.legs,
      fills: c.fills,
      ...money('traded_value', c.tradedValue, c.currency),
      arrival_slippage_bps: round(c.slippageBps, 2),
      slippage_legs: c.slippageLegs,
      ...money('charges', c.charges, c.currency),
      ...money('charged_value', c.chargedValue, c.currency),
      charges_bps: round(c.chargesBps, 2),
    })),
  };
}

/** `brokers scorecard --json`: schemas/brokers-scorecard.json. */
export function brokerScorecardJson(report: ScorecardReport) {
  return {
    since: report.since,
    until: report.until,
    brokers: report.brokers.map((b) => ({
      broker: b.broker,
      history: b.total !== null,
      total: b.total ? scorecardJson(b.total) : null,
      accounts: b.accounts.map(({ card, alias }) => ({ account: card.account!, alias, ...scorecardJson(card) })),
      idle_accounts: b.idleAliases,
    })),
  };
}

/** A labelled scorecard row: each account, and a broker's total when it traded for several. */
interface Labelled {
  broker: string;
  account: string;
  card: Scorecard;
}

function labelled(entry: BrokerScorecardEntry): Labelled[] {
  const rows = entry.accounts.map(({ card, alias }) => ({ broker: entry.broker, account: alias ? `${card.account} (${alias})` : card.account!, card }));
  if (entry.total && entry.accounts.length > 1) rows.push({ broker: entry.broker, account: `all ${entry.accounts.length} accounts`, card: entry.total });
  return rows;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const ms = (x: number | null) => (x === null ? '—' : `${x} ms`);
const bps = (x: number | null) => (x === null ? '—' : x.toFixed(1));

/** The scorecard on a terminal: quality per account, then money per account and currency (never summed across currencies). */
export function renderBrokerScorecard(out: Output, report: ScorecardReport): void {
  const window = report.since || report.until ? `trading dates ${report.since ?? 'from the first run'} to ${report.until ?? 'today'}` : 'all history';
  if (report.brokers.length === 0) {
    out.data(`No executions recorded (${window}): run \`ptexec rebalance\` first; the scorecard measures our own orders and fills.`);
    return;
  }
  out.data(`Broker scorecard, ${window}: our own executions; bps positive = cost`);
  const rows = report.brokers.flatMap(labelled);
  if (rows.length > 0) {
    out.data();
    out.table(
      [
        { header: 'broker' },
        { header: 'account' },
        { header: 'runs', align: 'right', priority: 2 },
        { header: 'legs', align: 'right' },
        { header: 'fill %', align: 'right' },
        { header: 'orders', align: 'right', priority: 3 },
        { header: 'reject %', align: 'right' },
        { header: 'cancel %', align: 'right', priority: 5 },
        { header: 'unknown', align: 'right', priority: 4 },
        { header: 'ack p50', align: 'right', priority: 6 },
        { header: 'ack p95', align: 'right', priority: 5 },
      ],
      rows.map(({ broker, account, card }): Cell[] => [
        broker,
        account,
        card.runs,
        card.legs,
        pct(card.fillRate),
        card.childOrders,
        pct(card.rejectRate),
        pct(card.cancelRate),
        card.unresolved > 0 ? `${card.unknownOutcomes} (${card.unresolved} open)` : card.unknownOutcomes,
        ms(card.latency.p50Ms),
        ms(card.latency.p95Ms),
      ]),
    );
    out.data();
    out.table(
      [
        { header: 'broker' },
        { header: 'account' },
        { header: 'ccy' },
        { header: 'legs', align: 'right', priority: 2 },
        { header: 'traded value', align: 'right' },
        { header: 'vs arrival bps', align: 'right' },
        { header: 'charges', align: 'right', priority: 3 },
        { header: 'charges bps', align: 'right' },
      ],
      rows.flatMap(({ broker, account, card }) =>
        card.currencies.map((c): Cell[] => [broker, account, c.currency, c.legs, formatMinor(c.tradedValue), bps(c.slippageBps), c.chargedValue > 0 ? formatMinor(c.charges) : '—', bps(c.chargesBps)]),
      ),
    );
  }
  const idle = report.brokers.filter((b) => b.total === null || b.idleAliases.length > 0);
  if (idle.length > 0) out.data();
  for (const b of idle) {
    if (b.total === null) out.data(`${b.broker}: no executions recorded (${window})${b.idleAliases.length ? ` for ${b.idleAliases.join(', ')}` : ''}`);
    else out.data(`${b.broker}: no executions recorded (${window}) for ${b.idleAliases.join(', ')}`);
  }
}
