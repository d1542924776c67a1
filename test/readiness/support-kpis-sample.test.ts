/**
 * The new support KPIs on the real ServiceNow event-log sample (../shared/data), checked against
 * figures computed straight from the file without DuckDB: mean time to resolve, first-contact
 * resolution and the per-category volume; and the KPIs the sample cannot give are unavailable,
 * naming the column. Skips, saying why, when the sample is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type OwnedCaseDb, openCaseDb } from '../../src/readiness/db.ts';
import { ingestCases } from '../../src/readiness/ingest.ts';
import {
  availableDimensions,
  type KpiAvailability,
  kpiAvailability,
} from '../../src/readiness/kpi-availability.ts';
import { isOverall } from '../../src/readiness/kpi-dimensions.ts';
import { computeKpis, type KpiRow } from '../../src/readiness/kpis.ts';
import { resolveMapping } from '../../src/readiness/mapping.ts';

const SAMPLE = new URL(
  '../../../shared/data/incident-event-log-sample/incident_event_log.csv',
  import.meta.url,
).pathname;
const present = existsSync(SAMPLE);
if (!present) console.log(`# skipped: the ServiceNow sample is not at ${SAMPLE}`);

/** `dd-mm-YYYY HH:MM` in ms; NaN for `?`. */
function ms(s: string): number {
  const m = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2})$/.exec(s);
  return m ? Date.UTC(+m[3], +m[2] - 1, +m[1], +m[4], +m[5]) : Number.NaN;
}

/** Each incident's last event (update time, then modification count, then file order), computed by hand. */
function independent(text: string) {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const cols = head.split(',');
  const at = (name: string) => cols.indexOf(name);
  const last = new Map<string, { row: string[]; key: number[] }>();
  lines.forEach((line, i) => {
    const row = line.split(','); // the sample has no quoted fields
    const updated = ms(row[at('sys_updated_at')]);
    const key = [
      Number.isNaN(updated) ? Number.NEGATIVE_INFINITY : updated,
      Number(row[at('sys_mod_count')]),
      i,
    ];
    const prev = last.get(row[at('number')]);
    const later = !prev || key.map((k, j) => k - prev.key[j]).find((d) => d !== 0)! > 0;
    if (later) last.set(row[at('number')], { row, key });
  });
  let hours = 0;
  let done = 0;
  let fcr = 0;
  const byCategory = new Map<string, number>();
  for (const { row } of last.values()) {
    const category = row[at('category')] === '?' ? '(none)' : row[at('category')];
    byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
    const resolved = ms(row[at('resolved_at')]);
    const end = Number.isNaN(resolved) ? ms(row[at('closed_at')]) : resolved;
    if (Number.isNaN(end)) continue;
    done++;
    hours += (end - ms(row[at('opened_at')])) / 3_600_000;
    if (Number(row[at('reassignment_count')]) === 0 && Number(row[at('reopen_count')]) === 0) fcr++;
  }
  return { resolveMean: hours / done, fcr: fcr / done, byCategory };
}

describe('support KPIs on the ServiceNow event-log sample', { skip: !present }, () => {
  let db: OwnedCaseDb;
  let kpis: KpiRow[];
  let availability: KpiAvailability;
  before(async () => {
    db = await openCaseDb();
    const mapping = resolveMapping({ preset: 'servicenow', format: 'csv' });
    const ingest = await ingestCases(db, { file: SAMPLE, mapping });
    availability = kpiAvailability(mapping, ingest.bound);
    kpis = await computeKpis(db, { dimensions: availableDimensions(availability) });
  });
  after(() => db?.close());

  it('matches the mean time to resolve and first-contact resolution computed from the file', () => {
    const expected = independent(readFileSync(SAMPLE, 'utf8'));
    const total = kpis.find((r) => r.week === '*' && isOverall(r)) as KpiRow;
    assert.ok(total.resolve_mean_h !== null);
    assert.ok(Math.abs(total.resolve_mean_h - expected.resolveMean) < 1e-9, `${total.resolve_mean_h}`);
    assert.ok(total.fcr_rate !== null);
    assert.ok(Math.abs(total.fcr_rate - expected.fcr) < 1e-12, `${total.fcr_rate} vs ${expected.fcr}`);
    // Each category's incidents, over the whole export.
    const categories = kpis.filter((r) => r.week === '*' && r.category !== '*');
    assert.equal(categories.length, expected.byCategory.size);
    for (const r of categories) assert.equal(r.volume, expected.byCategory.get(r.category), r.category);
  });

  it('breaks down by category, configuration item and channel, and names what the sample lacks', () => {
    assert.deepEqual(availableDimensions(availability), ['category', 'ci', 'channel']);
    assert.ok(kpis.some((r) => r.channel === 'Phone'));
    assert.deepEqual(availability.kpis.escalation_rate, {
      available: false,
      reason: "no column 'escalation' (escalation)",
    });
    assert.deepEqual(availability.kpis.csat, { available: false, reason: 'no column is mapped to csat' });
    assert.equal(availability.kpis.response_sla_attainment.available, false);
    const total = kpis.find((r) => r.week === '*' && isOverall(r)) as KpiRow;
    assert.deepEqual([total.csat, total.escalation_rate, total.response_sla_attainment], [null, null, null]);
  });
});
