import { setTimeout as sleep } from 'node:timers/promises';
import type { Broker, BrokerTraits } from '../brokers/broker.js';
import type { BrokerLogin, BrokerRegistration, BrokerSession } from '../brokers/registry.js';
import type { Clock } from '../domain/clock.js';
import type { ChargeSchedules } from '../engine/charges/schedule.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { RebalanceService } from '../engine/rebalance/rebalance-service.js';
import type { Config } from '../lib/config.js';
import type { ResolvedCredentials } from '../lib/credentials.js';
import type { Interrupt } from '../lib/interrupt.js';
import type { IO } from '../lib/io.js';
import { configDir, configFilePath, databasePath, dataDir } from '../lib/paths.js';
import { KillSwitch } from '../store/risk-queries.js';
import type { Store } from '../store/store.js';
import type { StoredEvent } from '../domain/events/index.js';
import type { AccountDefinition } from '../domain/accounts.js';
import { openDatabase } from './database.js';
import { ensureAccount, type BrokerOpenOptions } from './factory/broker-open-options.js';
import type { PostTrade } from './factory/post-trade.js';
import type { RiskServices } from './factory/risk.js';
import type { Notifier } from './notify/notifier.js';
import type { RunDisplay } from './run-display.js';

export type { PostTrade } from './factory/post-trade.js';
export type { RiskServices } from './factory/risk.js';

export interface DrivenClock {
  clock: Clock;
  /** Runs an async operation to completion on this clock (a virtual clock must be driven). */
  drive<T>(work: Promise<T>): Promise<T>;
  /** The clock jumps from event to event (`--speed max`): looks at controls by market time are stretched (see VIRTUAL_POLL_MS). */
  jumps?: boolean;
}

export interface FactoryOptions {
  /** `--db`: the database (else `PTEXEC_DB`, else the XDG data home). */
  db?: string;
  /** An open store to use instead of opening one (tests); the factory does not close it. */
  store?: Store;
  /** The wall clock: the run's identity, recorded times, where a simulated market starts. */
  wallClock?: () => number;
  /** An adapter already built for a broker (a test's, against its emulator), used instead of the registry's; connected here like any other. */
  openedBroker?: (id: string) => Broker | undefined;
  /** Waits on the wall clock (for another process: an account lock); tests move their wall clock instead. */
  wallSleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What a run executing (or cancelling) in this process is wired with. */
export interface RunWiring {
  brokerId: string;
  /** The broker's account the run trades (`accounts.<alias>.account`); absent = the broker's own. */
  account?: string;
  speed?: string;
  seed?: number;
  /** The pre-trade limits: this file, else the config's `risk` section. */
  riskFile?: string;
  interrupt: Interrupt;
  display: RunDisplay;
  /** `flatten --override-halt`: the run sends while the kill switch is on (recorded by the caller). */
  overrideHalt?: boolean;
  /** A group run with failover: its broker down this long stops the run (RuntimeOptions.brokerDownAfterMs). */
  brokerDownAfterMs?: number;
}

/**
 * The composition root: everything a use case needs, built on first use and kept for the rest
 * of the command (one config, one store, one connection per broker), and closed by `close()`.
 * Modules that cost a start (zod, the engine, the brokers) are imported only when asked for, so
 * a command pays only for what it uses. Credentials are resolved here and handed to the broker
 * as values.
 */
export class Factory {
  private loadedConfig?: Promise<Config>;
  private openedStore?: Store;
  private readonly clocks = new Map<string, Promise<DrivenClock>>();
  private readonly brokers = new Map<string, Promise<Broker>>();
  private readonly runEventObservers = new Set<(events: StoredEvent[]) => void>();
  private readonly risks = new Map<string, Promise<RiskServices>>();
  private readonly postTrades = new Map<string, Promise<PostTrade>>();
  private builtNotifier?: Promise<Notifier>;
  readonly wallNow: () => number;
  readonly wallSleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    readonly io: IO,
    private readonly options: FactoryOptions = {},
  ) {
    this.wallNow = options.wallClock ?? Date.now;
    this.wallSleep = options.wallSleep ?? ((ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined));
  }

  get env(): NodeJS.ProcessEnv {
    return this.io.env;
  }

  /** config.json, validated (exit 2 when it is not valid). */
  config(): Promise<Config> {
    this.loadedConfig ??= import('../lib/config.js').then(({ loadConfig }) => loadConfig(configFilePath(this.env)));
    return this.loadedConfig;
  }

  databasePath(): string {
    return databasePath(this.options.db, this.env);
  }

  /** The database, opened (and migrated) on first use. */
  store(): Store {
    this.openedStore ??= this.options.store ?? openDatabase(this.databasePath());
    return this.openedStore;
  }

  killSwitch(): KillSwitch {
    return new KillSwitch(this.store());
  }

  /**
   * The broker a command trades with: `--broker`, then the target file's `broker`, then
   * `default_broker` in the config, then paper. An unknown name is refused here (exit 2),
   * before flags that depend on the broker are checked.
   */
  async chooseBroker(flag?: string, fromFile?: string): Promise<string> {
    const id = await this.brokerName(flag, fromFile);
    await this.brokerInstance(id, await this.registration(id));
    return id;
  }

  /** The broker a command is about, by name only (it need not be one ptexec trades with). */
  async brokerName(flag?: string, fromFile?: string): Promise<string> {
    const { DEFAULT_BROKER } = await import('../lib/config.js');
    return (flag ?? fromFile ?? (await this.config()).default_broker ?? DEFAULT_BROKER).toLowerCase();
  }

  /** What is known of a broker before it is opened. */
  async brokerTraits(id: string): Promise<BrokerTraits> {
    return (await this.registration(id)).traits;
  }

  /** Brokers that have a login, and their login flows. */
  async brokerLogin(id: string): Promise<BrokerLogin | undefined> {
    const registration = await this.registration(id);
    if (!registration.login) return undefined;
    const [{ brokerSection }, { WallClock }] = await Promise.all([import('../lib/config.js'), import('../engine/clock/index.js')]);
    return registration.login(brokerSection(await this.config(), id), this.env, new WallClock());
  }

  /**
   * The engine's clock for a broker. Real brokers always use the wall clock. A simulated market
   * keeps its own time (its account and orders are dated in it) and never goes back: it starts
   * at the wall clock or just after the latest market time the broker or the event log reached,
   * whichever is later, and runs at real speed, at `--speed N` (N× real time), or at `--speed
   * max` (a virtual clock that jumps from event to event: an hour of TWAP in a second). Only the
   * market runs ahead: what is recorded, and the run's identity, stay on the wall clock.
   */
  clock(brokerId: string, speed?: string): Promise<DrivenClock> {
    const key = `${brokerId}|${speed ?? ''}`;
    let clock = this.clocks.get(key);
    if (!clock) this.clocks.set(key, (clock = this.buildClock(brokerId, speed)));
    return clock;
  }

  private async buildClock(brokerId: string, speed: string | undefined): Promise<DrivenClock> {
    const [registration, { VirtualClock, WallClock }] = await Promise.all([this.registration(brokerId), import('../engine/clock/index.js')]);
    const wallNow = this.wallNow();
    if (!registration.traits.acceptsSpeed) {
      if (speed === undefined || speed === '1') return { clock: new WallClock(), drive: (w) => w };
      throw new InvalidInputError(`--speed works only with the paper broker (not ${brokerId})`, 'remove --speed: real brokers trade in real time');
    }
    const floor = Math.max(registration.marketTime?.(this.store().brokerTables(brokerId)) ?? 0, this.store().lastMarketTs());
    const start = Math.max(wallNow, floor + 1);
    if (speed === 'max') {
      const clock = new VirtualClock(start);
      return { clock, drive: (w) => clock.run(w), jumps: true };
    }
    const n = speed === undefined ? 1 : Number(speed);
    if (!Number.isFinite(n) || n <= 0 || n > 10_000) throw new InvalidInputError(`--speed ${speed} is not valid`, 'use a number from 0.1 to 10000, or max');
    return { clock: new WallClock(n, start > wallNow ? start : undefined), drive: (w) => w };
  }

  /**
   * The broker adapter, built and connected (auth and reachability are checked before anything
   * is sent), on the clock of `speed`; `seed` seeds a simulated market. Closed by `close()`.
   */
  broker(id: string, options: BrokerOpenOptions = {}): Promise<Broker> {
    const key = `${id}|${options.speed ?? ''}|${options.seed ?? ''}|${options.account ?? ''}`;
    let broker = this.brokers.get(key);
    if (!broker) this.brokers.set(key, (broker = this.openBroker(id, options)));
    return broker;
  }

  /** A configured account (config.json `accounts`) by alias, its broker opened as that account (see factory/configured-account.ts). */
  async account(alias: string): Promise<{ definition: AccountDefinition; broker: Broker }> {
    const { accountNamed, openAccountBroker } = await import('./factory/configured-account.js');
    const definition = await accountNamed(this, alias);
    return { definition, broker: await openAccountBroker(this, definition) };
  }

  private async openBroker(id: string, options: BrokerOpenOptions): Promise<Broker> {
    const given = this.options.openedBroker?.(id);
    if (given) {
      await given.connect();
      return given;
    }
    const [registration, config, driven, data, { brokerSection }] = await Promise.all([
      this.registration(id),
      this.config(),
      this.clock(id, options.speed),
      import('./factory/broker-data.js').then((m) => m.brokerData(this.env)),
      import('../lib/config.js'),
    ]);
    const { family, instance } = await this.brokerInstance(id, registration);
    const credentials = registration.login ? await this.sessionCredentials(id) : registration.credentialFields ? (await import('../lib/credentials.js')).resolveCredentials(id, this.env, registration.credentialFields) : undefined;
    const broker = await registration.create({
      tables: this.store().brokerTables(family),
      clock: driven.clock,
      // A simulated market opens the account it is asked for; a real broker's session decides (ensureAccount checks it).
      config: { ...brokerSection(config, family), ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.account === undefined || !registration.traits.simulatedMarket ? {} : { account: options.account }) },
      instance,
      env: this.env,
      credentials,
      cacheDir: dataDir(this.env),
      ...data,
    });
    await broker.connect();
    ensureAccount(broker, id, options.account);
    return broker;
  }

  /**
   * A broker's credentials for opening it. An expired or missing session is renewed first when
   * the broker can do that without a person (Fyers' refresh token and PIN, Angel One's stored TOTP
   * secret), and the new session is stored; otherwise the adapter reports that a login is needed.
   */
  private async sessionCredentials(id: string): Promise<ResolvedCredentials> {
    const [{ resolveCredentials, updateBrokerCredentials }, login] = await Promise.all([import('../lib/credentials.js'), this.brokerLogin(id)]);
    const fields = login?.fields.map((field) => field.name) ?? [];
    const credentials = resolveCredentials(id, this.env, fields);
    const now = this.wallNow();
    const loggedIn = credentials.accessToken !== undefined;
    const usable = loggedIn && (credentials.expiresAt === undefined || credentials.expiresAt > now);
    if (usable || !login?.renew || credentials.sources.accessToken === 'env') return credentials;
    let session: BrokerSession;
    if (loggedIn) {
      session = await login.renew(credentials.values, { refreshToken: credentials.refreshToken, refreshExpiresAt: credentials.refreshExpiresAt });
    } else {
      // Never logged in: a broker whose stored values can log in alone (a TOTP secret) does; else the adapter says a login is needed.
      if (login.fields.some((field) => !field.optional && !credentials.values[field.name])) return credentials;
      try {
        session = await login.renew(credentials.values, {});
      } catch {
        return credentials;
      }
    }
    updateBrokerCredentials(
      id,
      {
        access_token: session.accessToken,
        refresh_token: session.refreshToken ?? credentials.refreshToken,
        refresh_expires_at: session.refreshExpiresAt !== undefined ? new Date(session.refreshExpiresAt).toISOString() : credentials.refreshExpiresAt !== undefined ? new Date(credentials.refreshExpiresAt).toISOString() : undefined,
        user_id: session.userId,
        user_name: session.userName,
        login_time: new Date(session.loginTime).toISOString(),
        expires_at: new Date(session.expiresAt).toISOString(),
      },
      credentials.path,
    );
    this.io.info(`${id}: ${loggedIn ? 'the session was renewed without a login' : 'logged in with the stored credentials'}; it expires ${new Date(session.expiresAt).toISOString()}`);
    return resolveCredentials(id, this.env, fields);
  }

  /** Sees every event a run of this process records, as it is recorded (the run's log file). */
  observeRunEvents(observer: (events: StoredEvent[]) => void): () => void {
    this.runEventObservers.add(observer);
    return () => this.runEventObservers.delete(observer);
  }

  /** The validated risk limits (`file`, else the config's `risk` section, else defaults), the kill switch and the order history. */
  risk(file?: string): Promise<RiskServices> {
    let risk = this.risks.get(file ?? '');
    if (!risk) this.risks.set(file ?? '', (risk = this.buildRisk(file)));
    return risk;
  }

  /** The charge schedules: shipped, overridden by config.json `charges` and `file` (exit 2 when one is not valid). */
  async chargeSchedules(file?: string): Promise<ChargeSchedules> {
    const [config, { loadChargeSchedules, ChargeScheduleError }] = await Promise.all([this.config(), import('./loaders/charge-schedules.js')]);
    try {
      return loadChargeSchedules({ config: config.charges, file, configDir: configDir(this.env) });
    } catch (err) {
      if (err instanceof ChargeScheduleError) throw new InvalidInputError(err.message, 'see "Charges" in the README for the schedule format');
      throw err;
    }
  }

  /** Charges and settlement for a broker's runs: estimated in the plan, booked as fills are recorded. */
  postTrade(brokerId: string): Promise<PostTrade> {
    let postTrade = this.postTrades.get(brokerId);
    if (!postTrade) this.postTrades.set(brokerId, (postTrade = this.buildPostTrade(brokerId)));
    return postTrade;
  }

  private async buildRisk(file: string | undefined): Promise<RiskServices> {
    const [config, { riskServices }] = await Promise.all([this.config(), import('./factory/risk.js')]);
    return riskServices(this.store(), config, file, this.env);
  }

  private async buildPostTrade(brokerId: string): Promise<PostTrade> {
    const [config, { postTradeHooks }] = await Promise.all([this.config(), import('./factory/post-trade.js')]);
    return postTradeHooks(this.store(), config, brokerId, this.env);
  }

  /**
   * The rebalance service for a run executing in this process: the risk limits and gate, the
   * kill switch, post-trade bookings, Ctrl-C and the display, the account lock (a takeover is
   * announced; a lock lost to `ptexec unlock` or a takeover stops the run), how long to wait for
   * another process writing to the database, and the crash-test failpoint.
   */
  async runService(run: RunWiring): Promise<RebalanceService> {
    const { buildRunService } = await import('./factory/run-service.js');
    return buildRunService(this, run, (events) => {
      for (const observe of this.runEventObservers) observe(events);
    });
  }

  /**
   * Records what the broker did with orders finished runs left working (a bracket's exits):
   * fills (with their charges and settlement dates), status changes and resizes. Sends nothing.
   * Returns the runs it looked at.
   */
  async catchUpLeftWorking(brokerId: string, options: BrokerOpenOptions = {}): Promise<string[]> {
    const [broker, driven, postTrade, { RebalanceService }, { storePorts }] = await Promise.all([
      this.broker(brokerId, options),
      this.clock(brokerId),
      this.postTrade(brokerId),
      import('../engine/rebalance/rebalance-service.js'),
      import('./factory/store-ports.js'),
    ]);
    const store = this.store();
    const service = new RebalanceService({ log: store, ...storePorts(store), broker, clock: driven.clock, afterFills: postTrade.afterFills });
    return service.catchUpLeftWorking();
  }

  /** The notification channels of the config's `notify` section, delivering in the background (README "Notifications"). */
  notifier(): Promise<Notifier> {
    this.builtNotifier ??= Promise.all([this.config(), import('./notify/build-notifier.js')]).then(([config, { buildNotifier }]) => buildNotifier(config, this.env, this.store()));
    return this.builtNotifier;
  }

  /** Waits (boundedly) for notifications still being delivered, closes the brokers it opened, then the database. */
  async close(): Promise<void> {
    await this.builtNotifier?.then((n) => n.flush(), () => undefined);
    const brokers = await Promise.allSettled([...this.brokers.values()]);
    this.brokers.clear();
    for (const b of brokers) if (b.status === 'fulfilled') await b.value.close();
    if (this.openedStore && this.openedStore !== this.options.store) this.openedStore.close();
    this.openedStore = undefined;
  }

  private async registration(id: string): Promise<BrokerRegistration> {
    const { brokerRegistration, registeredBrokers } = await import('../brokers/index.js');
    const registration = brokerRegistration(id);
    if (!registration) throw new InvalidInputError(`unknown broker "${id}"`, `available: ${registeredBrokers().map((b) => (brokerRegistration(b)?.instances ? `${b}:<session>` : b)).join(', ')}`);
    return registration;
  }

  /** A broker family's instance (`fix:<session>`), checked against the sessions its config section names. */
  private async brokerInstance(id: string, registration: BrokerRegistration): Promise<{ family: string; instance?: string }> {
    const [{ splitBrokerId }, { brokerSection }] = await Promise.all([import('../brokers/registry.js'), import('../lib/config.js')]);
    const { family, instance } = splitBrokerId(id);
    if (!registration.instances) return { family: id };
    const names = registration.instances(brokerSection(await this.config(), family));
    const found = names.find((n) => n.toLowerCase() === instance?.toLowerCase());
    if (found === undefined || instance === undefined) {
      const what = instance === undefined ? `"${id}" needs a session: --broker ${family}:<session>` : `no ${family} session "${instance}" is configured`;
      throw new InvalidInputError(what, names.length > 0 ? `configured sessions: ${names.map((n) => `${family}:${n}`).join(', ')}` : `add one under brokers.${family}.sessions in config.json`);
    }
    return { family, instance: found };
  }
}
