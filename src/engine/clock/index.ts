export { VirtualClock, VIRTUAL_POLL_MS } from './virtual-clock.js';
export { WallClock } from './wall-clock.js';
