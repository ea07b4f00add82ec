import { describe, expect } from 'vitest';
import { startCaptureServer } from '../capture-server.js';
import type { KitMarket } from '../kit-market.js';
import { kitCase, kitMarket } from '../kit.js';
import type { ConformanceSubject, RecordedRequest, SdkIntent, SdkOracle } from '../subject.js';

/** The intents compared when the oracle names none: one of each kind, in the subject's market. Prices in minor units. */
export const kitIntents = ({ first, second, exchange }: KitMarket): readonly SdkIntent[] => [
  { kind: 'place', symbol: first, exchange, side: 'buy', type: 'limit', quantity: 3, limitPrice: 150_010, clientOrderId: 'KITSDK1' },
  { kind: 'place', symbol: second, exchange, side: 'sell', type: 'market', quantity: 2, clientOrderId: 'KITSDK2' },
  { kind: 'place', symbol: first, exchange, side: 'buy', type: 'stop', quantity: 1, triggerPrice: 151_000, clientOrderId: 'KITSDK3' },
  { kind: 'place', symbol: first, exchange, side: 'buy', type: 'stop_limit', quantity: 1, triggerPrice: 151_000, limitPrice: 151_500, clientOrderId: 'KITSDK4' },
  { kind: 'modify', brokerOrderId: '2611220000001', quantity: 5, limitPrice: 149_990 },
  { kind: 'cancel', brokerOrderId: '2611220000001' },
  { kind: 'orders' },
  { kind: 'holdings' },
  { kind: 'positions' },
  { kind: 'funds' },
];

/** A request body as fields (ignored fields are left out of the body and the query alike): JSON objects flattened one level, forms as they are. */
export function bodyFields(request: RecordedRequest): Record<string, string> {
  if (!request.body) return {};
  const type = String(request.headers['content-type'] ?? '');
  if (type.includes('json')) {
    const parsed = JSON.parse(request.body) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  return Object.fromEntries(new URLSearchParams(request.body));
}

const mediaType = (r: RecordedRequest) => String(r.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

/** The request of `adapter` that does what `sdk` did (same method and path), compared field by field. */
function compare(oracle: SdkOracle, intent: SdkIntent, sdk: RecordedRequest, adapter: RecordedRequest[]): void {
  const what = `${intent.kind}: ${sdk.method} ${sdk.path}`;
  const twin = adapter.find((r) => r.method === sdk.method && r.path === sdk.path);
  expect(twin, `${what}: the adapter sent ${adapter.map((r) => `${r.method} ${r.path}`).join(', ') || 'nothing'}`).toBeDefined();
  const ignored = new Set(Object.keys(oracle.ignoredFields ?? {}));
  const strip = (fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).filter(([k]) => !ignored.has(k)));
  expect(strip(bodyFields(twin!)), `${what}: body fields (the SDK sent ${sdk.body})`).toEqual(strip(bodyFields(sdk)));
  const query = (r: RecordedRequest) => [...r.query.entries()].filter(([k]) => !ignored.has(k)).sort();
  expect(query(twin!), `${what}: query`).toEqual(query(sdk));
  // An SDK that sends `{}` on a GET (smartapi-javascript does) sends no fields: the type of an empty body is not part of the wire format.
  if (Object.keys(bodyFields(sdk)).length > 0) expect(mediaType(twin!), `${what}: content type`).toBe(mediaType(sdk));
  for (const header of oracle.headers ?? []) expect(twin!.headers[header], `${what}: header ${header}`).toEqual(sdk.headers[header]);
}

/** Where the broker has an official SDK: the same intents through both, against one capture server, send the same requests. */
export function sdkOracleCases(subject: ConformanceSubject): void {
  describe('sdk oracle', () => {
    const venue = () => {
      throw new Error('the sdk oracle runs against its capture server, not a venue');
    };
    const oracle = subject.sdkOracle;
    const intents = oracle?.intents ?? kitIntents(kitMarket(subject));
    kitCase(subject, 'sdk oracle: requests agree with the official SDK', undefined, async () => {
      if (!oracle) throw new Error(`${subject.id} has no sdkOracle and its notApplicable gives no reason for "sdk oracle: requests agree with the official SDK"`);
      const capture = await startCaptureServer([...(oracle.cannedRoutes ?? [])]);
      try {
        for (const intent of intents) {
          capture.clear();
          await oracle.perform(intent, capture.url);
          const sdk = [...capture.requests];
          capture.clear();
          await oracle.performWithAdapter(intent, capture.url);
          const adapter = [...capture.requests];
          expect(sdk.length, `${intent.kind}: the SDK sent a request`).toBeGreaterThan(0);
          for (const request of sdk) compare(oracle, intent, request, adapter);
        }
      } finally {
        await capture.close();
      }
    }, venue as never);
  });
}
