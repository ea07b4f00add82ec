import { isAbsolute, join, resolve } from 'node:path';
import type { StoredEvent } from '../domain/events/index.js';
import { describeError } from '../lib/errors.js';
import { configDir } from '../lib/paths.js';
import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';
import { DEFAULT_ROTATION, LogFile } from './log-file.js';
import { eventJson } from './render/event-json.js';

/**
 * Runs a command with its log (`--log-file`, else config.json `logs.file`, else `fallback`; none:
 * no log): one NDJSON record per line — `start`, each message the command prints on stderr
 * (`message`, with its level), each event the run recorded (`event`, as `watch --json` shows it,
 * written as it is recorded, so a run killed mid-way leaves its events; those recorded without
 * the run's display — a blocked plan's — are added when the command ends) and `end` with the
 * exit code. Secrets are never in either.
 */
export async function withRunLog(f: Factory, request: { command: string; logFile?: string; fallback?: string }, work: () => Promise<CommandResult>): Promise<CommandResult> {
  const { logs } = await f.config();
  const path = request.logFile !== undefined ? resolve(request.logFile) : logs?.file !== undefined ? (isAbsolute(logs.file) ? logs.file : join(configDir(f.env), logs.file)) : request.fallback;
  if (path === undefined) return work();
  const timeZone = f.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone;
  const log = new LogFile(path, { rotate: logs?.rotate ?? DEFAULT_ROTATION.rotate, maxBytes: logs?.max_bytes ?? DEFAULT_ROTATION.maxBytes, keep: logs?.keep ?? DEFAULT_ROTATION.keep, timeZone }, f.wallNow());
  const stamp = () => ({ ts: f.wallNow(), time: new Date(f.wallNow()).toISOString() });
  log.write({ ...stamp(), kind: 'start', command: request.command });
  f.io.copyMessagesTo((level, message) => log.write({ ...stamp(), kind: 'message', level, message }));
  const written = new Set<number>();
  const writeEvent = (e: StoredEvent) => {
    if (written.has(e.seq)) return;
    written.add(e.seq);
    log.write({ kind: 'event', ...eventJson(e) });
  };
  const stopObserving = f.observeRunEvents((recorded) => recorded.forEach(writeEvent));
  const events = (runId: unknown) => {
    stopObserving();
    if (typeof runId !== 'string') return;
    for (const e of f.store().events({ runId })) writeEvent(e);
  };
  try {
    const result = await work();
    const json = (result.json ?? {}) as Record<string, unknown>;
    events(json['run_id']);
    log.write({ ...stamp(), kind: 'end', command: request.command, exit_code: result.exitCode, status: json['status'] ?? null, run_id: json['run_id'] ?? null });
    return result;
  } catch (err) {
    const d = describeError(err);
    events(d.result?.['run_id']);
    log.write({ ...stamp(), kind: 'end', command: request.command, exit_code: d.exitCode, error: d.message, hint: d.hint ?? null, run_id: d.result?.['run_id'] ?? null });
    throw err;
  }
}
