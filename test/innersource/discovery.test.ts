/**
 * A folder of clones with a non-git directory, an empty repository and a corrupt `.git`:
 * each is reported clearly and the healthy repository is still scanned. Shallow clones get
 * a note and unknowns rather than wrong figures.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type InnerSourceReport, scanInnerSource } from '../../src/innersource/scan.ts';
import { commitDaily, git, initRepo, removeDir, tempDir } from './git.ts';

const work = tempDir();
after(() => removeDir(work));

// The whole tree sits inside another repository, so a broken `.git` must not make git
// fall back to the outer one.
const outer = join(work, 'outer');
const org = join(outer, 'org');
let report: InnerSourceReport;

before(async () => {
  initRepo(outer);
  commitDaily(outer, 'Outer <outer@example.com>', '2024-01-01T00:00:00Z', 1);
  initRepo(join(org, 'healthy'));
  commitDaily(join(org, 'healthy'), 'Ann <ann@example.com>', '2024-03-01T00:00:00Z', 5);
  mkdirSync(join(org, 'not-git'), { recursive: true });
  writeFileSync(join(org, 'not-git', 'notes.txt'), 'just files\n');
  initRepo(join(org, 'empty'));
  mkdirSync(join(org, 'corrupt', '.git'), { recursive: true });
  writeFileSync(join(org, 'corrupt', '.git', 'HEAD'), 'this is not a ref\n');
  mkdirSync(join(org, 'dangling'), { recursive: true });
  writeFileSync(join(org, 'dangling', '.git'), 'gitdir: /nonexistent/path/.git\n');
  report = await scanInnerSource([org], {
    root: work,
    since: new Date('2024-01-01T00:00:00Z'),
    until: new Date('2024-06-30T00:00:00Z'),
  });
});

describe('a folder of clones with bad members', () => {
  it('scans the healthy repository', () => {
    assert.deepEqual(
      report.repositories.map((r) => [r.name, r.scan.commitsRead]),
      [['healthy', 5]],
    );
    assert.ok(report.assessment.findings.length > 0);
  });

  it('notes the non-git directory and the empty repository', () => {
    const notes = report.assessment.notes.map((n) => `${n.file}: ${n.message}`);
    assert.ok(notes.includes('outer/org/not-git: not a git repository; skipped'), notes.join('\n'));
    assert.ok(
      notes.includes('outer/org/empty: empty repository (no commits); nothing to assess'),
      notes.join('\n'),
    );
  });

  it('reports the corrupt .git and the dangling gitdir as input errors naming the folder', () => {
    const errors = report.assessment.errors.map((e) => [e.file, e.code]);
    assert.deepEqual(errors.sort(), [
      ['outer/org/corrupt', 'git-corrupt'],
      ['outer/org/dangling', 'git-corrupt'],
    ]);
    for (const e of report.assessment.errors) assert.match(e.message, /git cannot read this repository: .+/);
  });

  it('names a path that is not a repository when given explicitly', async () => {
    const r = await scanInnerSource([join(org, 'corrupt'), join(work, 'missing')], { root: work });
    assert.deepEqual(r.assessment.errors.map((e) => [e.file, e.code]).sort(), [
      ['missing', 'not-found'],
      ['outer/org/corrupt', 'git-corrupt'],
    ]);
  });
});

describe('shallow clones', () => {
  it('are scanned with a note, and history-dependent figures are unknown', async () => {
    const source = join(work, 'deep');
    initRepo(source);
    commitDaily(source, 'Ann <ann@example.com>', '2024-01-01T00:00:00Z', 10);
    commitDaily(source, 'Ben <ben@example.com>', '2024-02-01T00:00:00Z', 10);
    const shallow = join(work, 'shallow', 'deep');
    git(work, ['clone', '-q', '--depth', '5', `file://${source}`, shallow]);
    const r = await scanInnerSource([shallow], {
      root: work,
      since: null,
      until: new Date('2024-06-30T00:00:00Z'),
    });
    assert.equal(r.repositories[0].scan.shallow, true);
    assert.equal(r.repositories[0].scan.commitsRead, 5);
    assert.ok(r.assessment.notes.some((n) => /shallow clone/.test(n.message)));
    const byCheck = new Map(r.assessment.findings.map((f) => [f.checkId, f]));
    for (const id of ['IS-ACT-003', 'IS-ACT-005']) {
      assert.equal(byCheck.get(id)?.status, 'unknown', id);
      assert.match(String(byCheck.get(id)?.evidence?.reason), /shallow clone/);
    }
  });
});
