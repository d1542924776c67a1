/**
 * Case exports as Windows tools write them: Latin-1, UTF-16 with a byte order mark, and a
 * quote left open in the middle of a large export. Every input is generated here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runKpis } from '../../src/cli/readiness-kpis.ts';
import { isCompleteRow, prepareCsv } from '../../src/readiness/csv-source.ts';
import { type OwnedCaseDb, openCaseDb } from '../../src/readiness/db.ts';
import { IngestError, ingestCases } from '../../src/readiness/ingest.ts';
import { resolveMapping } from '../../src/readiness/mapping.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-csv-encoding-'));
const HEADER = 'id,cloud,priority,assignment_group,state,opened_at,resolved_at,sla_met';
const NAMES = ['Équipe Réseau', 'Sécurité', 'Zürich Ops', 'Plain'];

function row(i: number): string {
  const day = String(1 + (i % 28)).padStart(2, '0');
  return `C${i},fr,2 - High,${NAMES[i % 4]},Resolved,2025-02-${day} 09:00:00,2025-02-${day} 15:00:00,true`;
}

function rows(n: number): string[] {
  const out = [HEADER];
  for (let i = 1; i <= n; i++) out.push(row(i));
  return out;
}

const mapping = () => resolveMapping({ format: 'csv' });

describe('case export encodings and unterminated quotes', () => {
  let db: OwnedCaseDb;
  before(async () => {
    db = await openCaseDb();
  });
  after(async () => db?.close());

  it('keeps every row of a Latin-1 export with accented names, and says the encoding was a guess', async () => {
    const file = join(dir, 'latin1.csv');
    writeFileSync(file, Buffer.from(`${rows(400).join('\r\n')}\r\n`, 'latin1'));
    const r = await ingestCases(db, { file, mapping: mapping() });
    assert.equal(r.loaded, 400);
    assert.deepEqual(r.badRows, []);
    assert.equal(r.encoding, 'windows-1252');
    assert.match(r.encodingNote ?? '', /not valid UTF-8: read as windows-1252/);
    const groups = await db.all<{ grp: string }>('SELECT DISTINCT grp FROM readiness_cases ORDER BY grp');
    assert.deepEqual(
      groups.map((g) => g.grp),
      [...NAMES].sort(),
    );
  });

  it('reads a UTF-16LE export with a byte order mark (Windows PowerShell Out-File)', async () => {
    const file = join(dir, 'utf16.csv');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rows(50).join('\r\n'), 'utf16le')]),
    );
    const r = await ingestCases(db, { file, mapping: mapping() });
    assert.equal(r.loaded, 50);
    assert.equal(r.encoding, 'utf-16le');
    const [one] = await db.all<{ grp: string }>("SELECT grp FROM readiness_cases WHERE id = 'C1'");
    assert.equal(one.grp, 'Sécurité');
  });

  it('takes --encoding over detection, and rejects bytes that are not valid in the given encoding', async () => {
    const file = join(dir, 'forced.csv');
    writeFileSync(file, `${rows(8).join('\n')}\n`);
    const r = await ingestCases(db, { file, mapping: mapping(), encoding: 'latin1' });
    assert.equal(r.encoding, 'windows-1252');
    assert.equal(r.loaded, 8);
    const [one] = await db.all<{ grp: string }>("SELECT grp FROM readiness_cases WHERE id = 'C1'");
    assert.equal(one.grp, 'SÃ©curitÃ©');
    const odd = join(dir, 'odd.csv');
    writeFileSync(
      odd,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id\n', 'utf16le'), Buffer.from([0x41])]),
    );
    await assert.rejects(ingestCases(db, { file: odd, mapping: mapping() }), (err: Error) => {
      assert.ok(err instanceof IngestError);
      assert.match(err.message, /odd\.csv: the bytes are not valid utf-16le.*cannot be read/);
      return true;
    });
  });

  it('reports the lines an unterminated quote in the middle of 30,000 rows makes unreadable, and loads the rest', async () => {
    const file = join(dir, 'unterminated.csv');
    const lines = rows(30_000);
    // Data row k is on line k + 1; row 15,000 opens a quote it never closes.
    lines[15_000] = lines[15_000].replace(',Resolved,', ',"Resolved,');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await ingestCases(db, { file, mapping: mapping() });
    assert.equal(r.unread.length, 1);
    assert.deepEqual(
      [r.unread[0].line, r.unread[0].endLine, r.unread[0].quoteLine],
      [15_001, 15_001, 15_001],
    );
    assert.match(r.unread[0].reason, /unterminated quote at line 15001 .*line 15001 could not be read/);
    assert.equal(r.loaded, 29_999);
    assert.deepEqual(r.badRows, []);
  });

  it('reports a quote still open at the end of the file, with the span it took', async () => {
    const file = join(dir, 'eof.csv');
    const lines = rows(20);
    lines[18] = 'C18,fr,2 - High,"G,Resolved,2025-02-01 09:00:00,,true';
    lines[19] = 'a note';
    lines[20] = 'more of it';
    writeFileSync(file, lines.join('\n'));
    const r = await ingestCases(db, { file, mapping: mapping() });
    assert.deepEqual(
      r.unread.map((u) => [u.line, u.endLine]),
      [[19, 21]],
    );
    assert.match(r.unread[0].reason, /end of the file\): lines 19\.\.21 could not be read/);
    assert.equal(r.loaded, 17);
  });

  it('does not take a legitimate multi-line quoted field for an unterminated quote', async () => {
    const file = join(dir, 'multiline.csv');
    const lines = rows(5);
    lines[2] = 'C2,fr,2 - High,"Team\nwith, a line break",Resolved,2025-02-02 09:00:00,,true';
    writeFileSync(file, lines.join('\n'));
    const prepared = await prepareCsv(file, { delimiter: ',' });
    assert.deepEqual(prepared.unread, []);
    assert.equal(prepared.path, file);
    prepared.dispose();
  });

  it('knows a complete row from a line inside a quoted field', () => {
    assert.equal(isCompleteRow('a,"b, c",d', ',', 3), true);
    assert.equal(isCompleteRow('a,"b ""q"" c",d\r', ',', 3), true);
    assert.equal(isCompleteRow('tail of a note",x,y', ',', 3), false);
    assert.equal(isCompleteRow('a,"b"c,d', ',', 3), false);
    assert.equal(isCompleteRow('a,b', ',', 3), false);
  });

  it('exits with the input-error code when lines could not be read, and writes the KPIs', async () => {
    const file = join(dir, 'cli.csv');
    const lines = rows(100);
    lines[40] = lines[40].replace(',Resolved,', ',"Resolved,');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const output = join(dir, 'kpis.json');
    const code = await runKpis({ cases: file, save: false, format: 'json', output, now: '2025-03-01' });
    assert.equal(code, 1);
    const written = JSON.parse(readFileSync(output, 'utf8')) as {
      ingest: { loaded: number; unread: unknown[] };
    };
    assert.equal(written.ingest.loaded, 99);
    assert.equal(written.ingest.unread.length, 1);
    const clean = join(dir, 'clean.csv');
    writeFileSync(clean, Buffer.from(`${rows(10).join('\n')}\n`, 'latin1'));
    assert.equal(await runKpis({ cases: clean, save: false, format: 'json', output, now: '2025-03-01' }), 0);
  });
});
