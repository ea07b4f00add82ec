/**
 * Why ptexec cancelled an order: recorded with the cancel request and kept with the broker's
 * confirmation, whatever words the broker uses for a cancel it was asked for ("cancelled by the
 * user" on the paper broker).
 */
export const CANCEL_REASON = {
  /** A scheduled algorithm's slice ended unfilled: the next slice replaces it. */
  nextSlice: 'replaced by the next slice',
  /** An iceberg's shown slice was left behind by the market: the next one is shown at the touch. */
  reprice: 'moved to the touch',
  /** The leg's horizon (its algorithm's, or the runtime's backstop) ended. */
  horizon: 'horizon reached',
  /** `ptexec cancel` or the dashboard's c key. */
  user: 'cancelled by the user (ptexec cancel or key c)',
  killSwitch: 'kill switch',
} as const;

/** The reason recorded when a cancel failed and the order is taken as still working. */
export function cancelFailedReason(why: string): string {
  return `cancel failed: ${why}`;
}
