import { registerBroker } from '../registry.js';
import { createZerodhaBroker } from './factory.js';

registerBroker('zerodha', createZerodhaBroker);
