/**
 * The readiness source end to end: load the framework, ingest the case export into DuckDB,
 * compute KPIs, measure evidence, build subjects, evaluate the checks, apply waivers and
 * assemble the assessment, plus what the brief needs (levels, KPIs, risks).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { buildAssessment } from '../core/assessment.ts';
import { evaluate } from '../core/evaluate.ts';
import type { Assessment, Check, InputError, InputNote, Subject } from '../core/model.ts';
import { runScope } from '../core/run-scope.ts';
import { type Waiver, waiverStage } from '../core/waivers.ts';
import type { Point } from './anomaly.ts';
import { READINESS_CONTROL_IDS } from './catalog.ts';
import {
  CRITERION_KIND,
  type CriterionSubject,
  criterionChecks,
  kpiChecks,
  SERIES_KIND,
  type SeriesSubject,
} from './checks.ts';
import { type CaseDb, type CaseStore, type OwnedCaseDb, openCaseDb } from './db.ts';
import { type Dataset, loadDatasets, resolveEvidence } from './evidence.ts';
import { type Framework, loadFramework } from './framework.ts';
import { formatOf, type IngestReport, ingestCases, ingestCasesToStore } from './ingest.ts';
import {
  availableDimensions,
  type KpiAvailability,
  kpiAvailability,
  unavailableKpis,
} from './kpi-availability.ts';
import { isOverall } from './kpi-dimensions.ts';
import { KPI_LABELS, type KpiName, SERIES_KPIS } from './kpi-names.ts';
import { computeKpis, dailyVolume, type KpiRow } from './kpis.ts';
import { type CloudLevel, computeLevels } from './levels.ts';
import { type PresetName, resolveMapping } from './mapping.ts';
import { buildRiskRegister, type Risk } from './risks.ts';

export const READINESS_DOMAIN = 'readiness';
/** Denominator of each rate KPI, for the EWMA p-chart. */
const RATE_BASE: Partial<Record<KpiName, keyof KpiRow>> = {
  sla_attainment: 'sla_total',
  response_sla_attainment: 'response_total',
  reopen_rate: 'reopen_base',
  reassignment_rate: 'reassign_base',
  fcr_rate: 'fcr_base',
  escalation_rate: 'escalation_base',
  csat: 'csat_responses',
};
/** Bad rows listed one by one as input errors; beyond this a note gives the total. */
const MAX_LISTED_BAD_ROWS = 1000;

export interface CasesInput {
  file: string;
  preset?: PresetName;
  mappingFile?: string;
  /** Cloud of cases whose export names none. */
  cloud?: string;
  /** Text encoding of the export (`--encoding`); detected when absent. */
  encoding?: string;
}

export interface ReadinessOptions {
  /** Folder that reported paths are relative to (default: cwd). */
  root?: string;
  /** The run date: stale attestations and KPI windows are judged against it. */
  now: Date;
  /**
   * Where the weekly series end (`--until`): its week is the last. Default: the week of the
   * export's latest event (never the run date: weeks past the data are not zeros).
   */
  until?: Date;
  cases?: CasesInput;
  /**
   * The project store to keep the cases in (READINESS_MIGRATIONS applied), replacing those of
   * the same source; KPIs are then computed there. Default: a private in-memory DuckDB.
   */
  store?: CaseStore;
  waivers?: readonly Waiver[];
  /** Narrows the checks that run (`--checks`, `--skip-checks`); levels are held on what ran. */
  selectChecks?: <C extends Check<Subject, unknown>>(checks: C[]) => C[];
}

export interface ReadinessResult {
  assessment: Assessment;
  framework: Framework;
  levels: CloudLevel[];
  risks: Risk[];
  kpis: KpiRow[];
  /** Which KPIs and breakdowns the case export can give (absent without cases). */
  availability?: KpiAvailability;
  /** The weekly (and daily) series the anomaly checks ran on, one per cloud and KPI. */
  series: SeriesSubject[];
  ingest?: IngestReport;
  today: string;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Where cases are loaded: a private database (its case table replaced) or the project store. */
export type CaseTarget = { db: CaseDb } | { store: CaseStore };

/** `, N lines unread` when an unterminated quote left lines out, else nothing. */
export function unreadLines(ingest: IngestReport): string {
  const n = ingest.unread.reduce((sum, u) => sum + u.endLine - u.line + 1, 0);
  return n === 0 ? '' : `, ${n} line${n === 1 ? '' : 's'} unread`;
}

/** `, N first responses excluded` when values were left out as data errors, else nothing. */
export function excludedValues(ingest: IngestReport): string {
  const n = ingest.excluded.length;
  return n === 0 ? '' : `, ${n} first response${n === 1 ? '' : 's'} before the opening excluded`;
}

/** Loads a case export and computes its KPIs; used by `assay readiness kpis` and by assess. */
export async function loadCases(
  target: CaseTarget,
  cases: CasesInput,
  root: string,
  window: { asOf?: Date; until?: Date } = {},
): Promise<{ ingest: IngestReport; kpis: KpiRow[]; availability: KpiAvailability }> {
  const mapping = resolveMapping({
    ...(cases.preset ? { preset: cases.preset } : {}),
    ...(cases.mappingFile ? { mappingFile: cases.mappingFile } : {}),
    format: formatOf(cases.file),
  });
  const options = {
    file: resolve(cases.file),
    displayFile: display(root, cases.file),
    mapping,
    ...(cases.cloud ? { cloud: cases.cloud } : {}),
    ...(cases.encoding ? { encoding: cases.encoding } : {}),
  };
  const ingest =
    'store' in target
      ? await ingestCasesToStore(target.store, options)
      : await ingestCases(target.db, options);
  const db = 'store' in target ? target.store : target.db;
  const availability = kpiAvailability(mapping, ingest.bound);
  const kpis = await computeKpis(db, {
    ...(window.asOf ? { asOf: window.asOf } : {}),
    ...(window.until ? { until: window.until } : {}),
    ...(ingest.source !== undefined ? { source: ingest.source } : {}),
    dimensions: availableDimensions(availability),
  });
  return { ingest, kpis, availability };
}

function display(root: string, file: string): string {
  const rel = relative(root, resolve(file)).split('\\').join('/');
  return rel.startsWith('..') ? resolve(file) : rel;
}

function mondayOf(d: Date): string {
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day))
    .toISOString()
    .slice(0, 10);
}

export async function assessReadiness(
  frameworkPath: string,
  options: ReadinessOptions,
): Promise<ReadinessResult> {
  const startedAt = new Date();
  const root = resolve(options.root ?? process.cwd());
  const today = options.now.toISOString().slice(0, 10);
  const framework = loadFramework(frameworkPath, display(root, frameworkPath), READINESS_CONTROL_IDS);
  const inputs: Assessment['inputs'] = [
    { file: framework.file, kind: 'readiness-framework', sha256: sha256(frameworkPath) },
  ];
  const errors: InputError[] = [];
  const notes: InputNote[] = [];

  const datasets = loadDatasets(framework);
  for (const ds of datasets.values()) addDataset(ds, framework, root, inputs, notes);

  let owned: OwnedCaseDb | undefined;
  let db: CaseDb | undefined = options.store;
  let ingest: IngestReport | undefined;
  let kpis: KpiRow[] = [];
  let availability: KpiAvailability | undefined;
  let daily = new Map<string, { day: string; volume: number }[]>();
  try {
    if (options.cases) {
      if (!db) {
        owned = await openCaseDb();
        db = owned;
      }
      const target: CaseTarget = options.store ? { store: options.store } : { db };
      const loaded = await loadCases(target, options.cases, root, {
        asOf: options.now,
        ...(options.until ? { until: options.until } : {}),
      });
      ingest = loaded.ingest;
      kpis = loaded.kpis;
      availability = loaded.availability;
      for (const u of unavailableKpis(availability))
        notes.push({
          file: ingest.file,
          level: 'info',
          message: `KPI ${u.kpi} (${KPI_LABELS[u.kpi]}) unavailable: ${u.reason}`,
        });
      daily = await dailyVolume(db, ingest.source);
      inputs.push({ file: ingest.file, kind: `cases-${ingest.preset}`, sha256: sha256(options.cases.file) });
      for (const u of ingest.unread)
        errors.push({ file: ingest.file, line: u.quoteLine, code: 'unterminated-quote', message: u.reason });
      if (ingest.encodingNote)
        notes.push({ file: ingest.file, level: 'warning', message: ingest.encodingNote });
      for (const b of ingest.badRows.slice(0, MAX_LISTED_BAD_ROWS))
        errors.push({ file: ingest.file, line: b.line, code: 'bad-row', message: b.reason });
      if (ingest.badRows.length > MAX_LISTED_BAD_ROWS)
        notes.push({
          file: ingest.file,
          level: 'warning',
          message: `${ingest.badRows.length} bad rows in all; the first ${MAX_LISTED_BAD_ROWS} are listed`,
        });
      for (const b of ingest.excluded.slice(0, MAX_LISTED_BAD_ROWS))
        notes.push({ file: ingest.file, line: b.line, level: 'warning', message: `data error: ${b.reason}` });
      notes.push({
        file: ingest.file,
        level: 'info',
        message: `${ingest.records} records read, ${ingest.loaded} loaded, ${ingest.badRows.length} bad${unreadLines(ingest)}${excludedValues(ingest)}; ${ingest.cases} cases${ingest.eventLog ? ' (event log: last event per case)' : ''}`,
      });
      if (ingest.unbound.length > 0)
        notes.push({
          file: ingest.file,
          level: 'info',
          message: `no column for: ${ingest.unbound.join(', ')}`,
        });
    }

    // Subjects: one per cloud and criterion.
    const levelNames = new Map(framework.spec.levels.map((l) => [l.level, l.name]));
    const ctx = {
      framework,
      datasets,
      now: options.now,
      ...(db && options.cases ? { db } : {}),
      ...(ingest?.source !== undefined ? { source: ingest.source } : {}),
    };
    const criterionSubjects: CriterionSubject[] = [];
    for (const cloud of framework.spec.clouds) {
      for (const criterion of framework.spec.criteria) {
        const evidence = await resolveEvidence(cloud, criterion, ctx);
        criterionSubjects.push({
          kind: CRITERION_KIND,
          id: `${cloud.id}/${criterion.id}`,
          name: `${cloud.name}: ${criterion.title}`,
          type: criterion.id,
          location: evidence.location,
          data: { cloud, criterion, levelName: levelNames.get(criterion.level) ?? '', evidence, today },
        });
      }
    }

    // Subjects: one per cloud and KPI, over complete weeks before the run date, up to the
    // series end (the data's last week or --until). A week without data is left out.
    const seriesSubjects: SeriesSubject[] = [];
    if (ingest) {
      const currentWeek = mondayOf(options.now);
      const weekly = kpis.filter((r) => r.week !== '*' && isOverall(r) && r.week < currentWeek);
      const clouds = [...new Set(weekly.map((r) => r.cloud))].sort();
      for (const cloud of clouds) {
        const rows = weekly.filter((r) => r.cloud === cloud);
        const withData = new Set(rows.filter((r) => r.volume !== null).map((r) => r.week));
        for (const kpi of SERIES_KPIS) {
          const base = RATE_BASE[kpi];
          const a = availability?.kpis[kpi];
          const unavailable = a && !a.available ? a.reason : undefined;
          const points: Point[] = rows.flatMap((r) =>
            r[kpi] === null
              ? []
              : [{ at: r.week, value: r[kpi] as number, ...(base ? { n: r[base] as number } : {}) }],
          );
          const today0 = options.now.toISOString().slice(0, 10);
          const days =
            kpi === 'volume'
              ? (daily.get(cloud) ?? [])
                  .filter((d) => d.day < today0 && withData.has(mondayOf(new Date(`${d.day}T00:00:00Z`))))
                  .map((d) => ({ at: d.day, value: d.volume }))
              : undefined;
          seriesSubjects.push({
            kind: SERIES_KIND,
            id: `${cloud}/${kpi}`,
            name: `${cloud}: weekly ${kpi}`,
            type: kpi,
            location: { file: ingest.file, line: 1, column: 1 },
            data: {
              cloud,
              kpi,
              weekly: points,
              ...(days ? { daily: days } : {}),
              ...(unavailable ? { unavailable } : {}),
            },
          });
        }
      }
    }

    const all = [...criterionChecks(framework), ...kpiChecks()] as Check<Subject, unknown>[];
    const checks = options.selectChecks ? options.selectChecks(all) : all;
    const subjects: Subject[] = [...criterionSubjects, ...seriesSubjects];
    const waived = waiverStage(evaluate(subjects, checks, undefined), options.waivers ?? [], today);
    const assessment = buildAssessment({
      domain: READINESS_DOMAIN,
      root,
      startedAt,
      inputs,
      checks: [...checks.map((c) => c.meta), ...waived.checks],
      subjects,
      findings: waived.findings,
      errors,
      notes: [...notes, ...waived.notes],
    });
    if (waived.expired.length > 0) assessment.expiredWaivers = waived.expired;
    // One framework is one series, whichever export fed it this time.
    assessment.scope = runScope('readiness', [framework.file]);
    const levels = computeLevels(framework, assessment.findings);
    const risks = buildRiskRegister(framework, assessment.findings, today);
    return {
      assessment,
      framework,
      levels,
      risks,
      kpis,
      ...(availability ? { availability } : {}),
      series: seriesSubjects,
      ...(ingest ? { ingest } : {}),
      today,
    };
  } finally {
    await owned?.close();
  }
}

function addDataset(
  ds: Dataset,
  framework: Framework,
  root: string,
  inputs: Assessment['inputs'],
  notes: InputNote[],
): void {
  const file = display(root, resolve(framework.dir, ds.file));
  if (ds.sha256) inputs.push({ file, kind: `readiness-data-${ds.name}`, sha256: ds.sha256 });
  if (ds.error)
    notes.push({
      file,
      level: 'warning',
      message: `data set '${ds.name}': ${ds.error}; rules over it are unknown`,
    });
}
