import { z } from 'zod';
import { jsonPlace } from '../../domain/input-issue.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';

/** What ptexec notifies (README "Notifications"). `test` is `ptexec notify test`, sent to every channel asked. */
export const NOTIFY_EVENTS = ['run.finished', 'run.blocked', 'orders.rejected', 'kill_switch.on', 'kill_switch.off', 'breaker.tripped', 'login.needed', 'settlement.failed', 'schedule.skipped'] as const;
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number] | 'test';

/** A channel that lists no `events` gets every event but `schedule.skipped`, which is sent only when asked for. */
export const DEFAULT_EVENTS: readonly NotifyEventName[] = NOTIFY_EVENTS.filter((e) => e !== 'schedule.skipped');

const delivery = {
  events: z.array(z.enum(NOTIFY_EVENTS)).optional(),
  /** Per attempt. */
  timeout_ms: z.number().int().positive().max(120_000).optional(),
  /** Attempts after the first. */
  retries: z.number().int().min(0).max(10).optional(),
  /** The first retry's wait; each next one waits twice as long. */
  backoff_ms: z.number().int().min(0).max(600_000).optional(),
};

const url = z.string().url();

export const NotifySchema = z
  .object({
    /** JSON POST, signed with `X-Ptexec-Signature: sha256=<HMAC>` when a secret is set. */
    webhook: z.object({ url, ...delivery }).strict().optional(),
    /** A Slack-compatible incoming webhook: `{"text": …}`. The URL is a secret too: it may come from the environment instead. */
    slack: z.object({ url: url.optional(), ...delivery }).strict().optional(),
    ntfy: z.object({ server: url.default('https://ntfy.sh'), topic: z.string().min(1), priority: z.enum(['min', 'low', 'default', 'high', 'urgent']).optional(), tags: z.array(z.string()).optional(), ...delivery }).strict().optional(),
    telegram: z.object({ chat_id: z.union([z.string().min(1), z.number().int()]), base_url: url.default('https://api.telegram.org'), ...delivery }).strict().optional(),
    email: z
      .object({
        host: z.string().min(1),
        port: z.number().int().positive().default(587),
        /** Implicit TLS (port 465); otherwise STARTTLS, required unless `require_tls` is false. */
        secure: z.boolean().default(false),
        require_tls: z.boolean().default(true),
        user: z.string().optional(),
        from: z.string().min(3),
        to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
        ...delivery,
      })
      .strict()
      .optional(),
    /** How long a command waits, when it ends, for notifications still being delivered. */
    flush_ms: z.number().int().min(0).max(120_000).optional(),
  })
  .strict();

export type NotifyConfig = z.infer<typeof NotifySchema>;
export type ChannelName = Exclude<keyof NotifyConfig, 'flush_ms'>;
export const CHANNEL_NAMES: readonly ChannelName[] = ['webhook', 'slack', 'ntfy', 'telegram', 'email'];

/** The config's `notify` section, validated (exit 2 naming the key when it is not valid). */
export function parseNotifyConfig(section: unknown, configPath: string): NotifyConfig {
  const parsed = NotifySchema.safeParse(section ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ ...jsonPlace(configPath, ['notify', ...i.path]), message: i.message }));
  throw new InvalidInputError(`${configPath}: invalid "notify" section`, 'see "Notifications" in the README', { issues });
}
