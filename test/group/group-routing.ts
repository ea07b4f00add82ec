export { inOrderRouting as groupRouting } from './in-order-router.js';
