import { z } from 'zod';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';

const probability = z.number().min(0).max(1);

const FaultsSchema = z.lazy(() =>
  z
    .object({
      /** The order is accepted on the wire but comes back REJECTED. */
      reject: probability.default(0),
      /** The placement times out after the order was accepted (it exists and trades). */
      timeoutAfterAccept: probability.default(0),
      /** The placement times out before the order reached the market (it does not exist). */
      timeoutBeforeAccept: probability.default(0),
      /** An HTTP 5xx answer to an order call. */
      unavailable: probability.default(0),
      /** An HTTP 429 answer to an order call. */
      rateLimited: probability.default(0),
      /** An order or trade update that is never emitted. */
      dropUpdate: probability.default(0),
      /** How long a timed-out call hangs before it fails (ms of clock time). */
      timeoutMs: z.number().int().min(0).max(600_000).default(5_000),
    })
    .strict(),
);

/**
 * The `paper` section of config.json. Every field is optional; unknown fields are errors so a
 * typo never silently falls back to a default.
 */
export const PaperConfigSchema = z.lazy(() =>
  z
    .object({
      /** Seed of the price paths, volume noise and fault draws. Stored with the market on first use. */
      seed: z.number().int().min(0).max(4_294_967_295).optional(),
      /** Account identifier reported by the broker. */
      account: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).default('PAPER'),
      /** One-way latency (ms of clock time): request → market, and market → client. */
      latencyMs: z.number().int().min(0).max(60_000).default(15),
      /** Market time step (ms): prices move and liquidity arrives in steps of this length. */
      stepMs: z.number().int().min(10).max(60_000).default(1_000),
      /** Most of the market's volume in one step that paper orders may take (per side). */
      participationCap: z.number().gt(0).max(1).default(0.2),
      impact: z
        .object({
          /** Y in cost ≈ Y·σ_daily·√(q/ADV) (temporary, per fill, q = the order's cumulative fill). */
          temporary: z.number().min(0).max(100).default(1),
          /** Linear permanent impact: a fill of q shares moves the price by this·σ_daily·q/ADV. */
          permanent: z.number().min(0).max(100).default(1),
        })
        .strict()
        .default({ temporary: 1, permanent: 1 }),
      /** Multiplies every instrument's spread. */
      spreadMultiplier: z.number().gt(0).max(100).default(1),
      /** Extra cash blocked for market buys above the ask, as a fraction (0.005 = 0.5%). */
      marketBuyBuffer: z.number().min(0).max(1).default(0.005),
      /** Trade only in real exchange hours (weekdays) instead of the always-open simulated session. */
      followExchangeHours: z.boolean().default(false),
      /** A market model file laid over the shipped data/market/model.json (a path; relative to the working directory). */
      model: z.string().min(1).optional(),
      faults: FaultsSchema.default(FaultsSchema.parse({})),
    })
    .strict(),
);

export type PaperConfig = z.infer<typeof PaperConfigSchema>;
export type PaperFaults = PaperConfig['faults'];

/** Validates the section; an invalid field throws an input error that names it. */
export function parsePaperConfig(raw: unknown): PaperConfig {
  const parsed = PaperConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const path = ['paper', ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${path}.${key}: unknown field`).join('; ');
    return `${path}: ${issue.message}`;
  });
  throw new InvalidInputError(`invalid paper broker configuration: ${lines.join('; ')}`, 'fix the "paper" section of config.json (see README "Paper broker")');
}
