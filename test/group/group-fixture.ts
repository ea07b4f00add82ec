import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/app/database.js';
import { Factory, type FactoryOptions } from '../../src/app/factory.js';
import { executeGroupRebalance } from '../../src/app/group/group-rebalance.js';
import type { GroupRouting } from '../../src/app/group/group-parts.js';
import type { RebalanceFlags } from '../../src/app/rebalance-input.js';
import { resetPaperAccount, type PaperHoldingSeed } from '../../src/brokers/paper/index.js';
import type { AccountSelection } from '../../src/domain/accounts.js';
import type { Store } from '../../src/store/store.js';
import { fakeIO } from '../lib/fake-terminal.js';

/** A scratch home for a group rebalance in this process: config.json with `accounts`, a database, paper accounts. */
export class GroupHome {
  readonly dir = mkdtempSync(join(tmpdir(), 'ptexec-group-'));
  readonly store: Store;
  readonly risk: string;
  env: NodeJS.ProcessEnv;
  /** Adapters a test builds against its emulators (FactoryOptions.openedBroker), else the registry's. */
  opened?: FactoryOptions['openedBroker'];

  constructor(config: Record<string, unknown>, extraEnv: NodeJS.ProcessEnv = {}) {
    mkdirSync(join(this.dir, 'config', 'ptexec'), { recursive: true });
    writeFileSync(join(this.dir, 'config', 'ptexec', 'config.json'), JSON.stringify(config));
    this.store = openDatabase(join(this.dir, 'group.db'));
    this.risk = join(this.dir, 'risk.json');
    // Emulators trade at any hour, and their instrument masters have no volume figures.
    writeFileSync(this.risk, JSON.stringify({ session: { enforce: false }, liquidity: { when_adv_unknown: 'pass' } }));
    this.env = { XDG_CONFIG_HOME: join(this.dir, 'config'), XDG_DATA_HOME: join(this.dir, 'data'), ...extraEnv };
  }

  paper(account: string, cash: number, holdings: PaperHoldingSeed[] = []): void {
    resetPaperAccount(this.store.brokerTables('paper'), { account, cash, holdings });
  }

  file(name: string, text: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, text);
    return path;
  }

  /** The command's flags as the command line parses them (absent booleans stay absent). */
  flags(extra: Partial<RebalanceFlags> = {}): RebalanceFlags {
    return { algo: 'market', yes: true, 'liquidate-unlisted': false, 'new-run': false, 'allow-partial': false, 'no-ui': true, speed: 'max', risk: this.risk, ...extra };
  }

  /** `rebalance <file> --accounts …` in this process; the factory is closed afterwards. */
  async rebalance(file: string, selection: AccountSelection, routing: () => Promise<GroupRouting>, extra: Partial<RebalanceFlags> = {}, json = true) {
    const { io, stdout, stderr } = fakeIO({ json, env: { COLUMNS: '100', ...this.env } });
    const factory = this.factory(io);
    try {
      const result = await executeGroupRebalance(factory, { file, flags: this.flags(extra) }, selection, routing);
      return { result, stdout: stdout.text(), stderr: stderr.text() };
    } finally {
      await factory.close();
    }
  }

  /** A factory over this home's database and the test's adapters; the caller closes it. */
  factory(io: ReturnType<typeof fakeIO>['io']): Factory {
    return new Factory(io, { store: this.store, openedBroker: this.opened });
  }

  close(): void {
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
