/**
 * What `ptexec config init` writes: config.json with every section explained in comments (ptexec
 * reads config.json as JSON with comments). Only `default_broker` is set; every other key is
 * commented out at its default (or an example value), so uncommenting a line is all it takes.
 * A test uncomments every key line and validates the result, so the template stays valid.
 */
export const CONFIG_TEMPLATE = `// ptexec configuration: JSON with comments. Every key is optional.
// \`ptexec config\` shows the value ptexec uses for each key and where it comes from.
// Uncomment a line to change a value; the values shown are the defaults, or examples.
{
  // Broker used when neither --broker nor the target file names one: paper, zerodha, upstox, fyers, angelone, groww, alpaca, ibkr, schwab or fix:<session>.
  "default_broker": "paper",

  // The built-in paper broker (README "The paper broker").
  "paper": {
    // "seed": 42,                  // prices, volume and fault draws (default: stored at first use)
    // "account": "PAPER",
    // "latencyMs": 15,             // one-way latency in clock ms
    // "stepMs": 1000,              // market time step
    // "participationCap": 0.2,     // most of the market's flow resting paper orders may take, per side
    // "impact": { "temporary": 1, "permanent": 1 },  // multiply the market model's impact coefficients
    // "model": "paper-model.json", // fields laid over data/market/model.json (README "The paper market model")
    // "spreadMultiplier": 1,
    // "marketBuyBuffer": 0.005,    // cash blocked above the ask for market buys
    // "followExchangeHours": false,
    // "faults": { "reject": 0, "timeoutAfterAccept": 0, "timeoutBeforeAccept": 0, "unavailable": 0, "rateLimited": 0, "dropUpdate": 0, "timeoutMs": 5000 },
  },

  // Zerodha Kite Connect (README "Zerodha"). Credentials never go here: \`ptexec brokers login zerodha\`.
  "brokers": {
    "zerodha": {
      // "api_url": "https://api.kite.trade",   // or PTEXEC_ZERODHA_URL
      // "ws_url": "wss://ws.kite.trade",        // or PTEXEC_ZERODHA_WS_URL
      // "login_url": "https://kite.zerodha.com/connect/login",
      // "market_protection": -1,                 // -1 lets Kite choose; 1-100 is a percentage
      // "delivery_product": "CNC",
      // "intraday_product": "MIS",
      // "timeout_ms": 10000,
      // "quote_batch": 500,
      // "ws_silence_ms": 5000,
    },
  },

  // Pre-trade risk limits (README "Pre-trade risk"). Amounts in the account currency; null switches a limit off.
  "risk": {
    // "order": { "max_quantity": 100000, "max_value": 10000000 },
    // "child": { "max_quantity": 100000, "max_value": 10000000 },
    // "price_band": { "max_pct": 5, "warn_pct": 2 },
    // "liquidity": { "max_adv_pct": 10, "warn_adv_pct": 2, "when_adv_unknown": "warn" },
    // "concentration": { "max_position_pct": 25, "max_group_pct": null, "group_limits": { "IT": 30 } },
    // "lists": { "restricted": ["YESBANK"], "allowed": null },
    // "short_selling": { "allow": false },
    // "buying_power": { "charges_bps": 15, "buffer_pct": 1, "use_sell_proceeds": true },
    // "run": { "max_turnover_value": null, "max_turnover_pct": 200, "max_orders": 500, "max_child_orders": 20000 },
    // "duplicates": { "window_seconds": 300 },
    // "rate": { "use_pct": 80 },
    // "session": { "enforce": true, "allow_pre_open": false, "allow_closing": false, "paper_follows_exchange": false },
    // "kill_switch": { "poll_ms": 250 },
  },

  // Charge schedules (README "Charges"): a file relative to this folder, and/or schedules by broker id.
  "charges": {
    // "file": "my-schedules.json",
    // "schedules": { "paper": { "name": "paper like Groww", "markets": [{ "same_as": "groww" }] } },
  },

  // Group rebalances (README "Failover"): a broker down this long (its circuit breaker open, still no
  // answer) stops its account's run, and what it has not sent moves to the group's other accounts.
  "failover": {
    // "outage_seconds": 60,        // 1 to 3600
  },

  // Exchange calendar files added to the shipped ones (README "Exchange calendars"), relative to this folder.
  "calendars": {
    // "files": ["nse-2027.json"],
  },

  // Intraday volume curves VWAP follows instead of the broker's (README "VWAP's volume profile"): CSV "minute,volume", relative to this folder.
  "volume_profiles": {
    // "NSE": "profiles/nse.csv",
  },

  // Run logs, NDJSON (README "Running unattended"); \`schedule run\` logs to logs/ptexec.log in the data folder by default.
  "logs": {
    // "file": "ptexec.log",        // every rebalance logs here (relative to this folder); --log-file wins
    // "rotate": "size",            // or "day": a new file each day
    // "max_bytes": 10485760,       // rotate: size
    // "keep": 7,                   // old files kept
  },

  // Notification channels (README "Notifications"). Secrets come from PTEXEC_NOTIFY_<CHANNEL>_<FIELD>
  // or the credentials file, never from here; "events" filters what a channel gets.
  "notify": {
    // "webhook": { "url": "https://ops.example.com/ptexec", "timeout_ms": 10000, "retries": 3, "backoff_ms": 1000 },
    // "ntfy": { "server": "https://ntfy.sh", "topic": "my-desk", "events": ["run.finished", "kill_switch.on"] },
    // "telegram": { "chat_id": -1001234567 },
    // "email": { "host": "smtp.example.com", "port": 587, "user": "me@example.com", "from": "me@example.com", "to": "pm@example.com" },
    // "flush_ms": 5000,            // how long a command waits for deliveries as it ends
  },
}
`;
