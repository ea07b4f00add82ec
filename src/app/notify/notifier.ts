import { setTimeout as sleep } from 'node:timers/promises';
import type { NewEvent } from '../../domain/events/index.js';
import type { NotificationAttempt } from '../../domain/events/notification.js';
import { redact } from './channel-secrets.js';
import { DeliveryError, type Channel } from './channels.js';
import type { Notification } from './notification.js';

/** How one channel's delivery of one notification ended. */
export interface DeliveryResult {
  channel: string;
  event: string;
  delivered: boolean;
  attempts: number;
  status: number | null;
  error: string | null;
}

/** What the command ending gives up on is recorded with this reason. */
export const GIVEN_UP = 'not delivered before the command ended';

/**
 * Delivers notifications without ever holding up the caller: `notify` only queues, each
 * channel's delivery runs on its own (timeout per attempt, retries with doubling backoff), and
 * every attempt is recorded as a `notification.sent` / `notification.failed` event. `flush` is
 * what a command does as it ends: it waits a bounded time, then gives up on what is left
 * (recorded as failed) so that a slow receiver never keeps a command from exiting.
 */
export class Notifier {
  private readonly pending = new Set<Promise<DeliveryResult>>();
  private readonly stop = new AbortController();

  constructor(
    readonly channels: readonly Channel[],
    private readonly record: (events: NewEvent[]) => void,
    private readonly flushMs: number,
  ) {}

  /** Queues `message` for every channel whose filter takes its event (a test message goes to all). */
  notify(message: Notification, runId: string | null = null): void {
    for (const channel of this.channels) if (message.event === 'test' || channel.events.includes(message.event)) void this.start(channel, message, runId);
  }

  /** Delivers `message` to `channels` now (with their retries) and says how each ended: `ptexec notify test`. */
  deliverNow(message: Notification, channels: readonly Channel[]): Promise<DeliveryResult[]> {
    return Promise.all(channels.map((c) => this.start(c, message, null)));
  }

  /** Waits up to the flush limit for deliveries under way, then gives up on the rest (recorded). */
  async flush(): Promise<void> {
    if (this.pending.size) {
      const limit = new AbortController();
      await Promise.race([Promise.allSettled([...this.pending]), sleep(this.flushMs, undefined, { signal: limit.signal }).catch(() => undefined)]);
      limit.abort();
    }
    this.stop.abort();
    await Promise.allSettled([...this.pending]);
  }

  private start(channel: Channel, message: Notification, runId: string | null): Promise<DeliveryResult> {
    const delivery = this.deliver(channel, message, runId);
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
    return delivery;
  }

  private async deliver(channel: Channel, message: Notification, runId: string | null): Promise<DeliveryResult> {
    const result = (attempts: number, delivered: boolean, status: number | null, error: string | null): DeliveryResult => ({ channel: channel.name, event: message.event, delivered, attempts, status, error });
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.any([AbortSignal.timeout(channel.timeoutMs), this.stop.signal]);
      try {
        const status = await channel.send(message, signal);
        this.append(runId, 'notification.sent', { channel: channel.name, event: message.event, attempt, status, final: true });
        return result(attempt, true, status, null);
      } catch (err) {
        const status = err instanceof DeliveryError ? err.status : undefined;
        const why = this.stop.signal.aborted ? GIVEN_UP : redact(err instanceof DeliveryError ? err.message : `failed (${(err as Error).name})`, channel.secrets);
        const final = attempt > channel.retries || this.stop.signal.aborted;
        this.append(runId, 'notification.failed', { channel: channel.name, event: message.event, attempt, ...(status === undefined ? {} : { status }), error: why, final });
        if (final) return result(attempt, false, status ?? null, why);
        await sleep(channel.backoffMs * 2 ** (attempt - 1), undefined, { signal: this.stop.signal }).catch(() => undefined);
        if (this.stop.signal.aborted) {
          this.append(runId, 'notification.failed', { channel: channel.name, event: message.event, attempt, error: GIVEN_UP, final: true });
          return result(attempt, false, status ?? null, GIVEN_UP);
        }
      }
    }
  }

  private append(runId: string | null, type: 'notification.sent' | 'notification.failed', payload: NotificationAttempt): void {
    try {
      this.record([{ runId, type, payload } as NewEvent]);
    } catch {
      // A record that cannot be written (the database busy or closed) must not break the command it reports on.
    }
  }
}
