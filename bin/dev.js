#!/usr/bin/env node
// Development entry: runs the compiled commands after `npm run build`. Kept separate from
// run.js so oclif's development mode (stack traces, no manifest cache) is opt-in.
import { execute } from '../dist/cli/main.js';

await execute({ development: true, dir: import.meta.url });
