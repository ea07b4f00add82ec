import { runConformance } from './run-conformance.js';
import { alpacaSubject } from './subjects/alpaca.js';

runConformance(alpacaSubject);
