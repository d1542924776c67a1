/**
 * Conformance: the Bicep compiler's own baseline programs (../shared/data/bicep-baselines,
 * classic and languageVersion 2.0 output of every language feature) expand with no input
 * errors, as Azure Resource Manager accepts them.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scanAzure } from '../../src/azure/scan.ts';

const BASELINES = fileURLToPath(new URL('../../../shared/data/bicep-baselines/', import.meta.url));
const COMPILED = ['main.json', 'main.symbolicnames.json'];

function compiledTemplates(): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(BASELINES, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const name of COMPILED) {
      const file = join(BASELINES, entry.name, name);
      if (existsSync(file)) files.push(file);
    }
  }
  return files.sort();
}

const present = existsSync(BASELINES);
if (!present) console.log(`# skipped: the Bicep baselines are not at ${BASELINES}`);

describe('Bicep compiler baselines', { skip: !present && 'the Bicep baselines folder is absent' }, () => {
  it('expands every compiled main.json and main.symbolicnames.json without input errors', async () => {
    const files = compiledTemplates();
    assert.ok(files.length > 0, `no compiled templates under ${BASELINES}`);
    const failures: string[] = [];
    for (const file of files) {
      const { assessment } = await scanAzure([file], {
        root: dirname(file),
        now: '2026-01-01T00:00:00Z',
        checks: [],
      });
      for (const e of assessment.errors) {
        // Two compiler test programs that ARM itself would refuse (they test code generation
        // only): Bicep `i / i2` over range(1, 2) divides by zero at index 0, and `apim[index + i]`
        // reads index 2 of a two-element array. Each is still reported as an input error.
        const rel = file.slice(BASELINES.length);
        if (/Modules_CRLF/.test(rel) && e.code === 'function-evaluation') continue;
        if (/LoopsIndexed_LF/.test(rel) && e.code === 'index-out-of-range') continue;
        failures.push(`${file.slice(BASELINES.length)}:${e.line ?? '?'} ${e.code}: ${e.message}`);
      }
    }
    assert.deepEqual(failures, [], `${failures.length} input errors in ${files.length} templates`);
  });
});
