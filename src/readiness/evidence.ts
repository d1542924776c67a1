/**
 * Evidence per cloud and criterion. Measuring (reading data sets, looking for files, running
 * KPI SQL) happens here, before the checks run; the checks then decide pass, fail or unknown
 * from the measurement alone, so they stay pure.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { yaml } from '../core/lazy-yaml.ts';
import type { SourceLocation } from '../core/model.ts';
import { decodeBytes } from '../core/text-encoding.ts';
import { parseCsv } from './csv.ts';
import type { CaseDb } from './db.ts';
import type { Attestation, CloudDef, CriterionDef, Framework, Rule } from './framework.ts';
import { KPI_LABELS } from './kpi-names.ts';
import { windowKpis } from './kpis.ts';

export type Row = Record<string, unknown>;

export interface Dataset {
  name: string;
  file: string;
  cloudColumn: string;
  rows: Row[];
  sha256?: string;
  /** Why the data set could not be read; rules over it are then unknown. */
  error?: string;
}

/** What a rule measured: a value to compare with min/max, or why there is none. */
export interface Measurement {
  value: number | null;
  /** Human description of what was measured, e.g. "cleared on-call engineers". */
  what: string;
  unknownReason?: string;
  /** For files rules: the paths that do not exist. */
  missing?: string[];
  /** For files rules: how many paths were expected. */
  expected?: number;
  detail?: Record<string, unknown>;
}

export type ResolvedEvidence =
  | { kind: 'attestation'; attestation: Attestation; location: SourceLocation }
  | {
      kind: 'rule';
      rule: Rule;
      from: 'criterion' | 'cloud';
      location: SourceLocation;
      measurement: Measurement;
    }
  | { kind: 'none'; location: SourceLocation };

export interface CriterionSubjectData {
  cloud: CloudDef;
  criterion: CriterionDef;
  levelName: string;
  evidence: ResolvedEvidence;
  /** The run date, YYYY-MM-DD. */
  today: string;
}

export function loadDatasets(framework: Framework): Map<string, Dataset> {
  const out = new Map<string, Dataset>();
  for (const [name, def] of Object.entries(framework.spec.data)) {
    const full = resolve(framework.dir, def.file);
    const ds: Dataset = { name, file: def.file, cloudColumn: def.cloudColumn, rows: [] };
    try {
      const buf = readFileSync(full);
      ds.sha256 = createHash('sha256').update(buf).digest('hex');
      // A roster saved by a Windows tool may be UTF-16 or Latin-1: decoded as case exports are.
      const { text } = decodeBytes(buf);
      const ext = extname(full).toLowerCase();
      if (ext === '.csv') {
        const table = parseCsv(text);
        if (table.errors.length > 0)
          ds.error = `${def.file}:${table.errors[0].line}: ${table.errors[0].message}${table.errors.length > 1 ? ` (and ${table.errors.length - 1} more bad rows)` : ''}`;
        ds.rows = table.records.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r.values[i]])));
      } else {
        const value: unknown = ext === '.json' ? JSON.parse(text) : yaml().parse(text);
        if (!Array.isArray(value)) ds.error = `${def.file}: expected a list of rows`;
        else ds.rows = value.filter((r): r is Row => r !== null && typeof r === 'object');
      }
    } catch (err) {
      ds.error = existsSync(full) ? `${def.file}: ${(err as Error).message}` : `${def.file} does not exist`;
    }
    out.set(name, ds);
  }
  return out;
}

function field(row: Row, name: string): unknown {
  if (Object.hasOwn(row, name)) return row[name];
  const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : row[key];
}

const norm = (v: unknown) =>
  String(v ?? '')
    .trim()
    .toLowerCase();

export function matches(row: Row, where: Record<string, unknown> | undefined): boolean {
  if (!where) return true;
  return Object.entries(where).every(([k, expected]) => {
    const actual = norm(field(row, k));
    const options = Array.isArray(expected) ? expected : [expected];
    return options.some((o) => norm(o) === actual);
  });
}

function describeWhere(where: Record<string, unknown> | undefined): string {
  if (!where || Object.keys(where).length === 0) return 'all rows';
  return Object.entries(where)
    .map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(' or ') : String(v)}`)
    .join(' and ');
}

function cloudRows(ds: Dataset, cloud: string): Row[] | undefined {
  const hasColumn = ds.rows.some((r) => field(r, ds.cloudColumn) !== undefined);
  // A data set without the cloud column applies to every cloud (e.g. one shared list).
  if (!hasColumn) return ds.rows;
  const rows = ds.rows.filter((r) => norm(field(r, ds.cloudColumn)) === cloud.toLowerCase());
  return rows.length > 0 ? rows : undefined;
}

export interface MeasureContext {
  framework: Framework;
  datasets: Map<string, Dataset>;
  /** Present when a case export was loaded. */
  db?: CaseDb;
  /** The export's source id when its cases are in the store (IngestReport.source). */
  source?: number;
  now: Date;
}

const DAY = 86_400_000;

export async function measure(rule: Rule, cloud: CloudDef, ctx: MeasureContext): Promise<Measurement> {
  if (rule.type === 'kpi') {
    const what = `${KPI_LABELS[rule.kpi]} over the ${rule.weeks} weeks before ${ctx.now.toISOString().slice(0, 10)}${rule.priority ? ` (priority ${rule.priority})` : ''}`;
    if (!ctx.db) return { value: null, what, unknownReason: 'no case export was given (--cases)' };
    const from = new Date(ctx.now.getTime() - rule.weeks * 7 * DAY);
    const k = await windowKpis(ctx.db, {
      cloud: cloud.id,
      from,
      to: ctx.now,
      ...(rule.priority ? { priority: rule.priority } : {}),
      ...(ctx.source !== undefined ? { source: ctx.source } : {}),
    });
    const value = k[rule.kpi];
    const detail = {
      window: { from: from.toISOString(), to: ctx.now.toISOString() },
      casesOpened: k.cases,
      casesResolved: k.resolved,
    };
    if (value === null)
      return {
        value: null,
        what,
        detail,
        unknownReason: `no cases of ${cloud.id} in the window to compute it from (${k.cases} opened, ${k.resolved} resolved)`,
      };
    return { value, what, detail };
  }
  const ds = ctx.datasets.get(rule.dataset);
  const what = rule.type === 'count' ? `rows of ${rule.dataset} where ${describeWhere(rule.where)}` : '';
  if (!ds) return { value: null, what, unknownReason: `data set '${rule.dataset}' is not declared` };
  if (ds.error)
    return { value: null, what, unknownReason: `data set '${rule.dataset}' could not be read: ${ds.error}` };
  const rows = cloudRows(ds, cloud.id);
  if (!rows)
    return {
      value: null,
      what,
      unknownReason: `data set '${rule.dataset}' (${ds.file}) has no rows for ${cloud.id}`,
    };
  if (rule.type === 'count') {
    const n = rows.filter((r) => matches(r, rule.where)).length;
    return { value: n, what, detail: { rows: rows.length, matching: n, file: ds.file } };
  }
  const base = rows.filter((r) => matches(r, rule.of));
  if (rule.type === 'share') {
    const whatShare = `share of ${rule.dataset} rows (${describeWhere(rule.of)}) where ${describeWhere(rule.where)}`;
    if (base.length === 0)
      return {
        value: null,
        what: whatShare,
        unknownReason: `no rows of ${rule.dataset} match ${describeWhere(rule.of)} for ${cloud.id}`,
      };
    const n = base.filter((r) => matches(r, rule.where)).length;
    return {
      value: n / base.length,
      what: whatShare,
      detail: { matching: n, of: base.length, file: ds.file },
    };
  }
  // files
  const whatFiles = `a file ${rule.path} for every ${rule.dataset} row where ${describeWhere(rule.of)}`;
  if (base.length === 0)
    return {
      value: null,
      what: whatFiles,
      unknownReason: `no rows of ${rule.dataset} match ${describeWhere(rule.of)} for ${cloud.id}`,
    };
  const paths = base.map((r) =>
    // `[^{}]`, not `[^}]`: a run of '{' without a '}' would otherwise be rescanned from each '{'.
    rule.path.replace(/\{([^{}]+)\}/g, (_, key: string) =>
      key === 'cloud' ? cloud.id : String(field(r, key) ?? ''),
    ),
  );
  const missing = paths.filter((p) => !existsSync(resolve(ctx.framework.dir, p)));
  return { value: paths.length - missing.length, what: whatFiles, missing, expected: paths.length };
}

/** The evidence that applies to a cloud and criterion: its own entry, else the criterion's rule. */
export async function resolveEvidence(
  cloud: CloudDef,
  criterion: CriterionDef,
  ctx: MeasureContext,
): Promise<ResolvedEvidence> {
  const entry = ctx.framework.spec.evidence[cloud.id]?.[criterion.id];
  const own = ctx.framework.evidenceLocation(cloud.id, criterion.id);
  if (entry && 'attestation' in entry)
    return {
      kind: 'attestation',
      attestation: entry.attestation,
      location: own ?? ctx.framework.criterionLocation(criterion.id),
    };
  if (entry && 'rule' in entry)
    return {
      kind: 'rule',
      rule: entry.rule,
      from: 'cloud',
      location: own ?? ctx.framework.criterionLocation(criterion.id),
      measurement: await measure(entry.rule, cloud, ctx),
    };
  if (criterion.rule)
    return {
      kind: 'rule',
      rule: criterion.rule,
      from: 'criterion',
      location: ctx.framework.criterionLocation(criterion.id),
      measurement: await measure(criterion.rule, cloud, ctx),
    };
  return { kind: 'none', location: ctx.framework.criterionLocation(criterion.id) };
}
