import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, sourceFiles, src } from './sources.js';

/**
 * The layering DESIGN.md "Layers and folders" describes, checked on the import statements of the
 * sources: a rule broken here is a rule broken in the code, not a matter of taste.
 */

/** Every module specifier a file imports or re-exports, statically or with `import()`. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]/g)) specifiers.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) specifiers.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(m[1]!);
  return specifiers;
}

/** `src/domain`, `src/market`, …, or the specifier itself for a package or a node built-in. */
function layerOf(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const target = relative(src, resolve(dirname(file), specifier));
  return `src/${target.split(/[\\/]/)[0]}`;
}

function violations(folder: string, allowed: (layer: string) => boolean): string[] {
  return sourceFiles(join(src, folder)).flatMap((file) =>
    importsOf(file)
      .filter((specifier) => !allowed(layerOf(file, specifier)))
      .map((specifier) => `${relative(root, file)} imports ${specifier}`),
  );
}

describe('layering', () => {
  it('src/market holds the market facts and imports only src/domain and pure node built-ins', () => {
    const modules = sourceFiles(join(src, 'market')).map((f) => relative(src, f));
    for (const m of ['market/calendar/index.ts', 'market/time-zone.ts', 'market/volume-profile.ts', 'market/token-bucket.ts', 'market/csv.ts', 'market/hash.ts']) expect(modules).toContain(m);
    expect(violations('market', (layer) => layer === 'src/domain' || layer === 'src/market' || layer === 'node:crypto' || layer === 'node:module')).toEqual([]);
  });

  it('the engine reads no files: nothing in src/engine imports the file system', () => {
    expect(violations('engine', (layer) => !/^(node:)?fs(\/promises)?$/.test(layer))).toEqual([]);
  });

  it('src/domain imports nothing of ours but itself', () => {
    expect(violations('domain', (layer) => !layer.startsWith('src/') || layer === 'src/domain')).toEqual([]);
  });

  it('the engine knows brokers only by their interface, and nothing of the application, the store, the terminal or the process', () => {
    const engineImports = sourceFiles(join(src, 'engine')).flatMap((file) => importsOf(file).map((specifier) => ({ file, specifier })));
    const adapters = engineImports.filter(({ file, specifier }) => layerOf(file, specifier) === 'src/brokers' && !resolve(dirname(file), specifier).endsWith(join('brokers', 'broker.js')));
    expect(adapters.map(({ file, specifier }) => `${relative(root, file)} imports ${specifier}`)).toEqual([]);
    expect(violations('engine', (layer) => !['src/app', 'src/store', 'src/ui', 'src/commands', 'src/lib', 'ink', 'react', 'chalk', 'better-sqlite3', 'node:child_process', 'node:readline', 'node:tty'].includes(layer))).toEqual([]);
  });

  it('broker adapters import neither the engine nor the application, and reach the database only through their tables', () => {
    expect(violations('brokers', (layer) => !['src/engine', 'src/app', 'src/store', 'src/ui', 'src/commands', 'src/lib', 'better-sqlite3'].includes(layer))).toEqual([]);
    // One adapter never reaches into another: what they share is in brokers/ itself or brokers/http.
    const folderIn = (path: string) => relative(join(src, 'brokers'), path).split(/[\\/]/);
    const crossings = sourceFiles(join(src, 'brokers')).flatMap((file) => {
      const [own, ...rest] = folderIn(file);
      if (!rest.length || own === 'http') return [];
      return importsOf(file)
        .filter((s) => s.startsWith('.'))
        .filter((s) => {
          const [to, ...inside] = folderIn(resolve(dirname(file), s));
          return inside.length > 0 && to !== own && to !== 'http' && to !== '..';
        })
        .map((s) => `${relative(root, file)} imports ${s}`);
    });
    expect(crossings).toEqual([]);
  });

  it('src/server is a front end beside the commands: it imports no command or Ink, and only src/commands/serve imports it', () => {
    expect(violations('server', (layer) => !['src/commands', 'src/ui', 'ink', 'react'].includes(layer))).toEqual([]);
    const outsideServer = sourceFiles(src).filter((f) => !relative(src, f).startsWith('server') && !relative(src, f).startsWith(join('commands', 'serve')));
    const importers = outsideServer.flatMap((file) => importsOf(file).filter((s) => layerOf(file, s) === 'src/server').map((s) => `${relative(root, file)} imports ${s}`));
    expect(importers).toEqual([]);
  });

  it('only src/store holds the SQLite connection; the store imports only src/domain of ours', () => {
    const outsideStore = sourceFiles(src).filter((f) => !relative(src, f).startsWith('store'));
    const users = outsideStore.filter((f) => importsOf(f).some((s) => s === 'better-sqlite3' || /store\/connection\.js$/.test(s)));
    expect(users.map((f) => relative(root, f))).toEqual([]);
    expect(violations('store', (layer) => !layer.startsWith('src/') || layer === 'src/store' || layer === 'src/domain')).toEqual([]);
  });
});

/**
 * What src/market owns is defined there once: a second copy of a rule drifts from the first
 * (the paper market and the calendar each kept their own United States daylight rule).
 */
describe('one definition of each market fact', () => {
  const outsideMarket = sourceFiles(src).filter((f) => !relative(src, f).startsWith('market'));
  const filesMatching = (pattern: RegExp) => outsideMarket.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));

  it('time zones: exchange zones and UTC offsets are known only to src/market', () => {
    expect(filesMatching(/['"](Asia\/Kolkata|America\/New_York)['"]/)).toEqual([]);
    expect(filesMatching(/nthSunday|5\.5 \* 3_?600_?000|IST_OFFSET|\bformatToParts\b/)).toEqual([]);
  });

  it('token buckets, CSV splitting and hashing live in src/market', () => {
    expect(filesMatching(/class TokenBucket\b|\brefill\(|Math\.min\(this\.\w+, this\.tokens \+/)).toEqual([]);
    expect(filesMatching(/function (splitCsvLine|parseCsvRows)\b|\.split\(','\)/)).toEqual([]);
    expect(filesMatching(/\bcreateHash\(|0x811c9dc5/)).toEqual([]);
  });
});
