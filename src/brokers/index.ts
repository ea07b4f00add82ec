/** Each broker adapter registers itself with the registry when imported; one line per broker. */
import './zerodha/index.js';
import './upstox/index.js';
import './groww/index.js';
import './fyers/index.js';
import './angelone/index.js';
import './schwab/index.js';
import './alpaca/index.js';
import './ibkr/index.js';
import './paper/index.js';
import './fix/index.js';

export { brokerRegistration, registeredBrokers } from './registry.js';
