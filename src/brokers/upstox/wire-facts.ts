import type { OrderStatus } from '../../domain/order.js';

/**
 * Upstox's wire, in one place, with where each fact was confirmed. Facts marked `unverified`
 * could not be confirmed from Upstox's documentation or its official SDK (`upstox-js-sdk`
 * 2.31.0); correct them here.
 *
 * Confirmed from the SDK source (ApiClient, OrderApi, OrderControllerV3Api, LoginApi,
 * PortfolioApi, UserApi, MarketQuoteApi, PortfolioDataFeeder):
 * - `Authorization: Bearer <token>`; JSON bodies; `Api-Version: 2.0` on the v2 calls that take it
 *   (Upstox dropped the requirement in March 2024; the SDK still sends it);
 * - place, modify and cancel go to a separate host, `https://api-hft.upstox.com`, at
 *   `POST /v3/order/place` (answer `data.order_ids`, an array: v3 may slice an order),
 *   `PUT /v3/order/modify`, `DELETE /v3/order/cancel?order_id=`;
 * - reads on `https://api.upstox.com`: `/v2/order/retrieve-all`, `/v2/order/details?order_id`,
 *   `/v2/order/history?order_id`, `/v2/order/trades/get-trades-for-day`, `/v2/order/trades?order_id`,
 *   `/v2/portfolio/long-term-holdings` (with `t1_quantity`), `/v2/portfolio/short-term-positions`,
 *   `/v2/user/get-funds-and-margin`, `/v2/user/profile`, `/v2/market-quote/quotes?symbol=k1,k2`;
 * - login: `GET /v2/login/authorization/dialog?response_type=code&client_id&redirect_uri`, then
 *   `POST /v2/login/authorization/token` form-encoded (code, client_id, client_secret,
 *   redirect_uri, grant_type=authorization_code); `DELETE /v2/logout`;
 * - the order-update stream: a WebSocket to `wss://api.upstox.com/v2/feed/portfolio-stream-feed
 *   ?update_types=order` carrying the bearer token in the `Authorization` header and following
 *   the redirect Upstox answers with (the SDK's feeder does exactly this; the `/authorize`
 *   endpoint that returns the signed URL is the older path);
 * - enums: products I, D, MTF; validity DAY, IOC; order types MARKET, LIMIT, SL, SL-M; BUY/SELL.
 * Confirmed from Upstox's documentation pages (rate limiting, instruments, error envelope):
 * - errors `{"status":"error","errors":[{"error_code":"UDAPI…","message","property_path","invalid_value"}]}`;
 *   HTTP 429 with UDAPI10005 ("Too Many Request Sent"), no Retry-After header;
 * - order calls: 10/s, 500/min, 2000/30 min per user (regular algos); other calls 50/s, 500/min, 2000/30 min;
 * - the instrument master `https://assets.upstox.com/market-quote/instruments/exchange/complete.json.gz`
 *   (gzipped JSON; equities have `segment` NSE_EQ/BSE_EQ, `instrument_type` EQ, `instrument_key`
 *   `NSE_EQ|<ISIN>`, `trading_symbol`, `lot_size`, `tick_size`).
 */
export const UPSTOX_URLS = {
  api: 'https://api.upstox.com',
  orders: 'https://api-hft.upstox.com',
  ws: 'wss://api.upstox.com/v2/feed/portfolio-stream-feed',
  login: 'https://api.upstox.com/v2/login/authorization/dialog',
  instruments: 'https://assets.upstox.com/market-quote/instruments/exchange/complete.json.gz',
} as const;

/** Upstox's endpoint classes and their published per-user limits. */
export const UPSTOX_LIMITS = {
  orders: [
    { limit: 10, windowMs: 1_000 },
    { limit: 500, windowMs: 60_000 },
    { limit: 2_000, windowMs: 1_800_000 },
  ],
  other: [
    { limit: 50, windowMs: 1_000 },
    { limit: 500, windowMs: 60_000 },
    { limit: 2_000, windowMs: 1_800_000 },
  ],
} as const;

export type UpstoxEndpointClass = keyof typeof UPSTOX_LIMITS;

/** The error code of a rate-limited call. */
export const UDAPI_TOO_MANY_REQUESTS = 'UDAPI10005';

/**
 * The `tag` carrying our client order id. unverified: Upstox documents `tag` as a free string
 * without a published length or charset; 20 letters and digits is what every Indian broker takes.
 */
export const UPSTOX_TAG = /^[A-Za-z0-9]{1,20}$/;

/**
 * Every order status Upstox documents (its "Order Status" appendix; confirmed from a copy of the
 * page, not the page itself), lower-case on the wire, with ours. The request-received and
 * validation steps mean Upstox holds the order (`accepted`); a live order with fills is
 * `partially_filled` (see `mapUpstoxStatus`). `not modified` / `not cancelled` leave the order as
 * it was: live.
 */
export const UPSTOX_STATUSES: Readonly<Record<string, OrderStatus>> = {
  'put order req received': 'accepted',
  'validation pending': 'accepted',
  'open pending': 'accepted',
  open: 'accepted',
  'trigger pending': 'accepted',
  'after market order req received': 'accepted',
  'modify after market order req received': 'pending_replace',
  'modify pending': 'pending_replace',
  'modify validation pending': 'pending_replace',
  modified: 'accepted',
  'not modified': 'accepted',
  'cancel pending': 'pending_cancel',
  'not cancelled': 'accepted',
  complete: 'filled',
  cancelled: 'cancelled',
  'cancelled after market order': 'cancelled',
  rejected: 'rejected',
};

/**
 * When a session ends. unverified: Upstox says an access token is valid until 03:30 IST the
 * next day, whatever the time of login.
 */
export const UPSTOX_TOKEN_EXPIRY_MINUTE_IST = 3 * 60 + 30;
