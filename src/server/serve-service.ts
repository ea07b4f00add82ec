import { readFileSync } from 'node:fs';
import type { CommandResult } from '../app/command-result.js';
import type { Factory } from '../app/factory.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { ExitCode } from '../lib/exit-codes.js';
import { startServer, type ServerExtensionFactory } from './http-server.js';
import { jetStreamPublishing } from './publish-extension.js';
import { serverLog } from './server-log.js';
import { liveStream } from './stream-extension.js';

export interface ServeFlags {
  host: string;
  port: number;
  'tls-cert'?: string;
  'tls-key'?: string;
  insecure: boolean;
  'allow-request-credentials': boolean;
  'cors-origin'?: string[];
  /** NATS servers to publish every event to (JetStream). */
  publish?: string;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/i;

/**
 * Loopback only, unless `--host` says otherwise; and then TLS, or `--insecure` said out loud:
 * bearer tokens and orders must not cross a network in clear text by accident.
 */
export function checkExposure(flags: Pick<ServeFlags, 'host' | 'tls-cert' | 'tls-key' | 'insecure'>): void {
  if (Boolean(flags['tls-cert']) !== Boolean(flags['tls-key'])) throw new InvalidInputError('--tls-cert and --tls-key go together', 'give both files (PEM), or neither');
  if (LOOPBACK.test(flags.host) || flags['tls-cert'] || flags.insecure) return;
  throw new InvalidInputError(`--host ${flags.host} listens beyond this machine, and without TLS tokens and orders would cross the network in clear`, 'add --tls-cert FILE --tls-key FILE, or --insecure on a network you trust');
}

function readPem(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidInputError(`${flag} ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'give a PEM file this user can read');
  }
}

/**
 * `ptexec serve`: listens until SIGTERM or Ctrl-C, then stops accepting, stops the runs it is
 * executing as the first Ctrl-C stops `rebalance` (no new orders, state saved) and exits: 0
 * when no run was in flight, 130 when runs were stopped (each resumable).
 */
export async function serve(f: Factory, flags: ServeFlags, version: string, extensions: ServerExtensionFactory[] = []): Promise<CommandResult> {
  checkExposure(flags);
  if (!Number.isInteger(flags.port) || flags.port < 0 || flags.port > 65_535) throw new InvalidInputError(`--port ${flags.port} is not a port`, 'use 0 to 65535 (0: any free port)');
  const tls = flags['tls-cert'] && flags['tls-key'] ? { cert: readPem('--tls-cert', flags['tls-cert']), key: readPem('--tls-key', flags['tls-key']) } : undefined;
  const interrupt = f.io.interruptOnSignals();
  const log = serverLog(f.io, f.wallNow);
  try {
    await f.config();
    const server = await startServer(
      { store: f.store(), env: f.env, log },
      {
        host: flags.host,
        port: flags.port,
        tls,
        allowRequestCredentials: flags['allow-request-credentials'],
        version,
        corsOrigins: flags['cors-origin'],
        extensions: [liveStream, ...(flags.publish ? [jetStreamPublishing(flags.publish)] : []), ...extensions],
      },
    );
    f.io.info(`ptexec serve: listening on ${server.url} (API document at ${server.url}/openapi.json, docs at ${server.url}/docs, live events at ${server.url}/v1/events and ${server.url.replace(/^http/, 'ws')}/v1/stream)`);
    log({ level: 'info', message: 'listening', url: server.url, tls: Boolean(tls), request_credentials: flags['allow-request-credentials'] });
    await new Promise((resolve) => (interrupt.signal.aborted ? resolve(undefined) : interrupt.signal.addEventListener('abort', resolve, { once: true })));
    const { stoppedRuns } = await server.shutdown();
    log({ level: 'info', message: 'stopped', stopped_runs: stoppedRuns });
    for (const runId of stoppedRuns) f.io.info(`run ${runId} stopped; continue it with \`ptexec resume ${runId}\` or POST /runs/${runId}/resume`);
    return { exitCode: stoppedRuns.length ? ExitCode.interrupted : ExitCode.ok, json: { url: server.url, stopped_runs: stoppedRuns } };
  } finally {
    interrupt.dispose();
  }
}
