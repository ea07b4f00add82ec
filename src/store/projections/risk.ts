import type Database from 'better-sqlite3';
import { exhaustive } from '../../domain/events/index.js';
import type { Projector } from './projector.js';

/** The kill-switch row, from `risk.halted` / `risk.unhalted` (events of no run). */
export const riskProjector: Projector<'risk.halted' | 'risk.unhalted'> = {
  tables: ['risk_halt'],
  prepare(db: Database.Database) {
    const upsert = db.prepare(`INSERT INTO risk_halt (id, halted, reason, at, cancel_open, actor, seq) VALUES (1, @halted, @reason, @at, @cancelOpen, @actor, @seq)
      ON CONFLICT (id) DO UPDATE SET halted = @halted, reason = @reason, at = @at, cancel_open = @cancelOpen, actor = @actor, seq = @seq`);
    return (event) => {
      switch (event.type) {
        case 'risk.halted': {
          const p = event.payload;
          upsert.run({ halted: 1, reason: p.reason ?? null, at: event.ts, cancelOpen: p.cancelOpen ? 1 : 0, actor: p.actor ?? null, seq: event.seq });
          break;
        }
        case 'risk.unhalted':
          upsert.run({ halted: 0, reason: null, at: event.ts, cancelOpen: 0, actor: event.payload.actor ?? null, seq: event.seq });
          break;
        default:
          exhaustive(event);
      }
    };
  },
};
