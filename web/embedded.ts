/**
 * The data a single-file report carries, packed: a finding repeats its check's title,
 * severity and controls and its subject's long ARM id, which would make 10,000 findings
 * about 6 MB of JSON. Packed findings refer to checks, subjects and files by index, so the
 * same report is about a sixth of that. The compliance matrices are packed too (format 2):
 * each control's title and statement once (however many baselines list it), and the
 * findings that evidence a control as index triples, not objects repeating ARM ids.
 * `pack` runs in Node when the report is written; `unpack` runs in the browser when it
 * opens, and reads format 1 as well. The page holds the packed JSON gzipped and in
 * base64 (src/report/html.ts); `inflate` turns that back into the JSON with the browser's
 * own DecompressionStream. Pure: no Node and no DOM imports.
 */
import {
  type CheckMeta,
  type ComplianceMatrix,
  type ControlStatus,
  type Finding,
  STATUSES,
  type Status,
  type WaiverRef,
} from '../src/core/model.ts';
import type { RunMeta, RunSummary, SubjectRef } from '../src/server/api-types.ts';

export const EMBEDDED_FORMAT = 'assay-report/2';
/** The format before the compliance data was packed: still read, so an older report's data opens. */
export const EMBEDDED_FORMAT_1 = 'assay-report/1';

/** What a finding has beyond its check's defaults; absent keys mean "as the check says". */
interface Extra {
  checkId?: string;
  title?: string;
  severity?: Finding['severity'];
  controls?: string[];
  originalStatus?: Status;
  evidence?: Record<string, unknown>;
  waiver?: WaiverRef;
}

/** [check index or -1, status index, message, subject index, file index, line, column, extra?] */
type PackedFinding = [number, number, string, number, number, number, number, Extra?];

/** [id, name, type, kind, file index, line, column] */
type PackedSubject = [string, string, string, string, number, number, number];

/** Source lines around findings, per file index: [first line number, lines][] with ranges merged. */
export type PackedSnippets = Record<number, [number, string[]][]>;

/** A control's text, kept once: [id, title, statement, class] ('' for absent). */
type PackedControlText = [string, string, string, string];

/**
 * A control of a matrix: [control text index, status, checks, evidence]. Checks are indices
 * into `meta.checks` (negative: `-1 - i` into `names`); evidence is flattened triples
 * [check, subject, status index], subjects by index into `subjects` (negative into `names`).
 */
type PackedControl = [number, ControlStatus, number[], number[]];

type PackedMatrix = Omit<ComplianceMatrix, 'controls'> & { controls: PackedControl[] };

export interface EmbeddedReport {
  format: typeof EMBEDDED_FORMAT | typeof EMBEDDED_FORMAT_1;
  generatedAt: string;
  /** In format 2 without `compliance` (packed below); in format 1 with it. */
  meta: RunMeta;
  /** Runs of the same series up to this one, oldest first, for the trend chart; just this run when rendered from a file. */
  runs: RunSummary[];
  files: string[];
  subjects: PackedSubject[];
  findings: PackedFinding[];
  snippets: PackedSnippets;
  /** Shown on the subject page when lines could not be embedded (e.g. the files changed since the run). */
  snippetNotes: Record<number, string>;
  /** Format 2: each control's text once. */
  controls?: PackedControlText[];
  /** Format 2: the compliance matrices, referring to `controls`, `meta.checks`, `subjects` and `names`. */
  compliance?: PackedMatrix[];
  /** Format 2: check and subject ids the matrices name that are not in `meta.checks` or `subjects`. */
  names?: string[];
}

/** Lines either side of a finding's line that the report embeds. */
export const SNIPPET_CONTEXT = 2;
/** Longer lines are cut: a minified template is one line, and must not be embedded whole. */
export const SNIPPET_MAX_LINE = 240;

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export interface PackInput {
  meta: RunMeta;
  runs: RunSummary[];
  subjects: readonly SubjectRef[];
  findings: readonly Finding[];
  /** Reads the lines of one input file, or returns a note saying why it cannot. */
  readLines?: (file: string) => string[] | { note: string };
  generatedAt: string;
}

export function pack(input: PackInput): EmbeddedReport {
  const checkIndex = new Map(input.meta.checks.map((c, i) => [c.id, i]));
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const fileOf = (file: string) => {
    let i = fileIndex.get(file);
    if (i === undefined) {
      i = files.push(file) - 1;
      fileIndex.set(file, i);
    }
    return i;
  };
  const subjects: PackedSubject[] = [];
  const subjectIndex = new Map<string, number>();
  const addSubject = (s: SubjectRef) => {
    const i =
      subjects.push([
        s.id,
        s.name,
        s.type,
        s.kind,
        fileOf(s.location.file),
        s.location.line,
        s.location.column,
      ]) - 1;
    subjectIndex.set(s.id, i);
    return i;
  };
  for (const s of input.subjects) if (!subjectIndex.has(s.id)) addSubject(s);

  const wanted = new Map<number, number[]>();
  const findings: PackedFinding[] = input.findings.map((f) => {
    const ci = checkIndex.get(f.checkId) ?? -1;
    const check: CheckMeta | undefined = input.meta.checks[ci];
    const extra: Extra = {};
    if (!check) extra.checkId = f.checkId;
    if (f.title !== check?.title) extra.title = f.title;
    if (f.severity !== check?.severity) extra.severity = f.severity;
    if (!check || !sameList(f.controls, check.controls)) extra.controls = f.controls;
    if (f.originalStatus) extra.originalStatus = f.originalStatus;
    if (f.evidence && Object.keys(f.evidence).length > 0) extra.evidence = f.evidence;
    if (f.waiver) extra.waiver = f.waiver;
    const si = subjectIndex.get(f.subject.id) ?? addSubject({ ...f.subject, location: f.location });
    const fi = fileOf(f.location.file);
    const lines = wanted.get(fi);
    if (lines) lines.push(f.location.line);
    else wanted.set(fi, [f.location.line]);
    const row: PackedFinding = [
      ci,
      STATUSES.indexOf(f.status),
      f.message,
      si,
      fi,
      f.location.line,
      f.location.column,
    ];
    if (Object.keys(extra).length > 0) row.push(extra);
    return row;
  });

  const snippets: PackedSnippets = {};
  const snippetNotes: Record<number, string> = {};
  if (input.readLines) {
    for (const [fi, lines] of wanted) {
      const text = input.readLines(files[fi]);
      if (!Array.isArray(text)) {
        snippetNotes[fi] = text.note;
        continue;
      }
      snippets[fi] = mergeRanges(lines, text.length).map(([from, to]) => [
        from,
        text
          .slice(from - 1, to)
          .map((l) => (l.length > SNIPPET_MAX_LINE ? `${l.slice(0, SNIPPET_MAX_LINE)}…` : l)),
      ]);
    }
  }
  const { compliance, ...meta } = input.meta;
  const packed: EmbeddedReport = {
    format: EMBEDDED_FORMAT,
    generatedAt: input.generatedAt,
    meta,
    runs: input.runs,
    files,
    subjects,
    findings,
    snippets,
    snippetNotes,
  };
  if (compliance) Object.assign(packed, packCompliance(compliance, checkIndex, subjectIndex));
  return packed;
}

function packCompliance(
  matrices: readonly ComplianceMatrix[],
  checkIndex: ReadonlyMap<string, number>,
  subjectIndex: ReadonlyMap<string, number>,
): Pick<EmbeddedReport, 'controls' | 'compliance' | 'names'> {
  const controls: PackedControlText[] = [];
  const controlIndex = new Map<string, number>();
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const name = (id: string) => {
    let i = nameIndex.get(id);
    if (i === undefined) {
      i = names.push(id) - 1;
      nameIndex.set(id, i);
    }
    return -1 - i;
  };
  const check = (id: string) => checkIndex.get(id) ?? name(id);
  const subject = (id: string) => subjectIndex.get(id) ?? name(id);
  const compliance = matrices.map(({ controls: results, ...rest }) => ({
    ...rest,
    controls: results.map((c): PackedControl => {
      const text: PackedControlText = [c.id, c.title ?? '', c.statement ?? '', c.class ?? ''];
      const key = text.join('\u0000');
      let ti = controlIndex.get(key);
      if (ti === undefined) {
        ti = controls.push(text) - 1;
        controlIndex.set(key, ti);
      }
      const evidence: number[] = [];
      for (const f of c.findings)
        evidence.push(check(f.checkId), subject(f.subjectId), STATUSES.indexOf(f.status));
      return [ti, c.status, c.checks.map(check), evidence];
    }),
  }));
  return { controls, compliance, names };
}

function unpackCompliance(data: EmbeddedReport): ComplianceMatrix[] | undefined {
  if (!data.compliance) return undefined;
  const { controls = [], names = [], meta, subjects } = data;
  const check = (i: number) => (i >= 0 ? meta.checks[i].id : names[-1 - i]);
  const subject = (i: number) => (i >= 0 ? subjects[i][0] : names[-1 - i]);
  return data.compliance.map(({ controls: packed, ...rest }) => ({
    ...rest,
    controls: packed.map(([ti, status, checks, evidence]) => {
      const [id, title, statement, cls] = controls[ti];
      const findings: ComplianceMatrix['controls'][number]['findings'] = [];
      for (let i = 0; i + 2 < evidence.length; i += 3)
        findings.push({
          checkId: check(evidence[i]),
          subjectId: subject(evidence[i + 1]),
          status: STATUSES[evidence[i + 2]],
        });
      return {
        id,
        ...(title ? { title } : {}),
        ...(statement ? { statement } : {}),
        ...(cls ? { class: cls } : {}),
        status,
        checks: checks.map(check),
        findings,
      };
    }),
  }));
}

/**
 * The packed JSON back from the page's base64 of its gzip, inflated by the browser
 * (DecompressionStream, in every current browser and in Node): no network, no library.
 */
export async function inflate(base64: string): Promise<EmbeddedReport> {
  const binary = atob(base64.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return JSON.parse(await new Response(stream).text()) as EmbeddedReport;
}

/** Line ranges [from, to] (1-based, inclusive) covering each line with context, merged. */
function mergeRanges(lines: number[], lineCount: number): [number, number][] {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const line of sorted) {
    const from = Math.max(1, line - SNIPPET_CONTEXT);
    const to = Math.min(lineCount, line + SNIPPET_CONTEXT);
    if (from > to) continue;
    const last = out[out.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

export interface Unpacked {
  meta: RunMeta;
  runs: RunSummary[];
  subjects: SubjectRef[];
  findings: Finding[];
  /** Lines around `line` of `file` as embedded, or a note. */
  snippet(file: string, line: number): { startLine: number; lines: string[] } | { note: string };
}

export function unpack(data: EmbeddedReport): Unpacked {
  if (data.format !== EMBEDDED_FORMAT && data.format !== EMBEDDED_FORMAT_1)
    throw new Error(`unsupported report data format ${String(data.format)}`);
  const { files } = data;
  const compliance = unpackCompliance(data);
  const meta: RunMeta = compliance ? { ...data.meta, compliance } : data.meta;
  const subjects: SubjectRef[] = data.subjects.map(([id, name, type, kind, fi, line, column]) => ({
    id,
    name,
    type,
    kind,
    location: { file: files[fi], line, column },
  }));
  const findings: Finding[] = data.findings.map(([ci, st, message, si, fi, line, column, extra]) => {
    const check = meta.checks[ci];
    const s = subjects[si];
    const f: Finding = {
      checkId: extra?.checkId ?? check?.id ?? '',
      title: extra?.title ?? check?.title ?? '',
      severity: extra?.severity ?? check?.severity ?? 'info',
      status: STATUSES[st],
      message,
      subject: { id: s.id, name: s.name, type: s.type, kind: s.kind },
      location: { file: files[fi], line, column },
      controls: extra?.controls ?? check?.controls ?? [],
    };
    if (extra?.originalStatus) f.originalStatus = extra.originalStatus;
    if (extra?.evidence) f.evidence = extra.evidence;
    if (extra?.waiver) f.waiver = extra.waiver;
    return f;
  });
  const fileIndex = new Map(files.map((f, i) => [f, i]));
  return {
    meta,
    runs: data.runs,
    subjects,
    findings,
    snippet(file, line) {
      const fi = fileIndex.get(file);
      if (fi === undefined) return { note: 'no source lines were embedded for this file' };
      const note = data.snippetNotes[fi];
      if (note) return { note };
      for (const [from, lines] of data.snippets[fi] ?? []) {
        if (line < from || line >= from + lines.length) continue;
        const start = Math.max(from, line - SNIPPET_CONTEXT);
        const end = Math.min(from + lines.length - 1, line + SNIPPET_CONTEXT);
        return { startLine: start, lines: lines.slice(start - from, end - from + 1) };
      }
      return { note: 'no source lines were embedded for this line' };
    },
  };
}
