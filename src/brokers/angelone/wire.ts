/**
 * Angel One SmartAPI on the wire, in one place so that a fact found wrong is corrected once.
 *
 * Confirmed from the official SDK `smartapi-javascript` 1.0.27 (config/api.js, lib/smartapi-connect.js,
 * lib/ws_orderupdates.js): the root URL, every path below, the headers every call carries, JSON
 * bodies, `Authorization: Bearer <jwtToken>`, the login body `{clientcode, password, totp}`, the
 * renewal body `{refreshToken}`, the logout body `{clientcode}`, order details by
 * `details/{uniqueorderid}`, and the order-update WebSocket's URL and headers.
 * Confirmed from SmartAPI's documentation and its forum announcements: the envelope
 * `{status, message, errorcode, data}`, AG8001 "Invalid Token", AB1050 invalid TOTP, AB4008 tag
 * too long, the `ordertag` limit of 20 characters (since 15 Nov 2024), the rate-limit table.
 *
 * UNVERIFIED (marked where used): the full list of order status words; the message and code of
 * the rate-limit refusal (and that it names no wait); that a session ends at midnight IST; the
 * tick size of the instrument master being in paise; the remaining AB… codes' meanings (taken from
 * the documentation's Exceptions table as remembered, not re-read); whether the login answers the
 * JWT with its "Bearer " scheme (accepted either way); the quote endpoint's field names; the
 * fields of the order-update stream's messages (so the stream is not used).
 *
 * Noticed in the SDK: it sets X-ClientLocalIP/X-ClientPublicIP/X-MACAddress when the instance is
 * created, before its own asynchronous look-ups of them finish, so it may send them empty; it
 * sends a JSON body `{}` even on GET. ptexec sends the configured addresses and no GET body.
 */

export const ANGEL_PATHS = {
  login: '/rest/auth/angelbroking/user/v1/loginByPassword',
  generateTokens: '/rest/auth/angelbroking/jwt/v1/generateTokens',
  profile: '/rest/secure/angelbroking/user/v1/getProfile',
  logout: '/rest/secure/angelbroking/user/v1/logout',
  placeOrder: '/rest/secure/angelbroking/order/v1/placeOrder',
  modifyOrder: '/rest/secure/angelbroking/order/v1/modifyOrder',
  cancelOrder: '/rest/secure/angelbroking/order/v1/cancelOrder',
  orderBook: '/rest/secure/angelbroking/order/v1/getOrderBook',
  orderDetails: '/rest/secure/angelbroking/order/v1/details',
  tradeBook: '/rest/secure/angelbroking/order/v1/getTradeBook',
  rms: '/rest/secure/angelbroking/user/v1/getRMS',
  holdings: '/rest/secure/angelbroking/portfolio/v1/getHolding',
  positions: '/rest/secure/angelbroking/order/v1/getPosition',
  quote: '/rest/secure/angelbroking/market/v1/quote',
} as const;

export const ANGEL_API_URL = 'https://apiconnect.angelone.in';
/** The instrument master (a JSON array of every scrip); the SDK does not fetch it. */
export const ANGEL_SCRIP_MASTER_URL = 'https://margincalculator.angelbroking.com/OpenAPI_File/files/OpenAPIScripMaster.json';
/** The order-update WebSocket (SDK CONSTANTS.wsclientupdatesURL); not used: see AngelOneBroker.subscribe. */
export const ANGEL_ORDER_UPDATES_URL = 'wss://tns.angelone.in/smart-order-update';

/**
 * Published limits per endpoint class (SmartAPI forum, "Changes in API Rate Limit"): place,
 * modify and cancel 20/s, 500/min, 1000/h each; order book, trade book, positions and holdings
 * 1/s; RMS 2/s; order details and quotes 10/s, 500/min, 5000/h; login and token renewal 1/s.
 */
export const ANGEL_LIMITS = {
  orders: [
    { limit: 20, windowMs: 1_000 },
    { limit: 500, windowMs: 60_000 },
    { limit: 1_000, windowMs: 3_600_000 },
  ],
  orderBook: [{ limit: 1, windowMs: 1_000 }],
  tradeBook: [{ limit: 1, windowMs: 1_000 }],
  holdings: [{ limit: 1, windowMs: 1_000 }],
  positions: [{ limit: 1, windowMs: 1_000 }],
  rms: [{ limit: 2, windowMs: 1_000 }],
  details: [
    { limit: 10, windowMs: 1_000 },
    { limit: 500, windowMs: 60_000 },
  ],
  quote: [
    { limit: 10, windowMs: 1_000 },
    { limit: 500, windowMs: 60_000 },
  ],
  session: [{ limit: 1, windowMs: 1_000 }],
  profile: [{ limit: 3, windowMs: 1_000 }],
} as const;

export type AngelEndpointClass = keyof typeof ANGEL_LIMITS;

/** `ordertag`: at most 20 characters (AB4008 beyond); we send letters and digits only. */
export const ANGEL_ORDER_TAG = /^[A-Za-z0-9]{1,20}$/;

/** The API's refusal of too many calls. UNVERIFIED: code and wording (observed reports say HTTP 403 "exceeding access rate"). */
export const ANGEL_RATE_LIMIT = { code: 'AB1019', message: 'Access denied because of exceeding access rate' } as const;
