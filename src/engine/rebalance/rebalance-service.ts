import type { Broker } from '../../brokers/broker.js';
import type { Clock } from '../../domain/clock.js';
import { DatabaseBusyError } from '../../domain/errors/database-busy.js';
import type { NewEvent, RunControlRequested, RunCreated, RunPlanned, RunStatus, RunStatusChanged, StoredEvent } from '../../domain/events.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { StorageError } from '../../domain/errors/storage-error.js';
import { instrumentKey, type Instrument, type InstrumentKey } from '../../domain/instrument.js';
import type { AccountSnapshot, BlockedLeg, Leg, Plan, SkippedLine } from '../../domain/plan.js';
import type { TargetPortfolio } from '../../domain/target-portfolio.js';
import { deriveRunId, hashContent } from '../identity.js';
import { accountSnapshotEvent } from '../ledger/snapshot.js';
import { planRebalance, type PlanOptions } from '../planner/plan-rebalance.js';
import { takeSnapshot } from '../planner/snapshot.js';
import { writeWhenFree } from '../busy-retry.js';
import type { AccountLocks, BusyPolicy, EventLog, RunDirectory } from '../ports.js';
import { ExecutionRuntime, type RunOutcome, type RuntimeDeps, type RuntimeOptions } from '../runtime/execution-runtime.js';
import type { HaltState, OrderGuard } from '../runtime/guards.js';

export interface RebalanceDeps {
  log: EventLog;
  runs: RunDirectory;
  locks: AccountLocks;
  broker: Broker;
  clock: Clock;
  guard?: OrderGuard;
  halt?: HaltState;
  signal?: AbortSignal;
  onEvents?: (events: StoredEvent[]) => void;
  runtimeOptions?: Partial<RuntimeOptions>;
  /** Crash-test hook (see RuntimeDeps.failpoint). */
  failpoint?: (name: string) => void;
  /** Post-trade bookings for the fills of one engine step (see RuntimeDeps.afterFills). */
  afterFills?: RuntimeDeps['afterFills'];
  /** Another process holding the database: how long a write waits for it (see BusyPolicy). */
  busy?: BusyPolicy;
}

export interface RebalanceRequest {
  target: TargetPortfolio;
  /** The exact input text: part of the run id, so the same file on the same day is the same run. */
  targetText: string;
  source: string;
  tradingDate: string;
  dryRun: boolean;
  runId?: string;
  newRun?: boolean;
  planOptions: PlanOptions;
  /** Recorded with the run (flags, algorithm), never secrets. */
  options: Record<string, unknown>;
}

export type Prepared =
  | { kind: 'existing'; runId: string; status: string }
  | { kind: 'resume'; runId: string; status: string }
  | { kind: 'locked'; runId: string; holder: { runId: string; pid: number; hostname: string } }
  | { kind: 'plan'; runId: string; plan: Plan; snapshot: AccountSnapshot };

const UNFINISHED: ReadonlySet<string> = new Set(['planned', 'running', 'paused', 'interrupted']);

/**
 * What a run did, with the lines of its target it left out: legs the pre-trade checks blocked
 * (`--allow-partial`) and buys the plan dropped for lack of cash. Either makes a run whose traded
 * legs all completed `partial`, never `completed`.
 */
export interface RebalanceOutcome extends Omit<RunOutcome, 'status'> {
  status: RunOutcome['status'] | 'partial';
  blocked: BlockedLeg[];
  skipped: SkippedLine[];
  notes: string[];
}

/** The lines a run leaves out, as recorded with its plan. */
type LeftOut = Pick<RebalanceOutcome, 'blocked' | 'skipped' | 'notes'>;

/** Another run holds the account. */
type Locked = { kind: 'locked'; holder: { runId: string; pid: number; hostname: string } };

/**
 * The rebalance flow of DESIGN.md: identify the run, take the account lock, snapshot, plan,
 * then (after the caller's checks and confirmation) record and execute. The caller (a command)
 * owns the terminal; this service owns the order of operations.
 */
export class RebalanceService {
  private held?: { key: string; runId: string };

  constructor(private readonly deps: RebalanceDeps) {}

  get lockKey(): string {
    return `${this.deps.broker.id}:${this.deps.broker.account}`;
  }

  runIdFor(request: Pick<RebalanceRequest, 'targetText' | 'tradingDate' | 'runId' | 'newRun'> & { attempt?: number }): string {
    if (request.runId) return request.runId;
    const nonce = [request.newRun ? String(this.deps.clock.now()) : '', request.attempt ? `attempt-${request.attempt}` : ''].join('');
    return deriveRunId({
      targetHash: hashContent(request.targetText),
      broker: this.deps.broker.id,
      account: this.deps.broker.account,
      tradingDate: request.tradingDate,
      nonce: nonce || undefined,
    });
  }

  /** Records a run that the pre-trade checks stopped: the plan, every check, and why nothing was sent. */
  recordBlocked(request: RebalanceRequest, prepared: Extract<Prepared, { kind: 'plan' }>, checks: NewEvent[], reason: string): void {
    this.record([...this.recordEvents(request, prepared, prepared.plan.legs), ...checks, this.status(prepared.runId, 'blocked', reason)]);
  }

  private recordEvents(request: RebalanceRequest, prepared: Extract<Prepared, { kind: 'plan' }>, legs: Leg[], blocked: BlockedLeg[] = []): NewEvent[] {
    const { broker } = this.deps;
    const { runId, plan } = prepared;
    return [
      {
        runId,
        type: 'run.created',
        payload: {
          runId,
          broker: broker.id,
          account: broker.account,
          tradingDate: request.tradingDate,
          targetHash: hashContent(request.targetText),
          source: request.source,
          dryRun: false,
          options: request.options,
        } satisfies RunCreated['payload'],
      },
      {
        runId,
        type: 'run.planned',
        payload: {
          legs,
          skipped: plan.skipped,
          notes: plan.notes,
          ...(blocked.length ? { blocked } : {}),
          accountValue: plan.accountValue,
          cashBefore: plan.cashBefore,
          currency: plan.currency,
        } satisfies RunPlanned['payload'],
      },
    ];
  }

  async prepare(request: RebalanceRequest): Promise<Prepared> {
    let runId = this.runIdFor(request);
    if (!request.dryRun) {
      // A run stopped by the pre-trade checks sent nothing: the same target may be tried again
      // (after fixing the file or the limits) under the next attempt's id.
      for (let attempt = 2; this.deps.runs.runStatus(runId)?.status === 'blocked' && !request.runId; attempt++) {
        runId = this.runIdFor({ ...request, attempt });
      }
      const existing = this.deps.runs.runStatus(runId);
      const unfinished = existing && !existing.dryRun && UNFINISHED.has(existing.status) ? existing.status : undefined;
      if (existing && !existing.dryRun && !unfinished) return { kind: 'existing', runId, status: existing.status };
      // The lock before the offer to resume: an unfinished run may be live in another process.
      const lock = this.deps.locks.acquire(this.lockKey, runId);
      if (!lock.ok) return { kind: 'locked', runId, holder: lock.holder };
      this.held = { key: this.lockKey, runId };
      if (unfinished) return { kind: 'resume', runId, status: unfinished };
    }
    // Fills of exits earlier runs left working are recorded before the account is read again.
    if (!request.dryRun) await this.catchUpLeftWorking();
    const snapshot = await takeSnapshot(this.deps.broker, request.target, this.deps.clock);
    const plan = planRebalance(request.target, snapshot, request.planOptions);
    return { kind: 'plan', runId, plan, snapshot };
  }

  /**
   * Records the run and its plan, then works every leg to the end. `blocked`: legs of the plan
   * the pre-trade checks blocked, left out of `legs` by `--allow-partial`, with the reasons.
   */
  async execute(
    request: RebalanceRequest,
    prepared: Extract<Prepared, { kind: 'plan' }>,
    legs: Leg[] = prepared.plan.legs,
    checks: NewEvent[] = [],
    blocked: { leg: number; reasons: BlockedLeg['reasons'] }[] = [],
  ): Promise<RebalanceOutcome> {
    const { runId, snapshot, plan } = prepared;
    const blockedLegs = blocked.map(({ leg, reasons }) => {
      const l = plan.legs.find((p) => p.index === leg)!;
      return { leg, symbol: l.symbol, exchange: l.exchange, side: l.side, quantity: l.quantity, reasons: reasons.map((r) => ({ rule: r.rule, message: r.message })) };
    });
    const leftOut: LeftOut = { blocked: blockedLegs, skipped: plan.skipped, notes: plan.notes };
    const nothing = legs.length ? undefined : this.conclude({ status: 'completed', reason: 'nothing to trade', legs: [] }, leftOut);
    await this.recordWhenFree([
      ...this.recordEvents(request, prepared, legs, blockedLegs),
      // The account as the run found it: the baseline for reconciliation and P&L.
      accountSnapshotEvent({ broker: snapshot.broker, account: snapshot.account, reason: 'run-start', holdings: snapshot.holdings, positions: snapshot.positions ?? [], funds: snapshot.funds }, runId),
      ...checks,
      nothing ? this.status(runId, nothing.status, nothing.reason, summarise(nothing)) : this.status(runId, 'running'),
    ]);
    return nothing ?? this.work(runId, legs, prepared.snapshot.instruments, 'run', leftOut);
  }

  /** Continues an unfinished run from its events (after a crash, Ctrl-C, a halt or a lost login). */
  async resume(runId: string): Promise<RebalanceOutcome | Locked> {
    const taken = await this.takeOver(runId, 'resumed');
    if ('kind' in taken) return taken;
    await this.recordWhenFree(this.status(runId, 'running', 'resumed'));
    const started = this.deps.log.events({ runId, types: ['order.created'], limit: 1 }).length > 0;
    return this.work(runId, taken.legs, taken.instruments, started ? 'resume' : 'run', taken.leftOut);
  }

  /**
   * Cancels at the broker the open orders of an unfinished run that no process is executing
   * (see ExecutionRuntime.cancelOpen); sends nothing else. `ptexec cancel` ends the leg(s):
   * the request is recorded as a `run.control` event, and the run ends `incomplete` (or stays
   * `interrupted`, resumable, when one leg was cancelled). The kill switch (`endLegs: false`)
   * leaves the legs open and the run `interrupted`, as a running engine does when halted.
   */
  async cancelStopped(runId: string, options: { by: string; leg?: number; endLegs: boolean; reason: string }): Promise<{ outcome: RunOutcome; stillOpen: string[] } | Locked> {
    const taken = await this.takeOver(runId, 'cancelled');
    if ('kind' in taken) return taken;
    if (options.endLegs) {
      const control: RunControlRequested['payload'] = { action: 'cancel', by: options.by, ...(options.leg === undefined ? {} : { leg: options.leg }) };
      await this.recordWhenFree({ runId, type: 'run.control', payload: control });
    }
    const { outcome, stillOpen } = await this.runtime(runId, taken.instruments).cancelOpen(taken.legs, options);
    const ended = options.endLegs && options.leg === undefined && !stillOpen.length && outcome.status !== 'interrupted';
    let reason = outcome.status === 'interrupted' ? outcome.reason : options.reason;
    if (stillOpen.length) reason = `${stillOpen.length} order(s) could not be cancelled: ${stillOpen.join(', ')}`;
    else if (!ended && options.endLegs && options.leg !== undefined) reason = `leg ${options.leg} ${options.reason}; \`ptexec resume ${runId}\` continues the others`;
    const status = ended ? outcome.status : 'interrupted';
    this.recordEnd(this.status(runId, status, reason, summarise({ ...outcome, ...taken.leftOut })));
    return { outcome: { ...outcome, status, reason }, stillOpen };
  }

  /** Checks that a recorded run belongs to this broker account and takes its lock; its legs and instruments. */
  private async takeOver(runId: string, what: string): Promise<{ legs: Leg[]; leftOut: LeftOut; instruments: Map<InstrumentKey, Instrument> } | Locked> {
    const { log, broker } = this.deps;
    const created = log.events({ runId, types: ['run.created'] })[0];
    const planned = log.events({ runId, types: ['run.planned'] })[0];
    if (!created || !planned) throw new InvalidInputError(`run ${runId} has no recorded plan; it cannot be ${what}`, 'start it again with ptexec rebalance');
    const meta = created.payload as RunCreated['payload'];
    if (meta.broker !== broker.id || meta.account !== broker.account) {
      throw new InvalidInputError(`run ${runId} belongs to ${meta.broker} account ${meta.account}, not ${broker.id} account ${broker.account}`, `use --broker ${meta.broker}`);
    }
    const lock = this.deps.locks.acquire(this.lockKey, runId);
    if (!lock.ok) return { kind: 'locked', holder: lock.holder };
    this.held = { key: this.lockKey, runId };
    const plan = planned.payload as RunPlanned['payload'];
    const legs = plan.legs as Leg[];
    const leftOut: LeftOut = { blocked: (plan.blocked ?? []) as BlockedLeg[], skipped: plan.skipped as SkippedLine[], notes: plan.notes };
    const found = await broker.instruments(legs.map((l) => ({ symbol: l.symbol, exchange: l.exchange })));
    return { legs, leftOut, instruments: new Map<InstrumentKey, Instrument>(found.map((i) => [instrumentKey(i.exchange, i.symbol), i])) };
  }

  /**
   * Records what the broker did with orders finished runs left working (a bracket's exits):
   * their fills, status changes and resizes, under their own runs. Sends nothing. Returns the
   * runs it looked at.
   */
  async catchUpLeftWorking(): Promise<string[]> {
    const { broker } = this.deps;
    const runIds = this.deps.runs.runsLeavingWorkingOrders?.(broker.id, broker.account) ?? [];
    for (const runId of runIds) {
      const planned = this.deps.log.events({ runId, types: ['run.planned'] })[0];
      if (!planned) continue;
      const legs = (planned.payload as RunPlanned['payload']).legs as Leg[];
      const found = await broker.instruments(legs.map((l) => ({ symbol: l.symbol, exchange: l.exchange })));
      await this.runtime(runId, new Map(found.map((i) => [instrumentKey(i.exchange, i.symbol), i]))).catchUp(legs);
    }
    return runIds;
  }

  /**
   * Appends the run's own events and shows them to whoever watches this process (dashboard,
   * progress). They are recorded together, at the engine's clock now (their market time): the
   * checks and the snapshot made before the confirmation carry no earlier time, so the market
   * times of a run's events never go backwards.
   */
  private record(events: NewEvent | NewEvent[]): void {
    const marketTs = this.deps.clock.now();
    const stored = this.deps.log.append((Array.isArray(events) ? events : [events]).map((e) => ({ ...e, marketTs })));
    this.deps.onEvents?.(stored);
  }

  /** `record`, waiting while another process holds the database (as the busy policy allows). */
  private async recordWhenFree(events: NewEvent | NewEvent[]): Promise<void> {
    await writeWhenFree(() => this.record(events), this.deps.clock, this.deps.busy, this.deps.signal);
  }

  /**
   * The run's last status, when the database lets us write it (one try: a run that stops because
   * another process holds the database has waited already). If it is still held, the run shows
   * its last recorded status (`running`) until `ptexec resume` takes it over and finishes it:
   * nothing is lost, since every fact the run acted on is already on disk.
   */
  private recordEnd(event: NewEvent): void {
    // A process whose lock was removed or taken over no longer speaks for the run.
    if (this.held && this.deps.locks.holds && !this.deps.locks.holds(this.held.key, this.held.runId)) return;
    try {
      this.record(event);
    } catch (err) {
      if (!(err instanceof DatabaseBusyError)) throw err;
    }
  }

  release(): void {
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    try {
      this.deps.locks.release(held.key, held.runId);
    } catch (err) {
      // A database that cannot be written keeps the lock row, and the failure that caused it is
      // already on its way to the user; the lock of a process that has exited is taken over.
      if (!(err instanceof StorageError)) throw err;
    }
  }

  private runtime(runId: string, instruments: Map<InstrumentKey, Instrument>): ExecutionRuntime {
    return new ExecutionRuntime({
      log: this.deps.log,
      broker: this.deps.broker,
      clock: this.deps.clock,
      runId,
      instruments,
      guard: this.deps.guard,
      halt: this.deps.halt,
      signal: this.deps.signal,
      onEvents: this.deps.onEvents,
      options: this.deps.runtimeOptions,
      failpoint: this.deps.failpoint,
      afterFills: this.deps.afterFills,
      busy: this.deps.busy,
    });
  }

  private async work(runId: string, legs: Leg[], instruments: Map<InstrumentKey, Instrument>, mode: 'run' | 'resume', leftOut: LeftOut): Promise<RebalanceOutcome> {
    const runtime = this.runtime(runId, instruments);
    let worked: RunOutcome;
    try {
      worked = mode === 'run' ? await runtime.run(legs) : await runtime.resume(legs);
    } catch (err) {
      try {
        this.recordEnd(this.status(runId, 'interrupted', err instanceof Error ? err.message : String(err)));
      } catch {
        // The database that stopped the run may refuse this too; the run's status stays as it
        // was, which resume treats like a crash. What stopped the run is what the user must see.
      }
      throw err instanceof StorageError ? err.inRun(runId) : err;
    }
    const outcome = this.conclude(worked, leftOut);
    try {
      this.recordEnd(this.status(runId, outcome.status, outcome.reason, summarise(outcome)));
      // A run must not end "completed" into a file that is no longer the database.
      this.deps.log.checkIntact?.();
    } catch (err) {
      throw err instanceof StorageError ? err.inRun(runId) : err;
    }
    return outcome;
  }

  /** A run whose traded legs all completed is `partial` when lines of its target were left out. */
  private conclude(worked: RunOutcome, leftOut: LeftOut): RebalanceOutcome {
    const outcome: RebalanceOutcome = { ...worked, ...leftOut };
    if (worked.status !== 'completed') return outcome;
    const dropped = leftOut.skipped.filter((s) => s.unmet);
    if (!leftOut.blocked.length && !dropped.length) return outcome;
    const count = (n: number) => `${n} leg${n === 1 ? '' : 's'}`;
    const names = (lines: { symbol: string }[]) => lines.map((l) => l.symbol).join(', ');
    const parts = [
      ...(leftOut.blocked.length ? [`${count(leftOut.blocked.length)} blocked by the pre-trade checks (${names(leftOut.blocked)})`] : []),
      ...(dropped.length ? [`${count(dropped.length)} dropped for lack of cash (${names(dropped)})`] : []),
    ];
    return { ...outcome, status: 'partial', reason: parts.join(', ') };
  }

  private status(runId: string, status: RunStatus, reason?: string, summary?: Record<string, unknown>) {
    const payload: RunStatusChanged['payload'] = { status, ...(reason ? { reason } : {}), ...(summary ? { summary } : {}) };
    return { runId, type: 'run.status', payload };
  }
}

function summarise(outcome: RebalanceOutcome): Record<string, unknown> {
  const count = (o: string) => outcome.legs.filter((l) => l.outcome === o).length;
  return {
    legs: outcome.legs.length + outcome.blocked.length,
    complete: count('complete'),
    partial: count('partial'),
    unfilled: count('unfilled'),
    rejected: count('rejected'),
    cancelled: count('cancelled'),
    blocked: outcome.blocked.length,
    skipped: outcome.skipped.filter((s) => s.unmet).length,
    traded_value: outcome.legs.reduce((s, l) => s + Math.round(l.filled * l.averagePrice), 0),
  };
}
