import type { Currency } from './money.js';

export type Exchange = 'NSE' | 'BSE' | 'NYSE' | 'NASDAQ';

export const EXCHANGES: readonly Exchange[] = ['NSE', 'BSE', 'NYSE', 'NASDAQ'];

/** What ptexec needs to know about a tradable instrument; brokers fill it from their masters. */
export interface Instrument {
  symbol: string;
  exchange: Exchange;
  name: string;
  currency: Currency;
  /** Tick size in minor units (5 = ₹0.05). */
  tickSize: number;
  lotSize: number;
  isin?: string;
  sector?: string;
  /** Broker-specific token (Kite instrument_token, Upstox instrument key, …). */
  brokerToken?: string;
  /** Average daily volume in shares, when known. */
  adv?: number;
  /** Annualised volatility as a fraction (0.25 = 25%), when known. */
  volatility?: number;
}

/**
 * An instrument with the figures a simulated market derives its behaviour from: where its price
 * path starts, how much of it trades in a day, how much its price moves.
 */
export interface ListedInstrument extends Instrument {
  /** Starting price of the simulated path, minor units on the tick. */
  referencePrice: number;
  /** Average daily volume in shares. */
  adv: number;
  /** Annualised volatility as a fraction. */
  volatility: number;
}

export type InstrumentKey = `${string}:${string}`;

export function instrumentKey(exchange: string, symbol: string): InstrumentKey {
  return `${exchange}:${symbol}`;
}

export function parseInstrumentKey(key: string): { exchange: string; symbol: string } {
  const i = key.indexOf(':');
  return i < 0 ? { exchange: '', symbol: key } : { exchange: key.slice(0, i), symbol: key.slice(i + 1) };
}

/** A quote in minor units; `volume` is the day's cumulative traded volume. */
export interface Quote {
  symbol: string;
  exchange: Exchange;
  bid: number;
  ask: number;
  last: number;
  volume: number;
  /** Previous close, when known. */
  close?: number;
  ts: number;
}

export function mid(quote: Pick<Quote, 'bid' | 'ask'>): number {
  return (quote.bid + quote.ask) / 2;
}
