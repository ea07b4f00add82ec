import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { Planned } from '../engine/rebalance/rebalance-service.js';
import { formatDuration, parseDuration } from '../engine/algos/duration.js';
import { describeHolder } from '../store/account-lock.js';
import { ExitCode } from '../lib/exit-codes.js';
import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';
import type { PlanningSession } from './rebalance-command-service.js';

/** How often a run waiting for the account lock asks again (wall clock). */
export const LOCK_POLL_MS = 5_000;
/** How often it says it is still waiting. */
const REMIND_MS = 60_000;

/** `--wait-lock D`, checked before anything is opened (exit 2). */
export function parseWaitLock(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDuration(text);
  } catch (err) {
    throw new InvalidInputError(`--wait-lock ${text}: ${(err as Error).message}`, 'e.g. --wait-lock 10m');
  }
}

/**
 * Plans the target; while another process holds the account's lock, waits up to `waitMs` of
 * wall-clock time for it (the holder is another process, in real time), asking again every few
 * seconds and saying so, instead of giving up at once. What comes back may still be `locked`:
 * the caller reports it (exit 6). A stop signal ends the wait: `stopped`, exit 130, nothing sent.
 */
export async function planWaitingForLock(f: Factory, session: PlanningSession, waitMs: number | undefined): Promise<Planned | { kind: 'stopped'; result: CommandResult }> {
  const plan = () => session.driven.drive(session.service.plan(session.request));
  let planned = await plan();
  if (!waitMs || planned.kind !== 'locked') return planned;
  const { signal } = session.interrupt;
  const started = f.wallNow();
  let remindAt = started;
  while (planned.kind === 'locked' && !signal.aborted) {
    const now = f.wallNow();
    const left = started + waitMs - now;
    if (left <= 0) {
      f.io.info(`waited ${formatDuration(waitMs)} for the lock on ${session.service.lockKey}; giving up`);
      break;
    }
    if (now >= remindAt) {
      f.io.info(`${session.service.lockKey} is locked by ${describeHolder(planned.holder)}; waiting up to ${formatDuration(Math.ceil(left / 1000) * 1000)} for it (--wait-lock)`);
      remindAt = now + REMIND_MS;
    }
    await f.wallSleep(Math.min(LOCK_POLL_MS, left), signal);
    if (!signal.aborted) planned = await plan();
  }
  if (planned.kind === 'locked' && signal.aborted) {
    f.io.info('stopped while waiting for the lock: nothing was planned or sent');
    return { kind: 'stopped', result: { exitCode: ExitCode.interrupted, json: { status: 'interrupted', reason: String(signal.reason), sent: false } } };
  }
  return planned;
}
