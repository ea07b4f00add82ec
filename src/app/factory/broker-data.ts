import type { BrokerDeps } from '../../brokers/registry.js';
import { shippedData } from '../loaders/shipped-data.js';

/**
 * What an adapter is handed of the package and the market rather than reading it itself: the
 * exchange calendars, the paper universe's listed instruments (read on first use), the package's
 * data files.
 */
export async function brokerData(env: NodeJS.ProcessEnv): Promise<Pick<BrokerDeps, 'calendar' | 'listedInstruments' | 'shippedData'>> {
  const [calendar, universe] = await Promise.all([import('../../market/calendar/index.js'), import('../loaders/paper-universe.js')]);
  return {
    listedInstruments: () => universe.listedInstruments(env),
    shippedData,
    calendar: {
      isOpen: (exchange, ts) => calendar.sessionState(exchange, ts).state === 'open',
      settlementDate: (exchange, tradeDate) => calendar.addBusinessDays(exchange, tradeDate, 1),
    },
  };
}
