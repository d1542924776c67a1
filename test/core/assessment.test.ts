import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildAssessment } from '../../src/core/assessment.ts';
import type { Finding } from '../../src/core/model.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function finding(file: string, line: number, checkId: string): Finding {
  return {
    checkId,
    title: checkId,
    severity: 'high',
    status: 'fail',
    message: `${checkId} at ${file}`,
    subject: { id: `${file}#${line}`, name: 'x', type: 't', kind: 'k' },
    location: { file, line, column: 1 },
    controls: [],
  };
}

const PARTS = {
  domain: 'test',
  root: '/r',
  startedAt: new Date('2025-01-01T00:00:00Z'),
  inputs: [],
  checks: [],
  subjects: [],
  findings: [
    finding('b/y.json', 1, 'C-1'),
    finding('aa/x.json', 4, 'C-2'),
    finding('B/z.json', 2, 'C-1'),
    finding('aa/x.json', 4, 'C-10'),
    finding('aa/x.json', 2, 'C-1'),
  ],
  errors: [],
  notes: [],
};

describe('buildAssessment', () => {
  it('orders findings by file, line, check and subject in code-unit order, not the locale', () => {
    const order = buildAssessment(PARTS).findings.map(
      (f) => `${f.location.file}:${f.location.line}:${f.checkId}`,
    );
    // Upper case before lower case, 'aa' before 'b' (a Danish collation puts it after 'z').
    assert.deepEqual(order, [
      'B/z.json:2:C-1',
      'aa/x.json:2:C-1',
      'aa/x.json:4:C-10',
      'aa/x.json:4:C-2',
      'b/y.json:1:C-1',
    ]);
  });

  it('gives the same id under another locale', () => {
    // The same parts, sent as JSON: only the start time needs reviving.
    const script = `import { buildAssessment } from './src/core/assessment.ts';
const parts = JSON.parse(process.argv[1]);
parts.startedAt = new Date(parts.startedAt);
process.stdout.write(buildAssessment(parts).id);`;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify(PARTS)],
      {
        cwd: REPO,
        env: { ...process.env, LANG: 'da_DK.UTF-8', LC_ALL: 'da_DK.UTF-8' },
        encoding: 'utf8',
      },
    );
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, buildAssessment(PARTS).id);
  });
});
