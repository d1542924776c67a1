/**
 * Case and incident ingest: a CSV or JSON export, through a field mapping, into the
 * `readiness_cases` table where SQL computes the KPIs.
 *
 * CSV is read by DuckDB's `read_csv` with typed columns and a rejects table: a row with the
 * wrong number of fields, an unclosed quote or a value that does not parse (a date, a count)
 * is left out and recorded with its line number by DuckDB itself, and the rest loads. Rows
 * that parse but lack a required field (id, opened time) are found by SQL; their lines are
 * recovered by one streamed pass over the file, only when there are such rows.
 *
 * JSON (an array, an object holding one array, or one object per line) is mapped in
 * JavaScript, bad records are reported by line, and the good ones go through the CSV path
 * as a canonical temporary CSV.
 *
 * A private database gets the cases as the whole `readiness_cases` table. The project store
 * keeps the cases of every export: they are staged in a temporary table, then replace the
 * rows of the same source (file + preset) in one transaction (`ingestCasesToStore`).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { decodeBytes, TextEncodingError } from '../core/text-encoding.ts';
import { LineIndex, parseJson } from '../json/parse.ts';
import { supportColumnsSql } from './case-columns.ts';
import { readCsvHeader, visitRecordLines } from './csv.ts';
import { type PreparedCsv, prepareCsv, type UnreadSpan } from './csv-source.ts';
import { type CaseDb, type CaseStore, sqlIdent, sqlString } from './db.ts';
import { CANONICAL_FIELDS, type CanonicalField, type CaseMapping, REQUIRED_FIELDS } from './mapping.ts';

export const CASES_TABLE = 'readiness_cases';
/** Where a store-bound ingest builds its cases before they replace the source's rows. */
const STAGED_TABLE = 'readiness_staged';
/** The case columns, in table order (the store's table leads them with `source`). */
export const CASE_COLUMNS = [
  'id',
  'cloud',
  'priority',
  'grp',
  'state',
  'opened_at',
  'first_response_at',
  'resolved_at',
  'closed_at',
  'done_at',
  'sla_met',
  'reopen_count',
  'reassignment_count',
  'events',
  'rn',
  'category',
  'ci',
  'channel',
  'response_sla_met',
  'response_due_at',
  'first_contact_resolved',
  'escalated',
  'csat_satisfied',
] as const;

/**
 * The relation holding one ingest's cases: the whole table of a private database, or one
 * source's rows of the store's table.
 */
export function casesRelation(source?: number): string {
  if (source === undefined) return CASES_TABLE;
  if (!Number.isSafeInteger(source)) throw new Error(`case source must be an integer, got ${source}`);
  return `(SELECT * FROM ${CASES_TABLE} WHERE source = ${source}) AS rc`;
}

export interface BadRow {
  line: number;
  reason: string;
}

export interface IngestReport {
  file: string;
  format: 'csv' | 'json';
  preset: string;
  /** Data records read (good and bad). */
  records: number;
  /** Records loaded. */
  loaded: number;
  /** Cases after consolidation (an event log has several records per case). */
  cases: number;
  eventLog: boolean;
  /** Bad records by line, in line order. */
  badRows: BadRow[];
  /**
   * Loaded records with a value left out as a data error, by line: a first response before
   * the case was opened (the case counts; its first response does not).
   */
  excluded: BadRow[];
  /** Lines an unterminated quote made unreadable (not records, not in `badRows`): an input error. */
  unread: UnreadSpan[];
  /** The text encoding the export was read in (WHATWG name). */
  encoding: string;
  /** Said to the user when the encoding was a guess or not UTF-8. */
  encodingNote?: string;
  /** Canonical field -> column it was read from. */
  bound: Partial<Record<CanonicalField, string>>;
  /** Preset fields the export has no column for. */
  unbound: CanonicalField[];
  ms: number;
  /** The source id of these cases in the store's `readiness_cases`, when they were kept there. */
  source?: number;
}

export interface IngestOptions {
  file: string;
  /** Path shown in messages and findings (default: `file`). */
  displayFile?: string;
  mapping: CaseMapping;
  /** Cloud of cases whose export names none (default: mapping.defaultCloud, else `default`). */
  cloud?: string;
  format?: 'csv' | 'json';
  /** Text encoding of the export (a WHATWG label); detected when absent. */
  encoding?: string;
}

export class IngestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestError';
  }
}

export function formatOf(file: string): 'csv' | 'json' {
  const ext = extname(file).toLowerCase();
  return ext === '.json' || ext === '.ndjson' || ext === '.jsonl' ? 'json' : 'csv';
}

/** Loads one export into a private database's `readiness_cases` (replacing what was there). */
export async function ingestCases(db: CaseDb, options: IngestOptions): Promise<IngestReport> {
  const format = options.format ?? formatOf(options.file);
  if (format === 'json') return ingestJson(db, options, CASES_TABLE);
  return ingestCsv(db, options, CASES_TABLE, []);
}

/**
 * Loads one export into the store: its cases replace those of the same source (the export's
 * absolute path and the mapping's preset) in one transaction; other sources are untouched.
 * The report carries the source id, for KPIs over these cases only (`casesRelation`).
 */
export async function ingestCasesToStore(
  store: CaseStore,
  options: IngestOptions,
): Promise<IngestReport & { source: number }> {
  const format = options.format ?? formatOf(options.file);
  try {
    const report =
      format === 'json'
        ? await ingestJson(store, options, STAGED_TABLE)
        : await ingestCsv(store, options, STAGED_TABLE, []);
    const file = resolve(options.file);
    const columns = CASE_COLUMNS.join(', ');
    const source = await store.transaction(async (sql) => {
      const [known] = await sql.all<{ source: number }>(
        'SELECT source FROM readiness_sources WHERE file = ? AND preset = ?',
        [file, report.preset],
      );
      const [next] = await sql.all<{ source: number }>(
        'SELECT (coalesce(max(source), 0) + 1)::INTEGER AS source FROM readiness_sources',
      );
      const id = Number(known?.source ?? next.source);
      await sql.run(`DELETE FROM ${CASES_TABLE} WHERE source = ?`, [id]);
      await sql.run('DELETE FROM readiness_sources WHERE source = ?', [id]);
      await sql.run(
        `INSERT INTO ${CASES_TABLE} (source, ${columns}) SELECT ?::INTEGER, ${columns} FROM ${STAGED_TABLE}`,
        [id],
      );
      await sql.run(
        `INSERT INTO readiness_sources (source, file, preset, format, records, loaded, cases, bad_rows, event_log)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          file,
          report.preset,
          report.format,
          report.records,
          report.loaded,
          report.cases,
          report.badRows.length,
          report.eventLog,
        ],
      );
      return id;
    });
    return { ...report, source };
  } finally {
    await store.run(`DROP TABLE IF EXISTS ${STAGED_TABLE}`);
  }
}

/** Binds mapping fields to the export's columns (case-insensitive). */
function bindColumns(
  columns: string[],
  mapping: CaseMapping,
  display: string,
): { bound: Partial<Record<CanonicalField, string>>; unbound: CanonicalField[] } {
  const byLower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const bound: Partial<Record<CanonicalField, string>> = {};
  const unbound: CanonicalField[] = [];
  const missing: string[] = [];
  for (const [field, column] of Object.entries(mapping.fields) as [CanonicalField, string][]) {
    const actual = byLower.get(column.toLowerCase());
    if (actual !== undefined) bound[field] = actual;
    else if (mapping.optional.has(field) && !REQUIRED_FIELDS.includes(field)) unbound.push(field);
    else missing.push(`${field} (column '${column}')`);
  }
  if (missing.length > 0) {
    throw new IngestError(
      `${display}:1: the export has no column for ${missing.join(', ')}; its columns are: ${columns.join(', ')}`,
    );
  }
  return { bound, unbound };
}

/** Reads a CSV export into `target`: the case table itself, or the staging table of a store. */
async function ingestCsv(
  db: CaseDb,
  options: IngestOptions,
  target: string,
  priorBad: BadRow[],
  recordsBefore = 0,
): Promise<IngestReport> {
  const start = performance.now();
  const display = options.displayFile ?? options.file;
  const { mapping } = options;
  try {
    statSync(options.file);
  } catch {
    throw new IngestError(`cases file not found: ${display}`);
  }
  let prepared: PreparedCsv;
  try {
    prepared = await prepareCsv(options.file, {
      delimiter: mapping.delimiter,
      ...(options.encoding ? { encoding: options.encoding } : {}),
    });
  } catch (err) {
    if (err instanceof TextEncodingError) throw new IngestError(`${display}: ${err.message}`);
    throw err;
  }
  try {
    return await readPreparedCsv(db, options, prepared, target, priorBad, recordsBefore, start);
  } finally {
    prepared.dispose();
  }
}

/** Reads a prepared (UTF-8, quote-checked) CSV into `target`; lines are the original file's. */
async function readPreparedCsv(
  db: CaseDb,
  options: IngestOptions,
  prepared: PreparedCsv,
  target: string,
  priorBad: BadRow[],
  recordsBefore: number,
  start: number,
): Promise<IngestReport> {
  const display = options.displayFile ?? options.file;
  const { mapping } = options;
  const file = prepared.path;
  const header = await readCsvHeader(file, mapping.delimiter);
  if (header.length === 0) throw new IngestError(`${display}:1: empty file: expected a header line`);
  const { bound, unbound } = bindColumns(header, mapping, display);

  // Every column is read as text except the bound ones, which get their canonical type so a
  // value that does not parse is rejected with its line.
  const typeOf = new Map<string, string>();
  for (const [field, column] of Object.entries(bound) as [CanonicalField, string][]) {
    const type = CANONICAL_FIELDS[field];
    const prior = typeOf.get(column);
    if (prior && prior !== type)
      throw new IngestError(`${display}: column '${column}' is mapped to fields of different types`);
    typeOf.set(column, type);
  }
  const columns = header.map((h) => `${sqlString(h)}: ${sqlString(typeOf.get(h) ?? 'VARCHAR')}`).join(', ');
  const select = (Object.entries(bound) as [CanonicalField, string][])
    .map(([field, column]) => `${sqlIdent(column)} AS ${sqlIdent(field)}`)
    .join(', ');
  const csvOptions = [
    'header = true',
    'auto_detect = false',
    `delim = ${sqlString(mapping.delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    `columns = {${columns}}`,
    `nullstr = [${mapping.nullValues.map(sqlString).join(', ') || "''"}]`,
    ...(mapping.timestampFormat ? [`timestampformat = ${sqlString(mapping.timestampFormat)}`] : []),
    'store_rejects = true',
    `rejects_table = 'readiness_rejects'`,
    `rejects_scan = 'readiness_reject_scans'`,
  ].join(', ');
  await db.run('DROP TABLE IF EXISTS readiness_rejects');
  await db.run('DROP TABLE IF EXISTS readiness_reject_scans');
  const read = `SELECT row_number() OVER () AS rn, ${select} FROM read_csv(${sqlString(file)}, ${csvOptions})`;
  // A one-row-per-case export goes straight into the case table (one pass, one copy); an
  // event log is staged first, since its consolidation looks at every event of a case.
  const raw = mapping.events ? 'readiness_raw' : target;
  const defaultCloud = options.cloud ?? mapping.defaultCloud ?? 'default';
  if (mapping.events) await db.run(`CREATE OR REPLACE TEMP TABLE readiness_raw AS ${read}`);
  else await db.run(consolidateSql(bound, mapping, defaultCloud, `(${read})`, target));

  const rejects = await db.all<{ line: number; type: string; message: string }>(
    `SELECT line::INTEGER AS line, error_type AS type, error_message AS message
     FROM readiness_rejects ORDER BY line, column_idx`,
  );
  // DuckDB records one reject per column for a short row; keep one message per kind and row.
  // Its `line` counts records (header = 1), not physical lines, so it is mapped below.
  const byRecord = new Map<number, string[]>();
  for (const r of rejects) {
    const record = Number(r.line) - 2;
    const list = byRecord.get(record) ?? [];
    const text = r.type === 'CAST' ? r.message : `${r.type.toLowerCase()}: ${r.message}`;
    if (r.type === 'CAST' || !list.some((m) => m.startsWith(r.type.toLowerCase()))) list.push(text);
    byRecord.set(record, list);
  }

  // Rows that parsed but miss a required field, by their number among the loaded rows.
  const missing = await db.all<{ rn: number; reason: string }>(
    `SELECT rn::INTEGER AS rn, concat_ws(', ', CASE WHEN id IS NULL THEN 'no id' END, CASE WHEN opened_at IS NULL THEN 'no opened time' END) AS reason
     FROM ${raw} WHERE id IS NULL OR opened_at IS NULL ORDER BY rn`,
  );
  if (missing.length > 0) await db.run(`DELETE FROM ${raw} WHERE id IS NULL OR opened_at IS NULL`);
  const [{ loaded }] = await db.all<{ loaded: number }>(`SELECT count(*)::INTEGER AS loaded FROM ${raw}`);
  if (mapping.events) {
    await db.run(consolidateSql(bound, mapping, defaultCloud, 'readiness_raw', target));
    await db.run('DROP TABLE IF EXISTS readiness_raw');
  }
  const negative = await excludeNegativeResponses(db, target);
  const [{ cases }] = await db.all<{ cases: number }>(`SELECT count(*)::INTEGER AS cases FROM ${target}`);

  const bad: BadRow[] = [];
  const excluded: BadRow[] = [];
  if (byRecord.size > 0 || missing.length > 0 || negative.size > 0) {
    // One streamed pass turns record numbers into the lines a person opens (a quoted field
    // may span lines). It runs only when something is bad.
    const wanted = new Map(missing.map((m) => [Number(m.rn), m.reason]));
    let accepted = 0;
    let left = byRecord.size + wanted.size + negative.size;
    await visitRecordLines(file, (record, line) => {
      const rejected = byRecord.get(record);
      if (rejected) {
        bad.push({ line, reason: rejected.join('; ') });
        left--;
      } else {
        accepted++;
        const reason = wanted.get(accepted);
        if (reason !== undefined) {
          bad.push({ line, reason: `missing required value: ${reason}` });
          left--;
        }
        const early = negative.get(accepted);
        if (early !== undefined) {
          excluded.push({ line, reason: early });
          left--;
        }
      }
      return left > 0;
    });
  }

  const badRows = [...priorBad, ...bad].sort((a, b) => a.line - b.line);
  return {
    file: display,
    format: 'csv',
    preset: mapping.preset,
    encoding: prepared.encoding,
    ...(prepared.encodingNote ? { encodingNote: prepared.encodingNote } : {}),
    unread: prepared.unread,
    records: recordsBefore + Number(loaded) + bad.length,
    loaded: Number(loaded),
    cases: Number(cases),
    eventLog: mapping.events !== undefined,
    badRows,
    excluded,
    bound,
    unbound,
    ms: performance.now() - start,
  };
}

/**
 * A first response before the case was opened is a data error: the case stays, its first
 * response is cleared (left out of the response times) and the record that gave it is
 * returned, by its number among the loaded records, with the reason. Drops `response_rn`.
 */
async function excludeNegativeResponses(db: CaseDb, target: string): Promise<Map<number, string>> {
  const early = await db.all<{ id: string; rn: number; minutes: number }>(
    `SELECT id, response_rn::BIGINT AS rn, epoch(first_response_at - opened_at) / 60.0 AS minutes
     FROM ${target} WHERE first_response_at < opened_at ORDER BY response_rn`,
  );
  if (early.length > 0)
    await db.run(`UPDATE ${target} SET first_response_at = NULL WHERE first_response_at < opened_at`);
  await db.run(`ALTER TABLE ${target} DROP COLUMN response_rn`);
  return new Map(
    early.map((e) => [
      Number(e.rn),
      `first response of ${e.id} is ${Math.round(-Number(e.minutes))} min before it was opened: left out of the first-response times`,
    ]),
  );
}

/** The canonical case rows, from the raw (typed, renamed) rows, as table `target`. */
function consolidateSql(
  bound: Partial<Record<CanonicalField, string>>,
  mapping: CaseMapping,
  defaultCloud: string,
  source: string,
  target: string,
): string {
  // The staging table of a store is temporary: it must never replace a table of the store.
  const create = `CREATE OR REPLACE ${target === CASES_TABLE ? '' : 'TEMP '}TABLE ${target}`;
  const has = (f: CanonicalField) => bound[f] !== undefined;
  const col = (f: CanonicalField) => (has(f) ? sqlIdent(f) : `NULL::${CANONICAL_FIELDS[f]}`);
  const done = `coalesce(${col('resolved_at')}, ${col('closed_at')})`;
  let sla = 'NULL::BOOLEAN';
  if (has('sla_met')) sla = col('sla_met');
  else if (has('sla_due_at'))
    sla = `CASE WHEN ${done} IS NULL THEN NULL ELSE ${done} <= ${col('sla_due_at')} END`;
  else if (mapping.slaTargetsHours) {
    const arms = Object.entries(mapping.slaTargetsHours)
      .map(([p, h]) => `WHEN ${sqlString(p.toLowerCase())} THEN ${Number(h)}`)
      .join(' ');
    sla = `CASE WHEN ${done} IS NULL THEN NULL ELSE ${done} <= ${col('opened_at')} + to_seconds((CASE lower(${col('priority')}) ${arms} END) * 3600) END`;
  }
  const reassign = has('reassignment_count')
    ? col('reassignment_count')
    : has('stations')
      ? `greatest(${col('stations')} - 1, 0)`
      : 'NULL::INTEGER';
  const firstResponse = has('first_response_at')
    ? col('first_response_at')
    : has('first_response_minutes')
      ? `${col('opened_at')} + to_seconds(${col('first_response_minutes')} * 60)`
      : 'NULL::TIMESTAMP';
  const fields = (firstResponseExpr: string, events: string) => `
      id, coalesce(${col('cloud')}, ${sqlString(defaultCloud)}) AS cloud,
      coalesce(${col('priority')}, '(none)') AS priority, coalesce(${col('group')}, '(none)') AS grp,
      ${col('state')} AS state, ${col('opened_at')} AS opened_at, ${firstResponseExpr} AS first_response_at,
      ${col('resolved_at')} AS resolved_at, ${col('closed_at')} AS closed_at, ${done} AS done_at,
      ${sla} AS sla_met, ${col('reopen_count')} AS reopen_count, ${reassign} AS reassignment_count,
      ${events} AS events, rn, ${supportColumnsSql(bound, mapping)}`;

  if (!mapping.events) {
    return `${create} AS SELECT ${fields(firstResponse, '1')}, rn AS response_rn FROM ${source}`;
  }
  // Event log: the last event per id (by update time, then modification count, then file
  // order) is the case; the first response is the first event that has left the initial
  // states or has an assignee, unless the export gives a first-response time itself.
  const initial = mapping.events.initialStates.map((s) => sqlString(s)).join(', ') || "''";
  const order = [
    ...(has('updated_at') ? [`${col('updated_at')} DESC NULLS LAST`] : []),
    ...(has('mod_count') ? [`${col('mod_count')} DESC NULLS LAST`] : []),
    'rn DESC',
  ].join(', ');
  // The events in time order (the reverse of the pick): the first is the creation, never a
  // response. A response is an event stamped after the creation (an update in the creation's
  // own minute, such as an assignment rule, is part of creating it) that changes the state or
  // the assignee from the event before it and leaves the case handled (out of the initial
  // states, or assigned).
  const ascending = [
    ...(has('updated_at') ? [`${col('updated_at')} ASC NULLS FIRST`] : []),
    ...(has('mod_count') ? [`${col('mod_count')} ASC NULLS FIRST`] : []),
    'rn ASC',
  ].join(', ');
  const state = col('state');
  const assignee = col('assignee');
  const handled = `((${state} IS NOT NULL AND ${state} NOT IN (${initial})) OR ${assignee} IS NOT NULL)`;
  const changed = `(${state} IS DISTINCT FROM prev_state OR ${assignee} IS DISTINCT FROM prev_assignee)`;
  const responses = has('updated_at')
    ? `SELECT id, arg_min(${col('updated_at')}, seq) AS responded_at, arg_min(rn, seq) AS responded_rn
      FROM timeline WHERE seq > 1 AND ${col('updated_at')} > created_at AND ${changed} AND ${handled} GROUP BY id`
    : 'SELECT NULL AS id, NULL::TIMESTAMP AS responded_at, NULL::BIGINT AS responded_rn WHERE false';
  const given = has('first_response_at') || has('first_response_minutes');
  const frt = given ? `coalesce(${firstResponse}, responded_at)` : 'responded_at';
  const frtRn = given
    ? `CASE WHEN ${firstResponse} IS NOT NULL THEN rn ELSE responded_rn END`
    : 'responded_rn';
  return `${create} AS
    WITH timeline AS (
      SELECT *, row_number() OVER w AS seq, first_value(${col('updated_at')}) OVER w AS created_at, lag(${state}) OVER w AS prev_state, lag(${assignee}) OVER w AS prev_assignee
      FROM ${source} WINDOW w AS (PARTITION BY id ORDER BY ${ascending})),
    responses AS (${responses}),
    ranked AS (
      SELECT *, row_number() OVER (PARTITION BY id ORDER BY ${order}) AS pick,
        count(*) OVER (PARTITION BY id) AS n_events
      FROM ${source})
    SELECT ${fields(frt, 'n_events::INTEGER')}, ${frtRn} AS response_rn
    FROM ranked LEFT JOIN responses USING (id) WHERE pick = 1`;
}

// --- JSON -------------------------------------------------------------------------------

function getPath(record: unknown, path: string): unknown {
  let cur: unknown = record;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    const obj = cur as Record<string, unknown>;
    // Case-insensitive, like CSV headers.
    const key = Object.hasOwn(obj, part)
      ? part
      : Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
    cur = key === undefined ? undefined : obj[key];
  }
  return cur;
}

const NAIVE_TS = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** A JSON value as the canonical CSV cell, or an error message. Times become UTC `YYYY-MM-DD HH:MM:SS`. */
function cell(
  field: CanonicalField,
  value: unknown,
  nulls: ReadonlySet<string>,
): { text: string } | { error: string } {
  if (value === undefined || value === null || (typeof value === 'string' && nulls.has(value)))
    return { text: '' };
  const type = CANONICAL_FIELDS[field];
  if (type === 'TIMESTAMP') {
    if (typeof value !== 'string') return { error: `${field} is not a date-time: ${JSON.stringify(value)}` };
    const ms = Date.parse(NAIVE_TS.test(value) ? `${value.replace(' ', 'T')}Z` : value);
    if (Number.isNaN(ms)) return { error: `${field} is not a date-time: ${JSON.stringify(value)}` };
    return { text: new Date(ms).toISOString().slice(0, 19).replace('T', ' ') };
  }
  if (type === 'INTEGER' || type === 'DOUBLE') {
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (!Number.isFinite(n) || (type === 'INTEGER' && !Number.isInteger(n)))
      return { error: `${field} is not a number: ${JSON.stringify(value)}` };
    return { text: String(n) };
  }
  if (type === 'BOOLEAN') {
    const s = String(value).toLowerCase();
    if (['true', 'false'].includes(s)) return { text: s };
    return { error: `${field} is not true or false: ${JSON.stringify(value)}` };
  }
  if (typeof value === 'object') return { error: `${field} is not a single value` };
  return { text: String(value) };
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Records of a JSON export with the line each starts on. */
function jsonRecords(text: string, display: string): { record: unknown; line: number }[] {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  const lines = new LineIndex(text);
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && !isNdjson(text))) {
    let parsed: ReturnType<typeof parseJson>;
    try {
      parsed = parseJson(text);
    } catch (err) {
      throw new IngestError(`${display}: ${(err as Error).message}`);
    }
    let list: unknown = parsed.value;
    if (list && typeof list === 'object' && !Array.isArray(list)) {
      const arrays = Object.entries(list).filter(([, v]) => Array.isArray(v));
      if (arrays.length !== 1)
        throw new IngestError(`${display}: expected an array of records, or an object holding one array`);
      list = arrays[0][1];
    }
    const items = list as unknown[];
    return items.map((record, i) => {
      const offset = parsed.offsets.member(items, i);
      return { record, line: offset === undefined ? 1 : lines.position(offset).line };
    });
  }
  // One object per line.
  const out: { record: unknown; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      out.push({ record: JSON.parse(raw) as unknown, line: i + 1 });
    } catch {
      out.push({ record: Symbol.for('bad-json'), line: i + 1 });
    }
  });
  return out;
}

function isNdjson(text: string): boolean {
  const nl = text.indexOf('\n');
  if (nl < 0) return false;
  try {
    JSON.parse(text.slice(0, nl));
    return true;
  } catch {
    return false;
  }
}

async function ingestJson(db: CaseDb, options: IngestOptions, target: string): Promise<IngestReport> {
  const display = options.displayFile ?? options.file;
  let bytes: Buffer;
  try {
    bytes = readFileSync(options.file);
  } catch {
    throw new IngestError(`cases file not found: ${display}`);
  }
  let decoded: ReturnType<typeof decodeBytes>;
  try {
    decoded = decodeBytes(bytes, options.encoding);
  } catch (err) {
    if (err instanceof TextEncodingError) throw new IngestError(`${display}: ${err.message}`);
    throw err;
  }
  const { text } = decoded;
  const records = jsonRecords(text, display);
  const { mapping } = options;
  // Bind against the keys seen in the records (a path binds when any record has it).
  const seen = new Set<string>();
  for (const { record } of records.slice(0, 1000)) {
    for (const [, path] of Object.entries(mapping.fields))
      if (getPath(record, path) !== undefined) seen.add(path);
  }
  const { bound, unbound } = bindColumns([...seen], mapping, display);
  const fields = Object.keys(bound) as CanonicalField[];
  const nulls = new Set(mapping.nullValues);
  const bad: BadRow[] = [];
  const rows: string[] = [fields.join(',')];
  for (const { record, line } of records) {
    if (typeof record === 'symbol' || record === null || typeof record !== 'object') {
      bad.push({ line, reason: 'not a JSON object' });
      continue;
    }
    const cells: string[] = [];
    const errors: string[] = [];
    for (const f of fields) {
      const c = cell(f, getPath(record, bound[f] as string), nulls);
      if ('error' in c) errors.push(c.error);
      else cells.push(csvCell(c.text));
    }
    if (errors.length > 0) bad.push({ line, reason: errors.join('; ') });
    else rows.push(cells.join(','));
  }
  const dir = mkdtempSync(join(tmpdir(), 'assay-cases-'));
  try {
    const tmp = join(dir, 'cases.csv');
    writeFileSync(tmp, `${rows.join('\n')}\n`);
    const canonical: CaseMapping = {
      ...mapping,
      fields: Object.fromEntries(fields.map((f) => [f, f])),
      optional: new Set(),
      nullValues: [''],
      delimiter: ',',
    };
    delete canonical.timestampFormat;
    // Lines of rows missing required values refer to the temporary CSV; map them back.
    const lineOf = new Map<number, number>();
    const badLines = new Set(bad.map((b) => b.line));
    let k = 1;
    for (const { record, line } of records) {
      if (badLines.has(line) || typeof record !== 'object') continue;
      lineOf.set(++k, line);
    }
    // The temporary CSV is UTF-8 whatever the export was.
    const { encoding: _exportEncoding, ...csvOptions } = options;
    const report = await ingestCsv(
      db,
      { ...csvOptions, file: tmp, mapping: canonical },
      target,
      [],
      bad.length,
    );
    const badRows = [
      ...bad,
      ...report.badRows.map((b) => ({ line: lineOf.get(b.line) ?? b.line, reason: b.reason })),
    ].sort((a, b) => a.line - b.line);
    const excluded = report.excluded.map((b) => ({ line: lineOf.get(b.line) ?? b.line, reason: b.reason }));
    return {
      ...report,
      excluded,
      file: display,
      format: 'json',
      preset: mapping.preset,
      encoding: decoded.encoding,
      ...(decoded.note ? { encodingNote: decoded.note } : {}),
      badRows,
      bound,
      unbound,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
