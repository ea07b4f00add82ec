import type { OrderStatus } from '../../domain/order.js';

/**
 * Schwab's Trader API on the wire, in one place, with where each fact was confirmed. Schwab's
 * developer portal pages sit behind a login; the facts come from its published OpenAPI models
 * ("Accounts and Trading Production" specification, as copied into public repositories) and
 * from the widely used open-source client schwab-py, read as a secondary source. Facts marked
 * `unverified` could not be confirmed from either; correct them here.
 *
 * Confirmed (OpenAPI models):
 * - `GET /accounts/accountNumbers` → `[{accountNumber, hashValue}]`; every account path takes the
 *   hash, never the plain number;
 * - `GET /accounts/{hash}?fields=positions` → `{securitiesAccount: {accountNumber, type, positions:
 *   [{longQuantity, shortQuantity, settledLongQuantity, settledShortQuantity, averagePrice,
 *   marketValue, instrument: {assetType, symbol, cusip}}], currentBalances: {…}}}`;
 * - the order (`Order`): `session` NORMAL|AM|PM|SEAMLESS, `duration` DAY|GOOD_TILL_CANCEL|
 *   FILL_OR_KILL|IMMEDIATE_OR_CANCEL|…, `orderType` MARKET|LIMIT|STOP|STOP_LIMIT|…, `price`,
 *   `stopPrice`, `orderStrategyType` SINGLE, `orderLegCollection: [{instruction BUY|SELL|…,
 *   quantity, instrument: {symbol, assetType EQUITY}}]`, `orderId`, `status`, `enteredTime`,
 *   `closeTime`, `filledQuantity`, `remainingQuantity`, `statusDescription`,
 *   `orderActivityCollection: [{activityType EXECUTION, executionType FILL, executionLegs:
 *   [{legId, price, quantity, mismarkedQuantity, time}]}]`;
 * - the order request (`OrderRequest`) has NO client order id field: `tag` appears only on the
 *   order Schwab returns. ptexec therefore finds an order whose placement went unanswered by
 *   matching what it sent (schwab-order-matcher.ts);
 * - every status word (`SCHWAB_STATUSES`), the order-status list query
 *   `GET /accounts/{hash}/orders?fromEnteredTime&toEnteredTime[&status][&maxResults]`;
 * - `POST /accounts/{hash}/orders` answers 201 with the new order's id at the end of the
 *   `Location` header and no body; `PUT /accounts/{hash}/orders/{id}` replaces an order: Schwab
 *   cancels it and creates a new one, whose id is in `Location`; `DELETE …/orders/{id}` cancels;
 * - errors `{message, errors: [string]}` (`ServiceError`).
 * Confirmed (schwab-py auth and streaming modules, its documentation):
 * - OAuth 2 authorization code: `https://api.schwabapi.com/v1/oauth/authorize?client_id&
 *   redirect_uri`, then `POST /v1/oauth/token` form-encoded (grant_type=authorization_code, code,
 *   redirect_uri) with HTTP Basic app key:secret; renewal with grant_type=refresh_token;
 * - the refresh token lasts seven days from the login and is not extended by renewals; the
 *   access token about 30 minutes (`expires_in` 1800 in the answer);
 * - the app's order limit (place, replace, cancel) is chosen at registration, 0–120 per minute;
 * - the streamer: `GET /userPreference` → `streamerInfo[0]` {streamerSocketUrl,
 *   schwabClientCustomerId, schwabClientCorrelId, schwabClientChannel, schwabClientFunctionId};
 *   service ACCT_ACTIVITY with fields 0–3 (key, account, message type, message data).
 */
export const SCHWAB_URLS = {
  api: 'https://api.schwabapi.com/trader/v1',
  marketData: 'https://api.schwabapi.com/marketdata/v1',
  /** The OAuth endpoints (`/authorize`, `/token`). */
  oauth: 'https://api.schwabapi.com/v1/oauth',
} as const;

/**
 * Schwab's endpoint classes and their limits. `orders` is the app's order limit (place, replace,
 * cancel; chosen at app registration, at most 120 a minute; `brokers.schwab.order_limit_per_minute`
 * says what the app was given). unverified: the read limit — Schwab's portal says "120 requests
 * per minute" for the Trader API; ptexec keeps reads under it.
 */
export function schwabLimits(orderLimitPerMinute: number) {
  return {
    // Spread evenly: a burst of a third of the minute's orders would leave the rest of it idle.
    orders: [
      { limit: Math.max(1, Math.floor(orderLimitPerMinute / 60)), windowMs: 1_000 },
      { limit: orderLimitPerMinute, windowMs: 60_000 },
    ],
    reads: [{ limit: 120, windowMs: 60_000 }],
  } as const;
}

export type SchwabEndpointClass = 'orders' | 'reads';

/** The most orders Schwab's app registration allows a minute. */
export const SCHWAB_MAX_ORDER_LIMIT_PER_MINUTE = 120;

/**
 * Every order status Schwab documents (`apiOrderStatus`), with ours. An order Schwab holds and may
 * still trade is `accepted` (`partially_filled` once something filled: see `mapSchwabStatus`):
 * the AWAITING_* conditions, QUEUED and the release-time wait included. AWAITING_UR_OUT is Schwab
 * waiting for the venue's "you are out" confirmation of a cancel; PENDING_RECALL a recall
 * (withdrawal) in progress — both on their way to cancelled. REPLACED: the order was replaced by
 * a new one and trades no more. UNKNOWN: Schwab does not say; the order exists, so ptexec keeps
 * watching it as live (unverified: Schwab does not describe when it answers UNKNOWN).
 */
export const SCHWAB_STATUSES: Readonly<Record<string, OrderStatus>> = {
  AWAITING_PARENT_ORDER: 'accepted',
  AWAITING_CONDITION: 'accepted',
  AWAITING_STOP_CONDITION: 'accepted',
  AWAITING_MANUAL_REVIEW: 'accepted',
  ACCEPTED: 'accepted',
  AWAITING_UR_OUT: 'pending_cancel',
  PENDING_ACTIVATION: 'accepted',
  QUEUED: 'accepted',
  WORKING: 'accepted',
  REJECTED: 'rejected',
  PENDING_CANCEL: 'pending_cancel',
  CANCELED: 'cancelled',
  PENDING_REPLACE: 'pending_replace',
  REPLACED: 'cancelled',
  FILLED: 'filled',
  EXPIRED: 'expired',
  NEW: 'accepted',
  AWAITING_RELEASE_TIME: 'accepted',
  PENDING_ACKNOWLEDGEMENT: 'accepted',
  PENDING_RECALL: 'pending_cancel',
  UNKNOWN: 'accepted',
};

/** How long the access token lasts when the answer does not say (`expires_in`). */
export const SCHWAB_ACCESS_TOKEN_MS = 30 * 60_000;

/** How long the refresh token lasts from the login (unverified: Schwab says seven days; ptexec counts 7 × 24 h). */
export const SCHWAB_REFRESH_TOKEN_MS = 7 * 24 * 60 * 60_000;

/** The access token is renewed this long before it expires, so no call goes out with a dying token. */
export const SCHWAB_RENEW_MARGIN_MS = 60_000;

/**
 * Order updates: Schwab's streamer (ACCT_ACTIVITY) sends message types and an XML or JSON payload
 * that Schwab does not document field by field (unverified: the message types and payloads of the
 * Trader API streamer), so ptexec polls the order list instead — one read every `poll_ms`
 * (default 2 s: 30 of the 120 reads a minute), which carries the fills (`executionLegs`) too.
 */
export const SCHWAB_DEFAULT_POLL_MS = 2_000;

/**
 * How far around the moment a placement went out an order may have been entered to be taken for
 * it (Schwab's clock and ours differ; the answer may come long after). unverified: no published
 * bound on Schwab's acceptance latency; 2 minutes covers a timed-out call and clock skew.
 */
export const SCHWAB_MATCH_WINDOW_MS = 120_000;

/** The asset type of every order and position ptexec trades. */
export const SCHWAB_EQUITY = 'EQUITY';

/**
 * US equity tick: one cent at or above $1.00 (Reg NMS Rule 612); sub-dollar stocks may quote in
 * 1/100 cent, which ptexec's integer cents cannot carry: they are refused as unknown instruments.
 */
export const SCHWAB_TICK_CENTS = 1;

/** Market-data `reference.exchangeName` / instrument `exchange` words, with ours. unverified: Schwab's exact words for NYSE listings ("NYSE"; Arca and American listings are not traded). */
export const SCHWAB_EXCHANGES: Readonly<Record<string, 'NYSE' | 'NASDAQ'>> = {
  NASDAQ: 'NASDAQ',
  NYSE: 'NYSE',
};
