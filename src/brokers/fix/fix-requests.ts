import type { Clock, TimerHandle } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { FixField, FixMessage } from './codec.js';
import type { FixSession } from './fix-session.js';

export type FixAnswer = { message: FixMessage } | { error: BrokerError };

/**
 * Requests on a FIX session and their answers, matched by a key (`ord:<ClOrdID>`, `md:<MDReqID>`,
 * …) or, for a session Reject(3), by our MsgSeqNum. Nothing is re-sent: an order message
 * unanswered in time, or cut by a disconnect, is an unknown outcome; a query is `unavailable`.
 */
export class FixRequests {
  private readonly waiters = new Map<string, (answer: FixAnswer) => void>();
  private readonly keyBySeq = new Map<number, string>();

  constructor(
    private readonly session: FixSession,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly broker: string,
  ) {}

  /**
   * Sends and waits. A query unanswered in time is asked again (twice, under the same id, so a
   * late answer still counts); an order message never is.
   */
  async request(key: string, msgType: string, body: FixField[], what = `message ${msgType}`): Promise<FixMessage> {
    const attempts = key.startsWith('ord:') ? 1 : 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(key, msgType, body, what);
      } catch (err) {
        if (attempt >= attempts || !(err instanceof BrokerError && err.details.code === 'timeout')) throw err;
      }
    }
  }

  private async once(key: string, msgType: string, body: FixField[], what: string): Promise<FixMessage> {
    // A session reconnecting is waited for (briefly); nothing is sent until it is logged on.
    await this.session.whenActive(this.timeoutMs);
    const orderMessage = key.startsWith('ord:');
    return new Promise<FixMessage>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      let seq = 0;
      const done = (answer: FixAnswer) => {
        if (timer) this.clock.clearTimeout(timer);
        this.keyBySeq.delete(seq);
        if ('error' in answer) reject(answer.error);
        else resolve(answer.message);
      };
      this.waiters.set(key, done);
      try {
        seq = this.session.send(msgType, body);
      } catch (err) {
        this.waiters.delete(key);
        return reject(err);
      }
      this.keyBySeq.set(seq, key);
      timer = this.clock.setTimeout(() => {
        if (this.waiters.get(key) !== done) return;
        this.waiters.delete(key);
        const message = `${this.broker}: no answer to ${what} within ${this.timeoutMs} ms`;
        done({ error: new BrokerError(orderMessage ? 'unknown_outcome' : 'unavailable', message, this.broker, { code: 'timeout' }) });
      }, this.timeoutMs);
    });
  }

  /** Settles the request waiting under `key`; false when none waits. */
  answer(key: string, answer: FixAnswer): boolean {
    const done = this.waiters.get(key);
    if (!done) return false;
    this.waiters.delete(key);
    done(answer);
    return true;
  }

  /** The waiting key whose id is `ref` (a BusinessMessageReject names the request by its id). */
  keyOf(ref: string): string | undefined {
    return [...this.waiters.keys()].find((k) => k.endsWith(`:${ref}`));
  }

  keyOfSeq(seq: number): string | undefined {
    return this.keyBySeq.get(seq);
  }

  /** The session went down: order messages in flight have unknown outcomes, queries fail. */
  failAll(reason: string): void {
    for (const [key, done] of this.waiters) {
      this.waiters.delete(key);
      const placement = key.startsWith('ord:');
      done({ error: new BrokerError(placement ? 'unknown_outcome' : 'unavailable', `${reason}${placement ? ': the order message may or may not have reached the counterparty' : ''}`, this.broker) });
    }
  }
}
