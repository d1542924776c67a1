/** `readiness assess` takes the shared report and check-selection flags, as scan does. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runAssess } from '../../src/cli/readiness.ts';
import type { Assessment } from '../../src/core/model.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const framework = join(repo, 'examples/readiness/framework.yaml');
const work = mkdtempSync(join(tmpdir(), 'assay-assess-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('readiness assess: --report, --checks, --skip-checks', () => {
  it('writes every requested report and runs only the selected checks', async () => {
    const sarif = join(work, 'r.sarif');
    const json = join(work, 'r.json');
    const code = await runAssess(framework, {
      now: '2025-06-02',
      output: join(work, 'main.txt'),
      report: [`sarif=${sarif}`, `json=${json}`],
      checks: ['RDY-PROCESS-*'],
      save: false,
    } as Parameters<typeof runAssess>[1]);
    assert.equal(code, 0);
    const a = JSON.parse(readFileSync(json, 'utf8')) as Assessment;
    assert.ok(a.findings.length > 0);
    assert.ok(
      a.findings.every((f) => f.checkId.startsWith('RDY-PROCESS-')),
      'only the selected checks ran',
    );
    const s = JSON.parse(readFileSync(sarif, 'utf8')) as {
      runs: { tool: { driver: { rules: { id: string }[] } } }[];
    };
    const rules = s.runs[0].tool.driver.rules.map((r) => r.id);
    assert.ok(rules.length > 0);
    assert.ok(rules.every((id) => id.startsWith('RDY-PROCESS-')));
  });

  it('skips checks by glob and refuses a malformed --report', async () => {
    const json = join(work, 'skip.json');
    await runAssess(framework, {
      now: '2025-06-02',
      output: join(work, 'skip.txt'),
      report: [`json=${json}`],
      skipChecks: ['RDY-PROCESS-*'],
      save: false,
    } as Parameters<typeof runAssess>[1]);
    const a = JSON.parse(readFileSync(json, 'utf8')) as Assessment;
    assert.ok(a.findings.length > 0);
    assert.ok(a.findings.every((f) => !f.checkId.startsWith('RDY-PROCESS-')));
    await assert.rejects(
      runAssess(framework, { now: '2025-06-02', report: ['nonsense'], save: false } as Parameters<
        typeof runAssess
      >[1]),
      /--report expects FORMAT=FILE/,
    );
  });
});
