/**
 * Writes the JSON Schema of assay.config.yaml to schemas/assay.config.schema.json so editors
 * can validate and complete the file. `--check` exits 1 when the committed copy is stale.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/cli/config.ts';

const target = new URL('../schemas/assay.config.schema.json', import.meta.url);
const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
    console.error('schemas/assay.config.schema.json is stale: run `npx tsx scripts/write-config-schema.ts`');
    process.exit(1);
  }
  console.log('schemas/assay.config.schema.json is current');
} else {
  mkdirSync(new URL('../schemas/', import.meta.url), { recursive: true });
  writeFileSync(target, text);
  console.log('wrote schemas/assay.config.schema.json');
}
