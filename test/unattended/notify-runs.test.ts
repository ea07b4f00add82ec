import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { GIVEN_UP } from '../../src/app/notify/notifier.js';
import { executeRebalance } from '../../src/app/rebalance-command-service.js';
import { haltTrading } from '../../src/app/halt-service.js';
import { notifyRunOutcome } from '../../src/app/run-notifications.js';
import type { Store } from '../../src/store/store.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { silentReceiver, webhookReceiver, type Receiver } from './notify-receivers.js';

const SECRET = 'run-webhook-secret-42';
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A scratch home whose config.json has `notify`; a paper rebalance of a small target, at --speed max. */
async function paperRun(notify: Record<string, unknown>, positions: { symbol: string; quantity: number }[], config: Record<string, unknown> = {}, opened?: (store: ReturnType<typeof openDatabase>) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-notify-run-'));
  const store = openDatabase(join(dir, 'r.db'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close());
  opened?.(store);
  mkdirSync(join(dir, 'config', 'ptexec'), { recursive: true });
  writeFileSync(join(dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ ...config, notify }));
  const file = join(dir, 'target.json');
  writeFileSync(file, JSON.stringify({ positions }));
  const { io, stderr } = fakeIO({ json: true, env: { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), PTEXEC_NOTIFY_WEBHOOK_SECRET: SECRET } });
  const factory = new Factory(io, { store });
  const flags = { algo: 'market', yes: true, 'liquidate-unlisted': false, 'new-run': false, 'allow-partial': false, 'no-ui': true, speed: 'max', seed: 7 };
  const result = await executeRebalance(factory, { file, flags }).catch((e: unknown) => e);
  await factory.close();
  return { result, store, stderr };
}

async function started(receiver: Promise<Receiver>): Promise<Receiver> {
  const r = await receiver;
  cleanup.push(() => r.close());
  return r;
}

describe('notifications of runs', () => {
  it('a finished run is notified with the original results shape, its traded value, shortfall and charges; filtered events are not', async () => {
    const webhook = await started(webhookReceiver(SECRET));
    const { result, store } = await paperRun({ webhook: { url: webhook.url, events: ['run.finished', 'run.blocked'] } }, [{ symbol: 'INFY', quantity: 10 }, { symbol: 'TCS', quantity: 5 }]);
    expect(result).toMatchObject({ exitCode: 0 });
    expect(webhook.refused).toEqual([]);
    expect(webhook.received.map((r) => (r.json as { event: string }).event)).toEqual(['run.finished']);
    const body = webhook.received[0]!.json as Record<string, unknown>;
    expect(body).toMatchObject({ event: 'run.finished', status: 'completed', broker: 'paper', currency: 'INR' });
    expect(body.results).toEqual([
      { symbol: 'INFY', quantity: 10, side: 'BUY', status: 'FILLED', reason: null },
      { symbol: 'TCS', quantity: 5, side: 'BUY', status: 'FILLED', reason: null },
    ]);
    expect(body.traded_value_minor).toBeGreaterThan(0);
    expect(typeof body.shortfall_bps).toBe('number');
    expect(Number.isInteger(body.shortfall_minor)).toBe(true);
    expect(body.charges_minor).toBeGreaterThan(0);
    const sent = store.events({ types: ['notification.sent'] });
    expect(sent.map((e) => [e.runId, e.payload.channel, e.payload.event])).toEqual([[body.run_id, 'webhook', 'run.finished']]);
  });

  it('orders the broker rejects are notified as rejected, alongside the run that finished short', async () => {
    const webhook = await started(webhookReceiver(SECRET));
    const { result } = await paperRun({ webhook: { url: webhook.url } }, [{ symbol: 'INFY', quantity: 4 }], { paper: { faults: { reject: 1 } } });
    expect(result).toMatchObject({ exitCode: 4 });
    const bodies = webhook.received.map((r) => r.json as Record<string, unknown>);
    expect(bodies.map((b) => b.event)).toEqual(['run.finished', 'orders.rejected']);
    expect(bodies[0]).toMatchObject({ status: 'incomplete', traded_value_minor: 0, results: [{ symbol: 'INFY', quantity: 4, side: 'BUY', status: 'REJECTED' }] });
    expect(bodies[1]).toMatchObject({ results: [{ symbol: 'INFY', quantity: 4, side: 'BUY', status: 'REJECTED', reason: expect.any(String) }] });
  });

  it('a run the pre-trade checks block is notified as blocked, with the legs and why', async () => {
    const webhook = await started(webhookReceiver(SECRET));
    // An extra zero on TCS: about 31% of the account, above the 25% weight limit.
    const { result } = await paperRun({ webhook: { url: webhook.url } }, [{ symbol: 'TCS', quantity: 1000 }, { symbol: 'INFY', quantity: 50 }]);
    expect(result).toMatchObject({ name: 'BlockedError' });
    expect(webhook.received.map((r) => r.json)).toEqual([
      expect.objectContaining({ event: 'run.blocked', reason: 'pre-trade checks blocked 1 leg; nothing was sent', results: expect.arrayContaining([expect.objectContaining({ symbol: 'TCS', side: 'BUY', status: 'BLOCKED' })]) }),
    ]);
  });

  it('a receiver that never answers does not hold up the run: it finishes, and the notification is given up on and recorded as failed', async () => {
    const silent = await started(silentReceiver());
    // Attempts would wait 60 s each; the command waits 50 ms for them when it ends.
    const { result, store } = await paperRun({ webhook: { url: silent.url, timeout_ms: 60_000, retries: 3 }, flush_ms: 50 }, [{ symbol: 'INFY', quantity: 3 }]);
    expect(result).toMatchObject({ exitCode: 0, json: { status: 'completed' } });
    expect(store.events({ types: ['notification.sent', 'notification.failed'] }).map((e) => e.payload)).toEqual([{ channel: 'webhook', event: 'run.finished', attempt: 1, error: GIVEN_UP, final: true }]);
  });

  it('the kill switch going on is notified once, not again when a halt is only updated', async () => {
    const webhook = await started(webhookReceiver(SECRET));
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-notify-halt-'));
    const store = openDatabase(join(dir, 'h.db'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close());
    mkdirSync(join(dir, 'config', 'ptexec'), { recursive: true });
    writeFileSync(join(dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ notify: { webhook: { url: webhook.url } } }));
    const { io } = fakeIO({ env: { XDG_CONFIG_HOME: join(dir, 'config'), PTEXEC_NOTIFY_WEBHOOK_SECRET: SECRET } });
    const factory = new Factory(io, { store });
    await haltTrading(factory, { reason: 'fat finger', cancelOpen: false });
    await haltTrading(factory, { reason: 'still halted', cancelOpen: false });
    await factory.close();
    expect(webhook.received.map((r) => r.json)).toEqual([expect.objectContaining({ event: 'kill_switch.on', reason: 'fat finger', halted: true })]);
  });

  it('a broker circuit breaker that opened during a run is notified as tripped; a run without one is not', async () => {
    const webhook = await started(webhookReceiver(SECRET));
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-notify-breaker-'));
    const store = openDatabase(join(dir, 'b.db'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close());
    mkdirSync(join(dir, 'config', 'ptexec'), { recursive: true });
    writeFileSync(join(dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ notify: { webhook: { url: webhook.url, events: ['breaker.tripped'] } } }));
    const { io } = fakeIO({ env: { XDG_CONFIG_HOME: join(dir, 'config'), PTEXEC_NOTIFY_WEBHOOK_SECRET: SECRET } });
    const factory = new Factory(io, { store });
    const message = 'zerodha: circuit open after 5 consecutive failures; not sending new orders for 30 s';
    store.append([{ runId: 'run-b', type: 'run.alert', payload: { level: 'error', source: 'broker', message } }]);
    const outcome = { status: 'incomplete' as const, legs: [], blocked: [], skipped: [], notes: [] };
    await notifyRunOutcome(factory, 'run-b', { id: 'zerodha', account: 'AB1234' }, outcome);
    await notifyRunOutcome(factory, 'run-c', { id: 'zerodha', account: 'AB1234' }, outcome);
    await factory.close();
    expect(webhook.received.map((r) => r.json)).toEqual([expect.objectContaining({ event: 'breaker.tripped', run_id: 'run-b', broker: 'zerodha', messages: [message] })]);
  });
  it('an automatic breaker is notified as it trips, while the run waits paused; resuming it then finishes the run', async () => {
    const webhook = await started(webhookReceiver(SECRET));
    // A ±0.5% circuit band: every price is within 0.5% of a limit, so the leg trips at once.
    const breakers = { circuit: { within_pct: 0.5, band_pct: 0.5 } };
    let runId: string | undefined;
    let resumeTarget: Store | undefined;
    // The webhook is how the paused run is found: on the notification, resume it as `ptexec resume` would.
    const resumer = setInterval(() => {
      const body = webhook.received[0]?.json as { run_id?: string } | undefined;
      if (!body?.run_id || runId) return;
      runId = body.run_id;
      resumeTarget?.append([{ runId, type: 'run.control', payload: { action: 'resume', by: 'test' } }]);
    }, 5);
    cleanup.push(() => clearInterval(resumer));
    const running = paperRun({ webhook: { url: webhook.url, events: ['breaker.tripped'] } }, [{ symbol: 'INFY', quantity: 10 }], { risk: { breakers } }, (store) => {
      resumeTarget = store;
    });
    const { result, store } = await running;
    expect(result).toMatchObject({ exitCode: 0 });
    expect(webhook.received.map((r) => r.json)).toEqual([
      expect.objectContaining({ event: 'breaker.tripped', run_id: runId, breaker: 'circuit', leg: 0, limit: 0.5, unit: '%', messages: [expect.stringContaining('INFY last price')] }),
    ]);
    expect(store.events({ runId, types: ['run.breaker_tripped', 'leg.paused', 'leg.resumed'] }).map((e) => e.type)).toEqual(['run.breaker_tripped', 'leg.paused', 'leg.resumed']);
  });
});
