import { runConformance } from './run-conformance.js';
import { fyersSubject } from './subjects/fyers.js';

runConformance(fyersSubject);
