import { runConformance } from './run-conformance.js';
import { zerodhaSubject } from './subjects/zerodha.js';

runConformance(zerodhaSubject);
