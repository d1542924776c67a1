/**
 * `assess` and `kpis` give the same weekly series: it ends at the export's last event (or at
 * --until), never at the run date, and a week without data is no data, not zero (issue 17).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assessFramework, type CaseFlags } from '../../src/cli/readiness-input.ts';
import { runKpis } from '../../src/cli/readiness-kpis.ts';
import { isOverall } from '../../src/readiness/kpi-dimensions.ts';
import { SERIES_KPIS } from '../../src/readiness/kpi-names.ts';
import type { KpiRow } from '../../src/readiness/kpis.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const framework = join(repo, 'examples/readiness/framework.yaml');
const work = mkdtempSync(join(tmpdir(), 'assay-series-end-'));
after(() => rmSync(work, { recursive: true, force: true }));

// Weeks (Monday): 2016-02-29, 2016-03-07, 2016-03-14 (nothing happens), 2016-03-21.
const FIXTURE = join(work, 'cases.csv');
writeFileSync(
  FIXTURE,
  `${[
    'id,cloud,opened_at,first_response_at,resolved_at,sla_met',
    'A1,c1,2016-03-01 09:00:00,2016-03-01 09:30:00,2016-03-02 09:00:00,true',
    'A2,c1,2016-03-02 10:00:00,2016-03-02 11:00:00,2016-03-09 10:00:00,false',
    'A3,c1,2016-03-08 08:00:00,,,',
    'A4,c1,2016-03-22 08:00:00,2016-03-22 08:15:00,2016-03-23 08:00:00,true',
  ].join('\n')}\n`,
);

/** The weekly rows `assay readiness kpis` writes (all priorities and groups). */
async function kpisCommand(flags: CaseFlags): Promise<KpiRow[]> {
  const output = join(work, 'kpis.json');
  const code = await runKpis({ ...flags, format: 'json', output, save: false });
  assert.equal(code, 0);
  const { kpis } = JSON.parse(readFileSync(output, 'utf8')) as { kpis: KpiRow[] };
  return kpis.filter((r) => r.week !== '*' && isOverall(r));
}

/** Per cloud and KPI, the [week, value] pairs of `assess`'s series and of `kpis`' rows with data. */
async function bothSeries(flags: CaseFlags) {
  const result = await assessFramework(framework, flags, { waivers: [] });
  const assess = result.series
    .map((s) => [s.id, s.data.weekly.map((p) => [p.at, p.value])] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
  const rows = await kpisCommand(flags);
  const clouds = [...new Set(rows.map((r) => r.cloud))];
  const kpis = clouds
    .flatMap((cloud) =>
      SERIES_KPIS.map(
        (kpi) =>
          [
            `${cloud}/${kpi}`,
            rows.filter((r) => r.cloud === cloud && r[kpi] !== null).map((r) => [r.week, r[kpi]]),
          ] as const,
      ),
    )
    .sort((a, b) => a[0].localeCompare(b[0]));
  return { assess, kpis, rows, result };
}

describe('weekly series end', () => {
  it('ends at the last event, not the run date; an empty week is no data; assess equals kpis', async () => {
    const { assess, kpis, rows } = await bothSeries({ cases: FIXTURE, now: '2026-12-05', root: work });
    assert.deepEqual(
      rows.map((r) => [r.week, r.volume, r.backlog]),
      [
        ['2016-02-29', 2, 1],
        ['2016-03-07', 1, 1],
        ['2016-03-14', null, null],
        ['2016-03-21', 1, 1],
      ],
    );
    assert.ok(
      rows.filter((r) => r.week === '2016-03-14').every((r) => SERIES_KPIS.every((k) => r[k] === null)),
      'the empty week has no value for any KPI',
    );
    assert.deepEqual(assess, kpis);
    const backlog = assess.find(([id]) => id === 'c1/backlog')?.[1];
    assert.deepEqual(backlog, [
      ['2016-02-29', 1],
      ['2016-03-07', 1],
      ['2016-03-21', 1],
    ]);
  });

  it('--until ends the series earlier, or later with weeks of no data', async () => {
    const early = await bothSeries({ cases: FIXTURE, now: '2026-12-05', until: '2016-03-09', root: work });
    assert.deepEqual(
      early.rows.map((r) => r.week),
      ['2016-02-29', '2016-03-07'],
    );
    assert.deepEqual(early.assess, early.kpis);
    const late = await bothSeries({ cases: FIXTURE, now: '2026-12-05', until: '2016-04-06', root: work });
    assert.deepEqual(
      late.rows.map((r) => [r.week, r.volume]),
      [
        ['2016-02-29', 2],
        ['2016-03-07', 1],
        ['2016-03-14', null],
        ['2016-03-21', 1],
        ['2016-03-28', null],
        ['2016-04-04', null],
      ],
    );
    assert.deepEqual(late.assess, late.kpis);
  });

  it('gives assess and kpis the same series on the bundled example', async () => {
    const flags = { cases: join(repo, 'examples/readiness/cases.csv'), now: '2025-06-02', root: repo };
    const { assess, kpis } = await bothSeries(flags);
    assert.ok(assess.length >= 2 * SERIES_KPIS.length, 'a series per cloud and KPI');
    // Every KPI the export can give has its weeks; the example has no escalation, CSAT or
    // response due columns, so those series are empty and their checks say why.
    const unavailable = new Set(['escalation_rate', 'csat', 'response_sla_attainment']);
    const given = assess.filter(([id]) => !unavailable.has(id.split('/')[1]));
    const clouds = assess.length / SERIES_KPIS.length;
    assert.equal(given.length, assess.length - clouds * unavailable.size);
    assert.ok(given.every(([, points]) => points.length >= 8));
    assert.ok(
      assess.filter(([id]) => unavailable.has(id.split('/')[1])).every(([, points]) => points.length === 0),
    );
    assert.deepEqual(assess, kpis);
  });

  const SAMPLE = join(repo, '../shared/data/incident-event-log-sample/incident_event_log.csv');
  const present = existsSync(SAMPLE);
  if (!present) console.log(`# skipped: the ServiceNow sample is not at ${SAMPLE}`);
  it('judges the 2016 sample against its own weeks, not weeks padded to the run date', {
    skip: !present,
  }, async () => {
    const flags = { cases: SAMPLE, preset: 'servicenow', now: '2026-12-05', root: repo };
    const { assess, kpis, result } = await bothSeries(flags);
    assert.deepEqual(assess, kpis);
    const weeks = assess.find(([id]) => id === 'default/backlog')?.[1].map(([w]) => w) ?? [];
    assert.ok(weeks.length > 0);
    // The export's latest event is a resolution in the week of 30 January 2017.
    assert.equal(weeks.at(-1), '2017-01-30');
    const failed = result.assessment.findings.filter(
      (f) => f.checkId === 'RDY-KPI-BACKLOG' && f.status === 'fail',
    );
    // Padded to the run date, the series was mostly zeros and ~19 real weeks stood out against
    // a centre of 0. Now what is flagged is judged against the data's own weeks.
    assert.ok(failed.length < 10, `${failed.length} backlog anomalies`);
    for (const f of failed) {
      assert.doesNotMatch(f.message, /\(centre 0;/);
      const week = /week of (\d{4}-\d{2}-\d{2})/.exec(f.message)?.[1];
      assert.ok(week && weeks.includes(week), f.message);
    }
  });
});
