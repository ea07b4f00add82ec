import type { BrokerError } from '../../domain/errors/broker-error.js';
import type { PaperFaults } from './config.js';
import { paperError } from './paper-error.js';
import { fnv1a32 } from '../../market/hash.js';
import { SeededRandom } from './random.js';

/** The HTTP-like answers any order call may meet before it reaches the market. */
export interface CallFaults {
  rateLimited: boolean;
  unavailable: boolean;
}

/** What a placement meets on its way: an HTTP-like answer, a lost request or answer, a rejection. */
export interface PlacementFaults extends CallFaults {
  /** The request times out before it reached the market: no order exists. */
  lostBefore: boolean;
  /** The exchange rejects the order (it exists, REJECTED). */
  reject: boolean;
  /** The answer times out after the order was accepted: it exists and trades. */
  lostAfter: boolean;
}

export const SIMULATED_REJECTION = 'rejected by the exchange (simulated fault)';

/**
 * Fault injection, switched on by config `paper.faults`. The draws come from one sequence seeded
 * by the market's seed and the account, taken in call order, so a seeded run meets the same
 * faults every time. Every draw of a call is made whatever the probabilities, so one fault's
 * probability never shifts another's draws.
 */
export class FaultInjector {
  private readonly draws: SeededRandom;

  constructor(
    private readonly faults: PaperFaults,
    seed: number,
    account: string,
  ) {
    this.draws = new SeededRandom((seed ^ fnv1a32(account)) >>> 0);
  }

  /** How long a timed-out call hangs before it fails (ms of clock time). */
  get timeoutMs(): number {
    return this.faults.timeoutMs;
  }

  placement(): PlacementFaults {
    const f = this.faults;
    return {
      rateLimited: this.draws.chance(f.rateLimited),
      unavailable: this.draws.chance(f.unavailable),
      lostBefore: this.draws.chance(f.timeoutBeforeAccept),
      reject: this.draws.chance(f.reject),
      lostAfter: this.draws.chance(f.timeoutAfterAccept),
    };
  }

  /** The draws of a modification or a cancellation. */
  call(): CallFaults {
    return { rateLimited: this.draws.chance(this.faults.rateLimited), unavailable: this.draws.chance(this.faults.unavailable) };
  }

  /** Whether the next order or trade update is lost on its way to the client. */
  dropsUpdate(): boolean {
    return this.draws.chance(this.faults.dropUpdate);
  }
}

/** The simulated HTTP error a call met (a 429 before a 503), or undefined. */
export function httpFault(roll: CallFaults): BrokerError | undefined {
  if (roll.rateLimited) return paperError('rate_limited', 'too many requests (simulated HTTP 429)', { status: 429, retryAfterMs: 1_000 });
  if (roll.unavailable) return paperError('unavailable', 'service unavailable (simulated HTTP 503)', { status: 503 });
  return undefined;
}

/** A placement whose answer never came: the caller cannot know whether the order exists. */
export function placementTimeout(reachedMarket: boolean): BrokerError {
  const where = reachedMarket ? 'the order may have reached the market' : 'the order never reached the market';
  return paperError('unknown_outcome', `order placement timed out (simulated; ${where})`);
}
