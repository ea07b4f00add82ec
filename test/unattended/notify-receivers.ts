import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** What a receiver took: the parsed bodies and headers of the requests it accepted. */
export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  json?: unknown;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests it refused (a bad signature, a wrong path, a 500 it was told to answer). */
  refused: { status: number; why: string }[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, body: string) => { status: number; why?: string; reply?: unknown } | 'hang';

/** A small strict HTTP server on 127.0.0.1: `handle` decides each answer; refusals are kept. */
async function httpReceiver(handle: Handler): Promise<Receiver> {
  const received: Received[] = [];
  const refused: Receiver['refused'] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const answer = req.method === 'POST' ? handle(req, body) : { status: 405, why: `method ${req.method}` };
      if (answer === 'hang') return void hanging.push(res);
      if (answer.status >= 300) refused.push({ status: answer.status, why: answer.why ?? '' });
      else received.push({ headers: req.headers, body, json: req.headers['content-type']?.startsWith('application/json') ? JSON.parse(body) : undefined });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.reply ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    refused,
    close: () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** The JSON webhook's receiver: checks `X-Ptexec-Signature` against the body; answers 500 to the first `failFirst` requests. */
export function webhookReceiver(secret: string, failFirst = 0): Promise<Receiver> {
  let seen = 0;
  return httpReceiver((req, body) => {
    if (req.headers['content-type'] !== 'application/json') return { status: 415, why: 'not JSON' };
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    const given = Buffer.from(String(req.headers['x-ptexec-signature'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 401, why: 'bad signature' };
    if (seen++ < failFirst) return { status: 500, why: 'told to fail' };
    return { status: 200 };
  });
}

/** A Slack incoming webhook: POST to its path, a JSON object with exactly a string `text`. */
export function slackEmulator(path: string): Promise<Receiver> {
  return httpReceiver((req, body) => {
    if (req.url !== path) return { status: 404, why: 'no_service' };
    const json = JSON.parse(body) as Record<string, unknown>;
    if (typeof json.text !== 'string' || Object.keys(json).length !== 1) return { status: 400, why: 'invalid_payload' };
    return { status: 200 };
  });
}

/** ntfy: POST /<topic> with a Title, a known Priority, Tags, and the bearer token. */
export function ntfyEmulator(topic: string, token: string): Promise<Receiver> {
  return httpReceiver((req) => {
    if (req.url !== `/${topic}`) return { status: 404, why: 'topic' };
    if (req.headers.authorization !== `Bearer ${token}`) return { status: 401, why: 'unauthorized' };
    if (!req.headers.title || !['min', 'low', 'default', 'high', 'urgent'].includes(String(req.headers.priority)) || !req.headers.tags) return { status: 400, why: 'headers' };
    return { status: 200, reply: { id: 'x', event: 'message' } };
  });
}

/** The Telegram Bot API: `POST /bot<token>/sendMessage`, JSON with `chat_id` and `text`. */
export function telegramEmulator(token: string, chatId: string): Promise<Receiver> {
  return httpReceiver((req, body) => {
    if (req.url !== `/bot${token}/sendMessage`) return { status: 401, why: 'Unauthorized', reply: { ok: false, error_code: 401 } };
    const json = JSON.parse(body) as Record<string, unknown>;
    if (String(json.chat_id) !== chatId || typeof json.text !== 'string') return { status: 400, why: 'chat not found', reply: { ok: false, error_code: 400 } };
    return { status: 200, reply: { ok: true, result: { message_id: 1 } } };
  });
}

/** A receiver that never answers. */
export function silentReceiver(): Promise<Receiver> {
  return httpReceiver(() => 'hang');
}

export interface SmtpReceiver {
  port: number;
  messages: { from: string; to: string[]; data: string }[];
  close(): Promise<void>;
}

/** An SMTP server (`smtp-server`) that requires a login; STARTTLS is not offered (no certificate in tests). */
export async function smtpReceiver(user: string, password: string): Promise<SmtpReceiver> {
  const messages: SmtpReceiver['messages'] = [];
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    hideSTARTTLS: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error('invalid credentials'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        messages.push({ from, to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.server.address() as AddressInfo;
  return { port, messages, close: () => new Promise((r) => server.close(() => r())) };
}
