import { existsSync } from 'node:fs';

let dataDir: URL | undefined;

/**
 * The package's `data/` folder. Found by walking up from this module rather than by a fixed
 * number of `../`: the module sits at different depths in the sources (src/app/loaders/), the
 * compiled tree (dist/app/loaders/) and the command bundle (dist/cli/chunks/).
 */
export function shippedDataDir(): URL {
  if (dataDir) return dataDir;
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    if (existsSync(new URL('package.json', dir)) && existsSync(new URL('data/', dir))) return (dataDir = new URL('data/', dir));
    if (dir.pathname === '/') throw new Error(`ptexec's data folder was not found above ${import.meta.url}; the installation is incomplete (reinstall ptexec)`);
  }
}

/** A file or folder inside the package's `data/` folder, e.g. `charges/schedules.json`. */
export function shippedData(path: string): URL {
  return new URL(path, shippedDataDir());
}
