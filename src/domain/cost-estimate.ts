/**
 * A pre-trade cost estimate of one leg (README "Cost estimates"). Positive = cost, in bps of the
 * leg's value at the decision price, and in integer minor units of the account's currency.
 * Recorded with the plan (`run.planned` legs), so TCA can set it against what happened; plans
 * recorded before estimates existed simply have none.
 */
export interface LegCostEstimate {
  /** Quantity as a percentage of average daily volume; null when the broker gives no ADV. */
  advPct: number | null;
  /** Quantity as a percentage of the market volume expected over the horizon; null without ADV. */
  horizonVolumePct: number | null;
  horizonMs: number;
  /**
   * How the leg's orders meet the book: `taking` orders pay the half spread, `passive` ones resting
   * at the touch earn part of it (README "Cost estimates"). Absent in plans recorded before styles.
   */
  style?: 'taking' | 'passive';
  halfSpreadBps: number;
  /** What the spread adds to the cost: the half spread when taking, minus the part earned when passive. Absent = the half spread. */
  spreadCostBps?: number;
  temporaryImpactBps: number;
  permanentImpactBps: number;
  /**
   * σ_daily · √(Q / V_h) in bps: the temporary impact per unit of the coefficient η, which
   * `ptexec tca calibrate` fits against; null without ADV.
   */
  impactScaleBps: number | null;
  /** spread cost + temporary impact + half the permanent impact. */
  costBps: number;
  costMinor: number;
  /** One standard deviation of the cost (price risk over the horizon). */
  stdBps: number;
  stdMinor: number;
  /** Facts the broker did not give, taken from the model's defaults (e.g. `adv`, `volatility`). */
  defaulted: string[];
}

/** The run's total: costs add up, standard deviations add in quadrature (legs taken as independent). */
export interface RunCostEstimate {
  costBps: number;
  costMinor: number;
  stdBps: number;
  stdMinor: number;
  /** Sum of the estimated legs' values at the decision price. */
  valueMinor: number;
}
