// Bundles the compiled launcher entry and commands (dist/main.js, dist/commands/**) with
// @oclif/core into dist/cli/, so that a command starts by loading a handful of files instead of
// the ~250 modules oclif and its helpers are spread over: resolving and reading those files was
// most of the cold start. Our own runtime dependencies stay external (better-sqlite3 is native;
// Ink, React and zod are only loaded on the paths that need them). Run after `tsc`.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const commandsDir = join(root, 'dist', 'commands');

function commandFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return commandFiles(path);
    return entry.name.endsWith('.js') && entry.name !== 'base-command.js' ? [path] : [];
  });
}

const input = { main: join(root, 'dist', 'main.js') };
// What package.json's "oclif" section points at besides the commands: the help class and the
// command_not_found hook, loaded only when help is shown or no command matched.
for (const name of ['help', 'command-not-found']) input[`oclif/${name}`] = join(root, 'dist', 'oclif', `${name}.js`);
for (const file of commandFiles(commandsDir)) input[`commands/${relative(commandsDir, file).replace(/\.js$/, '')}`] = file;
// `ptexec simulate` starts worker threads on this entry (dist/cli/simulate-worker.js, found by
// src/app/simulate/worker-pool.ts beside the chunk that starts them).
input['simulate-worker'] = join(root, 'dist', 'app', 'simulate', 'simulate-worker.js');

// Bundled: @oclif/core and what it requires. External: node's own modules, our other runtime
// dependencies, and what oclif only loads for TypeScript development setups or other plugins.
// chalk is bundled too: see globalProcess below.
const bundled = new Set(['@oclif/core', 'chalk', 'zod']);
const ownDependencies = Object.keys(pkg.dependencies).filter((name) => !bundled.has(name));
const externalPackages = [...ownDependencies, 'typescript', 'ts-node'];
const isExternal = (id) =>
  (id.startsWith('node:') && id !== 'node:process') ||
  (builtinModules.includes(id) && id !== 'process') ||
  externalPackages.some((name) => id === name || id.startsWith(`${name}/`)) ||
  /^@oclif\/plugin-/.test(id);

/**
 * `import process from 'node:process'` (chalk does this) makes Node build an ES module facade of
 * `process`, which reads every property, `process.stdin` included, and opening stdin costs about
 * 10 ms per start. `process` is a global, so the bundle uses the global instead.
 */
const globalProcess = {
  name: 'global-process',
  resolveId: (id) => (id === 'node:process' || id === 'process' ? '\0global-process' : null),
  load: (id) => (id === '\0global-process' ? 'export default globalThis.process;' : null),
};

/**
 * Source rewrites of bundled packages, each for a cost every start paid; the build fails if a
 * package no longer has the text, so an upgrade cannot drop one silently.
 * - oclif sorted the command list with `localeCompare`: the first call loads ICU's collation data,
 *   some 14 ms of CPU per start. Command ids are lower-case ASCII, ordered the same by code unit.
 */
const PATCHES = [
  {
    file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    from: '.sort((a, b) => a.id.localeCompare(b.id));',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));',
  },
  // Packages oclif required when it loaded, for work a start with a manifest does not do: finding
  // command files by glob (tinyglobby, with picomatch), matching plugin names (minimatch) and
  // rendering a template (ejs). Each is now required on its first use, the same call as before.
  {
    file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    from: 'const tinyglobby_1 = require("tinyglobby");',
    to: 'const tinyglobby_1 = { get glob() { return require("tinyglobby").glob; } };',
  },
  {
    file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin-loader\.js$/,
    from: 'const minimatch_1 = require("minimatch");',
    to: 'const minimatch_1 = { get minimatch() { return require("minimatch").minimatch; } };',
  },
  {
    file: /@oclif[\\/]core[\\/]lib[\\/](config[\\/]config|help[\\/]util)\.js$/,
    from: 'const ejs_1 = __importDefault(require("ejs"));',
    to: 'const ejs_1 = { get default() { return __importDefault(require("ejs")).default; } };',
  },
];
const applied = new Set();
const patchPackages = {
  name: 'patch-packages',
  transform(code, id) {
    let out = code;
    for (const patch of PATCHES) {
      if (!patch.file.test(id)) continue;
      if (!out.includes(patch.from)) throw new Error(`scripts/bundle.js: ${id} no longer contains ${JSON.stringify(patch.from)}`);
      out = out.replace(patch.from, patch.to);
      applied.add(patch);
    }
    return out === code ? null : { code: out };
  },
};

/**
 * Every chunk is written as ASCII, other characters as `\uXXXX` escapes (valid in strings,
 * templates, regular expressions, identifiers and comments alike). A single `₹` or `—` made Node
 * decode a whole file as UTF-8 and V8 scan it as two-byte text: the vendor chunk decoded in half
 * the time and compiled some 10% faster as ASCII.
 */
const asciiOutput = {
  name: 'ascii-output',
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type === 'chunk') file.code = file.code.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    }
  },
};

/** Packages bundled from node_modules (oclif and what it requires, chalk) share one chunk. */
const vendorChunk = { name: 'vendor', test: /node_modules/ };
/**
 * zod is bundled into a chunk of its own: loaded as a package it is some 230 module files (its
 * ES build), about 70 ms of every start that validates a config or a broker's settings; as one
 * file it loads in a fraction of that. Only the commands that validate load the chunk.
 */
const zodChunk = { name: 'zod', test: /node_modules[\\/]zod[\\/]/ };
/**
 * The small modules nearly every command loads — errors, event and status types, money, the I/O
 * object, the store and its queries, time zones, the JSON contract — share one chunk: split by
 * which commands use them they were some twenty files of a few hundred bytes each, and each
 * module file opened costs a start a fraction of a millisecond (`ptexec runs --json` measured
 * about 8 ms slower with them apart). Nothing here loads zod, Ink or a broker adapter.
 */
const COMMON_MODULES = [
  'domain/errors/*',
  'domain/events/*',
  ...['run-status', 'leg-status', 'money', 'instrument', 'order', 'fill', 'price', 'side', 'input-issue'].map((m) => `domain/${m}`),
  ...['io', 'output', 'table', 'interrupt', 'errors', 'exit-codes', 'did-you-mean'].map((m) => `lib/${m}`),
  ...['store', 'connection', 'sql-lists', 'queries', 'event-writer', 'migrate', 'database-file', 'storage-errors', 'risk-queries'].map((m) => `store/${m}`),
  'store/projections/*',
  'store/migrations/*',
  'market/time-zone',
  'market/day-number',
  'app/render/json-contract',
  'app/render/rows',
];
const commonModule = new RegExp(`[\\\\/]dist[\\\\/](${COMMON_MODULES.map((m) => m.replaceAll('/', '[\\\\/]').replace('*', '[^\\\\/]+')).join('|')})\\.js$`);
const commonChunk = { name: 'common', test: (id) => commonModule.test(id) };
await build({
  input,
  plugins: [globalProcess, patchPackages, asciiOutput],
  external: isExternal,
  platform: 'node',
  logLevel: 'warn',
  output: { dir: join(root, 'dist', 'cli'), format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', codeSplitting: { groups: [zodChunk, vendorChunk, commonChunk] } },
});
for (const patch of PATCHES) if (!applied.has(patch)) throw new Error(`scripts/bundle.js: no bundled file matched ${patch.file}`);
