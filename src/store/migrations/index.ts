import { coreMigrations } from './core.js';
import type { Migration } from './migration.js';
import { paperMigrations } from './paper.js';
import { paperOrderClassMigrations } from './paper-order-classes.js';
import { postTradeMigrations } from './posttrade.js';
import { riskMigrations } from './risk.js';
import { linkedOrderMigrations } from './linked-orders.js';
import { lockMigrations } from './locks.js';

/**
 * Every area's migrations, in application order. Each area keeps its own file so that adding
 * a table never touches another area's history.
 */
export const migrations: Migration[] = [...coreMigrations, ...paperMigrations, ...paperOrderClassMigrations, ...postTradeMigrations, ...riskMigrations, ...linkedOrderMigrations, ...lockMigrations];
