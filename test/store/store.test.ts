import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { syntheticAssessment } from '../../bench/store-corpus.ts';
import { faultsOf } from '../../src/core/assessment.ts';
import type { Assessment, Finding } from '../../src/core/model.ts';
import { openStore } from '../../src/store/duckdb.ts';
import { StoreError } from '../../src/store/errors.ts';
import { registerMigrations } from '../../src/store/migrations.ts';
import type { Migration } from '../../src/store/store.ts';
import { filterFindings, groupFindings, sortFindingsBy } from '../../web/filter.ts';
import { describeStoreContract } from '../helpers/store-contract.ts';
import { exampleAssessment, tempDir } from './helpers.ts';

const tmp = tempDir();
after(tmp.cleanup);
let n = 0;
/** A store file of its own for each test. */
const freshPath = () => join(tmp.dir, `s${++n}`, 'assay.duckdb');

let example: Assessment;
before(async () => {
  example = await exampleAssessment();
});

async function rejectsWith(p: Promise<unknown>, code: StoreError['code'], message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StoreError, `expected a StoreError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
}

describeStoreContract('store: saving and reading runs', ({ fresh, open }) => {
  it('keeps template faults through a save and a read; a run stored without them reads as none', async () => {
    const store = await open(await fresh());
    try {
      const fault = { file: 'main.json', line: 7, column: 9, code: 'division-by-zero', message: 'div(1, 0)' };
      const { faults: _none, ...old } = example;
      await store.saveAssessment({ ...example, faults: [fault] });
      await store.saveAssessment(old);
      assert.deepEqual((await store.getAssessment(1))?.faults, [fault]);
      assert.deepEqual(faultsOf((await store.getAssessment(2)) as Assessment), []);
    } finally {
      await store.close();
    }
  });

  it('saves an assessment as run 1, 2, ... and reads it back exactly as saved', async () => {
    const store = await open(await fresh());
    try {
      const first = await store.saveAssessment(example, { label: 'baseline' });
      const second = await store.saveAssessment(example);
      assert.equal(first.run, 1);
      assert.equal(second.run, 2);
      assert.equal(first.label, 'baseline');
      const back = await store.getAssessment(1);
      assert.deepEqual(back, example);
      // Key order too, so a report rendered from the store is byte-identical.
      assert.equal(JSON.stringify(back), JSON.stringify(example));
      assert.equal(await store.getAssessment(3), undefined);
    } finally {
      await store.close();
    }
  });

  it('saves a run once per idempotency key: the same key gives back the run saved with it', async () => {
    const store = await open(await fresh());
    try {
      const first = await store.saveAssessment(example, { label: 'job', idempotencyKey: 'job-1' });
      const again = await store.saveAssessment({ ...example, domain: 'other' }, { idempotencyKey: 'job-1' });
      assert.deepEqual(again, first);
      const other = await store.saveAssessment(example, { idempotencyKey: 'job-2' });
      const unkeyed = await store.saveAssessment(example);
      assert.deepEqual([other.run, unkeyed.run], [2, 3]);
      const runs = await store.listRuns();
      assert.deepEqual(
        runs.map((r) => [r.run, r.domain, r.label]),
        [
          [3, example.domain, undefined],
          [2, example.domain, undefined],
          [1, example.domain, 'job'],
        ],
      );
      assert.deepEqual(await store.all('SELECT key, run FROM run_keys ORDER BY key'), [
        { key: 'job-1', run: 1 },
        { key: 'job-2', run: 2 },
      ]);
    } finally {
      await store.close();
    }
  });

  it('saves concurrent saves with one key once', async () => {
    const store = await open(await fresh());
    try {
      const saves = await Promise.all(
        [1, 2, 3, 4].map(() => store.saveAssessment(example, { idempotencyKey: 'same' })),
      );
      assert.deepEqual(new Set(saves.map((s) => s.run)), new Set([1]));
      assert.equal((await store.listRuns()).length, 1);
    } finally {
      await store.close();
    }
  });

  it('keeps waivers, evidence, original status and fields the store has no column for', async () => {
    const waived: Finding = {
      ...example.findings.find((f) => f.status === 'fail')!,
      status: 'waived',
      originalStatus: 'fail',
      evidence: { path: 'properties.x', value: [1, { y: null }] },
      waiver: { id: 'W-1', source: 'waiver-file', justification: 'accepted', expires: '2099-01-01' },
    };
    const future = { ...waived, fingerprint: 'abc', tags: ['x'] } as Finding;
    const a: Assessment = { ...example, findings: [waived, future, { ...waived, controls: [] }] };
    const store = await open(await fresh());
    try {
      const { run } = await store.saveAssessment(a);
      assert.deepEqual((await store.getAssessment(run))?.findings, a.findings);
    } finally {
      await store.close();
    }
  });

  it('lists runs newest first with counts, scores and baselines; filters by domain and limit', async () => {
    const store = await open(await fresh());
    try {
      const synthetic = syntheticAssessment({ findings: 500 });
      await store.saveAssessment(example);
      await store.saveAssessment(synthetic, { label: 'synthetic' });
      await store.saveAssessment({ ...example, domain: 'other' });
      const runs = await store.listRuns();
      assert.deepEqual(
        runs.map((r) => r.run),
        [3, 2, 1],
      );
      const r2 = runs[1];
      assert.equal(r2.findings, 500);
      assert.deepEqual(r2.byStatus, synthetic.summary.byStatus);
      assert.deepEqual(r2.failedBySeverity, synthetic.summary.failedBySeverity);
      assert.equal(r2.score, synthetic.summary.score);
      assert.equal(r2.scoreBeforeWaivers, synthetic.summary.scoreBeforeWaivers);
      assert.equal(r2.label, 'synthetic');
      assert.equal(r2.baselines.length, 1);
      const cov = synthetic.compliance![0].coverage;
      assert.deepEqual(r2.baselines[0], {
        name: 'ism-protected',
        title: 'ISM PROTECTED (synthetic)',
        total: cov.total,
        automated: cov.automated,
        assessed: cov.assessed,
        met: cov.met,
        notMet: cov.notMet,
        partiallyMet: cov.partiallyMet,
        unknown: cov.unknown,
        waived: cov.waived,
        notAssessed: cov.notAssessed,
      });
      assert.deepEqual(
        (await store.listRuns({ domain: 'azure' })).map((r) => r.run),
        [2, 1],
      );
      assert.deepEqual(
        (await store.listRuns({ limit: 1 })).map((r) => r.run),
        [3],
      );
      const controls = await store.all<{ n: number }>(
        "SELECT count(*) AS n FROM control_results WHERE run = 2 AND baseline = 'ism-protected'",
      );
      assert.equal(controls[0].n, cov.total);
    } finally {
      await store.close();
    }
  });

  it('queries a page of findings by severity, status, check, control, subject, file and text', async () => {
    const store = await open(await fresh());
    try {
      const a = syntheticAssessment({ findings: 2000 });
      const { run } = await store.saveAssessment(a);
      const expect = (pred: (f: Finding) => boolean) => a.findings.filter(pred);
      const text = 'encryption';
      const q = { run, severity: ['critical' as const, 'high' as const], status: ['fail' as const], text };
      const want = expect(
        (f) =>
          ['critical', 'high'].includes(f.severity) &&
          f.status === 'fail' &&
          [f.message, f.title, f.subject.name].some((s) => s.toLowerCase().includes(text)),
      );
      assert.ok(want.length > 20, 'the query matches enough findings to page');
      const page1 = await store.queryFindings({ ...q, limit: 10 });
      assert.equal(page1.total, want.length);
      assert.deepEqual(page1.findings, want.slice(0, 10));
      const page2 = await store.queryFindings({ ...q, limit: 10, offset: 10 });
      assert.deepEqual(page2.findings, want.slice(10, 20));

      const control = a.findings[0].controls[1];
      assert.equal(
        (await store.queryFindings({ run, control, limit: 5000 })).total,
        expect((f) => f.controls.includes(control)).length,
      );
      const subject = a.findings[3].subject;
      const bySubject = await store.queryFindings({ run, subjectId: subject.id, limit: 5000 });
      assert.deepEqual(
        bySubject.findings,
        expect((f) => f.subject.id === subject.id),
      );
      assert.equal(
        (await store.queryFindings({ run, subject: 'RES-1' })).total,
        expect((f) => f.subject.id.toLowerCase().includes('res-1') || f.subject.name.includes('res-1'))
          .length,
      );
      assert.equal(
        (await store.queryFindings({ run, file: 'APP-007/' })).total,
        expect((f) => f.location.file.includes('app-007/')).length,
      );
      const checkId = a.findings[0].checkId;
      assert.equal(
        (await store.queryFindings({ run, checkId: [checkId] })).total,
        expect((f) => f.checkId === checkId).length,
      );
      assert.equal((await store.queryFindings({ run })).findings.length, 100, 'default page is 100');
      assert.equal((await store.queryFindings({ run, text: '100%_' })).total, 0, 'no wildcards in text');
      assert.equal((await store.queryFindings({ run: run + 1 })).total, 0);
    } finally {
      await store.close();
    }
  });

  it('orders a page as the explorer does (stable, failures first on ties) and counts groups', async () => {
    const store = await open(await fresh());
    try {
      const a = syntheticAssessment({ findings: 1500 });
      const { run } = await store.saveAssessment(a);
      for (const sort of [
        'risk',
        'severity',
        '-status',
        'check',
        '-check',
        'subject',
        'file',
        '-file',
        'message',
      ]) {
        const want = sortFindingsBy(a.findings, sort);
        const got = await store.queryFindings({ run, sort, limit: 60, offset: 30 });
        assert.deepEqual(got.findings, want.slice(30, 90), `sort ${sort}`);
      }
      const failing = { run, status: ['fail' as const] };
      const type = a.findings[0].subject.type;
      assert.equal(
        (await store.queryFindings({ run, type, limit: 0 })).total,
        a.findings.filter((f) => f.subject.type === type).length,
      );
      for (const groupBy of ['check', 'file', 'control', 'type'] as const) {
        const page = await store.queryFindings({ ...failing, groupBy, limit: 1 });
        assert.deepEqual(
          page.groups,
          groupFindings(filterFindings(a.findings, failing).findings, groupBy),
          groupBy,
        );
      }
      assert.equal((await store.queryFindings({ run, limit: 1 })).groups, undefined);
    } finally {
      await store.close();
    }
  });

  it('saves 10,000 findings in one run in well under the test timeout', async () => {
    const store = await open(await fresh());
    try {
      const a = syntheticAssessment({ findings: 10_000 });
      const t = performance.now();
      const { run } = await store.saveAssessment(a);
      const ms = performance.now() - t;
      assert.ok(ms < 10_000, `save took ${ms.toFixed(0)} ms`);
      assert.equal((await store.queryFindings({ run, limit: 0 })).total, 10_000);
    } finally {
      await store.close();
    }
  });
});

describeStoreContract('store: transactions and concurrent saves', ({ fresh, open }) => {
  it('rolls a failed transaction back completely', async () => {
    const store = await open(await fresh());
    try {
      await store.run('CREATE TABLE notes (id INTEGER, text VARCHAR)');
      await assert.rejects(
        store.transaction(async (sql) => {
          await sql.run('INSERT INTO notes VALUES (?, ?)', [1, 'kept?']);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await store.all('SELECT * FROM notes'), []);
      const out = await store.transaction(async (sql) => {
        await sql.run('INSERT INTO notes VALUES (?, ?)', [2, 'yes']);
        return sql.all<{ id: number }>('SELECT id FROM notes');
      });
      assert.deepEqual(out, [{ id: 2 }]);
    } finally {
      await store.close();
    }
  });

  it('numbers concurrent saves of two stores of the same database in turn', async () => {
    const path = await fresh();
    const [a, b] = await Promise.all([open(path), open(path)]);
    try {
      const saved = await Promise.all([
        a.saveAssessment(example),
        b.saveAssessment(example),
        a.saveAssessment(example),
        b.saveAssessment(example),
      ]);
      assert.deepEqual(saved.map((s) => s.run).sort(), [1, 2, 3, 4]);
      assert.equal((await b.listRuns()).length, 4);
    } finally {
      await a.close();
      await b.close();
    }
    const again = await open(path, { readOnly: true });
    assert.equal((await again.listRuns()).length, 4);
    await again.close();
  });

  it('refuses to save through a read-only store, and to use a closed one', async () => {
    const path = await fresh();
    await (await open(path)).close();
    const ro = await open(path, { readOnly: true });
    await rejectsWith(ro.saveAssessment(example), 'database', /opened read-only/);
    await ro.close();
    await rejectsWith(ro.listRuns(), 'database', /is closed/);
  });
});

describe('DuckDB store: one process', () => {
  it('a writer in the same process waits for read-only stores of the file to close', async () => {
    const path = freshPath();
    await (await openStore(path)).close();
    const reader = await openStore(path, { readOnly: true });
    await rejectsWith(openStore(path, { waitMs: 0 }), 'in-use', /open read-only in this process/);
    setTimeout(() => void reader.close(), 100);
    const writer = await openStore(path, { waitMs: 5000 });
    assert.equal((await writer.saveAssessment(example)).run, 1);
    await writer.close();
  });
});

const testDomain: Migration = {
  domain: 'test-domain',
  version: 1,
  description: 'a table for a test domain',
  up: ['CREATE TABLE test_domain_things (id INTEGER, share DOUBLE)'],
};

describeStoreContract('store: schema', ({ fresh, open, named }) => {
  it('records the core migration and applies a registered domain migration once', async () => {
    const path = await fresh();
    const store = await open(path);
    const applied = await store.all<{ domain: string; version: number }>(
      "SELECT domain, version FROM schema_migrations WHERE domain = 'core' ORDER BY domain, version",
    );
    assert.deepEqual(applied, [
      { domain: 'core', version: 1 },
      { domain: 'core', version: 2 },
      { domain: 'core', version: 3 },
      { domain: 'core', version: 4 },
    ]);
    await store.close();

    registerMigrations([testDomain]);
    for (let i = 0; i < 2; i++) {
      const s = await open(path);
      const rows = await s.all<{ domain: string; version: number }>(
        "SELECT domain, version FROM schema_migrations WHERE domain = 'test-domain'",
      );
      assert.deepEqual(rows, [{ domain: 'test-domain', version: 1 }]);
      await s.run('INSERT INTO test_domain_things VALUES (?, ?)', [i, i / 2]);
      await s.close();
    }
    const s = await open(path, { readOnly: true });
    assert.deepEqual(await s.all('SELECT id, share FROM test_domain_things ORDER BY id'), [
      { id: 0, share: 0 },
      { id: 1, share: 0.5 },
    ]);
    await s.close();
    assert.throws(
      () => registerMigrations([{ domain: 'test-domain', version: 1, description: 'again', up: [] }]),
      /registered twice/,
    );
  });

  it('upgrades an older store when it is opened read-only', async () => {
    registerMigrations([testDomain]);
    const path = await fresh();
    const s = await open(path);
    await s.saveAssessment(example);
    // Pretend this store predates a registered migration.
    await s.run("DELETE FROM schema_migrations WHERE domain = 'test-domain'");
    await s.run('DROP TABLE IF EXISTS test_domain_things');
    await s.close();
    const ro = await open(path, { readOnly: true });
    assert.equal((await ro.listRuns()).length, 1);
    assert.equal((await ro.all('SELECT * FROM test_domain_things')).length, 0);
    await ro.close();
  });

  it('works out the series of runs saved before core v2 when it migrates', async () => {
    const path = await fresh();
    const s = await open(path);
    const saved = await s.saveAssessment(example);
    await s.saveAssessment({ ...example, domain: 'other' });
    // Back to core v1: no run_series or run_keys table or run index, no v2-v4 record.
    await s.run('DROP TABLE run_series');
    await s.run('DROP TABLE run_keys');
    await s.run('DROP INDEX IF EXISTS findings_by_run');
    await s.run("DELETE FROM schema_migrations WHERE domain = 'core' AND version >= 2");
    await s.close();
    const again = await open(path);
    const runs = await again.listRuns();
    assert.deepEqual(
      runs.map((r) => [r.run, r.kind, r.series === saved.series]),
      [
        [2, 'other', false],
        [1, 'scan', true],
      ],
    );
    assert.deepEqual(await again.listRuns({ series: saved.series }), [runs[1]]);
    await again.close();
  });

  it('names the store and the versions when the store is newer than this assay', async () => {
    const path = await fresh();
    const s = await open(path);
    await s.run("INSERT INTO schema_migrations (domain, version, description) VALUES ('core', 99, 'future')");
    await s.close();
    await rejectsWith(open(path), 'newer-schema', /has core schema version 99.*knows \(4\).*upgrade assay/);
    await rejectsWith(open(path), 'newer-schema', named);
    await rejectsWith(open(path, { readOnly: true }), 'newer-schema', /version 99/);
  });
});

describe('DuckDB store: bad files', () => {
  it('says so when the file is not a DuckDB database, or is missing for reading', async () => {
    const path = join(tmp.dir, 'not-a-store.duckdb');
    writeFileSync(path, 'this is not a database\n'.repeat(200));
    await rejectsWith(openStore(path), 'not-a-store', /not-a-store\.duckdb is not a DuckDB database file/);
    await rejectsWith(
      openStore(join(tmp.dir, 'nothing', 'here.duckdb'), { readOnly: true }),
      'missing',
      /no store at/,
    );
  });

  it('reports a damaged store with its file name instead of crashing', async () => {
    const path = freshPath();
    const s = await openStore(path);
    await s.saveAssessment(example);
    await s.close();
    // Overwrite the database header and first blocks: DuckDB must refuse, naming the file.
    const { openSync, writeSync, closeSync } = await import('node:fs');
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(64 * 1024, 0x5a), 0, 64 * 1024, 0);
    closeSync(fd);
    await assert.rejects(openStore(path, { readOnly: true }), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.match(err.message, /assay\.duckdb/);
      return true;
    });
  });
});
