/**
 * Conformance: the Bicep compiler's own baseline programs (../shared/data/bicep-baselines,
 * classic and languageVersion 2.0 output of every language feature) expand with no input
 * errors; the expressions ARM itself refuses are reported as template faults.
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

/**
 * Two compiler test programs that ARM itself would refuse (they test code generation only, not
 * deployment): in Modules, Bicep `i / i2` over `range(1, 2)` divides by zero at index 0; in
 * LoopsIndexed, `apim[index + i]` reads index 2 of a two-element module collection. assay
 * evaluated both from known values, so each is a template fault at the expression, not an
 * input error (docs/fidelity-measurement.md, "Conformance"); the symbolic-name build of
 * LoopsIndexed reads the module through reference(), whose target is known only at
 * deployment (unknown, no fault).
 */
const TEMPLATE_FAULTS = [
  'LoopsIndexed_LF/main.json:282 index-out-of-range',
  'LoopsIndexed_LF/main.json:320 index-out-of-range',
  'LoopsIndexed_LF/main.json:321 index-out-of-range',
  'Modules_CRLF/main.json:1542 division-by-zero',
  'Modules_CRLF/main.symbolicnames.json:1559 division-by-zero',
];

const present = existsSync(BASELINES);
if (!present) console.log(`# skipped: the Bicep baselines are not at ${BASELINES}`);

describe('Bicep compiler baselines', { skip: !present && 'the Bicep baselines folder is absent' }, () => {
  it('expands every compiled main.json and main.symbolicnames.json without input errors, faults reported', async () => {
    const files = compiledTemplates();
    assert.ok(files.length > 0, `no compiled templates under ${BASELINES}`);
    const failures: string[] = [];
    const faults: string[] = [];
    for (const file of files) {
      const { assessment } = await scanAzure([file], {
        root: dirname(file),
        now: '2026-01-01T00:00:00Z',
        checks: [],
      });
      const rel = file.slice(BASELINES.length);
      for (const e of assessment.errors) failures.push(`${rel}:${e.line ?? '?'} ${e.code}: ${e.message}`);
      for (const f of assessment.faults ?? []) faults.push(`${rel}:${f.line ?? '?'} ${f.code}`);
    }
    // The two programs ARM itself refuses are still reported, each at its expression: a
    // genuine fault is never hidden to make a conformance number.
    assert.deepEqual(faults.map((f) => f.replaceAll('\\', '/')).sort(), [...TEMPLATE_FAULTS].sort());
    assert.deepEqual(failures, [], `${failures.length} input errors in ${files.length} templates`);
  });
});
