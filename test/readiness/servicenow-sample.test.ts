import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type OwnedCaseDb, openCaseDb } from '../../src/readiness/db.ts';
import { ingestCases } from '../../src/readiness/ingest.ts';
import { isOverall } from '../../src/readiness/kpi-dimensions.ts';
import { computeKpis } from '../../src/readiness/kpis.ts';
import { resolveMapping } from '../../src/readiness/mapping.ts';

const SAMPLE = new URL(
  '../../../shared/data/incident-event-log-sample/incident_event_log.csv',
  import.meta.url,
).pathname;
const present = existsSync(SAMPLE);
if (!present) console.log(`# skipped: the ServiceNow sample is not at ${SAMPLE}`);

/** `dd-mm-YYYY HH:MM` as a sortable number; `?` (missing) sorts first. */
function stamp(s: string): number {
  const m = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2})$/.exec(s);
  return m ? Date.UTC(+m[3], +m[2] - 1, +m[1], +m[4], +m[5]) : Number.NEGATIVE_INFINITY;
}

type EventKey = [number, number, number];

/** Each incident's event that comes first (`sign` -1) or last (+1) by update time, modification count, file order. */
function extremeEvents(text: string, sign: 1 | -1) {
  const [head, ...rows] = text.trim().split('\n');
  const cols = head.split(',');
  const at = (name: string) => cols.indexOf(name);
  const pick = new Map<string, { row: string[]; key: EventKey }>();
  rows.forEach((line, i) => {
    const row = line.split(','); // the sample has no quoted fields
    const key: EventKey = [stamp(row[at('sys_updated_at')]), Number(row[at('sys_mod_count')]), i];
    const prev = pick.get(row[at('number')]);
    const d = prev ? key.map((k, j) => k - prev.key[j]).find((x) => x !== 0) : sign;
    if (d !== undefined && Math.sign(d) === sign) pick.set(row[at('number')], { row, key });
  });
  return { pick, at };
}

/** The acceptance figures computed straight from the file, without DuckDB or assay's mapping. */
function independent(text: string) {
  const { pick: last, at } = extremeEvents(text, 1);
  let done = 0;
  let slaKnown = 0;
  let slaMet = 0;
  let reopened = 0;
  for (const { row } of last.values()) {
    if (row[at('resolved_at')] === '?' && row[at('closed_at')] === '?') continue;
    done++;
    const sla = row[at('made_sla')];
    if (sla === 'TRUE' || sla === 'FALSE') slaKnown++;
    if (sla === 'TRUE') slaMet++;
    if (Number(row[at('reopen_count')]) > 0) reopened++;
  }
  return { incidents: last.size, sla: slaMet / slaKnown, reopen: reopened / done };
}

describe('ServiceNow event-log sample', { skip: !present }, () => {
  let db: OwnedCaseDb;
  before(async () => {
    db = await openCaseDb();
  });
  after(async () => db?.close());

  it('ingests 890 incidents and matches an independent SLA attainment and reopen rate', async () => {
    const report = await ingestCases(db, {
      file: SAMPLE,
      mapping: resolveMapping({ preset: 'servicenow', format: 'csv' }),
    });
    assert.equal(report.records, 5998);
    assert.equal(report.badRows.length, 0);
    assert.equal(report.cases, 890);
    assert.equal(report.eventLog, true);
    const kpis = await computeKpis(db);
    const total = kpis.find((r) => r.week === '*' && isOverall(r));
    assert.ok(total);
    const expected = independent(readFileSync(SAMPLE, 'utf8'));
    assert.equal(expected.incidents, 890);
    assert.ok(
      Math.abs((total.sla_attainment ?? -1) - expected.sla) < 1e-12,
      `${total.sla_attainment} vs ${expected.sla}`,
    );
    assert.ok(
      Math.abs((total.reopen_rate ?? -1) - expected.reopen) < 1e-12,
      `${total.reopen_rate} vs ${expected.reopen}`,
    );
    assert.equal(total.volume, 890);
  });

  it('reads the same incidents from the sample saved as UTF-16LE by Windows PowerShell, and with a quote left open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-sample-'));
    try {
      const text = readFileSync(SAMPLE, 'utf8');
      const utf16 = join(dir, 'utf16.csv');
      writeFileSync(
        utf16,
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le')]),
      );
      const mapping = resolveMapping({ preset: 'servicenow', format: 'csv' });
      const wide = await ingestCases(db, { file: utf16, mapping });
      assert.deepEqual(
        [wide.encoding, wide.records, wide.badRows.length, wide.cases],
        ['utf-16le', 5998, 0, 890],
      );
      // One event (line 3001) opens a quote it never closes: that line alone is left out.
      const lines = text.split('\n');
      lines[3000] = lines[3000].replace(',', ',"');
      const broken = join(dir, 'broken.csv');
      writeFileSync(broken, lines.join('\n'));
      const r = await ingestCases(db, { file: broken, mapping });
      assert.deepEqual(
        r.unread.map((u) => [u.line, u.endLine]),
        [[3001, 3001]],
      );
      assert.equal(r.loaded, 5997);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('derives the first response from the first later event that changed state or assignee', async () => {
    await ingestCases(db, { file: SAMPLE, mapping: resolveMapping({ preset: 'servicenow', format: 'csv' }) });
    // INC0000045: opened 29-02-2016 01:16, first event away from New is 'Resolved' at 08:53.
    const [row] = await db.all<{ fr: Date; state: string }>(
      `SELECT first_response_at AS fr, state FROM readiness_cases WHERE id = 'INC0000045'`,
    );
    assert.equal(row.state, 'Closed');
    assert.equal(row.fr.toISOString(), '2016-02-29T08:53:00.000Z');
  });

  it('never takes the creation event for the first response, and has no negative one', async () => {
    const r = await ingestCases(db, {
      file: SAMPLE,
      mapping: resolveMapping({ preset: 'servicenow', format: 'csv' }),
    });
    // The creation event of each incident, straight from the file.
    const { pick: created } = extremeEvents(readFileSync(SAMPLE, 'utf8'), -1);
    const rows = await db.all<{ id: string; opened: Date; fr: Date | null }>(
      'SELECT id, opened_at AS opened, first_response_at AS fr FROM readiness_cases',
    );
    assert.equal(rows.length, 890);
    const responded = rows.filter((x) => x.fr !== null);
    assert.ok(responded.length > 0);
    const atCreation = responded.filter((x) => x.fr?.getTime() === created.get(x.id)?.key[0]);
    assert.deepEqual(
      atCreation.map((x) => x.id),
      [],
      'a first response at the creation event',
    );
    const negative = responded.filter((x) => (x.fr as Date).getTime() < x.opened.getTime());
    assert.deepEqual(
      negative.map((x) => x.id),
      [],
      'a first response before the opening',
    );
    // Every negative one would have been reported by line and excluded.
    assert.equal(r.excluded.length, 0);
  });
});
