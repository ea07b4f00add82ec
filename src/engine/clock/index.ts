export { VirtualClock } from './virtual-clock.js';
export { WallClock } from './wall-clock.js';
