import { WireError } from '../exchange/emulator-server.js';
import type { SimExchange, SimInstrument } from '../exchange/sim-exchange.js';

/**
 * Alpaca's trailing stops in the emulator (`type: "trailing_stop"`): exactly one of
 * `trail_price` (dollars) and `trail_percent`, day or gtc, a single order. The stop stands the trail
 * away from the water mark (`hwm`: the highest last price since placement for a sell, the lowest
 * for a buy), on the cent and away from the market; each `move` follows the market, and the
 * order triggers into a market order like a stop. Moving the stop is not a stream event.
 */
interface TrailState {
  side: 'BUY' | 'SELL';
  /** Hundredths of a percent, or cents: one of the two. */
  basisPoints?: number;
  cents?: number;
  mark: number;
}

type Body = Record<string, unknown>;
const problem = (status: number, code: number, message: string) => new WireError(status, { code, message });

export class AlpacaTrailingStops {
  private readonly trails = new Map<string, TrailState>();

  constructor(private readonly exchange: SimExchange) {}

  /** The trail of a placement, checked as Alpaca checks it; undefined for other types (which may not carry one). */
  parse(body: Body, type: string, tif: string, cents: (body: Body, field: string) => number): Omit<TrailState, 'side' | 'mark'> | undefined {
    const hasPrice = body.trail_price !== undefined && body.trail_price !== null;
    const hasPercent = body.trail_percent !== undefined && body.trail_percent !== null;
    if (type !== 'trailing_stop') {
      if (hasPrice || hasPercent) throw problem(422, 40010001, 'trail_price and trail_percent are only for trailing_stop orders');
      return undefined;
    }
    if (!['day', 'gtc'].includes(tif)) throw problem(422, 40010001, 'trailing_stop orders must be day or gtc orders');
    if (hasPrice && hasPercent) throw problem(422, 40010001, 'only one of trail_price and trail_percent may be specified');
    if (!hasPrice && !hasPercent) throw problem(422, 40010001, 'trail_price or trail_percent is required for trailing_stop orders');
    if (body.order_class !== undefined && body.order_class !== '' && body.order_class !== 'simple') throw problem(422, 40010001, 'trailing_stop orders must be simple orders');
    if (hasPrice) {
      const c = cents(body, 'trail_price');
      if (c <= 0) throw problem(422, 40010001, 'invalid trail_price');
      return { cents: c };
    }
    const v = body.trail_percent;
    if (typeof v !== 'string' || !/^\d+(\.\d+)?$/.test(v) || !(Number(v) > 0) || Number(v) >= 100) throw problem(422, 40010001, 'invalid trail_percent');
    const basisPoints = Number(v) * 100;
    if (Math.abs(basisPoints - Math.round(basisPoints)) > 1e-6) throw problem(422, 40010001, 'invalid trail_percent: at most two decimals');
    return { basisPoints: Math.round(basisPoints) };
  }

  /** The first stop of a new trailing stop, from the instrument's last price. */
  firstStop(trail: Omit<TrailState, 'side' | 'mark'>, side: 'BUY' | 'SELL', inst: SimInstrument): number {
    return this.stopOf({ ...trail, side, mark: inst.last });
  }

  start(id: string, trail: Omit<TrailState, 'side' | 'mark'>, side: 'BUY' | 'SELL', inst: SimInstrument): void {
    this.trails.set(id, { ...trail, side, mark: inst.last });
  }

  isTrailing(id: string): boolean {
    return this.trails.has(id);
  }

  /** The fields Alpaca shows for a trailing stop. */
  fields(id: string): { trail_percent: string | null; trail_price: string | null; hwm: string | null } {
    const t = this.trails.get(id);
    if (!t) return { trail_percent: null, trail_price: null, hwm: null };
    return { trail_percent: t.basisPoints === undefined ? null : String(t.basisPoints / 100), trail_price: t.cents === undefined ? null : (t.cents / 100).toFixed(2), hwm: (t.mark / 100).toFixed(2) };
  }

  /** Follows the market: every untriggered trailing stop's mark and stop move with the last price. `quietly` runs a change that is not streamed. */
  move(quietly: (fn: () => void) => void): void {
    for (const [id, t] of this.trails) {
      const o = this.exchange.order(id);
      if (!o || o.phase !== 'trigger_pending') continue;
      const last = this.exchange.instrument(o.exchange, o.symbol)!.last;
      t.mark = t.side === 'SELL' ? Math.max(t.mark, last) : Math.min(t.mark, last);
      const stop = this.stopOf(t);
      if (stop !== o.trigger) quietly(() => this.exchange.modify(id, { trigger: stop }));
    }
  }

  private stopOf(t: TrailState): number {
    if (t.side === 'SELL') return t.cents !== undefined ? t.mark - t.cents : Math.floor((t.mark * (10_000 - t.basisPoints!)) / 10_000);
    return t.cents !== undefined ? t.mark + t.cents : Math.ceil((t.mark * (10_000 + t.basisPoints!)) / 10_000);
  }
}
