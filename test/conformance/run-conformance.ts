import { describe, expect, it } from 'vitest';
import { engineCases } from './cases/engine.js';
import { faultCases } from './cases/faults.js';
import { instrumentCases } from './cases/instruments.js';
import { lifecycleCases } from './cases/lifecycle.js';
import { placementCases } from './cases/placement.js';
import { sdkOracleCases } from './cases/sdk-oracle.js';
import { sessionCases } from './cases/session.js';
import { snapshotCases } from './cases/snapshot.js';
import { streamCases } from './cases/stream.js';
import { unknownOutcomeCases } from './cases/unknown-outcome.js';
import { badNotApplicable, registerOwnVenueCases } from './kit.js';
import type { ConformanceSubject } from './subject.js';

/**
 * The broker conformance kit: every case a broker's adapter must pass, run against its emulator.
 * A broker's test file is one line: `runConformance(subject)`. Cases the subject names not
 * applicable are skipped with the reason in their name; anything else missing fails.
 */
export function runConformance(subject: ConformanceSubject): void {
  describe(`broker conformance: ${subject.id}`, () => {
    it('every notApplicable entry names a kit case and says why', () => {
      expect(badNotApplicable(subject)).toEqual([]);
    });

    sessionCases(subject);
    instrumentCases(subject);
    snapshotCases(subject);
    placementCases(subject);
    unknownOutcomeCases(subject);
    lifecycleCases(subject);
    streamCases(subject);
    faultCases(subject);
    engineCases(subject);
    sdkOracleCases(subject);
    describe('cases on a venue of their own, side by side', () => registerOwnVenueCases());
  });
}


