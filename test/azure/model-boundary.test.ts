/**
 * Checks, residency rules, the architecture model and the TRA read only the normalised Azure
 * model (docs/azure-model.md), never the ARM expander: a new Azure source (a Terraform plan,
 * live state) then needs no change to them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const READERS = ['src/azure/checks', 'src/azure/residency', 'src/azure/architecture', 'src/azure/tra'];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the Azure model boundary', () => {
  it('no reader of the model imports the expander, the loader or the scan pipeline', () => {
    const offending: string[] = [];
    for (const folder of READERS)
      for (const file of files(join(repo, folder))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/from '([^']+)'/g))
          if (/\/expand\/|\/load\/|\/azure\/scan\.ts$|\/bicep-scan\.ts$/.test(m[1]))
            offending.push(`${relative(repo, file)} imports ${m[1]}`);
      }
    const allowed = ['src/azure/tra/run.ts'];
    assert.deepEqual(
      offending.filter((o) => !allowed.some((a) => o.startsWith(a))),
      [],
    );
  });
});
