import { runServiceFor } from './run-service.js';
import { resolve } from 'node:path';
import { parseTargetPortfolio } from '../domain/target-portfolio.js';
import { toMinor } from '../domain/money.js';
import type { Broker } from '../brokers/broker.js';
import { RebalanceService, type RebalanceRequest } from '../engine/rebalance/rebalance-service.js';
import { hashContent, isValidRunId } from '../engine/identity.js';
import { loadConfig } from '../lib/config.js';
import { BlockedError } from '../domain/errors/blocked-error.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { checkPlan, planRiskEvents } from '../engine/risk/index.js';
import { unsupportedOrderProblems } from '../engine/planner/order-support.js';
import type { AccountSnapshot, Plan } from '../domain/plan.js';
import { refuseWhileHalted, riskConfigFor } from './risk-services.js';
import { SqliteOrderHistory } from '../store/risk-queries.js';
import { postTradeHooks } from './post-trade-services.js';
import { ExitCode, type ExitCodeValue } from '../lib/exit-codes.js';
import type { Output } from '../lib/output.js';
import type { Store } from '../store/store.js';
import { clockFor } from './clock-for.js';
import { confirm } from './confirm.js';
import { executionFromFlags } from './execution-spec.js';
import { chooseBroker, openBroker } from './open-broker.js';
import { DEFAULT_MAX_INPUT_BYTES, readInput } from './read-input.js';
import { renderPlan } from './render/plan-view.js';
import { checkedRunJson, outcomeExitCode, renderOutcome, runResultJson } from './render/run-result.js';
import { tradingDateFor } from './trading-date.js';
import { interruptOnSignals } from './interrupt.js';
import { RunDisplay } from './run-display.js';
import type { RebalanceOutcome } from '../engine/rebalance/rebalance-service.js';
import { existingRunError, lockedError, runState } from './run-conflicts.js';
import { KillSwitch } from '../store/risk-queries.js';
import { getRun } from '../store/queries.js';

export interface RebalanceFlags {
  broker?: string;
  'dry-run': boolean;
  yes: boolean;
  'new-run': boolean;
  'run-id'?: string;
  algo: string;
  duration?: string;
  slices?: number;
  param?: string[];
  'min-trade-value'?: string;
  'band-pct'?: string;
  'liquidate-unlisted': boolean;
  'allow-partial': boolean;
  'allow-duplicate'?: boolean;
  risk?: string;
  speed?: string;
  seed?: number;
  'no-ui': boolean;
}

/**
 * `ptexec rebalance`: the terminal side of the rebalance flow (input, prompts, rendering, exit
 * codes) around {@link RebalanceService}, which owns the order of operations.
 */
export async function executeRebalance(ctx: { file: string; flags: RebalanceFlags; out: Output; store: () => Store; json: boolean }): Promise<{ exitCode: ExitCodeValue; json: unknown }> {
  const { flags, out } = ctx;
  const config = loadConfig();
  const input = await readInput(ctx.file, { maxBytes: config.input?.max_bytes ?? DEFAULT_MAX_INPUT_BYTES });
  const target = parseTargetPortfolio(input.text, input.source);
  const riskConfig = riskConfigFor(config, flags.risk);
  const brokerId = chooseBroker(flags.broker, target.broker, config);
  if (flags['run-id'] !== undefined && !isValidRunId(flags['run-id'])) throw new InvalidInputError(`--run-id ${flags['run-id']} is not valid`, 'use 4 to 10 lowercase letters and digits');
  const execution = executionFromFlags(flags);
  const postTrade = postTradeHooks(ctx.store(), config, brokerId);
  const planOptions = {
    defaultExecution: execution,
    estimateCharges: postTrade.estimateCharges,
    minTradeValue: flags['min-trade-value'] === undefined ? undefined : amountFlag('--min-trade-value', flags['min-trade-value']),
    bandPct: flags['band-pct'] === undefined ? undefined : percentFlag('--band-pct', flags['band-pct']),
    liquidateUnlisted: flags['liquidate-unlisted'],
  };
  if ((flags.seed !== undefined || flags.speed !== undefined) && brokerId !== 'paper') throw new InvalidInputError(`--seed and --speed work only with the paper broker (not ${brokerId})`);

  const store = ctx.store();
  if (!flags['dry-run']) refuseWhileHalted(store, 'nothing was sent');
  else if (new KillSwitch(store).isHalted().halted) out.warn('trading is halted: this plan cannot be sent until `ptexec unhalt`');
  const driven = clockFor(brokerId, flags.speed, store);
  const broker = await openBroker(brokerId, { store, clock: driven.clock, config, extra: flags.seed === undefined ? {} : { seed: flags.seed } });
  const interrupt = interruptOnSignals(out);
  const display = new RunDisplay(out, { json: ctx.json, noUi: flags['no-ui'] });
  const currency = (await broker.funds()).currency;
  const service = await runServiceFor({ store, broker, clock: driven.clock, riskConfig, signal: interrupt.signal, stop: interrupt.abort, out, display, afterFills: postTrade.afterFills });
  try {
    const request: RebalanceRequest = {
      target,
      targetText: input.text,
      source: input.source,
      // The run's identity is the wall-clock day: a simulated market ahead of it is not a new day.
      tradingDate: tradingDateFor(currency, Date.now()),
      dryRun: flags['dry-run'],
      runId: flags['run-id'],
      newRun: flags['new-run'],
      planOptions,
      options: { algo: execution.algo, params: execution.params, speed: flags.speed ?? null, seed: flags.seed ?? null, liquidate_unlisted: flags['liquidate-unlisted'], risk_file: flags.risk ? resolve(flags.risk) : null },
    };
    const prepared = await driven.drive(service.prepare(request));
    if (prepared.kind === 'existing') throw existingRunError(store, prepared.runId, broker.id, ctx.file);
    if (prepared.kind === 'locked') throw lockedError(store, service.lockKey, prepared.holder, prepared.runId);
    if (prepared.kind === 'resume') {
      // The lock is ours already: nobody else is executing this run.
      out.info(`run ${prepared.runId} for this target is unfinished (${runState(store, getRun(store, prepared.runId)!)}); resuming it`);
      const resumed = await display.around(() => driven.drive(service.resume(prepared.runId)), { store, runId: () => prepared.runId, stop: interrupt.abort });
      if ('kind' in resumed) throw lockedError(store, service.lockKey, resumed.holder, prepared.runId);
      return finish(out, ctx.json, prepared.runId, broker, resumed, interrupt.signal.aborted);
    }

    const { plan, runId } = prepared;
    const now = driven.clock.now();
    const unsupported = unsupportedOrderProblems(plan.legs, broker);
    if (unsupported.length) throw new InvalidInputError(`${broker.id} cannot take the orders some lines name; nothing was sent\n${unsupported.join('\n')}`, 'change those lines of the target file (README "Order types")');
    const checked = checkPlan(plan, prepared.snapshot, {
      config: riskConfig,
      now,
      // Orders are recorded in wall-clock time, which a paper run's clock is not.
      wallNow: Date.now(),
      runId,
      history: new SqliteOrderHistory(store),
      intent: { targetHash: hashContent(input.text), tradingDate: request.tradingDate },
      allowDuplicate: flags['allow-duplicate'],
    });
    const checks = planRiskEvents(runId, checked, now);
    const verdicts = checked.legs.map((l) => ({ leg: l.leg, verdict: l.verdict, reasons: l.reasons }));
    const blocked = new Set(checked.legs.filter((l) => l.verdict === 'block').map((l) => l.leg));
    const runBlocks = checked.run.filter((r) => r.level === 'block');
    const anyBlock = blocked.size > 0 || runBlocks.length > 0;
    const warnings = checked.legs.some((l) => l.verdict === 'warn') || checked.run.some((r) => r.level === 'warn');
    if (!ctx.json) {
      out.data(`${flags['dry-run'] ? 'Dry run' : 'Plan'} for ${broker.id} account ${broker.account} (run ${runId})`);
      renderPlan(out, plan, verdicts);
      for (const r of checked.run) out.data(`  ${r.level === 'block' ? out.c.red('✗') : out.c.yellow('!')} run: ${r.message} [${r.rule}]`);
    }
    const blockedWhat = [blocked.size ? `${blocked.size} leg${blocked.size === 1 ? '' : 's'}` : '', runBlocks.length ? `the run (${runBlocks.map((r) => r.rule).join(', ')})` : ''];
    const blockedWhy = `pre-trade checks blocked ${blockedWhat.filter(Boolean).join(' and ')}`;
    const blockedMessage = `${blockedWhy}; nothing was sent`;
    const checkedJson = (dryRun: boolean, status: string, reason: string | null) => checkedRunJson({ runId, broker: broker.id, account: broker.account, dryRun, status, reason, plan, checked });
    if (flags['dry-run']) {
      const exitCode = anyBlock && !flags['allow-partial'] ? ExitCode.blocked : ExitCode.ok;
      if (anyBlock && !ctx.json) out.info(blockedWhy);
      return { exitCode, json: checkedJson(true, anyBlock ? 'blocked' : 'planned', anyBlock ? blockedWhy : null) };
    }
    if (runBlocks.length || (blocked.size && !flags['allow-partial'])) {
      // The error below says it; the progress lines need not say it first.
      display.quietly(() => service.recordBlocked(request, prepared, checks, blockedMessage));
      throw new BlockedError(blockedMessage, blockedHint(runBlocks.map((r) => r.rule)), { result: checkedJson(false, 'blocked', blockedMessage) });
    }
    const legs = plan.legs.filter((l) => !blocked.has(l.index));
    if (blocked.size) out.warn(`sending ${legs.length} leg(s); ${blocked.size} blocked by the pre-trade checks are left out (--allow-partial)`);
    if (legs.length > 0 && !(await confirmed(out, broker, flags.yes, legs.length, warnings))) {
      out.info('nothing was sent');
      return { exitCode: ExitCode.ok, json: checkedJson(false, 'declined', 'not confirmed at the prompt; nothing was sent') };
    }
    const leftOut = checked.legs.filter((l) => blocked.has(l.leg)).map((l) => ({ leg: l.leg, reasons: l.reasons.filter((r) => r.level === 'block') }));
    const outcome = await display.around(() => driven.drive(service.execute(request, prepared, legs, checks, leftOut)), { store, runId: () => runId, stop: interrupt.abort });
    return finish(out, ctx.json, runId, broker, outcome, interrupt.signal.aborted);
  } finally {
    service.release();
    interrupt.dispose();
    await broker.close();
  }
}

function finish(out: Output, json: boolean, runId: string, broker: Broker, outcome: RebalanceOutcome, aborted: boolean) {
  if (!json) renderOutcome(out, runId, outcome);
  if (outcome.status === 'interrupted') out.info(`state saved; continue with \`ptexec resume ${runId}\``);
  const { status, reason, legs, blocked, skipped, notes } = outcome;
  return { exitCode: outcomeExitCode(status, aborted), json: runResultJson({ runId, broker: broker.id, account: broker.account, status, reason, legs, blocked, skipped, notes }) };
}

/**
 * Never require a prompt (CLI.md): on a terminal ask; `--yes` answers; without a terminal the
 * paper broker proceeds (no real money) and a real broker stops with exit 2.
 */
async function confirmed(out: Output, broker: Broker, yes: boolean, legs: number, warnings: boolean): Promise<boolean> {
  if (yes) return true;
  if (process.stdin.isTTY && process.stderr.isTTY) {
    return confirm(`Send ${legs} order${legs === 1 ? '' : 's'} to ${broker.id} account ${broker.account}${warnings ? ' despite the warnings above' : ''}?`);
  }
  if (broker.id === 'paper' && !warnings) return true;
  const why = warnings ? 'the pre-trade checks raised warnings' : `these are real orders to ${broker.id}`;
  throw new InvalidInputError(`refusing to send without confirmation: ${why} and there is no terminal to ask`, 'add --yes to confirm, or --dry-run to only plan');
}

function blockedHint(runRules: string[]): string {
  if (runRules.length === 0) return 'fix the blocked legs, or send the others with --allow-partial';
  if (runRules.every((r) => r === 'duplicate')) return 'an earlier run traded this same target; to send it again on purpose, add --allow-duplicate';
  return 'raise the limit in the risk configuration or trade less';
}

function amountFlag(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new InvalidInputError(`${name} ${text} is not a valid amount`, `give a non-negative number, e.g. ${name} 5000`);
  return toMinor(n);
}

function percentFlag(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidInputError(`${name} ${text} is not a percentage`, `give a number from 0 to 100, e.g. ${name} 0.5`);
  return n;
}
