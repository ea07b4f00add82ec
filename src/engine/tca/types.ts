import type { Side } from '../../domain/side.js';

/**
 * What transaction cost analysis needs to know about one parent order (a leg) and its fills,
 * whether it comes from ptexec's own store or from a file of executions made elsewhere.
 * Prices and money are minor units; prices may be fractional (a mid, a VWAP).
 */
export interface TcaOrder {
  id: string;
  runId?: string;
  leg?: number;
  symbol: string;
  exchange?: string;
  side: Side;
  /** S: the ordered quantity. */
  quantity: number;
  /** P_d: decision price (target file, else snapshot last). */
  decisionPrice?: number;
  /** P_0: arrival price (mid when the parent order started). */
  arrivalPrice?: number;
  /** P_n: price when the order ended, for the unfilled part. */
  endPrice?: number;
  /** Benchmarks given directly (from a file); otherwise computed from market samples. */
  benchmarks?: { vwap?: number; twap?: number; close?: number };
  /** Market volume over the order's life (own included), when given directly. */
  marketVolume?: number;
  algo?: string;
  broker?: string;
  currency?: string;
  startTs?: number;
  endTs?: number;
  fills: TcaFill[];
}

export interface TcaFill {
  quantity: number;
  price: number;
  /** Explicit charges booked on this fill, minor units. */
  charges: number;
  ts?: number;
}

/** A market print recorded during a run (`market.sampled`); volume is the day's cumulative. */
export interface MarketSample {
  ts: number;
  bid: number;
  ask: number;
  last: number;
  volume: number;
}

export type BenchmarkName = 'decision' | 'arrival' | 'vwap' | 'twap' | 'close';
export const BENCHMARKS: readonly BenchmarkName[] = ['decision', 'arrival', 'vwap', 'twap', 'close'];

/** Implementation shortfall terms (money, minor units) — positive = cost. */
export interface Shortfall {
  delay: number;
  trading: number;
  opportunity: number;
  charges: number;
  total: number;
}

export interface LegTca {
  id: string;
  runId: string | null;
  leg: number | null;
  symbol: string;
  exchange: string | null;
  side: Side;
  algo: string | null;
  broker: string | null;
  currency: string | null;
  ordered: number;
  filled: number;
  fillCount: number;
  fillRate: number;
  /** Σ q·p of the fills, minor units. */
  filledValue: number;
  /** P̄, null when nothing filled. */
  averagePrice: number | null;
  decisionPrice: number;
  arrivalPrice: number;
  endPrice: number;
  /** S·P_d: the value the shortfall is measured against. */
  paperValue: number;
  benchmarks: Record<BenchmarkName, number | null>;
  slippageBps: Record<BenchmarkName, number | null>;
  shortfall: Shortfall;
  shortfallBps: Shortfall;
  participation: number | null;
  marketVolume: number | null;
  startTs: number | null;
  endTs: number | null;
  durationMs: number | null;
  /** Quantity-weighted markouts in bps (EXECUTION.md sign: s·(P_{t+h} − P_fill)/P_fill). */
  markoutBps: { m1: number | null; m5: number | null };
  /** What had to be assumed (missing prices and the like). */
  notes: string[];
}

/** Totals of a set of legs that share a currency. */
export interface TcaTotals {
  currency: string | null;
  legs: number;
  ordered: number;
  filled: number;
  fillRate: number;
  paperValue: number;
  filledValue: number;
  shortfall: Shortfall;
  shortfallBps: Shortfall;
  slippageBps: Record<BenchmarkName, number | null>;
  markoutBps: { m1: number | null; m5: number | null };
  startTs: number | null;
  endTs: number | null;
  durationMs: number | null;
}

export interface TcaReport {
  runId: string | null;
  legs: LegTca[];
  totals: TcaTotals[];
}
