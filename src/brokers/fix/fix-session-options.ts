import type { Clock } from '../../domain/clock.js';
import type { FixMessage } from './codec.js';
import type { FixStore } from './fix-store.js';

/** What a FIX session is given: the counterparty, the agreed CompIDs and heartbeat, its credentials and store, and where its messages go. */
export interface FixSessionOptions {
  /** The session's name in config (`brokers.fix.sessions.<name>`), for messages. */
  name: string;
  host: string;
  port: number;
  /** TLS to the counterparty, with its CA (PEM) when it is not a public one. */
  tls?: { ca?: string; servername?: string };
  senderCompId: string;
  targetCompId: string;
  /** HeartBtInt(108), in ms here (sent as whole seconds, at least 1). */
  heartbeatMs: number;
  /** ResetSeqNumFlag(141)=Y on every Logon: both sequence numbers start at 1 again. */
  resetOnLogon: boolean;
  username?: string;
  password?: string;
  store: FixStore;
  clock: Clock;
  /** How long a Logon may go unanswered. */
  logonTimeoutMs?: number;
  reconnect?: { baseMs?: number; maxMs?: number };
  random?: () => number;
  /** An application message, in sequence (after any gap was filled), PossDup resends included. */
  onApplication(message: FixMessage): void;
  /** A session-level Reject(3) of one of our messages, with the reason. */
  onSessionReject?(refSeqNum: number, refMsgType: string | undefined, reason: string): void;
  /** The session went down (and reconnects by itself), came up, or finished filling a gap. */
  onState?(event: { type: 'down' | 'up' | 'recovered'; reason: string }): void;
}
