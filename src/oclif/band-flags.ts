import * as Flags from '@oclif/core/flags';

/** The drift band of a run (README "Drift and bands"), shared by `drift` and the commands that plan. */
export const bandFlag = {
  band: Flags.string({ description: 'no-trade band per line, e.g. abs=2%,rel=25%', helpValue: 'SPEC' }),
};

/** How a rebalance trades by drift or by a cash flow. */
export const driftTradingFlags = {
  ...bandFlag,
  to: Flags.string({ description: 'target (all lines) or band (outside, to edge)', options: ['target', 'band'], helpValue: 'WHERE' }),
  'cash-only': Flags.string({ description: 'invest (+) or raise (-) cash: buys or sells only', helpValue: 'AMOUNT' }),
};
