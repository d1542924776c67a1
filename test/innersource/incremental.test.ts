/**
 * Incremental scans: the watermark and aggregates are stored per repository; a second scan
 * after 10 new commits reads only those 10 and yields the same metrics as a full rescan.
 * Rewritten history and a changed .mailmap fall back to a full scan with a note.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildMapping } from '../../src/innersource/mapping.ts';
import { type InnerSourceReport, scanInnerSource } from '../../src/innersource/scan.ts';
import { INNERSOURCE_MIGRATIONS, MemoryHistoryState, SqlHistoryState } from '../../src/innersource/state.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import { commit, commitDaily, git, initRepo, removeDir, tempDir } from './git.ts';

const work = tempDir();
after(() => removeDir(work));

const mapping = buildMapping({
  teams: { core: ['ann@example.com', 'ben@example.com'], web: ['cat@example.com'] },
  repositories: { svc: 'core', svc2: 'core', svc3: 'core' },
});
const window = {
  since: new Date('2024-01-01T00:00:00Z'),
  until: new Date('2024-12-31T00:00:00Z'),
};

function build(dir: string): void {
  initRepo(dir);
  commitDaily(dir, 'Ann <ann@example.com>', '2024-01-01T08:00:00Z', 12);
  commitDaily(dir, 'Ben <ben@example.com>', '2024-02-01T08:00:00Z', 10);
  commitDaily(dir, 'Cat <cat@example.com>', '2024-03-01T08:00:00Z', 8);
}

/** Ten more: a new contributor, a bot, and the old hands. */
function tenMore(dir: string): void {
  commitDaily(dir, 'Dan <dan@example.com>', '2024-06-01T08:00:00Z', 3);
  commitDaily(dir, 'renovate[bot] <bot@renovateapp.com>', '2024-06-10T08:00:00Z', 2);
  commitDaily(dir, 'Ann <ann@example.com>', '2024-07-01T08:00:00Z', 3);
  commit(dir, {
    author: 'Cat <cat@example.com>',
    date: '2024-07-10T08:00:00Z',
    files: { 'b.bin': '\0\x01binary' },
  });
  commit(dir, {
    author: 'Ben <ben@example.com>',
    date: '2024-07-11T08:00:00Z',
    files: { 'a.txt': 'x\ny\n' },
  });
}

const metrics = (r: InnerSourceReport) => r.repositories.map((x) => x.history);

describe('incremental scans', () => {
  it('reads only the 10 new commits and matches a full rescan', async () => {
    const dir = join(work, 'svc');
    build(dir);
    const state = new MemoryHistoryState();
    const first = await scanInnerSource([dir], { root: work, mapping, state, ...window });
    assert.equal(first.repositories[0].scan.commitsRead, 30);
    assert.equal(first.repositories[0].scan.mode, 'full');

    tenMore(dir);
    const second = await scanInnerSource([dir], { root: work, mapping, state, ...window });
    const scan = second.repositories[0].scan;
    assert.equal(scan.mode, 'incremental');
    assert.equal(scan.commitsRead, 10, 'only the new commits were read');
    assert.equal(scan.totalCommits, 40);

    const full = await scanInnerSource([dir], { root: work, mapping, ...window });
    assert.equal(full.repositories[0].scan.commitsRead, 40);
    assert.deepEqual(metrics(second), metrics(full));
    assert.deepEqual(
      second.assessment.findings.map((f) => [f.checkId, f.status, f.message]),
      full.assessment.findings.map((f) => [f.checkId, f.status, f.message]),
    );
    assert.equal(metrics(second)[0].activeContributors, 4, 'Ann, Ben, Cat, Dan; the bot is not a person');

    const third = await scanInnerSource([dir], { root: work, mapping, state, ...window });
    assert.equal(third.repositories[0].scan.mode, 'unchanged');
    assert.equal(third.repositories[0].scan.commitsRead, 0);
    assert.deepEqual(metrics(third), metrics(full));
  });

  it('falls back to a full scan with a note when history was rewritten', async () => {
    const dir = join(work, 'svc2');
    build(dir);
    const state = new MemoryHistoryState();
    await scanInnerSource([dir], { root: work, mapping, state, ...window });
    // Drop the last 5 commits and add 2 others: the watermark is no longer an ancestor of HEAD.
    git(dir, ['reset', '-q', '--hard', 'HEAD~5']);
    commitDaily(dir, 'Ann <ann@example.com>', '2024-09-01T08:00:00Z', 2);
    git(dir, ['reflog', 'expire', '--expire=now', '--all']);
    git(dir, ['gc', '-q', '--prune=now']);
    const again = await scanInnerSource([dir], { root: work, mapping, state, ...window });
    assert.equal(again.repositories[0].scan.mode, 'full');
    assert.equal(again.repositories[0].scan.commitsRead, 27);
    assert.match(again.repositories[0].scan.reason ?? '', /no longer in HEAD's history/);
    assert.ok(again.assessment.notes.some((n) => /full rescan/.test(n.message)));
    const full = await scanInnerSource([dir], { root: work, mapping, ...window });
    assert.deepEqual(metrics(again), metrics(full));
  });

  it('rebuilds the aggregates when .mailmap changes', async () => {
    const dir = join(work, 'svc3');
    build(dir);
    const state = new MemoryHistoryState();
    await scanInnerSource([dir], { root: work, mapping, state, ...window });
    writeFileSync(join(dir, '.mailmap'), 'Ann <ann@example.com> Cat <cat@example.com>\n');
    const again = await scanInnerSource([dir], { root: work, mapping, state, ...window, people: true });
    assert.equal(again.repositories[0].scan.mode, 'full');
    assert.match(again.repositories[0].scan.reason ?? '', /mailmap/);
    assert.equal(again.repositories[0].history.activeContributors, 2, 'Cat is now Ann');
  });

  it('keeps the watermark in the assay store (DuckDB) across processes', async () => {
    registerMigrations(INNERSOURCE_MIGRATIONS);
    const dir = join(work, 'stored');
    build(dir);
    const file = join(work, 'store', 'assay.duckdb');
    let store = await openStore(file);
    try {
      const r = await scanInnerSource([dir], {
        root: work,
        mapping,
        state: new SqlHistoryState(store),
        ...window,
      });
      assert.equal(r.repositories[0].scan.commitsRead, 30);
    } finally {
      await store.close();
    }
    tenMore(dir);
    store = await openStore(file);
    try {
      const r = await scanInnerSource([dir], {
        root: work,
        mapping,
        state: new SqlHistoryState(store),
        ...window,
      });
      assert.equal(r.repositories[0].scan.mode, 'incremental');
      assert.equal(r.repositories[0].scan.commitsRead, 10);
      const full = await scanInnerSource([dir], { root: work, mapping, ...window });
      assert.deepEqual(metrics(r), metrics(full));
      const rows = await store.all<{ n: bigint | number }>('SELECT count(*) AS n FROM innersource_history');
      assert.equal(Number(rows[0].n), 1);
    } finally {
      await store.close();
    }
  });
});
