/**
 * Writes the JSON Schema of the readiness framework file to
 * schemas/readiness-framework.schema.json. `--check` exits 1 when the committed copy is stale.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { frameworkJsonSchema } from '../src/readiness/framework.ts';

const target = new URL('../schemas/readiness-framework.schema.json', import.meta.url);
const text = `${JSON.stringify(frameworkJsonSchema(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
    console.error(
      'schemas/readiness-framework.schema.json is stale: run `npx tsx scripts/write-readiness-schema.ts`',
    );
    process.exit(1);
  }
  console.log('schemas/readiness-framework.schema.json is current');
} else {
  mkdirSync(new URL('../schemas/', import.meta.url), { recursive: true });
  writeFileSync(target, text);
  console.log('wrote schemas/readiness-framework.schema.json');
}
