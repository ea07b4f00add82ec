import { resolve } from 'node:path';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { toMinor } from '../domain/money.js';
import type { ExecutionSpec } from '../domain/plan.js';
import { parseTargetPortfolio } from './loaders/target-file.js';
import type { TargetPortfolio } from '../domain/target-portfolio.js';
import { isValidRunId } from '../engine/identity.js';
import type { PlanOptions } from '../engine/planner/plan-rebalance.js';
import { afterMarketExecution } from './after-market.js';
import { driftTradingOptions, type DriftTradingFlags } from './band-input.js';
import { executionFromFlags, type ExecutionFlags } from './execution-spec.js';
import type { Factory } from './factory.js';
import { DEFAULT_MAX_INPUT_BYTES, readInput } from './read-input.js';

/** The flags that say what to plan (`rebalance` and `check`). */
export interface PlanFlags extends ExecutionFlags, DriftTradingFlags {
  broker?: string;
  'min-trade-value'?: string;
  'band-pct'?: string;
  'liquidate-unlisted': boolean;
  risk?: string;
}

/** The flags of `ptexec rebalance`. */
export interface RebalanceFlags extends PlanFlags {
  /** Absent unless given (the command line sets no default). */
  'dry-run'?: boolean;
  yes: boolean;
  'new-run': boolean;
  'run-id'?: string;
  'allow-partial': boolean;
  'allow-duplicate'?: boolean;
  speed?: string;
  seed?: number;
  'no-ui': boolean;
  /** `--at`: when to start (README "Running unattended"). */
  at?: string;
  /** `--wait-lock`: how long to wait for another run's account lock. */
  'wait-lock'?: string;
  /** `--log-file`: where the run's log goes. */
  'log-file'?: string;
  /** `--amo`: after-market orders for the next session. */
  amo?: boolean;
  /** `--account a`: the configured account to trade; `--accounts all|a,b`: several (README "Accounts and routing"). */
  account?: string;
  accounts?: string;
  /** `--no-failover`: a group's unsent legs stay with an account whose broker went down (default: they move). */
  failover?: boolean;
}

/** A target and the flags around it, read and validated before any broker is opened. */
export interface TargetInput {
  brokerId: string;
  target: TargetPortfolio;
  text: string;
  source: string;
  execution: ExecutionSpec;
  planOptions: PlanOptions;
  /** Recorded with the run (flags, algorithm), never secrets. */
  options: Record<string, unknown>;
}

/**
 * Reads the target (a file, or `-` for stdin) and validates it and every flag, in the order the
 * user meets them, before any broker is opened: nothing invalid reaches a broker (exit 2).
 */
export async function readTargetInput(f: Factory, file: string, flags: TargetInputFlags): Promise<TargetInput> {
  const config = await f.config();
  const input = await readInput(file, { maxBytes: config.input?.max_bytes ?? DEFAULT_MAX_INPUT_BYTES, stdin: () => f.io.stdin });
  return targetInputFrom(f, input, flags);
}

type TargetInputFlags = PlanFlags & Partial<Pick<RebalanceFlags, 'run-id' | 'speed' | 'seed' | 'amo'>>;

/** A target already read (a request's body), validated with its flags exactly as a file is. */
export async function targetInputFrom(f: Factory, input: { text: string; source: string }, flags: TargetInputFlags): Promise<TargetInput> {
  const target = parseTargetPortfolio(input.text, input.source);
  // The limits are validated now, so that a bad risk file is reported before any broker is asked.
  await f.risk(flags.risk);
  const brokerId = await f.chooseBroker(flags.broker, target.broker);
  if (flags['run-id'] !== undefined && !isValidRunId(flags['run-id'])) throw new InvalidInputError(`--run-id ${flags['run-id']} is not valid`, 'use 4 to 10 lowercase letters and digits');
  const execution = flags.amo ? afterMarketExecution(executionFromFlags(flags), target) : executionFromFlags(flags);
  const postTrade = await f.postTrade(brokerId);
  const planOptions: PlanOptions = {
    defaultExecution: execution,
    estimateCharges: postTrade.estimateCharges,
    minTradeValue: flags['min-trade-value'] === undefined ? undefined : amountFlag('--min-trade-value', flags['min-trade-value']),
    bandPct: flags['band-pct'] === undefined ? undefined : percentFlag('--band-pct', flags['band-pct']),
    liquidateUnlisted: flags['liquidate-unlisted'],
    ...driftTradingOptions(flags, target),
  };
  if ((flags.seed !== undefined || flags.speed !== undefined) && !(await f.brokerTraits(brokerId)).acceptsSpeed) {
    throw new InvalidInputError(`--seed and --speed work only with the paper broker (not ${brokerId})`);
  }
  const options = {
    algo: execution.algo,
    params: execution.params,
    speed: flags.speed ?? null,
    seed: flags.seed ?? null,
    liquidate_unlisted: flags['liquidate-unlisted'],
    risk_file: flags.risk ? resolve(flags.risk) : null,
    ...(planOptions.band ? { band: planOptions.band, to: planOptions.toBand ? 'band' : 'target' } : {}),
    ...(planOptions.cashOnly !== undefined ? { cash_only: planOptions.cashOnly } : {}),
    ...(flags.amo ? { amo: true } : {}),
  };
  return { brokerId, target, text: input.text, source: input.source, execution, planOptions, options };
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
