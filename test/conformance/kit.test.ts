import { describe, expect, it } from 'vitest';
import { startCaptureServer } from './capture-server.js';
import { bodyFields } from './cases/sdk-oracle.js';
import { badNotApplicable, unmetNeed } from './kit.js';
import type { Venue } from './subject.js';

/** A venue with only the members given: what a subject that forgot a fault switch hands the kit. */
const venueWith = (faults: Venue['faults'], extra: Partial<Venue> = {}) => ({ faults, ...extra }) as Venue;

describe('the conformance kit itself', () => {
  it('fails a case whose fault switch or member the venue lacks when the subject gives no reason', () => {
    const subject = { id: 'newbroker' };
    expect(unmetNeed(subject, 'faults: a hung read times out and is retried', { fault: 'hang' }, venueWith({}))).toBe(
      'newbroker lacks faults.hang and its notApplicable gives no reason for "faults: a hung read times out and is retried"',
    );
    expect(unmetNeed(subject, 'stream: a gap is filled by resync exactly once', [{ fault: 'dropStreamMessages' }, { member: 'resync' }], venueWith({ dropStreamMessages: () => undefined }))).toMatch(/lacks resync/);
    expect(unmetNeed(subject, 'faults: a hung read times out and is retried', { fault: 'hang' }, venueWith({ hang: () => undefined }))).toBeUndefined();
    expect(unmetNeed(subject, 'instruments: an unknown symbol is absent', undefined, venueWith({}))).toBeUndefined();
  });

  it('refuses notApplicable entries that name no case or give no reason', () => {
    expect(badNotApplicable({ notApplicable: { 'faults: a hung read times out and is retried': 'no wire to hang on here' } })).toEqual([]);
    expect(badNotApplicable({ notApplicable: { 'faults: hang': 'no wire to hang on here', 'sdk oracle: requests agree with the official SDK': 'n/a' } })).toEqual([
      '"faults: hang" is not a case of the kit',
      '"sdk oracle: requests agree with the official SDK" gives no reason',
    ]);
  });

  it('the capture server records every request and answers its canned body; bodies compare as fields', async () => {
    const capture = await startCaptureServer([{ method: 'POST', path: /^\/orders$/, body: { status: 'success', data: { order_id: '1' } } }]);
    try {
      const placed = await fetch(`${capture.url}/orders?x=1`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-kite-version': '3' }, body: 'tag=K1&quantity=2' });
      expect(await placed.json()).toEqual({ status: 'success', data: { order_id: '1' } });
      const unknown = await fetch(`${capture.url}/nowhere`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ qty: 2, tag: 'K1' }) });
      expect(unknown.status).toBe(404);
      const [form, json] = capture.requests;
      expect([form!.method, form!.path, form!.query.get('x'), form!.headers['x-kite-version'], form!.status]).toEqual(['POST', '/orders', '1', '3', 200]);
      expect(bodyFields(form!)).toEqual({ tag: 'K1', quantity: '2' });
      expect(bodyFields(json!)).toEqual({ qty: '2', tag: 'K1' });
      capture.clear();
      expect(capture.requests).toEqual([]);
    } finally {
      await capture.close();
    }
  });
});
