/** InnerSource findings are waived through the same stage as every other domain. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Waiver } from '../../src/core/waivers.ts';
import { scanInnerSource } from '../../src/innersource/scan.ts';
import { commit, initRepo, removeDir, tempDir } from './git.ts';

const work = tempDir();
after(() => removeDir(work));

const waiver = (id: string, checks: string[], line: number): Waiver => ({
  id,
  source: 'waiver-file',
  checks,
  justification: 'A code of conduct is set at organisation level.',
  approvedBy: 'OSPO',
  created: '2024-01-01',
  expires: '2099-01-01',
  location: { file: 'assay.waivers.yaml', line, column: 1 },
});

describe('innersource waivers', () => {
  it('waives a failing check and notes a waiver that matches nothing', async () => {
    const dir = join(work, 'lib');
    initRepo(dir);
    commit(dir, {
      author: 'Ann <ann@example.com>',
      date: '2024-06-01T00:00:00Z',
      files: { 'README.md': '# lib\n' },
    });
    const r = await scanInnerSource([dir], {
      root: work,
      since: new Date('2024-01-01T00:00:00Z'),
      until: new Date('2024-06-30T00:00:00Z'),
      now: new Date('2024-06-30T00:00:00Z'),
      waivers: [waiver('W-COC', ['IS-DOC-007'], 2), waiver('W-NONE', ['NO-SUCH'], 8)],
    });
    const coc = r.assessment.findings.find((f) => f.checkId === 'IS-DOC-007');
    assert.equal(coc?.status, 'waived');
    assert.equal(coc?.originalStatus, 'fail');
    assert.deepEqual(
      r.assessment.notes.filter((n) => /waiver/.test(n.message)).map((n) => [n.line, n.message]),
      [[8, 'waiver W-NONE matches no finding']],
    );
  });
});
