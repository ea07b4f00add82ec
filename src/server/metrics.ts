import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StoredEvent } from '../domain/events/index.js';

/** What the metrics start from: the runs' statuses and the kill switch as the database has them when the server starts. */
export interface MetricsBaseline {
  runs: { run_id: string; status: string }[];
  halted: boolean;
}

/**
 * `/metrics` (Prometheus text): counted from the events as the store records them (`onEvents`,
 * fed by `Store.onAppend`), never by reading the tables again. Every event this server's process
 * records is seen — runs it executes, controls, halts; runs other processes execute on the same
 * database are not.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly ordersSent = new Counter({ name: 'ptexec_orders_sent_total', help: 'Orders sent to a broker (the intent recorded before the request left)', labelNames: ['broker'], registers: [this.registry] });
  private readonly fills = new Counter({ name: 'ptexec_fills_total', help: 'Fills recorded', labelNames: ['broker'], registers: [this.registry] });
  private readonly rejections = new Counter({ name: 'ptexec_order_rejections_total', help: 'Orders the broker rejected, by reason', labelNames: ['broker', 'reason'], registers: [this.registry] });
  private readonly riskBlocks = new Counter({ name: 'ptexec_risk_blocks_total', help: 'Pre-trade and send-time checks that blocked, by rule', labelNames: ['rule'], registers: [this.registry] });
  private readonly breakerTrips = new Counter({ name: 'ptexec_breaker_trips_total', help: 'Breakers tripped, by breaker', labelNames: ['breaker'], registers: [this.registry] });
  private readonly killSwitch = new Gauge({ name: 'ptexec_kill_switch_halted', help: '1 while trading is halted (ptexec halt), else 0', registers: [this.registry] });
  private readonly placeLatency = new Histogram({
    name: 'ptexec_order_place_latency_seconds',
    help: 'From an order sent to the broker answering it (accepted or rejected), per broker',
    labelNames: ['broker'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly runsByStatus = new Gauge({ name: 'ptexec_runs', help: 'Runs in the database by status', labelNames: ['status'], registers: [this.registry] });
  private readonly subscribers = new Gauge({ name: 'ptexec_stream_subscribers', help: 'Clients following the live event stream', labelNames: ['transport'], registers: [this.registry] });
  /** Orders sent and not yet answered: their broker and when they left. */
  private readonly inFlight = new Map<string, { broker: string; sentAt?: number }>();
  /** Runs that may still change status (finished runs never do). */
  private readonly runStatus = new Map<string, string>();

  constructor(baseline: MetricsBaseline) {
    for (const run of baseline.runs) {
      this.runsByStatus.inc({ status: run.status });
      this.runStatus.set(run.run_id, run.status);
    }
    this.killSwitch.set(baseline.halted ? 1 : 0);
  }

  /** The stream module's count of its subscribers (`transport`: websocket, sse). */
  setStreamSubscribers(transport: string, count: number): void {
    this.subscribers.set({ transport }, count);
  }

  readonly onEvents = (events: readonly StoredEvent[]): void => {
    for (const e of events) this.count(e);
  };

  private count(e: StoredEvent): void {
    switch (e.type) {
      case 'order.created':
        this.inFlight.set(e.payload.clientOrderId, { broker: e.payload.broker });
        break;
      case 'order.status':
        this.orderStatus(e.payload, e.ts);
        break;
      case 'fill.recorded':
        this.fills.inc({ broker: e.payload.broker });
        break;
      case 'risk.checked':
        for (const r of e.payload.verdict === 'block' ? e.payload.reasons.filter((x) => x.level === 'block') : []) this.riskBlocks.inc({ rule: r.rule });
        break;
      case 'run.breaker_tripped':
        this.breakerTrips.inc({ breaker: e.payload.breaker });
        break;
      case 'risk.halted':
        this.killSwitch.set(1);
        break;
      case 'risk.unhalted':
        this.killSwitch.set(0);
        break;
      case 'run.created':
        this.moveRun(e.payload.runId, 'planned');
        break;
      case 'run.status':
        if (e.runId) this.moveRun(e.runId, e.payload.status);
        break;
      default:
        break;
    }
  }

  private orderStatus(p: { clientOrderId: string; to: string; reason?: string }, ts: number): void {
    const order = this.inFlight.get(p.clientOrderId);
    if (!order) return;
    if (p.to === 'pending_submit') {
      this.ordersSent.inc({ broker: order.broker });
      order.sentAt = ts;
      return;
    }
    if (p.to === 'rejected') this.rejections.inc({ broker: order.broker, reason: reasonLabel(p.reason) });
    if (order.sentAt !== undefined && (p.to === 'accepted' || p.to === 'rejected' || p.to === 'unknown')) {
      if (p.to !== 'unknown') this.placeLatency.observe({ broker: order.broker }, Math.max(0, ts - order.sentAt) / 1000);
      this.inFlight.delete(p.clientOrderId);
    }
  }

  private moveRun(runId: string, status: string): void {
    const before = this.runStatus.get(runId);
    if (before === status) return;
    if (before !== undefined) this.runsByStatus.dec({ status: before });
    this.runsByStatus.inc({ status });
    this.runStatus.set(runId, status);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** A rejection's reason as a label: a few words, numbers (prices, ids) folded, so the label has few values. */
function reasonLabel(reason: string | undefined): string {
  if (!reason) return 'unspecified';
  return reason.toLowerCase().replace(/[0-9][0-9.,]*/g, '#').replace(/\s+/g, ' ').trim().slice(0, 60);
}
