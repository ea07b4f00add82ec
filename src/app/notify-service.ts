import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { ExitCode } from '../lib/exit-codes.js';
import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';
import { testMessage } from './notify/messages.js';
import { CHANNEL_NAMES } from './notify/notify-config.js';
import { notificationJson } from './render/event-json.js';

/** `ptexec notify log`: every delivery attempt recorded, oldest first (the latest `limit`). */
export function notificationLog(f: Factory, input: { limit: number }): CommandResult {
  const events = f.store().events({ types: ['notification.sent', 'notification.failed'] });
  const more = events.length > input.limit;
  const records = events.slice(-input.limit).map((e) => ({ at: new Date(e.ts).toISOString(), run_id: e.runId, result: e.type === 'notification.sent' ? 'sent' : 'failed', ...notificationJson(e.payload) }));
  const io = f.io;
  if (!io.jsonMode) {
    if (!records.length) io.info('no notifications recorded; configure channels under "notify" in config.json and try `ptexec notify test`');
    else
      io.table(
        [{ header: 'at' }, { header: 'channel' }, { header: 'event' }, { header: 'attempt', align: 'right' }, { header: 'result' }, { header: 'status', align: 'right' }, { header: 'error', truncate: true, minWidth: 10 }, { header: 'run' }],
        records.map((r) => [r.at.slice(0, 19).replace('T', ' '), String(r.channel), String(r.event), String(r.attempt), r.result + (r.final || r.result === 'sent' ? '' : ', retrying'), r.status === null ? '' : String(r.status), r.error === null ? '' : String(r.error), r.run_id ?? '']),
      );
  }
  if (more && !io.jsonMode) io.info(`showing the latest ${records.length} of ${events.length} attempts; raise --limit for more`);
  return { exitCode: ExitCode.ok, json: { records, more } };
}

/**
 * `ptexec notify test [channel]`: one test message to one channel or to all, one attempt each,
 * waited for. Exit 0 when every channel took it, 4 when any did not (each result is shown).
 */
export async function sendTestNotification(f: Factory, input: { channel?: string }): Promise<CommandResult> {
  const notifier = await f.notifier();
  const configured = notifier.channels.map((c) => c.name);
  if (!configured.length) throw new InvalidInputError('no notification channels are configured', `add one under "notify" in config.json (${CHANNEL_NAMES.join(', ')}); see "Notifications" in the README`);
  const wanted = input.channel?.toLowerCase();
  if (wanted !== undefined && !configured.includes(wanted as (typeof configured)[number])) {
    throw new InvalidInputError(`no notification channel "${input.channel}" is configured`, `configured: ${configured.join(', ')}`);
  }
  const channels = notifier.channels.filter((c) => wanted === undefined || c.name === wanted).map((c) => ({ ...c, retries: 0 }));
  const results = await notifier.deliverNow(testMessage(new Date(f.wallNow()).toISOString()), channels);
  const io = f.io;
  for (const r of results) {
    if (r.delivered) io.info(`${r.channel}: delivered${r.status === null ? '' : ` (${r.status})`}`);
    else io.error(`${r.channel}: not delivered: ${r.error}`);
  }
  const failed = results.filter((r) => !r.delivered).length;
  return { exitCode: failed ? ExitCode.incomplete : ExitCode.ok, json: { results: results.map((r) => ({ channel: r.channel, delivered: r.delivered, status: r.status, error: r.error })) } };
}
