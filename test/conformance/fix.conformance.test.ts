import { runConformance } from './run-conformance.js';
import { fixSubject } from './subjects/fix.js';

runConformance(fixSubject);
