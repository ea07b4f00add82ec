import { registerBroker } from '../registry.js';
import { createZerodhaBroker } from './factory.js';
import { zerodhaLogin } from './login.js';
import { ZERODHA_CAPABILITIES } from './zerodha-broker.js';

registerBroker('zerodha', { traits: ZERODHA_CAPABILITIES, create: createZerodhaBroker, login: zerodhaLogin });
