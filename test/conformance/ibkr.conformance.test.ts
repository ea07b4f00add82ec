import { runConformance } from './run-conformance.js';
import { ibkrSubject } from './subjects/ibkr.js';

runConformance(ibkrSubject);
