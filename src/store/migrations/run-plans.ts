import type { Migration } from './migration.js';

export const runPlanMigrations: Migration[] = [
  {
    // A run's plan (34 MB of JSON for 50,000 legs) sat in the middle of its `runs` row, before
    // `created_at` and `updated_at`: any read of those walked the plan's overflow pages. The plan
    // moves to a table of its own, with each leg's estimated cost beside it as
    // [leg index, cost bps, std bps] (the numbers' text as recorded), which TCA reads without the plan.
    id: '0004-core-run-plan-table',
    sql: `
      CREATE TABLE run_plans (
        run_id TEXT PRIMARY KEY,
        estimates TEXT NOT NULL,
        plan TEXT NOT NULL
      );
      INSERT INTO run_plans (run_id, estimates, plan)
        SELECT r.run_id,
          (SELECT json_group_array(json_array(l.value -> 'index', l.value -> 'estimate' -> 'costBps', l.value -> 'estimate' -> 'stdBps'))
            FROM json_each(r.plan, '$.legs') l WHERE l.value ->> 'estimate' IS NOT NULL),
          r.plan
        FROM runs r WHERE r.plan IS NOT NULL ORDER BY r.rowid;
      ALTER TABLE runs DROP COLUMN plan;
    `,
  },
];
