import type { Clock } from '../../domain/clock.js';
import { RateLimiter } from '../http/rate-limiter.js';
import { FYERS_LIMITS } from './wire-facts.js';

const limiters = new WeakMap<Clock, Map<string, RateLimiter>>();

/**
 * The one limiter of a Fyers app in this process. Fyers counts every call of an app and user
 * against one 10/s and 200/min, and repeated breaches block the user for the day: the login's
 * session calls, the adapter and an adapter reopened after a new login must share one budget,
 * not have one each.
 */
export function fyersAppLimiter(appId: string, clock: Clock, options: { disabled?: boolean } = {}): RateLimiter {
  if (options.disabled) return new RateLimiter(FYERS_LIMITS, clock, { disabled: true });
  let byApp = limiters.get(clock);
  if (!byApp) limiters.set(clock, (byApp = new Map()));
  let limiter = byApp.get(appId);
  if (!limiter) byApp.set(appId, (limiter = new RateLimiter(FYERS_LIMITS, clock)));
  return limiter;
}
