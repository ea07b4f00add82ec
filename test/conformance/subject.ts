import type { Broker } from '../../src/brokers/broker.js';
import type { BrokerRegistration } from '../../src/brokers/registry.js';
import type { Exchange } from '../../src/domain/instrument.js';
import type { OrderStatus } from '../../src/domain/order.js';
import type { CannedRoute } from './capture-server.js';
import type { KitMarket } from './kit-market.js';

/**
 * What a broker brings to the conformance kit: its adapter, wired to its own strict emulator (or,
 * for the paper broker, its simulated market). Adding a broker means writing the adapter, its
 * emulator and one `ConformanceSubject`, then passing `runConformance(subject)`.
 *
 * The contract is shared by every broker's subject: members may be added (optional ones only),
 * never changed. Where a broker cannot be made to do something (the paper broker has no wire to
 * cut), the member is absent and the kit reports the case as not applicable, naming why.
 */
export interface ConformanceSubject {
  /** The id `--broker` takes and the registry knows (`zerodha`, `upstox`, …). */
  id: string;
  /** Its registration (capabilities, login), as `src/brokers/index.ts` registers it. */
  registration: () => Promise<BrokerRegistration>;
  /**
   * Every order status the broker documents (transient ones included), each with ours. The kit
   * makes the emulator report each (`Venue.market.setStatus`) and checks the adapter's mapping.
   */
  statuses: readonly { broker: string; ours: OrderStatus }[];
  /** Where the kit's cases trade (instruments, exchange, currency); India (NSE, INR) when absent. */
  market?: KitMarket;
  /**
   * How the broker names the market's `first` and `second` instruments (`INFY` on NSE → Kite
   * `NSE:INFY`, Upstox `NSE_EQ|INE009A01021`), keyed by our symbol.
   */
  instrumentKeys: Readonly<Record<string, string>>;
  /** Why a case does not apply to this broker (case name, one of `CASES` in kit.ts → reason), shown in the test name. */
  notApplicable?: Readonly<Record<string, string>>;
  /** Starts a fresh emulator with this account, and an adapter connected and logged in to it. */
  start(account?: VenueAccount): Promise<Venue>;
  /**
   * Where the broker has an official SDK on npm: the same intents driven through the SDK against
   * a capture server, so the kit can compare its requests with the adapter's.
   */
  sdkOracle?: SdkOracle;
}

/** The account an emulator starts with. Money in the market's minor units. */
export interface VenueAccount {
  cash?: number;
  /** Settled and T+1 quantities. */
  holdings?: { symbol: string; quantity: number; t1Quantity: number; averagePrice: number }[];
  /** A fill takes half of a multi-share order, the next one the rest. */
  partialFills?: boolean;
  /** The adapter's per-request timeout (short, so fault cases finish quickly). */
  timeoutMs?: number;
  /** The adapter's client-side rate limiter (on by default; the rate-limit cases switch it off to meet the server's). */
  rateLimit?: boolean;
}

export interface Venue {
  broker: Broker;
  /** The emulator's market, driven by the test. */
  market: {
    /** Fills `quantity` of a working order (at its limit, or the touch for a market order). */
    fill(brokerOrderId: string, quantity: number): Promise<void>;
    /** The exchange rejects a working order with this reason. */
    reject(brokerOrderId: string, reason: string): Promise<void>;
    /** Puts an order into one of the broker's documented statuses (the words of `statuses`). */
    setStatus(brokerOrderId: string, brokerStatus: string): Promise<void>;
    /** Orders the emulator has booked (however they were asked for). */
    bookedOrders(): number;
  };
  /** The session, from scratch: `good` credentials log in, bad ones are refused. */
  login?(good: boolean): Promise<void>;
  faults: VenueFaults;
  /** Every request the emulator received, in order. */
  requests(): RecordedRequest[];
  /**
   * Asks the adapter to re-read its order and trade books now and report what its stream missed
   * (a gap it cannot see by itself). Absent where the adapter has no such call: say why.
   */
  resync?(): Promise<void>;
  close(): Promise<void>;
}

/** Faults the emulator injects on request; absent = the broker has no such failure (say why in notApplicable). */
export interface VenueFaults {
  /** Every token becomes invalid: the next call gets the broker's session error. */
  expireSession?(): void;
  /** The next placement is booked, but its answer is lost (connection reset after booking). */
  bookThenReset?(): void;
  /** The next placement never reaches the broker and is never answered (the client times out). */
  loseNextPlacement?(): void;
  /** The next `count` calls fail with the broker's 5xx answer, unprocessed. */
  serverErrors?(count: number): void;
  /** The next `count` calls answer 200 with a body that is not the broker's envelope. */
  malformedBodies?(count: number): void;
  /** The next `count` calls are accepted and never answered. */
  hang?(count: number): void;
  /** The next `count` calls get the broker's rate-limit answer (429 and its own code). */
  rateLimit?(count: number): void;
  /** Cuts the order-update stream (where the broker has one). */
  dropStream?(): void;
  /** The next `count` stream messages are not sent (a gap the adapter must resync over). */
  dropStreamMessages?(count: number): void;
  /** Every stream message is sent twice. */
  duplicateStreamMessages?(on: boolean): void;
  /** Stream messages are held and sent newest first. */
  reorderStreamMessages?(on: boolean): void;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
  /** When the request arrived (epoch ms), where the emulator records it: the rate-limit cases count arrivals. */
  at?: number;
}

/** Intents the kit asks both the SDK and the adapter to perform against one capture server. */
export type SdkIntent =
  | { kind: 'place'; symbol: string; /** NSE when absent. */ exchange?: Exchange; side: 'buy' | 'sell'; type: 'market' | 'limit' | 'stop' | 'stop_limit'; quantity: number; limitPrice?: number; triggerPrice?: number; clientOrderId: string }
  | { kind: 'cancel'; brokerOrderId: string }
  | { kind: 'modify'; brokerOrderId: string; quantity?: number; limitPrice?: number }
  | { kind: 'orders' }
  | { kind: 'holdings' }
  | { kind: 'positions' }
  | { kind: 'funds' };

export interface SdkOracle {
  /** The npm package and version the oracle drives. */
  sdk: string;
  /** Performs the intent through the official SDK, pointed at `baseUrl`. */
  perform(intent: SdkIntent, baseUrl: string): Promise<void>;
  /** Performs the intent through our adapter, pointed at `baseUrl`. */
  performWithAdapter(intent: SdkIntent, baseUrl: string): Promise<void>;
  /** Body (and query) fields the two may legitimately differ in (the SDK sends defaults we leave out, …), with why. */
  ignoredFields?: Readonly<Record<string, string>>;
  /** What the capture server answers (a success envelope per route), so both clients get past the answer. */
  cannedRoutes?: readonly CannedRoute[];
  /** Request headers that must agree besides the content type (version, authorization, …), lower case. */
  headers?: readonly string[];
  /** The intents to compare; the kit's own set when absent. */
  intents?: readonly SdkIntent[];
}
