import { US_KIT_MARKET } from './kit-market.js';
import { runConformance } from './run-conformance.js';
import { paperSubjectIn } from './subjects/paper.js';

// The paper broker lists US equities too: the kit's US market runs against it, as it does against every US broker.
runConformance(paperSubjectIn(US_KIT_MARKET));
