import type { Broker } from '../../brokers/broker.js';
import type { Clock } from '../../domain/clock.js';
import { BlockedError } from '../../domain/errors/blocked-error.js';
import { DatabaseBusyError } from '../../domain/errors/database-busy.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { StorageError } from '../../domain/errors/storage-error.js';
import { newEvent, type NewEvent, type RunControlRequested, type RunCreated, type RunPlanned, type StoredEvent } from '../../domain/events/index.js';
import { UNFINISHED_RUN } from '../../domain/run-status.js';
import { instrumentKey, type Instrument, type InstrumentKey } from '../../domain/instrument.js';
import type { AccountSnapshot, BlockedLeg, Leg, Plan, SkippedLine } from '../../domain/plan.js';
import { writeWhenFree } from '../busy-retry.js';
import { deriveRunId, hashContent } from '../identity.js';
import { accountSnapshotEvent } from '../ledger/snapshot.js';
import { unsupportedOrderProblems } from '../planner/order-support.js';
import { planRebalance } from '../planner/plan-rebalance.js';
import { takeSnapshot } from '../planner/snapshot.js';
import type { AccountLocks, BusyPolicy, EventLog, RunDirectory } from '../ports.js';
import { checkPlan } from '../risk/check-plan.js';
import { dailyOrdersFor } from '../risk/daily-orders.js';
import type { RiskConfig } from '../risk/config.js';
import { planRiskEvents } from '../risk/events.js';
import { refuseWhileHalted } from '../risk/halted.js';
import type { HaltReader, OrderHistory } from '../risk/types.js';
import { ExecutionRuntime, type RunOutcome, type RuntimeDeps, type RuntimeOptions } from '../runtime/execution-runtime.js';
import type { OrderGuard } from '../runtime/guards.js';
import { decide, type CheckedPlan } from './checked-plan.js';
import { legsAfterFailovers } from './failover-legs.js';
import type { RebalanceRequest } from './rebalance-request.js';
import { conclude, statusEvent, summarise, type LeftOut, type RebalanceOutcome } from './run-outcome.js';

export type { CheckedPlan } from './checked-plan.js';
export type { RebalanceRequest } from './rebalance-request.js';
export type { RebalanceOutcome } from './run-outcome.js';

export interface RebalanceDeps {
  log: EventLog;
  runs: RunDirectory;
  locks: AccountLocks;
  broker: Broker;
  clock: Clock;
  /** The pre-trade limits a plan is checked against, and the account's order history (duplicates, working sells). */
  risk?: { config: RiskConfig; history?: OrderHistory };
  /** The wall clock, which orders are recorded in (the duplicate window); default the engine's clock. */
  wallClock?: () => number;
  guard?: OrderGuard;
  halt?: HaltReader;
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

/** What planning a target found: a run to report or resume instead, another run's lock, or the checked plan. */
export type Planned =
  | { kind: 'existing'; runId: string; status: string }
  | { kind: 'resume'; runId: string; status: string }
  | { kind: 'locked'; runId: string; holder: { runId: string; pid: number; hostname: string } }
  | CheckedPlan;

type Prepared = Exclude<Planned, CheckedPlan> | { kind: 'plan'; runId: string; plan: Plan; snapshot: AccountSnapshot };


/** Another run holds the account. */
type Locked = { kind: 'locked'; holder: { runId: string; pid: number; hostname: string } };

/**
 * The rebalance flow of DESIGN.md, which every front end goes through: `plan` identifies the
 * run, takes the account lock, snapshots, plans, refuses orders the broker cannot take, runs the
 * pre-trade checks and decides what may be sent (recording a run they block); `execute` records
 * and works a plan `plan` checked, and nothing else. The caller (a command) owns the terminal
 * and the confirmation; this service owns the order of operations.
 */
export class RebalanceService {
  private held?: { key: string; runId: string };
  /** The plans this service checked, with the check events `execute` records with the run. */
  private readonly issued = new WeakMap<CheckedPlan, { checks: NewEvent[] }>();

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

  private recordEvents(request: RebalanceRequest, runId: string, plan: Plan, legs: readonly Leg[], blocked: readonly BlockedLeg[] = []): NewEvent[] {
    const { broker } = this.deps;
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
          ...(request.group ? { group: request.group.id, ...(request.group.failoverOf ? { failoverOf: request.group.failoverOf } : {}), routes: request.group.routes } : {}),
        } satisfies RunCreated['payload'],
      },
      {
        runId,
        type: 'run.planned',
        payload: {
          legs: [...legs],
          skipped: plan.skipped,
          notes: plan.notes,
          ...(blocked.length ? { blocked: [...blocked] } : {}),
          accountValue: plan.accountValue,
          cashBefore: plan.cashBefore,
          currency: plan.currency,
        } satisfies RunPlanned['payload'],
      },
    ];
  }

  /**
   * Plans `request` and checks the plan: the checked plan, or what stands in the way (the run
   * exists, another process holds the account, an unfinished run to resume). A run that was to
   * be sent and that the checks stop is recorded `blocked` here, with every verdict.
   */
  async plan(request: RebalanceRequest): Promise<Planned> {
    if (!request.dryRun && this.deps.halt) refuseWhileHalted(this.deps.halt, 'nothing was sent');
    const prepared = await this.prepare(request);
    if (prepared.kind !== 'plan') return prepared;
    const { runId, plan, snapshot } = prepared;
    const { broker, clock } = this.deps;
    const unsupported = unsupportedOrderProblems(plan.legs, broker);
    if (unsupported.length) throw new InvalidInputError(`${broker.id} cannot take the orders some lines name; nothing was sent\n${unsupported.join('\n')}`, 'change those lines of the target file (README "Order types")');
    if (!this.deps.risk) throw new Error('RebalanceService.plan needs the pre-trade limits (deps.risk)');
    const now = clock.now();
    const risk = checkPlan(plan, snapshot, {
      config: this.deps.risk.config,
      now,
      // Orders are recorded in wall-clock time, which a simulated market's clock is not.
      wallNow: this.deps.wallClock?.(),
      runId,
      history: this.deps.risk.history,
      intent: { targetHash: hashContent(request.targetText), tradingDate: request.tradingDate },
      allowDuplicate: request.allowDuplicate,
      dailyOrders: dailyOrdersFor(broker.capabilities.orderRate.perDay, this.deps.risk.history, { broker: snapshot.broker, account: snapshot.account, tradingDate: request.tradingDate }),
    });
    const checks = planRiskEvents(runId, risk, now);
    const checked = { kind: 'checked', runId, request, plan, snapshot, risk, ...decide(plan, risk, request.allowPartial ?? false) } as CheckedPlan;
    this.issued.set(checked, { checks });
    if (checked.refusal && !request.dryRun) {
      // The caller reports the blocked run with its plan; its events are not progress to show.
      this.record([...this.recordEvents(request, runId, plan, plan.legs), ...checks, statusEvent(runId, 'blocked', checked.refusal.message)], { quietly: true });
    }
    return Object.freeze(checked);
  }

  private async prepare(request: RebalanceRequest): Promise<Prepared> {
    let runId = this.runIdFor(request);
    if (!request.dryRun) {
      // A run stopped by the pre-trade checks sent nothing: the same target may be tried again
      // (after fixing the file or the limits) under the next attempt's id.
      for (let attempt = 2; this.deps.runs.runStatus(runId)?.status === 'blocked' && !request.runId; attempt++) {
        runId = this.runIdFor({ ...request, attempt });
      }
      const existing = this.deps.runs.runStatus(runId);
      const unfinished = existing && !existing.dryRun && UNFINISHED_RUN.has(existing.status) ? existing.status : undefined;
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
   * Records the run and its plan, then works every leg to the end. Takes only a plan this
   * service checked that is not a dry run and that the checks did not stop; the legs they
   * blocked (`allowPartial`) are recorded as left out, with their reasons.
   */
  async execute(checked: CheckedPlan): Promise<RebalanceOutcome> {
    const issued = this.issued.get(checked);
    if (!issued) throw new Error('RebalanceService.execute takes only a plan this service checked (RebalanceService.plan)');
    if (checked.request.dryRun) throw new Error('a dry run is planned and checked, never executed');
    if (checked.refusal) throw new BlockedError(checked.refusal.message, checked.refusal.hint);
    const { runId, snapshot, plan, request, legs, blocked } = checked;
    const leftOut: LeftOut = { blocked: [...blocked], skipped: plan.skipped, notes: plan.notes };
    const nothing = legs.length ? undefined : conclude({ status: 'completed', reason: 'nothing to trade', legs: [] }, leftOut);
    await this.recordWhenFree([
      ...this.recordEvents(request, runId, plan, legs, blocked),
      // The account as the run found it: the baseline for reconciliation and P&L.
      accountSnapshotEvent({ broker: snapshot.broker, account: snapshot.account, reason: 'run-start', holdings: snapshot.holdings, positions: snapshot.positions ?? [], funds: snapshot.funds }, runId),
      ...issued.checks,
      nothing ? statusEvent(runId, nothing.status, nothing.reason, summarise(nothing)) : statusEvent(runId, 'running'),
    ]);
    return nothing ?? this.work(runId, [...legs], snapshot.instruments, 'run', leftOut);
  }

  /** Continues an unfinished run from its events (after a crash, Ctrl-C, a halt or a lost login). */
  async resume(runId: string): Promise<RebalanceOutcome | Locked> {
    const taken = await this.takeOver(runId, 'resumed');
    if ('kind' in taken) return taken;
    await this.recordWhenFree(statusEvent(runId, 'running', 'resumed'));
    const started = this.deps.log.events({ runId, types: ['order.created'], limit: 1 }).length > 0;
    // A run that never started has no parent orders: legs a failover moved whole are not started here.
    const legs = started ? taken.legs : taken.legs.filter((l) => l.quantity > 0);
    return this.work(runId, legs, taken.instruments, started ? 'resume' : 'run', taken.leftOut);
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
    this.recordEnd(statusEvent(runId, status, reason, summarise({ ...outcome, ...taken.leftOut })));
    return { outcome: { ...outcome, status, reason }, stillOpen };
  }

  /** Checks that a recorded run belongs to this broker account and takes its lock; its legs and instruments. */
  private async takeOver(runId: string, what: string): Promise<{ legs: Leg[]; leftOut: LeftOut; instruments: Map<InstrumentKey, Instrument> } | Locked> {
    const { log, broker } = this.deps;
    const created = log.events({ runId, types: ['run.created'] })[0];
    const planned = log.events({ runId, types: ['run.planned'] })[0];
    if (!created || !planned) throw new InvalidInputError(`run ${runId} has no recorded plan; it cannot be ${what}`, 'start it again with ptexec rebalance');
    const meta = created.payload;
    if (meta.broker !== broker.id || meta.account !== broker.account) {
      throw new InvalidInputError(`run ${runId} belongs to ${meta.broker} account ${meta.account}, not ${broker.id} account ${broker.account}`, `use --broker ${meta.broker}`);
    }
    const lock = this.deps.locks.acquire(this.lockKey, runId);
    if (!lock.ok) return { kind: 'locked', holder: lock.holder };
    this.held = { key: this.lockKey, runId };
    const plan = planned.payload;
    const legs = legsAfterFailovers(plan.legs, log.events({ runId, types: ['run.failover'] }).map((e) => e.payload));
    const leftOut: LeftOut = { blocked: plan.blocked ?? [], skipped: plan.skipped, notes: plan.notes };
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
      const legs = planned.payload.legs;
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
  private record(events: NewEvent | NewEvent[], options: { quietly?: boolean } = {}): void {
    const marketTs = this.deps.clock.now();
    const stored = this.deps.log.append((Array.isArray(events) ? events : [events]).map((e) => ({ ...e, marketTs })));
    if (!options.quietly) this.deps.onEvents?.(stored);
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
        this.recordEnd(statusEvent(runId, 'interrupted', err instanceof Error ? err.message : String(err)));
      } catch {
        // The database that stopped the run may refuse this too; the run's status stays as it
        // was, which resume treats like a crash. What stopped the run is what the user must see.
      }
      throw err instanceof StorageError ? err.inRun(runId) : err;
    }
    const outcome = conclude(worked, leftOut);
    try {
      this.recordEnd(statusEvent(runId, outcome.status, outcome.reason, summarise(outcome)));
      // A run must not end "completed" into a file that is no longer the database.
      this.deps.log.checkIntact?.();
    } catch (err) {
      throw err instanceof StorageError ? err.inRun(runId) : err;
    }
    return outcome;
  }
}
