import { formatDuration } from '../engine/algos/duration.js';
import { refuseWhileHalted } from '../engine/risk/halted.js';
import { ExitCode } from '../lib/exit-codes.js';
import type { Output } from '../lib/output.js';
import type { CommandResult } from './command-result.js';
import type { DrivenClock, Factory } from './factory.js';
import type { TargetInput } from './rebalance-input.js';
import { parseStartAt, startTime, targetExchange } from './start-at.js';

/**
 * `rebalance --at`: waits for the start before the broker is opened and anything is planned
 * (a kill switch that is on refuses the run first, exit 3);
 * a stop signal during the wait ends the command with exit 130 and nothing sent. Undefined when
 * the run may go on.
 */
export async function waitForStartAt(f: Factory, target: TargetInput, flags: { at?: string; speed?: string; 'dry-run'?: boolean }): Promise<CommandResult | undefined> {
  if (flags.at === undefined) return undefined;
  const at = parseStartAt(flags.at);
  // Halted now: say so at once rather than after the wait (the check is made again before sending).
  if (!flags['dry-run']) refuseWhileHalted(f.killSwitch(), 'nothing was sent');
  const exchange = targetExchange(target.target);
  const [driven, traits] = await Promise.all([f.clock(target.brokerId, flags.speed), f.brokerTraits(target.brokerId)]);
  const start = startTime(at, exchange, driven.clock.now(), traits.simulatedMarket);
  const interrupt = f.io.interruptOnSignals();
  try {
    if (await waitToStart(f.io, driven, start, interrupt.signal)) return undefined;
  } finally {
    interrupt.dispose();
  }
  f.io.info('stopped while waiting to start: nothing was planned or sent');
  return { exitCode: ExitCode.interrupted, json: { status: 'interrupted', reason: String(interrupt.signal.reason), start_at: new Date(start.at).toISOString(), sent: false } };
}

/**
 * Waits on the run's clock until `at` (a simulated market at `--speed max` jumps there), before
 * anything is planned or sent: a countdown on a terminal, one line otherwise (a log). Returns
 * false when a stop signal ended the wait.
 */
export async function waitToStart(io: Output, driven: DrivenClock, start: { at: number; label: string }, signal: AbortSignal): Promise<boolean> {
  const { clock } = driven;
  if (start.at <= clock.now()) return true;
  const countdown = io.stderrIsTTY && !io.jsonMode;
  io.info(`waiting until ${start.label}, ${formatDuration(Math.ceil((start.at - clock.now()) / 1000) * 1000)} from now; nothing is planned or sent before (Ctrl-C stops)`);
  await driven.drive(
    (async () => {
      while (!signal.aborted && clock.now() < start.at) {
        const left = start.at - clock.now();
        if (countdown) io.statusLine(`starting in ${formatDuration(Math.ceil(left / 1000) * 1000)}`);
        await clock.sleep(countdown ? left % 1000 || 1000 : left, signal);
      }
    })(),
  );
  if (countdown) io.statusLine('');
  return !signal.aborted;
}
