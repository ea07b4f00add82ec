import type { IO } from '../lib/io.js';

/** One structured line on stderr per request and per server event: JSON, never a token or a credential. */
export type ServerLog = (entry: Record<string, unknown>) => void;

export function serverLog(io: IO, now: () => number = Date.now): ServerLog {
  return (entry) => io.info(JSON.stringify({ time: new Date(now()).toISOString(), ...entry }));
}
