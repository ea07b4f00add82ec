import { runConformance } from './run-conformance.js';
import { paperSubject } from './subjects/paper.js';

runConformance(paperSubject);
