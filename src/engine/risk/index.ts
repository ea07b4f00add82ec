/**
 * The pre-trade risk gate: configuration, the plan check (every leg before a run starts), the
 * send-time gate (every child order), the kill-switch watcher and the events they record.
 */
export { RiskConfigSchema, defaultRiskConfig, validateRiskConfig, type RiskConfig, type RiskConfigInput, type RiskConfigIssue } from './config.js';
export { parseGroupMapping } from './groups.js';
export { checkPlan, type PlanRiskContext } from './check-plan.js';
export { RiskGate, type OrderCheckContext, type RiskGateOptions } from './risk-gate.js';
export { watchKillSwitch } from './kill-switch-watch.js';
export { refuseWhileHalted } from './halted.js';
export {
  RISK_CHECKED,
  RISK_HALTED,
  RISK_UNHALTED,
  orderRiskEvent,
  planRiskEvents,
  type RiskChecked,
  type RiskHalted,
  type RiskUnhalted,
} from './events.js';
export {
  verdictOf,
  type HaltReader,
  type HaltStatus,
  type LegRiskResult,
  type OrderHistory,
  type OrderRiskResult,
  type PlanRiskResult,
  type RecentOrder,
  type SameTargetRun,
  type WorkingParent,
  type RiskLevel,
  type RiskReason,
  type RiskRule,
  type RiskVerdict,
} from './types.js';
