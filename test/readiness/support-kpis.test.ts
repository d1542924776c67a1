/**
 * The support KPIs of issue 17 item 6 on small exports with answers worked out by hand: mean
 * beside median and P90 times, response and resolution SLA, backlog age buckets, first-contact
 * resolution, escalation, CSAT, the category / CI / channel breakdowns, and each KPI reported
 * unavailable, naming the missing column, when the export cannot give it (never 0).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type OwnedCaseDb, openCaseDb } from '../../src/readiness/db.ts';
import { ingestCases } from '../../src/readiness/ingest.ts';
import { availableDimensions, kpiAvailability } from '../../src/readiness/kpi-availability.ts';
import { isOverall } from '../../src/readiness/kpi-dimensions.ts';
import { computeKpis, type KpiRow, windowKpis } from '../../src/readiness/kpis.ts';
import { resolveMapping } from '../../src/readiness/mapping.ts';
import { runCli } from '../helpers/cli.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-support-kpis-'));
after(() => rmSync(work, { recursive: true, force: true }));

/*
 * Weeks (Monday): 2023-12-04 (C5 opened), three weeks without data, 2024-01-01, 2024-01-08.
 * Each week's backlog is taken at its end, the next Monday 00:00.
 *
 * id  opened            first response (min)  resolved (h)        response due   fcr  reopen reassign escal csat
 * C1  01-01 00:00       00:30 (30)            01-01 10:00 (10)    01:00 met      true   0    0        0    5
 * C2  01-02 00:00       02:00 (120)           01-03 02:00 (26)    01:00 missed   false  1    0        1    bad
 * C3  01-03 00:00       00:15 (15)            01-09 00:00 (144)   01:00 met      -      0    2        0    offered
 * C4  01-05 00:00       -                     open                01-05 01:00 -  -      -    -        -    -
 * C5  2023-12-04 12:00  13:00 (60)            open                14:00 met      -      -    -        -    -
 * C6  01-06 12:00       -                     open                -              -      -    -        -    -
 * C7  01-02 12:00       12:10 (10)            01-02 13:00 (1)     12:30 met      -      0    1        0    4
 */
const FULL = join(work, 'full.csv');
writeFileSync(
  FULL,
  `${[
    'id,cloud,priority,assignment_group,category,ci,channel,opened_at,first_response_at,resolved_at,response_due_at,reopen_count,reassignment_count,first_contact_resolved,escalation,csat',
    'C1,c1,P1,G1,Network,VM1,Phone,2024-01-01 00:00:00,2024-01-01 00:30:00,2024-01-01 10:00:00,2024-01-01 01:00:00,0,0,true,0,5',
    'C2,c1,P2,G1,Network,VM2,Email,2024-01-02 00:00:00,2024-01-02 02:00:00,2024-01-03 02:00:00,2024-01-02 01:00:00,1,0,false,1,bad',
    'C3,c1,P1,G2,Storage,VM1,Phone,2024-01-03 00:00:00,2024-01-03 00:15:00,2024-01-09 00:00:00,2024-01-03 01:00:00,0,2,,0,offered',
    'C4,c1,P2,G2,Storage,,Web,2024-01-05 00:00:00,,,2024-01-05 01:00:00,,,,,',
    'C5,c1,P1,G1,Network,VM1,Phone,2023-12-04 12:00:00,2023-12-04 13:00:00,,2023-12-04 14:00:00,,,,,',
    'C6,c1,P2,G2,Storage,VM2,Web,2024-01-06 12:00:00,,,,,,,,',
    'C7,c1,P2,G2,Network,VM2,Web,2024-01-02 12:00:00,2024-01-02 12:10:00,2024-01-02 13:00:00,2024-01-02 12:30:00,0,1,,0,4',
  ].join('\n')}\n`,
);

/*
 * The same kind of export without CSAT, escalation, first-contact, category, CI, channel or
 * response due columns: response SLA comes from the mapping's targets (P1 30 min, P2 60 min),
 * first-contact resolution from the reassignment and reopen counts.
 *
 * D1 P1 response 20 min (met), done, reassign 0 reopen 0 (first contact)
 * D2 P2 response 90 min (missed), done, reassign 1 reopen 0
 * D3 P3 response 10 min (no target: no verdict), done, reassign 0 reopen 1
 */
const BARE = join(work, 'bare.csv');
writeFileSync(
  BARE,
  `${[
    'id,cloud,priority,opened_at,first_response_at,resolved_at,reopen_count,reassignment_count',
    'D1,c1,P1,2024-01-01 00:00:00,2024-01-01 00:20:00,2024-01-01 05:00:00,0,0',
    'D2,c1,P2,2024-01-01 00:00:00,2024-01-01 01:30:00,2024-01-01 06:00:00,0,1',
    'D3,c1,P3,2024-01-01 00:00:00,2024-01-01 00:10:00,2024-01-01 07:00:00,1,0',
  ].join('\n')}\n`,
);
const TARGETS = join(work, 'targets.yaml');
writeFileSync(TARGETS, 'preset: generic\nresponseTargetsMinutes:\n  p1: 30\n  p2: 60\n');

const AS_OF = new Date('2024-01-15T00:00:00Z');

const close = (actual: number | null, expected: number, what: string) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} != ${expected}`);

describe('support KPIs on a small export with hand-computed answers', () => {
  let db: OwnedCaseDb;
  let kpis: KpiRow[];
  const mapping = resolveMapping({ preset: 'generic', format: 'csv' });
  before(async () => {
    db = await openCaseDb();
    const ingest = await ingestCases(db, { file: FULL, mapping });
    assert.equal(ingest.cases, 7);
    const availability = kpiAvailability(mapping, ingest.bound);
    kpis = await computeKpis(db, { asOf: AS_OF, dimensions: availableDimensions(availability) });
  });
  after(() => db.close());
  const week = (w: string) => kpis.find((r) => r.week === w && isOverall(r)) as KpiRow;

  it('gives the mean as well as the median and P90 first response and time to resolve', () => {
    const w = week('2024-01-01');
    // First responses of the cases opened that week: 10, 15, 30, 120 minutes.
    close(w.first_response_median_min, 22.5, 'median first response');
    close(w.first_response_p90_min, 93, 'P90 first response: 30 + 0.7 x 90');
    close(w.first_response_mean_min, 43.75, 'mean first response: 175 / 4');
    // Resolved that week after 1, 10 and 26 hours.
    close(w.resolve_median_h, 10, 'median time to resolve');
    close(w.resolve_p90_h, 22.8, 'P90 time to resolve: 10 + 0.8 x 16');
    close(w.resolve_mean_h, 37 / 3, 'mean time to resolve');
    close(week('2024-01-08').resolve_mean_h, 144, 'C3 alone');
  });

  it('keeps response and resolution SLA apart', () => {
    const w = week('2024-01-01');
    // C1, C3, C7 in time, C2 late; C4 and C6 have no first response, so no verdict.
    assert.deepEqual([w.response_met, w.response_total], [3, 4]);
    close(w.response_sla_attainment, 0.75, 'response SLA');
    assert.deepEqual([week('2023-12-04').response_met, week('2023-12-04').response_total], [1, 1]);
    // No resolution SLA column, due time or targets: no verdict at all, so null, not 0%.
    assert.equal(w.sla_total, 0);
    assert.equal(w.sla_attainment, null);
  });

  it('buckets the backlog by age at each week end', () => {
    const bucket = (r: KpiRow) => [
      r.backlog,
      r.backlog_0_2d,
      r.backlog_3_7d,
      r.backlog_8_30d,
      r.backlog_over_30d,
    ];
    // End of 2023-12-04's week: C5, 6.5 days old.
    assert.deepEqual(bucket(week('2023-12-04')), [1, 0, 1, 0, 0]);
    // A week without data has no buckets either.
    assert.deepEqual(bucket(week('2023-12-11')), [null, null, null, null, null]);
    // 2024-01-08 00:00: C6 1.5 d, C3 5 d, C4 exactly 3 d (3-7, not 0-2), C5 34.5 d.
    assert.deepEqual(bucket(week('2024-01-01')), [4, 1, 2, 0, 1]);
    // 2024-01-15 00:00: C3 resolved on the 9th; C6 8.5 d and C4 10 d, C5 41.5 d.
    assert.deepEqual(bucket(week('2024-01-08')), [3, 0, 0, 2, 1]);
    // Over the whole export, the backlog is taken at the run date (2024-01-15).
    assert.deepEqual(bucket(kpis.find((r) => r.week === '*' && isOverall(r)) as KpiRow), [3, 0, 0, 2, 1]);
  });

  it('measures first-contact resolution, escalation and CSAT over the cases done in the week', () => {
    const w = week('2024-01-01');
    // C1 said so; C2 said not; C7 has no verdict of its own and was reassigned once.
    assert.deepEqual([w.fcr_resolved, w.fcr_base], [1, 3]);
    close(w.fcr_rate, 1 / 3, 'FCR');
    // C2 was escalated (level 1) of C1, C2, C7.
    assert.deepEqual([w.escalated_n, w.escalation_base], [1, 3]);
    close(w.escalation_rate, 1 / 3, 'escalation');
    // 5 and 4 are satisfied (at or above 4), "bad" is not.
    assert.deepEqual([w.csat_satisfied_n, w.csat_responses], [2, 3]);
    close(w.csat, 2 / 3, 'CSAT');
    const next = week('2024-01-08');
    // C3: no verdict of its own, reassigned twice; a survey offered and not answered is no answer.
    assert.deepEqual([next.fcr_resolved, next.fcr_base, next.fcr_rate], [0, 1, 0]);
    assert.deepEqual([next.csat_responses, next.csat], [0, null]);
  });

  it('breaks every KPI down by category, configuration item and channel', () => {
    const by = (col: 'category' | 'ci' | 'channel', value: string) =>
      kpis.find(
        (r) => r.week === '2024-01-01' && r[col] === value && r.priority === '*' && r.group === '*',
      ) as KpiRow;
    assert.equal(by('category', 'Network').volume, 3);
    assert.equal(by('category', 'Storage').volume, 3);
    close(by('category', 'Network').resolve_mean_h, 37 / 3, 'Network resolve mean');
    close(by('category', 'Network').csat, 2 / 3, 'Network CSAT');
    assert.equal(by('ci', '(none)').volume, 1, 'C4 has no CI');
    assert.equal(by('channel', 'Web').volume, 3);
    close(by('channel', 'Phone').response_sla_attainment, 1, 'C1 and C3 in time');
    // The breakdowns are not crossed with each other or with priority.
    assert.ok(!kpis.some((r) => r.category !== '*' && (r.ci !== '*' || r.priority !== '*')));
    // And over the whole export.
    const total = kpis.find((r) => r.week === '*' && r.category === 'Storage') as KpiRow;
    assert.equal(total.volume, 3);
    assert.equal(total.backlog, 2, 'C4 and C6 open at the run date');
  });

  it('pools the new KPIs over a window for kpi rules', async () => {
    const w = await windowKpis(db, { cloud: 'c1', from: new Date('2024-01-01T00:00:00Z'), to: AS_OF });
    close(w.fcr_rate, 1 / 4, 'FCR over C1, C2, C3, C7');
    close(w.escalation_rate, 1 / 4, 'escalation');
    close(w.csat, 2 / 3, 'CSAT');
    close(w.response_sla_attainment, 0.75, 'response SLA');
    close(w.resolve_mean_h, (1 + 10 + 26 + 144) / 4, 'mean time to resolve');
    assert.deepEqual([w.backlog, w.backlog_8_30d, w.backlog_over_30d], [3, 2, 1]);
  });
});

describe('a KPI the export cannot give is unavailable, with the missing column', () => {
  let db: OwnedCaseDb;
  after(() => db?.close());

  it('names the columns, leaves the values null and adds no breakdown', async () => {
    db = await openCaseDb();
    const mapping = resolveMapping({ mappingFile: TARGETS, format: 'csv' });
    const ingest = await ingestCases(db, { file: BARE, mapping });
    const a = kpiAvailability(mapping, ingest.bound);
    assert.deepEqual(a.kpis.csat, { available: false, reason: "no column 'csat' (csat)" });
    assert.deepEqual(a.kpis.escalation_rate, {
      available: false,
      reason: "no column 'escalation' (escalation)",
    });
    assert.equal(a.dimensions.category.available, false);
    assert.match((a.dimensions.ci as { reason: string }).reason, /no column 'ci' \(ci\)/);
    assert.deepEqual(a.kpis.fcr_rate, {
      available: true,
      basis: 'no reassignment and no reopen (reassignment and reopen counts)',
    });
    assert.deepEqual(a.kpis.response_sla_attainment, {
      available: true,
      basis: 'responseTargetsMinutes by priority against the first response',
    });
    assert.equal(a.kpis.sla_attainment.available, false);

    const kpis = await computeKpis(db, { dimensions: availableDimensions(a) });
    const w = kpis.find((r) => r.week === '2024-01-01' && isOverall(r)) as KpiRow;
    assert.deepEqual([w.csat, w.csat_responses, w.escalation_rate, w.escalation_base], [null, 0, null, 0]);
    // D1 in time, D2 late, D3's priority has no target.
    assert.deepEqual([w.response_met, w.response_total], [1, 2]);
    // D1 only: D2 was reassigned, D3 reopened.
    assert.deepEqual([w.fcr_resolved, w.fcr_base], [1, 3]);
    assert.ok(kpis.every((r) => r.category === '*' && r.ci === '*' && r.channel === '*'));
  });

  it('says so in `assay readiness kpis`', async () => {
    const r = await runCli(['readiness', 'kpis', '--cases', BARE, '--no-save'], { env: { NO_COLOR: '1' } });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /unavailable: csat: no column 'csat' \(csat\)/);
    assert.match(r.out, /unavailable: escalation_rate: no column 'escalation' \(escalation\)/);
    assert.match(r.out, /no breakdown by category: no column 'category' \(category\)/);
    assert.match(r.out, /fcr +escal +csat/);
    const json = await runCli(['readiness', 'kpis', '--cases', BARE, '--no-save', '-f', 'json'], {
      env: { NO_COLOR: '1' },
    });
    const parsed = JSON.parse(json.out) as { availability: { kpis: Record<string, { available: boolean }> } };
    assert.equal(parsed.availability.kpis.csat.available, false);
    assert.equal(parsed.availability.kpis.fcr_rate.available, true);
  });
});

describe('the new KPIs in `assay readiness assess`', () => {
  it('runs their anomaly checks, and says which ones the export cannot give', async () => {
    const repo = new URL('../../', import.meta.url).pathname;
    const r = await runCli(
      [
        'readiness',
        'assess',
        join(repo, 'examples/readiness/framework.yaml'),
        '--cases',
        join(repo, 'examples/readiness/cases.csv'),
        '--now',
        '2025-06-02',
        '--no-save',
        '-f',
        'json',
      ],
      { env: { NO_COLOR: '1' } },
    );
    const a = JSON.parse(r.out) as {
      findings: { checkId: string; status: string; message: string }[];
      notes: { level: string; message: string }[];
    };
    const of = (id: string) => a.findings.filter((f) => f.checkId === id);
    // A weekly series of 26 weeks per cloud: robust z and, being a rate, the EWMA chart.
    assert.deepEqual(
      of('RDY-KPI-FCR-RATE').map((f) => f.message.replace(/ over .*/, '')),
      ['de-partner', 'fr-partner', 'sg-gcc'].flatMap((c) =>
        ['robust-z', 'ewma'].map((m) => `${c} first-contact resolution rate: no anomaly by ${m}`),
      ),
    );
    assert.ok(
      of('RDY-KPI-RESOLVE-MEAN-H').some(
        (f) =>
          f.status === 'fail' &&
          /^de-partner mean time to resolve \(hours\) in the week of 2025-05-26/.test(f.message),
      ),
    );
    // CSAT: no column, so unknown with the reason, never a pass on an empty series.
    assert.deepEqual(
      of('RDY-KPI-CSAT').map((f) => [f.status, f.message]),
      ['de-partner', 'fr-partner', 'sg-gcc'].map((c) => [
        'unknown',
        `${c} CSAT (share satisfied): unavailable: no column 'csat' (csat)`,
      ]),
    );
    assert.ok(
      a.notes.some(
        (n) => n.message === "KPI csat (CSAT (share satisfied)) unavailable: no column 'csat' (csat)",
      ),
    );
    // The age buckets are for kpi rules, not anomaly series.
    assert.equal(of('RDY-KPI-BACKLOG-OVER-30D').length, 0);
  });
});
