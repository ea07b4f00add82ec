import { runConformance } from './run-conformance.js';
import { upstoxSubject } from './subjects/upstox.js';

runConformance(upstoxSubject);
