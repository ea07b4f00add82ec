import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/app/database.js';
import type { FactoryOptions } from '../../src/app/factory.js';
import { PAPER_BROKER_ID, resetPaperAccount } from '../../src/brokers/paper/index.js';
import { TokenService } from '../../src/server/auth/token-service.js';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/http-server.js';
import { connectionOf } from '../../src/store/connection.js';
import type { Store } from '../../src/store/store.js';

/** Monday 2 March 2026, 10:30 in Mumbai: the paper market is open. */
export const MARKET_HOURS = Date.parse('2026-03-02T05:00:00Z');

export const ORIGINAL_REQUEST = {
  broker: 'paper',
  target_portfolio: [
    { symbol: 'INFY', target_quantity: 10 },
    { symbol: 'TCS', target_quantity: 5 },
  ],
};

export interface TestServer {
  url: string;
  store: Store;
  dir: string;
  dbPath: string;
  server: RunningServer;
  /** Every structured log line, parsed. */
  log: Record<string, unknown>[];
  token(scopes: string[]): string;
  call(method: string, path: string, init?: { token?: string; body?: unknown; text?: string; contentType?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; json: any; text: string }>;
  orderCount(): number;
  /** Shuts the server down and closes its database (the directory stays for a restart). */
  stop(): Promise<{ stoppedRuns: string[] }>;
  remove(): void;
}

/**
 * An in-process server on port 0 over a temporary database, trading the paper broker in market
 * hours on a fixed wall clock. `dir` reuses a database (a restart).
 */
export async function startTestServer(options: Partial<ServeOptions> & { dir?: string; emptyAccount?: boolean; openedBroker?: FactoryOptions['openedBroker'] } = {}): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ptexec-serve-'));
  const dbPath = join(dir, 'serve.db');
  const store = openDatabase(dbPath);
  store.wallClock = () => MARKET_HOURS;
  if (!options.dir && !options.emptyAccount) resetPaperAccount(store.brokerTables(PAPER_BROKER_ID), { holdings: [{ symbol: 'ITC', quantity: 100 }] });
  const env = { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), TERM: 'dumb' };
  const log: Record<string, unknown>[] = [];
  const server = await startServer(
    { store, env, log: (entry) => log.push(JSON.parse(JSON.stringify(entry)) as Record<string, unknown>), factoryOptions: { wallClock: () => MARKET_HOURS, openedBroker: options.openedBroker } },
    { host: '127.0.0.1', port: 0, allowRequestCredentials: false, version: 'test', ...options },
  );
  const tokens = new TokenService(store);
  return {
    url: server.url,
    store,
    dir,
    dbPath,
    server,
    log,
    token: (scopes) => tokens.create(scopes).token,
    async call(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      let body: string | undefined = init.text;
      if (init.body !== undefined) body = JSON.stringify(init.body);
      if (body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
      const res = await fetch(`${server.url}${path}`, { method, headers, body });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, json, text };
    },
    orderCount: () => (connectionOf(store).prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n,
    async stop() {
      const stopped = await server.shutdown();
      store.close();
      return stopped;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
