import type Database from 'better-sqlite3';
import type { StoredEvent } from '../../domain/events.js';
import type { Projector } from './projector.js';

interface HaltPayload {
  reason?: string | null;
  cancelOpen?: boolean;
  actor?: string;
}

/** The kill-switch row, from `risk.halted` / `risk.unhalted` (events of no run). */
export const riskProjector: Projector = {
  tables: ['risk_halt'],
  handles: ['risk.halted', 'risk.unhalted'],
  prepare(db: Database.Database) {
    const upsert = db.prepare(`INSERT INTO risk_halt (id, halted, reason, at, cancel_open, actor, seq) VALUES (1, @halted, @reason, @at, @cancelOpen, @actor, @seq)
      ON CONFLICT (id) DO UPDATE SET halted = @halted, reason = @reason, at = @at, cancel_open = @cancelOpen, actor = @actor, seq = @seq`);
    return (event: StoredEvent) => {
      const p = event.payload as HaltPayload;
      const halted = event.type === 'risk.halted';
      upsert.run({
        halted: halted ? 1 : 0,
        reason: halted ? (p.reason ?? null) : null,
        at: event.ts,
        cancelOpen: halted && p.cancelOpen ? 1 : 0,
        actor: p.actor ?? null,
        seq: event.seq,
      });
    };
  },
};
