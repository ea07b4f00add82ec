import { runConformance } from './run-conformance.js';
import { angelOneSubject } from './subjects/angelone.js';

runConformance(angelOneSubject);
