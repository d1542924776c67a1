/**
 * Issue 17: figures that must be true of the window and of the people in it. The release
 * check judges the repository as it was at the window's end; personal email domains are
 * not organisations and affiliations can change at a date; co-authors are contributors.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { scanInnerSource } from '../../src/innersource/scan.ts';
import { commit, initRepo, removeDir, tag, tempDir } from './git.ts';

const work = tempDir();
after(() => removeDir(work));

describe('IS-ACT-001 at the end of the window (--until)', () => {
  const dir = join(work, 'released');
  initRepo(dir);
  commit(dir, { author: 'Ann <ann@corp.example>', date: '2023-12-01T10:00:00Z' });
  tag(dir, 'v1.0.0', '2024-01-10T10:00:00Z');
  commit(dir, { author: 'Ann <ann@corp.example>', date: '2024-09-01T10:00:00Z' });
  tag(dir, 'v2.0.0', '2024-09-02T10:00:00Z');

  const release = async (until: string) => {
    const r = await scanInnerSource([dir], {
      root: work,
      since: null,
      until: new Date(until),
      now: new Date('2025-03-01T00:00:00Z'),
    });
    const f = r.assessment.findings.find((x) => x.checkId === 'IS-ACT-001');
    assert.ok(f, 'IS-ACT-001 ran');
    return { finding: f, tags: r.repositories[0].tags };
  };

  it('ignores a tag made after the window and measures the age from the window end', async () => {
    const { finding, tags } = await release('2024-06-30T00:00:00Z');
    // v2.0.0 (2024-09-02) is after the window; v1.0.0 is 172 days before 2024-06-30.
    assert.equal(tags.latest?.name, 'v1.0.0');
    assert.equal(tags.count, 1);
    assert.equal(finding.status, 'pass');
    assert.equal((finding.evidence as { daysSinceTag: number }).daysSinceTag, 172);
  });

  it('fails when the only tag in the window is older than releaseDays at the window end', async () => {
    // 2024-08-01: v1.0.0 is 204 days old, v2.0.0 not made yet (not "-32 days old").
    const { finding, tags } = await release('2024-08-01T00:00:00Z');
    assert.equal(tags.latest?.name, 'v1.0.0');
    assert.equal(finding.status, 'fail');
    assert.equal((finding.evidence as { daysSinceTag: number }).daysSinceTag, 204);
  });

  it('counts a tag made on the last day of the window, and none before the first tag', async () => {
    const onDay = await release('2024-09-02T00:00:00Z');
    assert.equal(onDay.tags.latest?.name, 'v2.0.0');
    assert.equal(onDay.tags.latest?.at, Date.parse('2024-09-02T10:00:00Z') / 1000);
    const before = await release('2024-01-09T00:00:00Z');
    assert.equal(before.tags.count, 0);
    assert.equal(before.finding.status, 'fail');
  });
});
