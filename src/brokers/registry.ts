import type { BrokerTables } from '../domain/broker-tables.js';
import type { Clock } from '../domain/clock.js';
import type { Exchange } from '../domain/instrument.js';
import type { Broker, BrokerTraits } from './broker.js';

/**
 * A broker's credentials, as the application resolved them (the environment, then the
 * credentials file). Adapters are given values; they never read files or the environment for
 * secrets.
 */
export interface BrokerCredentials {
  apiKey?: string;
  apiSecret?: string;
  accessToken?: string;
  userId?: string;
  /** Epoch ms, when the session's expiry is known. */
  expiresAt?: number;
}

/** What a broker adapter may need to be built. */
export interface BrokerDeps {
  /** The broker's own tables in the ptexec database (the paper broker keeps its account there). */
  tables: BrokerTables;
  clock: Clock;
  /** The broker's section of config.json (`brokers.<id>`), unvalidated: the adapter validates it. */
  config: Record<string, unknown>;
  /** For settings the environment may override (the API URLs of a test emulator); never secrets. */
  env: NodeJS.ProcessEnv;
  /** Given to brokers that log in (see BrokerRegistration.login). */
  credentials?: BrokerCredentials;
  /** A folder the adapter may cache downloads in (instrument lists). */
  cacheDir?: string;
  /** The exchange calendars (brokers cannot import the engine; the caller passes them in). */
  calendar?: {
    isOpen(exchange: Exchange, ts: number): boolean;
    settlementDate(exchange: Exchange, tradeDate: string): string;
  };
}

export type BrokerFactory = (deps: BrokerDeps) => Promise<Broker>;

/** A session a broker's login created (Kite: valid until about 06:00 the next day). */
export interface BrokerSession {
  accessToken: string;
  userId: string;
  userName?: string;
  loginTime: number;
  expiresAt: number;
}

/**
 * How a user logs in to a broker that needs it: open its login URL, paste back where it
 * redirected, and the one-time token there is exchanged for a session.
 */
export interface BrokerLogin {
  /** How prompts and messages name the broker and its keys. */
  labels: { broker: string; apiKey: string; apiSecret: string; keysWhere: string };
  loginUrl(apiKey: string): string;
  /** The one-time token in what the user pasted: the redirect URL, or the token alone. */
  requestToken(answer: string): string;
  createSession(apiKey: string, apiSecret: string, requestToken: string): Promise<BrokerSession>;
  /** Invalidates a session; a broker that already considers it invalid throws `BrokerError('auth')`. */
  deleteSession(apiKey: string, accessToken: string): Promise<void>;
}

/** How `ptexec config` reports a broker's settings. */
export interface BrokerSettingsReport {
  /** Where its section is in config.json: `paper`, `brokers.zerodha`. */
  path: string;
  /**
   * The section as the adapter resolves it (defaults and environment overrides applied), with
   * the variables that overrode a key (key → variable), or why it is not valid.
   */
  resolve(section: unknown, env: NodeJS.ProcessEnv): { settings: object; fromEnv?: Record<string, string> } | { error: string; fix: string };
}

export interface BrokerRegistration {
  /** What is known before the broker is opened (which flags apply, whether to confirm). */
  traits: BrokerTraits;
  create: BrokerFactory;
  /**
   * A simulated market's latest time as it recorded it in the database: its clock starts after
   * it, so the market never goes back.
   */
  marketTime?: (tables: BrokerTables) => number;
  /** Brokers that log in: their login flow, built from their config section. Credentials are resolved for them. */
  login?: (section: Record<string, unknown>, env: NodeJS.ProcessEnv, clock: Clock) => Promise<BrokerLogin>;
  settings?: BrokerSettingsReport;
}

/** Brokers that have a login, known before any adapter is loaded (the choices of `ptexec brokers login`). */
export const BROKERS_WITH_LOGIN = ['zerodha'] as const;

const registrations = new Map<string, BrokerRegistration>();

/** Adapters register themselves here (see src/brokers/index.ts), one line each. */
export function registerBroker(id: string, registration: BrokerRegistration): void {
  registrations.set(id, registration);
}

export function brokerRegistration(id: string): BrokerRegistration | undefined {
  return registrations.get(id);
}

export function registeredBrokers(): string[] {
  return [...registrations.keys()];
}
