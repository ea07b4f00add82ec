/**
 * The launcher's entry (bin/run.js). It re-exports oclif's `execute` so that the build can bundle
 * it together with the commands: the launcher and every command then share one copy of oclif,
 * loaded from a few files instead of a few hundred (see scripts/bundle.js).
 */
export { execute } from '@oclif/core/execute';
