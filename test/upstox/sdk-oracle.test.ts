import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdkIntent } from '../conformance/subject.js';
import { upstoxSubject } from '../conformance/subjects/upstox.js';

interface Captured {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

let captured: Captured[] = [];
let baseUrl = '';
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = Buffer.concat(chunks).toString('utf8');
    captured.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: text ? (JSON.parse(text) as unknown) : undefined });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success","data":{}}');
  });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function capture(run: () => Promise<void>): Promise<Captured[]> {
  captured = [];
  await run();
  return captured;
}

const intents: SdkIntent[] = [
  { kind: 'place', symbol: 'INFY', side: 'buy', type: 'limit', quantity: 3, limitPrice: 150_010, clientOrderId: 'R1L1C1' },
  { kind: 'place', symbol: 'SBIN', side: 'sell', type: 'stop', quantity: 2, triggerPrice: 79_000, clientOrderId: 'R1L2C1' },
  { kind: 'cancel', brokerOrderId: '251203000001' },
  { kind: 'orders' },
  { kind: 'holdings' },
  { kind: 'positions' },
  { kind: 'funds' },
];

describe('Upstox requests agree with the official SDK (upstox-js-sdk) for the same intents', () => {
  it.each(intents.map((i) => [i.kind === 'place' ? `place ${i.type}` : i.kind, i] as const))('%s', async (_name, intent) => {
    const oracle = upstoxSubject.sdkOracle!;
    const [sdk] = await capture(() => oracle.perform(intent, baseUrl));
    const [ours] = await capture(() => oracle.performWithAdapter(intent, baseUrl));
    expect(ours).toBeDefined();
    expect({ method: ours!.method, path: ours!.path, query: ours!.query, body: ours!.body }).toEqual({ method: sdk!.method, path: sdk!.path, query: sdk!.query, body: sdk!.body });
    expect(ours!.headers.authorization).toBe(sdk!.headers.authorization);
    expect(ours!.headers['api-version']).toBe(sdk!.headers['api-version']);
    if (sdk!.body !== undefined) expect(ours!.headers['content-type']).toBe(sdk!.headers['content-type']);
  });
});
