import type { BrokerErrorKind } from '../../domain/errors/broker-error.js';
import type { OrderStatus } from '../../domain/order.js';

/**
 * Fyers API v3 on the wire, in one place so a fact found wrong is corrected here only. Each fact
 * says where it was confirmed:
 * - [sdk] the official Node SDK `fyers-api-v3` 1.9.0 (config/config.js, apiService/apiService.js,
 *   ordersocket/fyersSocket.js, ordersocket/mapper.js);
 * - [3p] several independent third-party clients agree, the official documentation was not reached;
 * - [unverified] taken from BROKERS.md or assumed, not confirmed anywhere.
 */

/** [sdk] `SYNC_API`: every trading and session call; `data_Api1`: quotes; `Order_SOCKET`. */
export const FYERS_API_URL = 'https://api-t1.fyers.in/api/v3';
export const FYERS_DATA_URL = 'https://api-t1.fyers.in/data';
export const FYERS_ORDER_SOCKET_URL = 'wss://socket.fyers.in/trade/v3';
/** [3p] The CSV symbol master of the NSE and BSE cash segments, refreshed daily, no header row. */
export const FYERS_SYMBOL_MASTER_URL = 'https://public.fyers.in/sym_details';

/** [sdk] Paths below the API base. Placement, modify and cancel are POST, PATCH and DELETE of `/orders/sync` with JSON bodies. */
export const FYERS_PATHS = {
  authCode: '/generate-authcode',
  validateAuthCode: '/validate-authcode',
  /** [3p] `{grant_type:"refresh_token", appIdHash, refresh_token, pin}`; not in the Node SDK. */
  validateRefreshToken: '/validate-refresh-token',
  logout: '/logout',
  profile: '/profile',
  funds: '/funds',
  holdings: '/holdings',
  positions: '/positions',
  orders: '/orders',
  ordersSync: '/orders/sync',
  tradebook: '/tradebook',
  /** Below the data base. */
  quotes: '/quotes',
} as const;

/**
 * [3p] Token lifetimes: the access token lasts until the end of the trading day (treated as
 * 06:00 IST the next morning, like Kite's, [unverified]); the refresh token 15 days.
 */
export const FYERS_REFRESH_TOKEN_DAYS = 15;

/**
 * [sdk] Every authorized call carries `version: 2.0` beside the Authorization header: the SDK's
 * default "output format" version, so the answers are the ones the documentation shows.
 */
export const FYERS_RESPONSE_VERSION = '2.0';

/** [sdk] Order types (`type`) and sides (`side`) are numbers. */
export const FYERS_ORDER_TYPE = { limit: 1, market: 2, stop: 3, stop_limit: 4 } as const;
export const FYERS_SIDE = { buy: 1, sell: -1 } as const;

/**
 * Order book `status` codes [3p, matching the SDK's socket mapping]: 1 cancelled, 2 traded,
 * 3 reserved ("for future use"), 4 transit, 5 rejected, 6 pending, 7 expired. A partly traded
 * order stays 6 with `filledQty` > 0.
 */
export const FYERS_STATUS: Readonly<Record<number, { word: string; ours: OrderStatus }>> = {
  1: { word: 'cancelled', ours: 'cancelled' },
  2: { word: 'traded', ours: 'filled' },
  4: { word: 'transit', ours: 'accepted' },
  5: { word: 'rejected', ours: 'rejected' },
  6: { word: 'pending', ours: 'accepted' },
  7: { word: 'expired', ours: 'expired' },
};

/**
 * [sdk] The order socket sends the exchange-level `ord_status`; the SDK folds it onto the book's
 * codes with this table (`ordstatobj` in ordersocket/fyersSocket.js).
 */
export const FYERS_SOCKET_STATUS: Readonly<Record<number, number>> = {
  11: 4, 12: 4, 20: 4, 21: 4, 22: 6, 23: 6, 24: 6, 25: 6, 26: 6, 90: 2, 91: 1, 92: 5, 93: 5, 94: 5,
  51: 6, 52: 6, 53: 6, 54: 6, 55: 6, 61: 6, 62: 6, 63: 6, 64: 6, 71: 6, 72: 6, 73: 1,
};

/**
 * Error `code`s of the `{"s":"error","code":<negative>,"message":…}` envelope and what they mean
 * for us. -8/-15/-16/-17/-50/-51/-99/-300/-429 are in BROKERS.md and several third-party clients
 * [3p]; -352 (invalid app id) and -53 (invalid position id) [3p]; anything else by HTTP status.
 */
export const FYERS_ERROR_KIND: Readonly<Record<number, BrokerErrorKind>> = {
  [-8]: 'auth',
  [-15]: 'auth',
  [-16]: 'auth',
  [-17]: 'auth',
  [-352]: 'auth',
  [-50]: 'input',
  [-53]: 'input',
  [-300]: 'input',
  [-51]: 'not_found',
  [-99]: 'rejected',
  [-429]: 'rate_limited',
};

/**
 * Published limits [3p]: 10/s, 200/min, 100,000/day per app and user; repeated per-minute
 * breaches block the user for the rest of the day, so the per-minute figure is never approached.
 */
export const FYERS_LIMITS = {
  api: [
    { limit: 10, windowMs: 1_000 },
    { limit: 200, windowMs: 60_000 },
    { limit: 100_000, windowMs: 86_400_000 },
  ],
} as const;

/**
 * `orderTag` [unverified]: the documentation's length and charset rule was not found; 1–20 letters
 * and digits is what the other Indian brokers accept and what ptexec's client ids are.
 */
export const FYERS_TAG = /^[A-Za-z0-9]{1,20}$/;

/** [sdk] The socket's subscription message and keep-alive (`ping` text frames answered `pong`). */
export const FYERS_SOCKET_SUBSCRIBE = { T: 'SUB_ORD', SLIST: ['orders', 'trades'], SUB_T: 1 } as const;
