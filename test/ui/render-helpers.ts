import chalk from 'chalk';
import * as calendar from '../../src/market/calendar/index.js';
import type { DashboardSnapshot } from '../../src/ui/view-model/dashboard-model.js';
import { DashboardViewModel } from '../../src/ui/view-model/view-model.js';
import type { EventLog } from './fixtures.js';

export const ANSI = /\u001b\[[0-9;]*m/;

export function snapshotOf(log: EventLog, now: number): DashboardSnapshot {
  const vm = new DashboardViewModel({ calendar });
  vm.applyAll(log.events);
  return vm.snapshot(now);
}

/** Lines of a frame, each checked against the width the panel was given. */
export function linesOf(frame: string | undefined): string[] {
  return (frame ?? '').split('\n');
}

export function visible(line: string): number {
  return [...line.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/**
 * Ink colours through chalk, which turns itself off when stdout is not a terminal (as in tests).
 * Colour tests switch it on for their duration to see that the panels ask for colour at all.
 */
export function withChalkLevel<T>(level: 0 | 1, fn: () => T): T {
  const before = chalk.level;
  chalk.level = level;
  try {
    return fn();
  } finally {
    chalk.level = before;
  }
}

/** Resolves after pending input and React updates have been processed. */
export async function settle(): Promise<void> {
  // Ink flushes a lone Escape on the next check phase; state updates and control promises settle
  // in microtasks before the timer.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 20));
}
