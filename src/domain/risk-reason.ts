/** The rules of the pre-trade gate, as they appear in reasons, events and the README. */
export type RiskRule =
  | 'kill_switch'
  | 'order_quantity'
  | 'order_value'
  | 'price_band'
  | 'no_quote'
  | 'liquidity'
  | 'position_weight'
  | 'group_weight'
  | 'restricted'
  | 'not_allowed'
  | 'short_sell'
  | 'buying_power'
  | 'run_turnover'
  | 'run_orders'
  | 'daily_orders'
  | 'duplicate'
  | 'order_rate'
  | 'tick_size'
  | 'lot_size'
  | 'session';

export type RiskLevel = 'warn' | 'block';
export type RiskVerdict = 'pass' | 'warn' | 'block';

/** Why the gate warned about or blocked an order, a leg or a run. */
export interface RiskReason {
  rule: RiskRule;
  level: RiskLevel;
  message: string;
}
