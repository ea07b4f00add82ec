#!/usr/bin/env node
// oclif comes from the command bundle (dist/cli), which the commands share: see scripts/bundle.js.
// oclif's load-time check of its own "engines" field cannot find that field inside the bundle and
// would only cost the time of loading semver; Node's version is checked by npm at install.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
const { execute } = await import('../dist/cli/main.js');

await execute({ dir: import.meta.url });
