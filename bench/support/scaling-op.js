// One ptexec command, run as the CLI runs it, against a paper broker whose universe is `legs`
// synthetic NSE instruments (the built-in universe has 85). The scaling bench starts one process
// per command and reads the CPU time and peak memory this process reports when it exits.
//   node bench/support/scaling-op.js <legs> <command id> [argv...]
// The database and config folders come from the environment (PTEXEC_DB, XDG_CONFIG_HOME).
import { Config } from '@oclif/core';
import { fileURLToPath } from 'node:url';
import { brokerRegistration, registerBroker } from '../../dist/brokers/registry.js';
import '../../dist/brokers/index.js';
import { createPaperBroker } from '../../dist/brokers/paper/index.js';
import { syntheticUniverse } from './synthetic-universe.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const [legs, command, ...argv] = process.argv.slice(2);
const instruments = syntheticUniverse(Number(legs));
const paper = brokerRegistration('paper');
registerBroker('paper', {
  ...paper,
  create: async (deps) => createPaperBroker({ tables: deps.tables, clock: deps.clock, config: deps.config, settlementDate: deps.calendar?.settlementDate, instruments }),
});

process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`\nSCALING ${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS })}\n`);
});
const config = await Config.load(root);
const { default: Command } = await import(`../../dist/commands/${command}.js`);
await Command.run(argv, config);
