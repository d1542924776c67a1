/**
 * Issue 17 items 10 and 12: renames are detected by default, as `git log` does, so a moved
 * file is not counted as every line deleted and added again; and `--all-branches` reads
 * every branch with each commit counted once, incrementally from the stored branch tips.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ALL_BRANCHES, scanInnerSource } from '../../src/innersource/scan.ts';
import { MemoryHistoryState } from '../../src/innersource/state.ts';
import { runCli } from '../helpers/cli.ts';
import { commit, commitDaily, git, initRepo, removeDir, tempDir } from './git.ts';

const work = tempDir();
after(() => removeDir(work));
const window = { since: null, until: new Date('2024-12-31T00:00:00Z') };

describe('rename detection', () => {
  const dir = join(work, 'moved');
  initRepo(dir);
  const hundred = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
  commit(dir, {
    author: 'Ann <ann@example.com>',
    date: '2024-01-01T00:00:00Z',
    files: { 'old.txt': `${hundred}\n` },
  });
  git(dir, ['mv', 'old.txt', 'new.txt']);
  commit(dir, { author: 'Ann <ann@example.com>', date: '2024-01-02T00:00:00Z', files: {} });

  it('counts a moved file as no changed lines by default', async () => {
    const r = await scanInnerSource([dir], { root: work, ...window });
    const h = r.repositories[0].history;
    assert.equal(h.linesAdded, 100, 'only the first commit adds lines');
    assert.equal(h.linesDeleted, 0);
  });

  it('counts it as deleted and added again with renames off (--no-renames)', async () => {
    const r = await scanInnerSource([dir], { root: work, ...window, renames: false });
    const h = r.repositories[0].history;
    assert.equal(h.linesAdded, 200);
    assert.equal(h.linesDeleted, 100);
  });

  it('takes --no-renames on the command line', async () => {
    const on = await runCli(['innersource', 'scan', dir, '--all-history', '--no-save', '-f', 'json', '-q'], {
      cwd: work,
    });
    const off = await runCli(
      ['innersource', 'scan', dir, '--all-history', '--no-save', '-f', 'json', '-q', '--no-renames'],
      { cwd: work },
    );
    assert.equal(JSON.parse(on.out).repositories[0].history.linesDeleted, 0, on.err);
    assert.equal(JSON.parse(off.out).repositories[0].history.linesDeleted, 100, off.err);
  });
});

describe('--all-branches', () => {
  const dir = join(work, 'branches');
  initRepo(dir);
  commitDaily(dir, 'Ann <ann@example.com>', '2024-01-01T08:00:00Z', 3);
  git(dir, ['checkout', '-q', '-b', 'feature']);
  commitDaily(dir, 'Ben <ben@example.com>', '2024-02-01T08:00:00Z', 4);
  git(dir, ['checkout', '-q', 'main']);
  commitDaily(dir, 'Ann <ann@example.com>', '2024-03-01T08:00:00Z', 2);

  it('reads HEAD only by default', async () => {
    const r = await scanInnerSource([dir], { root: work, ...window });
    assert.equal(r.repositories[0].scan.totalCommits, 5);
    assert.equal(r.repositories[0].history.activeContributors, 1);
  });

  it('reads every branch, each shared commit once, and grows incrementally from the stored tips', async () => {
    const state = new MemoryHistoryState();
    const first = await scanInnerSource([dir], { root: work, ...window, allBranches: true, state });
    assert.equal(first.repositories[0].scan.totalCommits, 9, '3 shared + 4 on feature + 2 on main');
    assert.equal(first.repositories[0].scan.branch, ALL_BRANCHES);
    assert.equal(first.repositories[0].history.activeContributors, 2);

    git(dir, ['checkout', '-q', 'feature']);
    commitDaily(dir, 'Cat <cat@example.com>', '2024-04-01T08:00:00Z', 2);
    git(dir, ['checkout', '-q', 'main']);
    const second = await scanInnerSource([dir], { root: work, ...window, allBranches: true, state });
    assert.equal(second.repositories[0].scan.mode, 'incremental');
    assert.equal(second.repositories[0].scan.commitsRead, 2, 'only the two new commits on feature');
    assert.equal(second.repositories[0].scan.totalCommits, 11);
    const full = await scanInnerSource([dir], { root: work, ...window, allBranches: true });
    assert.deepEqual(second.repositories[0].history, full.repositories[0].history);

    // Switching back to HEAD only cannot reuse aggregates of every branch.
    const headOnly = await scanInnerSource([dir], { root: work, ...window, state });
    assert.equal(headOnly.repositories[0].scan.mode, 'full');
    assert.equal(headOnly.repositories[0].scan.totalCommits, 5);
    assert.ok(JSON.stringify(headOnly).includes('HEAD only is read now, every branch before'));
  });

  it('rescans in full when a stored branch tip was rewritten away', async () => {
    const state = new MemoryHistoryState();
    await scanInnerSource([dir], { root: work, ...window, allBranches: true, state });
    git(dir, ['branch', '-q', '-D', 'feature']);
    git(dir, ['reflog', 'expire', '--expire=now', '--all']);
    git(dir, ['gc', '-q', '--prune=now']);
    const r = await scanInnerSource([dir], { root: work, ...window, allBranches: true, state });
    assert.equal(r.repositories[0].scan.mode, 'full');
    assert.equal(r.repositories[0].scan.totalCommits, 5);
  });
});
