import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type OwnedCaseDb, openCaseDb } from '../../src/readiness/db.ts';
import { ingestCases } from '../../src/readiness/ingest.ts';
import { isOverall } from '../../src/readiness/kpi-dimensions.ts';
import { computeKpis } from '../../src/readiness/kpis.ts';
import { resolveMapping } from '../../src/readiness/mapping.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-ingest-'));
const HEADER =
  'id,cloud,priority,assignment_group,state,opened_at,first_response_at,resolved_at,closed_at,sla_met,reopen_count,reassignment_count';

function good(i: number): string {
  const day = String(1 + (i % 28)).padStart(2, '0');
  return `C${i},fr,2 - High,G${i % 3},Resolved,2025-02-${day} 09:00:00,2025-02-${day} 09:30:00,2025-02-${day} 15:00:00,,${i % 10 !== 0},${i % 50 === 0 ? 1 : 0},0`;
}

describe('case ingest', () => {
  let db: OwnedCaseDb;
  before(async () => {
    db = await openCaseDb();
  });
  after(async () => db?.close());

  it('loads 997 of 1,000 rows and reports the 3 malformed ones by line', async () => {
    const lines = [HEADER];
    for (let i = 1; i <= 1000; i++) lines.push(good(i));
    // Data row k is on line k + 1.
    lines[101] = 'C101,fr,2 - High,G1,Resolved,31-31-2025,,,,true,0,0'; // not a date
    lines[502] = 'C502,fr,2 - High,G1,Resolved'; // too few fields
    lines[900] = 'C900,fr,2 - High,G1,Resolved,2025-02-01 09:00:00,,,,true,many,0'; // not a count
    const file = join(dir, 'cases.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await ingestCases(db, { file, mapping: resolveMapping({ format: 'csv' }) });
    assert.equal(r.records, 1000);
    assert.equal(r.loaded, 997);
    assert.equal(r.cases, 997);
    assert.deepEqual(
      r.badRows.map((b) => b.line),
      [102, 503, 901],
    );
    assert.match(r.badRows[0].reason, /opened_at/);
  });

  it('finds the line of a row missing a required value, past a quoted line break', async () => {
    const file = join(dir, 'missing.csv');
    writeFileSync(
      file,
      [
        HEADER,
        good(1),
        'C2,fr,2 - High,"G\nwith a break",Resolved,2025-02-02 09:00:00,,,,true,0,0',
        'C3,fr,2 - High,G1,Resolved,not a date,,,,true,0,0',
        ',fr,2 - High,G1,Resolved,2025-02-03 09:00:00,,,,true,0,0',
        good(5),
      ].join('\n'),
    );
    const r = await ingestCases(db, { file, mapping: resolveMapping({ format: 'csv' }) });
    assert.equal(r.loaded, 3);
    assert.deepEqual(
      r.badRows.map((b) => [b.line, /no id/.test(b.reason) || /opened_at/.test(b.reason)]),
      [
        [5, true],
        [6, true],
      ],
    );
  });

  it('reads a Zendesk JSON export with side-loaded metrics and SLA targets by priority', async () => {
    const file = join(dir, 'tickets.json');
    const tickets = [
      {
        id: 1,
        created_at: '2025-03-03T08:00:00Z',
        status: 'solved',
        priority: 'high',
        group_id: 7,
        cloud: 'sg',
        metric_set: {
          solved_at: '2025-03-03T12:00:00Z',
          reopens: 0,
          group_stations: 1,
          reply_time_in_minutes: { calendar: 15 },
        },
      },
      {
        id: 2,
        created_at: '2025-03-03T09:00:00Z',
        status: 'solved',
        priority: 'high',
        group_id: 7,
        cloud: 'sg',
        metric_set: {
          solved_at: '2025-03-04T09:00:00Z',
          reopens: 1,
          group_stations: 3,
          reply_time_in_minutes: { calendar: 45 },
        },
      },
      {
        id: 3,
        created_at: 'yesterday',
        status: 'open',
        priority: 'low',
        group_id: 8,
        cloud: 'sg',
        metric_set: {},
      },
    ];
    writeFileSync(file, JSON.stringify({ tickets }, null, 2));
    const r = await ingestCases(db, { file, mapping: resolveMapping({ preset: 'zendesk', format: 'json' }) });
    assert.equal(r.format, 'json');
    assert.equal(r.loaded, 2);
    assert.equal(r.badRows.length, 1);
    assert.match(r.badRows[0].reason, /opened_at is not a date-time/);
    assert.equal(r.badRows[0].line, 35, 'the line where the third ticket starts');
    const total = (await computeKpis(db)).find((k) => k.week === '*' && isOverall(k));
    assert.equal(total?.sla_attainment, 0.5, 'high: 8 h target; 4 h met, 24 h missed');
    assert.equal(total?.reopen_rate, 0.5);
    assert.equal(total?.reassignment_rate, 0.5);
    assert.equal(total?.first_response_median_min, 30);
  });
});
