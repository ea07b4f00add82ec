// Measures what "no god classes" means in numbers: source files over 400 lines and functions
// (declarations, methods, accessors, constructors, function expressions, arrow functions) over
// 80 lines. Run `node scripts/code-size.mjs` to list them; test/architecture/code-size.test.ts
// fails while the list is not empty. A function's length counts the lines from its first token
// to its last, nested functions included: a long body stays long however it is nested.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const MAX_FILE_LINES = 400;
export const MAX_FUNCTION_LINES = 80;

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** A readable name for a function node: `Class.method`, `name`, or `(anonymous)` with its line. */
function nameOf(node, source) {
  const own = node.name && ts.isIdentifier(node.name) ? node.name.text : undefined;
  if (own) {
    const owner = node.parent && (ts.isClassLike(node.parent) ? node.parent.name?.text : undefined);
    return owner ? `${owner}.${own}` : own;
  }
  if (ts.isConstructorDeclaration(node)) return `${node.parent.name?.text ?? '(class)'}.constructor`;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  return `(anonymous at line ${line})`;
}

function isFunction(node) {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** Every source file under `src` with its line count, and every function in it with its length. */
export function measure(dir = join(root, 'src')) {
  return sourceFiles(dir).map((path) => {
    const text = readFileSync(path, 'utf8');
    const kind = path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const functions = [];
    const visit = (node) => {
      if (isFunction(node) && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        functions.push({ name: nameOf(node, source), line: start + 1, lines: end - start + 1 });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return { file: relative(root, path), lines, functions };
  });
}

/** The files and functions over the limits, largest first. */
export function oversized(files = measure()) {
  const bigFiles = files.filter((f) => f.lines > MAX_FILE_LINES).map((f) => ({ file: f.file, lines: f.lines }));
  const bigFunctions = files.flatMap((f) =>
    f.functions.filter((fn) => fn.lines > MAX_FUNCTION_LINES).map((fn) => ({ file: f.file, ...fn })),
  );
  bigFiles.sort((a, b) => b.lines - a.lines);
  bigFunctions.sort((a, b) => b.lines - a.lines);
  return { files: bigFiles, functions: bigFunctions };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, functions } = oversized();
  console.log(`Files over ${MAX_FILE_LINES} lines: ${files.length}`);
  for (const f of files) console.log(`  ${String(f.lines).padStart(5)}  ${f.file}`);
  console.log(`Functions over ${MAX_FUNCTION_LINES} lines: ${functions.length}`);
  for (const fn of functions) console.log(`  ${String(fn.lines).padStart(5)}  ${fn.file}:${fn.line}  ${fn.name}`);
  process.exitCode = files.length + functions.length > 0 ? 1 : 0;
}
