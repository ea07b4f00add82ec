import { coreProjector } from './core.js';
import type { Projector } from './projector.js';

/** Every area's projector. Add an area's projector here; each keeps its own file. */
export const projectors: Projector[] = [coreProjector];
