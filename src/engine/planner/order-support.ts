import type { BrokerCapabilities } from '../../brokers/broker.js';
import type { Leg } from '../../domain/plan.js';

const CLASS_FIELDS = { bracket: 'take_profit and stop_loss', oco: 'order_type oco' } as const;

/**
 * Legs whose order the broker cannot take (an order type, a linked class or a native iceberg it does not run),
 * each with the fix. Checked after planning and before anything is sent.
 */
export function unsupportedOrderProblems(legs: Leg[], broker: { id: string; capabilities: Pick<BrokerCapabilities, 'orderTypes' | 'orderClasses' | 'ocoSides' | 'nativeIceberg'> }): string[] {
  const problems: string[] = [];
  for (const leg of legs) {
    const { orderType, orderClass } = leg.execution;
    const where = `leg ${leg.index} (${leg.exchange}:${leg.symbol})`;
    if (!broker.capabilities.orderTypes.includes(orderType)) {
      problems.push(`${where}: ${broker.id} does not take ${orderType.replace('_', '-')} orders; use one of ${broker.capabilities.orderTypes.join(', ')}`);
    }
    if (orderClass && !(broker.capabilities.orderClasses ?? []).includes(orderClass)) {
      problems.push(`${where}: ${broker.id} does not run ${orderClass === 'oco' ? 'OCO' : 'bracket'} orders (${CLASS_FIELDS[orderClass]}); remove them from the line, or trade on a broker that does (paper and alpaca run both)`);
    } else if (orderClass === 'oco' && broker.capabilities.ocoSides && !broker.capabilities.ocoSides.includes(leg.side)) {
      problems.push(`${where}: ${broker.id} runs an OCO only to ${broker.capabilities.ocoSides.join(' or ')} (to exit a position), and this leg would ${leg.side}; remove order_type oco from the line`);
    }
    if (leg.execution.algo === 'iceberg' && leg.execution.params.native === true && !broker.capabilities.nativeIceberg) {
      problems.push(`${where}: ${broker.id} does not show part of an order at a time (iceberg native=true); use native=false, which refills from ptexec`);
    }
  }
  return problems;
}
