import { runConformance } from './run-conformance.js';
import { schwabSubject } from './subjects/schwab.js';

runConformance(schwabSubject);
