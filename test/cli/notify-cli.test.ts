import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { telegramEmulator, webhookReceiver } from '../unattended/notify-receivers.js';
import { CliSandbox } from './cli-harness.js';

const sandbox = new CliSandbox();
afterAll(() => sandbox.cleanup());

describe('ptexec notify', () => {
  it('test reports each channel (exit 4 when one fails, 0 when all deliver, 2 for a channel not configured); log and config show the attempts and never a secret', async () => {
    const webhook = await webhookReceiver('cli-webhook-secret-77');
    const telegram = await telegramEmulator('555:RIGHT', '42');
    try {
      mkdirSync(join(sandbox.dir, 'config', 'ptexec'), { recursive: true });
      writeFileSync(join(sandbox.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ notify: { webhook: { url: webhook.url }, telegram: { chat_id: 42, base_url: telegram.url } } }));
      sandbox.extraEnv = { PTEXEC_NOTIFY_WEBHOOK_SECRET: 'cli-webhook-secret-77', PTEXEC_NOTIFY_TELEGRAM_BOT_TOKEN: '555:WRONG-cli-token' };

      const all = await sandbox.run(['notify', 'test']);
      expect(all.code).toBe(4);
      expect(all.stderr).toMatch(/webhook: delivered \(200\)/);
      expect(all.stderr).toMatch(/telegram: not delivered: the receiver answered HTTP 401/);

      const one = await sandbox.json<{ results: unknown[] }>(['notify', 'test', 'webhook']);
      expect(one.code).toBe(0);
      expect(one.body.results).toEqual([{ channel: 'webhook', delivered: true, status: 200, error: null }]);

      const unknown = await sandbox.run(['notify', 'test', 'pager']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/no notification channel "pager" is configured[\s\S]*configured: webhook, telegram/);

      const log = await sandbox.json<{ records: Record<string, unknown>[] }>(['notify', 'log']);
      expect(log.body.records.map((r) => [r.channel, r.event, r.result, r.status])).toEqual([
        ['webhook', 'test', 'sent', 200],
        ['telegram', 'test', 'failed', 401],
        ['webhook', 'test', 'sent', 200],
      ]);
      const config = await sandbox.json<{ values: { key: string; value: unknown; source: string }[] }>(['config']);
      expect(config.body.values).toEqual(expect.arrayContaining([{ key: 'notify.webhook.secret', value: 'set', source: 'env PTEXEC_NOTIFY_WEBHOOK_SECRET' }, { key: 'notify.telegram.bot_token', value: 'set', source: 'env PTEXEC_NOTIFY_TELEGRAM_BOT_TOKEN' }]));

      expect(log.body).toMatchObject({ more: false });
      // The latest attempts only, and the cut is said, never silent.
      const latest = await sandbox.json<{ records: Record<string, unknown>[]; more: boolean }>(['notify', 'log', '--limit', '2']);
      expect(latest.body.records.map((r) => r.channel)).toEqual(['telegram', 'webhook']);
      expect(latest.body.more).toBe(true);
      const cut = await sandbox.run(['notify', 'log', '--limit', '2']);
      expect(cut.stderr).toMatch(/showing the latest 2 of 3 attempts; raise --limit for more/);

      const human = await sandbox.run(['notify', 'log']);
      expect(human.stdout).toMatch(/telegram\s+test\s+1\s+failed\s+401/);
      expect(human.stderr).not.toMatch(/showing the latest/);
      for (const out of [all.stdout, all.stderr, JSON.stringify(one.body), unknown.stderr, JSON.stringify(log.body), JSON.stringify(config.body), human.stdout]) {
        expect(out).not.toContain('cli-webhook-secret-77');
        expect(out).not.toContain('WRONG-cli-token');
      }
      expect(webhook.received).toHaveLength(2);
    } finally {
      await webhook.close();
      await telegram.close();
    }
  });
});
