/** Parquet output: the writer, `assay export` and `assay readiness kpis --format parquet`. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { runKpis } from '../../src/cli/readiness-kpis.ts';
import { inferColumns, ParquetError, writeParquet } from '../../src/export/parquet.ts';
import { runCli } from '../helpers/cli.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-parquet-'));
after(() => rmSync(work, { recursive: true, force: true }));
const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Reads a Parquet file back through DuckDB: its column types and its rows. */
async function readBack(file: string, orderBy?: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const path = file.replaceAll("'", "''");
    const types = (
      await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)
    ).getRowObjectsJS();
    const rows = (
      await conn.runAndReadAll(
        `SELECT * FROM read_parquet('${path}')${orderBy ? ` ORDER BY ${orderBy}` : ''}`,
      )
    ).getRowObjectsJS();
    return {
      types: Object.fromEntries(types.map((t) => [String(t.column_name), String(t.column_type)])),
      rows,
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

describe('writeParquet', () => {
  it('writes typed columns, nulls and lists that read back as written', async () => {
    const file = join(work, 'typed.parquet');
    const { rows } = await writeParquet(
      file,
      [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'text' },
        { name: 'ratio', type: 'double' },
        { name: 'ok', type: 'boolean' },
        { name: 'at', type: 'timestamp' },
        { name: 'tags', type: 'text[]' },
      ],
      [
        { id: 1, name: "o'brien", ratio: 0.5, ok: true, at: '2026-01-02T03:04:05Z', tags: ['a', 'b'] },
        { id: 2, name: null, ok: false, tags: [] },
      ],
    );
    assert.equal(rows, 2);
    const back = await readBack(file, 'id');
    assert.deepEqual(back.types, {
      id: 'BIGINT',
      name: 'VARCHAR',
      ratio: 'DOUBLE',
      ok: 'BOOLEAN',
      at: 'TIMESTAMP WITH TIME ZONE',
      tags: 'VARCHAR[]',
    });
    assert.equal(back.rows[0]?.name, "o'brien");
    assert.equal(back.rows[0]?.ratio, 0.5);
    assert.deepEqual(back.rows[0]?.tags, ['a', 'b']);
    assert.equal(back.rows[1]?.name, null);
    assert.equal(back.rows[1]?.ratio, null);
    assert.equal(back.rows[1]?.at, null);
    assert.equal(new Date(String(back.rows[0]?.at)).toISOString(), '2026-01-02T03:04:05.000Z');
  });

  it('rejects a value of the wrong type, naming row and column, and leaves no file', async () => {
    const file = join(work, 'bad.parquet');
    await assert.rejects(
      writeParquet(file, [{ name: 'n', type: 'integer' }], [{ n: 1 }, { n: 'two' }]),
      (err: unknown) => err instanceof ParquetError && /row 2, column n: expected integer/.test(err.message),
    );
    assert.equal(existsSync(file), false);
    assert.deepEqual(
      readdirSync(work).filter((f) => f.includes('bad.parquet')),
      [],
      'no partial file is left behind',
    );
  });

  it('infers columns: integers widen to double beside decimals, nulls alone are text', () => {
    const cols = inferColumns(
      [
        { a: 1, b: 'x', c: null, d: 1 },
        { a: 2.5, b: 'y', c: null, d: 2, e: true },
      ],
      [],
    );
    assert.deepEqual(cols, [
      { name: 'a', type: 'double' },
      { name: 'b', type: 'text' },
      { name: 'c', type: 'text' },
      { name: 'd', type: 'integer' },
      { name: 'e', type: 'boolean' },
    ]);
    assert.deepEqual(inferColumns([], [{ name: 'k', type: 'text' }]), [{ name: 'k', type: 'text' }]);
  });
});

describe('assay export --format parquet', () => {
  const store = join(work, 'history.duckdb');

  it('writes every saved run and every finding of each', async () => {
    for (let i = 0; i < 2; i++) {
      const scan = await runCli([
        'scan',
        join(repo, 'examples', 'azure', 'landing-zone'),
        '--store',
        store,
        '--save',
        '-f',
        'json',
      ]);
      assert.equal(scan.code, 1, scan.err);
    }
    const findingsPerRun =
      (
        JSON.parse((await runCli(['history', '--store', store, '-f', 'json'])).out) as { findings: number }[]
      )[0]?.findings ?? 0;
    assert.ok(findingsPerRun > 10);
    const out = join(work, 'all');
    const r = await runCli(['export', '--store', store, '--format', 'parquet', '-o', out]);
    assert.equal(r.code, 0, r.err);
    const runs = await readBack(join(out, 'runs.parquet'), 'run');
    assert.deepEqual(
      runs.rows.map((x) => Number(x.run)),
      [1, 2],
    );
    assert.equal(runs.rows[0]?.domain, 'azure');
    assert.equal(Number(runs.rows[0]?.findings), findingsPerRun);
    const findings = await readBack(join(out, 'findings.parquet'));
    assert.equal(findings.rows.length, 2 * findingsPerRun);
    assert.equal(findings.types.controls, 'VARCHAR[]');
    const failed = findings.rows.filter((f) => f.status === 'fail' && Number(f.run) === 2);
    assert.equal(failed.length, Number(runs.rows[1]?.status_fail));
    assert.ok(findings.rows.every((f) => typeof f.check_id === 'string' && typeof f.line === 'bigint'));
  });

  it('exports incrementally with --since-run, and names a missing run', async () => {
    const out = join(work, 'since');
    const r = await runCli(['export', '--store', store, '-o', out, '--since-run', '1']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      (await readBack(join(out, 'runs.parquet'))).rows.map((x) => Number(x.run)),
      [2],
    );
    const missing = await runCli(['export', '--store', store, '-o', out, '--run', '9']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no run 9/);
    const noOut = await runCli(['export', '--store', store]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.err, /--output/);
  });
});

describe('assay readiness kpis --format parquet', () => {
  it('writes the KPI rows with typed measures', async () => {
    const cases = join(work, 'cases.csv');
    writeFileSync(
      cases,
      [
        'id,cloud,priority,assignment_group,state,opened_at,first_response_at,resolved_at,closed_at,sla_met,reopen_count,reassignment_count',
        'C-1,cloud-a,1 - Critical,ops,Resolved,2025-05-20 09:00:00,2025-05-20 09:30:00,2025-05-21 09:00:00,2025-05-22 09:00:00,true,0,0',
        'C-2,cloud-a,2 - High,ops,Resolved,2025-05-20 10:00:00,2025-05-20 11:00:00,2025-05-20 22:00:00,2025-05-22 09:00:00,false,1,2',
      ].join('\n'),
    );
    const output = join(work, 'kpis.parquet');
    const code = await runKpis({ cases, format: 'parquet', output, now: '2025-06-02', all: true });
    assert.equal(code, 0);
    const back = await readBack(output);
    assert.ok(back.rows.length >= 1);
    assert.equal(back.types.cloud, 'VARCHAR');
    assert.equal(back.types.volume, 'BIGINT');
    const total = back.rows.find(
      (r) => r.priority === '*' && r.group === '*' && r.volume !== null && r.week === '*',
    );
    assert.equal(Number(total?.volume), 2);
    await assert.rejects(runKpis({ cases, format: 'parquet', now: '2025-06-02' }), /--output/);
  });
});
