import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assessReadiness } from '../../src/readiness/assess.ts';
import { type OwnedCaseDb, openCaseDb } from '../../src/readiness/db.ts';
import { ingestCases } from '../../src/readiness/ingest.ts';
import { isOverall } from '../../src/readiness/kpi-dimensions.ts';
import { computeKpis } from '../../src/readiness/kpis.ts';
import { resolveMapping } from '../../src/readiness/mapping.ts';

// A ServiceNow-style event log; each line's role is noted after it (line 1 is the header).
const LOG = [
  'number,incident_state,opened_at,sys_updated_at,sys_mod_count,assigned_to',
  'INC1,New,01-03-2016 09:00,01-03-2016 09:05,0,?', // 2: creation
  'INC1,Active,01-03-2016 09:00,01-03-2016 09:45,2,Agent 1', // 3: response, +45 min (listed before mod 1)
  'INC1,New,01-03-2016 09:00,01-03-2016 09:20,1,?', // 4: nothing changed
  'INC2,Active,02-03-2016 10:00,02-03-2016 10:00,0,Agent 2', // 5: creation, already active and assigned
  'INC2,Active,02-03-2016 10:00,02-03-2016 10:30,1,Agent 2', // 6: nothing changed
  'INC2,Resolved,02-03-2016 10:00,02-03-2016 12:00,2,Agent 2', // 7: response, +120 min
  'INC3,New,03-03-2016 08:00,03-03-2016 07:00,0,?', // 8: creation
  'INC3,Active,03-03-2016 08:00,03-03-2016 07:30,1,Agent 3', // 9: response 30 min before opening
  'INC3,Resolved,03-03-2016 08:00,03-03-2016 09:00,2,Agent 3', // 10
  'INC4,New,04-03-2016 08:00,04-03-2016 08:00,0,?', // 11: creation only
];

describe('first response in an event log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-frt-'));
  const file = join(dir, 'log.csv');
  let db: OwnedCaseDb;
  before(async () => {
    writeFileSync(file, `${LOG.join('\n')}\n`);
    db = await openCaseDb();
  });
  after(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the first later event that changes state or assignee; a negative one is excluded by line', async () => {
    const r = await ingestCases(db, {
      file,
      mapping: resolveMapping({ preset: 'servicenow', format: 'csv' }),
    });
    assert.deepEqual([r.records, r.loaded, r.cases, r.badRows.length], [10, 10, 4, 0]);
    const rows = await db.all<{ id: string; minutes: number | null }>(
      `SELECT id, epoch(first_response_at - opened_at) / 60.0 AS minutes FROM readiness_cases ORDER BY id`,
    );
    assert.deepEqual(
      rows.map((x) => [x.id, x.minutes === null ? null : Number(x.minutes)]),
      [
        ['INC1', 45],
        ['INC2', 120],
        ['INC3', null],
        ['INC4', null],
      ],
    );
    assert.deepEqual(
      r.excluded.map((b) => b.line),
      [9],
    );
    assert.match(r.excluded[0].reason, /INC3 is 30 min before it was opened/);
    // The week's median over the two valid responses.
    const week = (await computeKpis(db)).find((k) => k.week === '2016-02-29' && isOverall(k));
    assert.equal(week?.first_response_median_min, 82.5);
  });

  it('takes the same answers from the JSON form, at the JSON lines', async () => {
    const [head, ...body] = LOG;
    const keys = head.split(',');
    const json = join(dir, 'log.json');
    const records = body.map((line) =>
      JSON.stringify(Object.fromEntries(line.split(',').map((v, i) => [keys[i], v]))),
    );
    writeFileSync(json, `[\n${records.join(',\n')}\n]\n`);
    const r = await ingestCases(db, {
      file: json,
      mapping: resolveMapping({ preset: 'servicenow', format: 'json' }),
    });
    assert.equal(r.cases, 4);
    // Record 8 (INC3's response) starts on line 9 of the JSON file too: '[' is line 1.
    assert.deepEqual(
      r.excluded.map((b) => b.line),
      [9],
    );
  });

  it('is a warning note of the assessment at its line, and counted in the summary', async () => {
    const framework = fileURLToPath(new URL('../../examples/readiness/framework.yaml', import.meta.url));
    const { assessment } = await assessReadiness(framework, {
      root: dir,
      now: new Date('2016-04-04T00:00:00Z'),
      cases: { file, preset: 'servicenow' },
    });
    const notes = assessment.notes.filter((n) => /data error/.test(n.message));
    assert.deepEqual(
      notes.map((n) => [n.line, n.level]),
      [[9, 'warning']],
    );
    assert.ok(assessment.notes.some((n) => /1 first response before the opening excluded/.test(n.message)));
    assert.equal(assessment.errors.length, 0, 'the row loaded: not an input error');
  });
});
