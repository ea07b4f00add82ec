import { createHmac } from 'node:crypto';
import { channelSecrets } from './channel-secrets.js';
import type { Notification } from './notification.js';
import { DEFAULT_EVENTS, type ChannelName, type NotifyConfig, type NotifyEventName } from './notify-config.js';

/** Why an attempt failed; `status` when the receiver answered. Its message never holds a secret or a URL. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** A configured channel, its secrets resolved: it sends one notification, or throws `DeliveryError`. */
export interface Channel {
  name: ChannelName;
  events: readonly NotifyEventName[];
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  /** The secret values it uses, scrubbed from any error text. */
  secrets: readonly string[];
  /** Resolves with the receiver's status (HTTP, or SMTP's 250). */
  send(message: Notification, signal: AbortSignal): Promise<number>;
}

const DEFAULTS = { timeoutMs: 10_000, retries: 3, backoffMs: 1_000 };

/** The channels the `notify` section configures, in a fixed order. A channel missing a required secret is reported, not dropped silently. */
export function configuredChannels(config: NotifyConfig, env: NodeJS.ProcessEnv): Channel[] {
  const channels: Channel[] = [];
  const base = (name: ChannelName, c: { events?: readonly NotifyEventName[]; timeout_ms?: number; retries?: number; backoff_ms?: number }, secrets: (string | undefined)[]) => ({
    name,
    events: c.events ?? DEFAULT_EVENTS,
    timeoutMs: c.timeout_ms ?? DEFAULTS.timeoutMs,
    retries: c.retries ?? DEFAULTS.retries,
    backoffMs: c.backoff_ms ?? DEFAULTS.backoffMs,
    secrets: secrets.filter((s): s is string => !!s),
  });
  if (config.webhook) {
    const c = config.webhook;
    const { secret } = channelSecrets('webhook', env);
    channels.push({
      ...base('webhook', c, [secret]),
      send: (m, signal) => {
        const body = JSON.stringify({ event: m.event, title: m.title, text: m.text, ...m.data });
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (secret) headers['x-ptexec-signature'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
        return post(c.url, headers, body, signal);
      },
    });
  }
  if (config.slack) {
    const c = config.slack;
    const url = channelSecrets('slack', env).url ?? c.url;
    channels.push({
      ...base('slack', c, [url]),
      send: (m, signal) => {
        if (!url) throw new DeliveryError('no webhook URL: set notify.slack.url, or PTEXEC_NOTIFY_SLACK_URL');
        return post(url, { 'content-type': 'application/json' }, JSON.stringify({ text: `*${m.title}*\n${m.text}` }), signal);
      },
    });
  }
  if (config.ntfy) {
    const c = config.ntfy;
    const { token } = channelSecrets('ntfy', env);
    channels.push({
      ...base('ntfy', c, [token]),
      send: (m, signal) => {
        const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', title: asciiHeader(m.title), priority: m.urgent ? 'urgent' : (c.priority ?? 'default') };
        const tags = [...(c.tags ?? []), m.event];
        headers.tags = tags.join(',');
        if (token) headers.authorization = `Bearer ${token}`;
        return post(`${c.server.replace(/\/+$/, '')}/${encodeURIComponent(c.topic)}`, headers, m.text, signal);
      },
    });
  }
  if (config.telegram) {
    const c = config.telegram;
    const token = channelSecrets('telegram', env).bot_token;
    channels.push({
      ...base('telegram', c, [token]),
      send: (m, signal) => {
        if (!token) throw new DeliveryError('no bot token: set PTEXEC_NOTIFY_TELEGRAM_BOT_TOKEN, or notify.telegram.bot_token in the credentials file');
        const body = JSON.stringify({ chat_id: c.chat_id, text: `${m.title}\n${m.text}`, disable_web_page_preview: true });
        return post(`${c.base_url.replace(/\/+$/, '')}/bot${token}/sendMessage`, { 'content-type': 'application/json' }, body, signal);
      },
    });
  }
  if (config.email) {
    const c = config.email;
    const { password } = channelSecrets('email', env);
    channels.push({ ...base('email', c, [password]), send: (m, signal) => sendMail(c, password, m, signal) });
  }
  return channels;
}

/** HTTP header values are Latin-1: anything else becomes `?` rather than a failed send. */
function asciiHeader(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

async function post(url: string, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'error' });
  } catch (err) {
    // The error's text may quote the URL (a Slack or Telegram URL carries its token): say only what happened.
    throw new DeliveryError(signal.aborted ? 'timed out' : `could not connect (${causeCode(err)})`);
  }
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new DeliveryError(`the receiver answered HTTP ${response.status}`, response.status);
  return response.status;
}

function causeCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code ?? (err as Error).name ?? 'error';
}

type EmailConfig = NonNullable<NotifyConfig['email']>;

async function sendMail(c: EmailConfig, password: string | undefined, m: Notification, signal: AbortSignal): Promise<number> {
  const { createTransport } = (await import('nodemailer')).default;
  const transport = createTransport({
    host: c.host,
    port: c.port,
    secure: c.secure,
    requireTLS: !c.secure && c.require_tls,
    auth: c.user ? { user: c.user, pass: password ?? '' } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 10_000,
  });
  const abort = () => transport.close();
  signal.addEventListener('abort', abort, { once: true });
  try {
    const info = await transport.sendMail({ from: c.from, to: c.to, subject: m.title, text: `${m.text}\n`, headers: { 'X-Ptexec-Event': m.event } });
    const code = Number(/^(\d{3})/.exec(info.response ?? '')?.[1] ?? 250);
    return code;
  } catch (err) {
    if (signal.aborted) throw new DeliveryError('timed out');
    const e = err as { responseCode?: number; code?: string; message?: string };
    throw new DeliveryError(`SMTP ${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''}`, e.responseCode);
  } finally {
    signal.removeEventListener('abort', abort);
    transport.close();
  }
}
