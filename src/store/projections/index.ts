import { coreProjector } from './core.js';
import { postTradeProjector } from './posttrade.js';
import type { Projector } from './projector.js';
import { riskProjector } from './risk.js';
import { linkedOrdersProjector } from './linked-orders.js';

/** Every area's projector. Add an area's projector here; each keeps its own file. */
export const projectors: Projector[] = [coreProjector, postTradeProjector, riskProjector, linkedOrdersProjector];
