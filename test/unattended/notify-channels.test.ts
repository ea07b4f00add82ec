import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { buildNotifier } from '../../src/app/notify/build-notifier.js';
import { killSwitch } from '../../src/app/notify/messages.js';
import type { Store } from '../../src/store/store.js';
import { ntfyEmulator, slackEmulator, smtpReceiver, telegramEmulator, webhookReceiver, type Receiver, type SmtpReceiver } from './notify-receivers.js';

const SECRETS = {
  PTEXEC_NOTIFY_WEBHOOK_SECRET: 'whsec-0123456789abcdef',
  PTEXEC_NOTIFY_SLACK_URL: '', // set per test: the URL is the secret
  PTEXEC_NOTIFY_NTFY_TOKEN: 'tk_ntfy_secret_token',
  PTEXEC_NOTIFY_TELEGRAM_BOT_TOKEN: '123456:TELEGRAM-SECRET-TOKEN',
  PTEXEC_NOTIFY_EMAIL_PASSWORD: 'smtp-pa55word-secret',
};

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function tempStore(): { store: Store; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-notify-'));
  const store = openDatabase(join(dir, 'n.db'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close());
  return { store, dir };
}

async function started<T extends Receiver | SmtpReceiver>(receiver: Promise<T>): Promise<T> {
  const r = await receiver;
  cleanup.push(() => r.close());
  return r;
}

describe('notification channels, against local receivers', () => {
  it('every channel delivers (the webhook signed, after a 500 and a retry), each attempt is recorded, and no secret is recorded', async () => {
    const { store, dir } = tempStore();
    const slackPath = '/services/T000/B000/slack-secret-path';
    const [webhook, slack, ntfy, telegram, smtp] = await Promise.all([
      started(webhookReceiver(SECRETS.PTEXEC_NOTIFY_WEBHOOK_SECRET, 1)),
      started(slackEmulator(slackPath)),
      started(ntfyEmulator('ptexec-desk', SECRETS.PTEXEC_NOTIFY_NTFY_TOKEN)),
      started(telegramEmulator(SECRETS.PTEXEC_NOTIFY_TELEGRAM_BOT_TOKEN, '-10042')),
      started(smtpReceiver('desk@example.com', SECRETS.PTEXEC_NOTIFY_EMAIL_PASSWORD)),
    ]);
    const env = { XDG_CONFIG_HOME: join(dir, 'config'), ...SECRETS, PTEXEC_NOTIFY_SLACK_URL: `${slack.url}${slackPath}` };
    const notify = {
      webhook: { url: `${webhook.url}/hook`, retries: 2, backoff_ms: 5 },
      slack: {},
      ntfy: { server: ntfy.url, topic: 'ptexec-desk', tags: ['money'] },
      telegram: { chat_id: '-10042', base_url: telegram.url },
      email: { host: '127.0.0.1', port: smtp.port, require_tls: false, user: 'desk@example.com', from: 'ptexec@example.com', to: 'pm@example.com' },
    };
    const notifier = buildNotifier({ notify }, env, store);
    notifier.notify(killSwitch(true, 'wrong target file', '2026-12-03T10:00:00.000Z'));
    await notifier.flush();

    expect(webhook.refused).toEqual([{ status: 500, why: 'told to fail' }]);
    expect(webhook.received).toHaveLength(1);
    expect(webhook.received[0]!.json).toMatchObject({ event: 'kill_switch.on', halted: true, reason: 'wrong target file' });
    expect(slack.received.map((r) => r.json)).toEqual([{ text: expect.stringContaining('wrong target file') }]);
    expect(ntfy.received[0]!.headers).toMatchObject({ title: 'ptexec trading halted', priority: 'urgent', tags: 'money,kill_switch.on' });
    expect(telegram.received[0]!.json).toMatchObject({ chat_id: '-10042', text: expect.stringContaining('kill switch on') });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]).toMatchObject({ from: 'ptexec@example.com', to: ['pm@example.com'] });
    expect(smtp.messages[0]!.data).toMatch(/Subject: ptexec trading halted/);
    for (const r of [slack, ntfy, telegram]) expect(r.refused).toEqual([]);

    const attempts = store.events({ types: ['notification.sent', 'notification.failed'] }).map((e) => ({ type: e.type, ...e.payload }));
    expect(attempts).toEqual(
      expect.arrayContaining([
        { type: 'notification.failed', channel: 'webhook', event: 'kill_switch.on', attempt: 1, status: 500, error: 'the receiver answered HTTP 500', final: false },
        { type: 'notification.sent', channel: 'webhook', event: 'kill_switch.on', attempt: 2, status: 200, final: true },
        { type: 'notification.sent', channel: 'slack', event: 'kill_switch.on', attempt: 1, status: 200, final: true },
        { type: 'notification.sent', channel: 'ntfy', event: 'kill_switch.on', attempt: 1, status: 200, final: true },
        { type: 'notification.sent', channel: 'telegram', event: 'kill_switch.on', attempt: 1, status: 200, final: true },
        { type: 'notification.sent', channel: 'email', event: 'kill_switch.on', attempt: 1, status: 250, final: true },
      ]),
    );
    expect(attempts).toHaveLength(6);
    const recorded = JSON.stringify(store.events());
    for (const secret of [...Object.values(SECRETS), slackPath, telegram.url]) if (secret) expect(recorded).not.toContain(secret);
  });

  it('filters per channel; a channel that never takes a message is given up on with every attempt recorded, and the wrong secret is refused', async () => {
    const { store, dir } = tempStore();
    const webhook = await started(webhookReceiver('the-receiver-expects-this-secret'));
    const telegram = await started(telegramEmulator('999:RIGHT-TOKEN', '7'));
    const env = { XDG_CONFIG_HOME: join(dir, 'config'), PTEXEC_NOTIFY_WEBHOOK_SECRET: 'a-wrong-webhook-secret', PTEXEC_NOTIFY_TELEGRAM_BOT_TOKEN: '999:WRONG-TOKEN-xyz' };
    const notifier = buildNotifier({ notify: { webhook: { url: webhook.url, retries: 1, backoff_ms: 1 }, telegram: { chat_id: 7, base_url: telegram.url, events: ['run.finished'] } } }, env, store);
    notifier.notify(killSwitch(false, null, '2026-12-03T10:00:00.000Z'));
    await notifier.flush();
    expect(webhook.refused).toEqual([
      { status: 401, why: 'bad signature' },
      { status: 401, why: 'bad signature' },
    ]);
    // kill_switch.off is not among the Telegram channel's events: nothing was sent to it.
    expect(telegram.received).toEqual([]);
    expect(telegram.refused).toEqual([]);
    const attempts = store.events({ types: ['notification.sent', 'notification.failed'] }).map((e) => e.payload);
    expect(attempts).toEqual([
      { channel: 'webhook', event: 'kill_switch.off', attempt: 1, status: 401, error: 'the receiver answered HTTP 401', final: false },
      { channel: 'webhook', event: 'kill_switch.off', attempt: 2, status: 401, error: 'the receiver answered HTTP 401', final: true },
    ]);
  });

  it('takes a secret from the 0600 credentials file when the environment has none, and refuses a file others can read', async () => {
    const { store, dir } = tempStore();
    const webhook = await started(webhookReceiver('from-the-credentials-file'));
    const env = { XDG_CONFIG_HOME: join(dir, 'config') };
    const file = join(dir, 'config', 'ptexec', 'credentials.json');
    mkdirSync(join(dir, 'config', 'ptexec'), { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 1, brokers: {}, notify: { webhook: { secret: 'from-the-credentials-file' } } }), { mode: 0o600 });
    const notifier = buildNotifier({ notify: { webhook: { url: webhook.url } } }, env, store);
    notifier.notify(killSwitch(true, null, '2026-12-03T10:00:00.000Z'));
    await notifier.flush();
    expect(webhook.refused).toEqual([]);
    expect(webhook.received).toHaveLength(1);
    chmodSync(file, 0o644);
    expect(() => buildNotifier({ notify: { webhook: { url: webhook.url } } }, env, store)).toThrow(/readable by group or others.*chmod 600/);
  });
});
