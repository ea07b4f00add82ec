#!/usr/bin/env node
// oclif comes from the command bundle (dist/cli), which the commands share: see scripts/bundle.js.
// oclif's load-time check of its own "engines" field cannot find that field inside the bundle and
// would only cost the time of loading semver; Node's version is checked by npm at install.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
// A command parses each zod schema once or twice (a config, a target file, a broker's settings):
// compiling a parser for it with `new Function` costs more than it saves. `ptexec serve` parses
// requests all day and keeps the compiled parsers.
if (process.argv[2] !== 'serve') globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };
const { execute } = await import('../dist/cli/main.js');

await execute({ dir: import.meta.url });
