import { paperSchema, paperSchemaAdditions } from '../brokers/paper/schema.js';
import { allMigrations } from '../store/migrations/index.js';
import { Store } from '../store/store.js';

/** Every table of the ptexec database: the store's own and those the paper broker owns. */
export const migrations = allMigrations({ paperBroker: paperSchema, paperBrokerAdditions: paperSchemaAdditions });

/** Opens the ptexec database at `path` (`:memory:` for tests), migrating it unless read-only. */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Store {
  return Store.open(path, { ...options, migrations });
}
