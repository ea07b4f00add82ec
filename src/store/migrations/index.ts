import { coreMigrations } from './core.js';
import type { Migration } from './migration.js';
import { postTradeMigrations } from './posttrade.js';
import { riskMigrations } from './risk.js';
import { linkedOrderMigrations } from './linked-orders.js';
import { lockMigrations } from './locks.js';
import { publishMigrations } from './publish.js';
import { serveMigrations } from './serve.js';
import { orderSendMigrations } from './order-sends.js';
import { runPlanMigrations } from './run-plans.js';

/**
 * Tables that other parts of ptexec keep in this database and own: they define their schema, and
 * the application hands it over (src/app/database.ts), since the store imports none of them.
 */
export interface OwnedSchemas {
  /** The paper broker's account and market tables (src/brokers/paper/schema.ts). */
  paperBroker: readonly Migration[];
  /** Later changes to those tables, appended at the end of the history. */
  paperBrokerAdditions?: readonly Migration[];
}

/**
 * Every migration, in application order: each area keeps its own file so that adding a table
 * never touches another area's history. The order is the database's history and never changes
 * (a database's schema version is the number of migrations applied): an owned schema is placed
 * where its tables were first introduced.
 */
export function allMigrations(owned: OwnedSchemas): Migration[] {
  return [...coreMigrations, ...owned.paperBroker, ...postTradeMigrations, ...riskMigrations, ...linkedOrderMigrations, ...lockMigrations, ...publishMigrations, ...serveMigrations, ...orderSendMigrations, ...(owned.paperBrokerAdditions ?? []), ...runPlanMigrations];
}
