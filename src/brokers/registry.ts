import type { BrokerTables } from '../domain/broker-tables.js';
import type { Clock } from '../domain/clock.js';
import type { Exchange, Instrument, ListedInstrument } from '../domain/instrument.js';
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
  refreshToken?: string;
  userId?: string;
  /** Epoch ms, when the session's expiry is known. */
  expiresAt?: number;
  /** Every stored field by its credentials-file name (`client_code`, `pin`, …), for brokers that need more than a key and a token. */
  values?: Record<string, string>;
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
  /** The instance of a broker family (`fix:<session>` → the session's name, as config.json spells it). */
  instance?: string;
  /** Given to brokers that log in (see BrokerRegistration.login), and to those that name `credentialFields`. */
  credentials?: BrokerCredentials;
  /** A folder the adapter may cache downloads in (instrument lists). */
  cacheDir?: string;
  /**
   * The listed market a simulated broker offers beyond its built-in instruments (the shipped NSE
   * list and the user's imports), read on first use: brokers read no data files of the package.
   */
  listedInstruments?: () => readonly ListedInstrument[];
  /** A file shipped in the package's `data/` folder (the paper market's model). */
  shippedData?: (path: string) => URL;
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
  /** Brokers that renew a session without a person (Fyers: refresh token + PIN). */
  refreshToken?: string;
  refreshExpiresAt?: number;
}

/**
 * One value a broker's login needs, by its credentials-file name (`api_key`, `client_code`,
 * `totp_secret`, …). It comes from `PTEXEC_<BROKER>_<NAME>`, else the credentials file, else a
 * prompt on a terminal (and what was asked is stored in the file for the next login).
 */
export interface LoginField {
  name: string;
  /** How the prompt names it: "Kite Connect API key". */
  label: string;
  /** Asked without echo; never printed. */
  secret: boolean;
  /** Not needed to log in (a TOTP secret, when the user can type the code instead). */
  optional?: boolean;
}

/** How a login talks to the user: lines on stderr, and questions (a terminal, else the first piped line). */
export interface LoginConversation {
  info(line: string): void;
  /** Asks a question; on no terminal the first line on stdin answers the first question (possibly empty), and no other can be answered. */
  ask(question: string, secret?: boolean): Promise<string>;
}

/**
 * How a user logs in to a broker that needs it: a browser redirect whose one-time code is
 * exchanged for a session (Kite, Upstox, Fyers), or credentials alone (Angel One: client code,
 * PIN and TOTP). Brokers that can renew a session without a person say how (`renew`).
 */
export interface BrokerLogin {
  /** How messages name the broker, and where its keys are found. */
  labels: { broker: string; keysWhere: string };
  /** What `logIn` needs, in the order it is asked for. */
  fields: readonly LoginField[];
  /** Logs in with the fields' values (absent optional fields are missing from `values`). */
  logIn(values: Record<string, string>, conversation: LoginConversation): Promise<BrokerSession>;
  /**
   * Renews an expired session without a person, when the broker allows it and the stored values
   * suffice (Fyers: refresh token + PIN; Angel One: a stored TOTP secret). Throws
   * `BrokerError('auth')` when it cannot.
   */
  renew?(values: Record<string, string>, session: { refreshToken?: string; refreshExpiresAt?: number }): Promise<BrokerSession>;
  /** Invalidates a session; a broker that already considers it invalid throws `BrokerError('auth')`. */
  deleteSession(values: Record<string, string>, accessToken: string): Promise<void>;
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
  /**
   * A broker family: its id takes an instance after a colon (`fix:<session>`), one of the names
   * its config section gives (here: `brokers.<family>`). The adapter gets the instance in
   * `BrokerDeps.instance`; its section and tables are the family's.
   */
  instances?: (section: Record<string, unknown>) => string[];
  /** Credentials a broker without a login flow reads (a FIX session's password): `PTEXEC_<ID>_<FIELD>` or the credentials file. */
  credentialFields?: readonly string[];
  /** The broker's instrument master as a file the user downloaded (`ptexec paper universe import FILE`). */
  instrumentFile?: InstrumentFileFormat;
}

/**
 * A broker's instrument master as a file: told apart from other files by its start, read by the
 * parser the adapter itself uses (loaded only when such a file is given), so a file gives the
 * listings `--from <broker>` gives.
 */
export interface InstrumentFileFormat {
  /** How messages name it: "Upstox's instrument master (complete.json.gz)". */
  label: string;
  /** Whether a file starting with `head` (its first few kilobytes) is this master. */
  recognises(head: string): boolean;
  /** The master's NSE and BSE cash equities, and how many records the file holds in all. Throws `BrokerError('protocol')` on a file it cannot read. */
  reader(): Promise<(text: string) => { instruments: Instrument[]; records: number }>;
}

/** Brokers that have a login, known before any adapter is loaded (the choices of `ptexec brokers login`). */
export const BROKERS_WITH_LOGIN = ['zerodha', 'upstox', 'fyers', 'angelone', 'groww', 'schwab', 'alpaca', 'ibkr'] as const;

/**
 * What makes a broker's stored or environment credentials a usable session, where it is not an
 * API key with an unexpired access token: Alpaca's key pair is itself the session (no daily
 * login), and IBKR's session lives in the Client Portal Gateway, which `brokers login ibkr`
 * checked and recorded. Known before any adapter is loaded, like `BROKERS_WITH_LOGIN`.
 */
export const SESSION_EVIDENCE: Partial<Record<(typeof BROKERS_WITH_LOGIN)[number], readonly ('apiKey' | 'apiSecret' | 'accessToken')[]>> = {
  alpaca: ['apiKey', 'apiSecret'],
  ibkr: ['accessToken'],
};

const registrations = new Map<string, BrokerRegistration>();

/** Adapters register themselves here (see src/brokers/index.ts), one line each. */
export function registerBroker(id: string, registration: BrokerRegistration): void {
  registrations.set(id, registration);
}

/** A registered id, or a family's `<family>:<instance>` (the instance is checked against the config by the caller). */
export function brokerRegistration(id: string): BrokerRegistration | undefined {
  const direct = registrations.get(id);
  if (direct) return direct;
  const { family, instance } = splitBrokerId(id);
  const registration = registrations.get(family);
  return instance !== undefined && registration?.instances ? registration : undefined;
}

/** `fix:ldn` → family `fix`, instance `ldn`; a plain id is its own family. */
export function splitBrokerId(id: string): { family: string; instance?: string } {
  const colon = id.indexOf(':');
  return colon < 0 ? { family: id } : { family: id.slice(0, colon), instance: id.slice(colon + 1) };
}

export function registeredBrokers(): string[] {
  return [...registrations.keys()];
}
