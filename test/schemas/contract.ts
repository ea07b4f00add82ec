import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { ROOT } from '../cli/cli-harness.js';

/** The published schemas (schemas/*.json), compiled once: `validate('fills.json', output)`. */
const SCHEMAS = join(ROOT, 'schemas');
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: false });
for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.json'))) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')));

export function schemaFiles(): string[] {
  return readdirSync(SCHEMAS).filter((f) => f.endsWith('.json'));
}

/** The errors of `value` against the schema, as readable lines; empty when it conforms. */
export function violations(schema: string, value: unknown): string[] {
  const check = ajv.getSchema(schema);
  if (!check) throw new Error(`no schema ${schema}`);
  if (check(value)) return [];
  return (check.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}
