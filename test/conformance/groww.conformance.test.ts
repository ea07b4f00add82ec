import { runConformance } from './run-conformance.js';
import { growwSubject } from './subjects/groww.js';

runConformance(growwSubject);
