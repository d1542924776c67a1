/**
 * Control mappings as data: one JSON file per framework (ISM, Essential Eight, NZISM, or a
 * user's own) listing, per check id, the control ids the check evidences. The built-in files
 * live in `src/controls/mappings/`; a project adds its own in `.assay/mappings/*.json`.
 * Loading one checks its shape and names the file and JSON path of any problem.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Assessment, CheckMeta } from '../core/model.ts';
import { packagePath } from '../core/package-root.ts';

/** The check field a framework's ids go to: `controls` for catalogs, `essentialEight` for E8 strategies. */
export type MappingField = 'controls' | 'essentialEight';

export interface MappedCheck {
  controls: string[];
  /** One line: why the check evidences these controls. */
  rationale?: string;
}

export interface ControlLabel {
  /** The control's number in its framework, e.g. an NZISM paragraph `17.4.16.C.01`. */
  label?: string;
  title?: string;
}

export interface FrameworkMapping {
  framework: string;
  title: string;
  source?: string;
  note?: string;
  field: MappingField;
  /** A regular expression every control id of the file must match. */
  controlPattern?: string;
  /** What the file knows of each control it cites (labels for a reviewer to check). */
  controls: Record<string, ControlLabel>;
  checks: Record<string, MappedCheck>;
  /** Checks deliberately left without a control of this framework, with the reason. */
  unmapped: Record<string, string>;
  /** The file it was read from. */
  file: string;
}

export class MappingError extends Error {}

const BUILTIN_DIR = packagePath('src', 'controls', 'mappings');
/** Built-in frameworks, in the order their ids appear on a check. */
export const BUILTIN_FRAMEWORKS = ['ism', 'nzism', 'e8'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, file: string, path: string, required: boolean): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '')
    throw new MappingError(`${file}: ${path}: expected a non-empty string`);
  return v;
}

function record(v: unknown, file: string, path: string): Record<string, unknown> {
  if (v === undefined) return {};
  if (!isRecord(v)) throw new MappingError(`${file}: ${path}: expected an object`);
  return v;
}

/** Parses and checks one mapping file; every problem names the file and the JSON path. */
export function parseMapping(source: string, file: string): FrameworkMapping {
  let doc: unknown;
  try {
    doc = JSON.parse(source);
  } catch (err) {
    throw new MappingError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (!isRecord(doc)) throw new MappingError(`${file}: $: expected an object`);
  const framework = text(doc.framework, file, '$.framework', true) as string;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(framework))
    throw new MappingError(`${file}: $.framework: '${framework}' must be lower-case letters, digits and '-'`);
  const field = doc.field ?? 'controls';
  if (field !== 'controls' && field !== 'essentialEight')
    throw new MappingError(`${file}: $.field: expected 'controls' or 'essentialEight'`);
  const controlPattern = text(doc.controlPattern, file, '$.controlPattern', false);
  let pattern: RegExp | undefined;
  try {
    pattern = controlPattern ? new RegExp(controlPattern) : undefined;
  } catch (err) {
    throw new MappingError(`${file}: $.controlPattern: ${(err as Error).message}`);
  }
  const controls: Record<string, ControlLabel> = {};
  for (const [id, v] of Object.entries(record(doc.controls, file, '$.controls'))) {
    const at = `$.controls['${id}']`;
    const c = record(v, file, at);
    controls[id] = {
      ...(c.label !== undefined ? { label: text(c.label, file, `${at}.label`, true) } : {}),
      ...(c.title !== undefined ? { title: text(c.title, file, `${at}.title`, true) } : {}),
    };
  }
  const checks: Record<string, MappedCheck> = {};
  for (const [id, v] of Object.entries(record(doc.checks, file, '$.checks'))) {
    const at = `$.checks['${id}']`;
    const c = record(v, file, at);
    if (!Array.isArray(c.controls) || c.controls.length === 0)
      throw new MappingError(`${file}: ${at}.controls: expected a non-empty list of control ids`);
    const ids = c.controls.map((x, i) => text(x, file, `${at}.controls[${i}]`, true) as string);
    for (const [i, x] of ids.entries()) {
      if (pattern && !pattern.test(x))
        throw new MappingError(`${file}: ${at}.controls[${i}]: '${x}' does not match ${controlPattern}`);
      if (ids.indexOf(x) !== i) throw new MappingError(`${file}: ${at}.controls[${i}]: '${x}' is repeated`);
    }
    const rationale = text(c.rationale, file, `${at}.rationale`, false);
    checks[id] = { controls: ids, ...(rationale ? { rationale } : {}) };
  }
  const unmapped: Record<string, string> = {};
  for (const [id, v] of Object.entries(record(doc.unmapped, file, '$.unmapped'))) {
    if (Object.hasOwn(checks, id))
      throw new MappingError(`${file}: $.unmapped['${id}']: the check is also mapped in $.checks`);
    unmapped[id] = text(v, file, `$.unmapped['${id}']`, true) as string;
  }
  return {
    framework,
    title: text(doc.title, file, '$.title', true) as string,
    ...(doc.source !== undefined ? { source: text(doc.source, file, '$.source', true) } : {}),
    ...(doc.note !== undefined ? { note: text(doc.note, file, '$.note', true) } : {}),
    field,
    ...(controlPattern ? { controlPattern } : {}),
    controls,
    checks,
    unmapped,
    file,
  };
}

export function loadMappingFile(path: string): FrameworkMapping {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MappingError(`${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseMapping(source, path);
}

let builtins: FrameworkMapping[] | undefined;

/** The mappings shipped with assay: ISM, NZISM, Essential Eight. */
export function builtinMappings(): FrameworkMapping[] {
  builtins ??= BUILTIN_FRAMEWORKS.map((f) => loadMappingFile(join(BUILTIN_DIR, `${f}.json`)));
  return builtins;
}

/** A project's own mapping files, `.assay/mappings/*.json` under `root`, in name order. */
export function projectMappings(root = process.cwd()): FrameworkMapping[] {
  const dir = join(root, '.assay', 'mappings');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => loadMappingFile(join(dir, f)));
}

function union(a: readonly string[] | undefined, b: readonly string[]): string[] {
  const out = [...(a ?? [])];
  const seen = new Set(out.map((x) => x.toLowerCase()));
  for (const x of b) {
    if (seen.has(x.toLowerCase())) continue;
    seen.add(x.toLowerCase());
    out.push(x);
  }
  return out;
}

/** A check's metadata with the ids every mapping gives it added (ids already there are kept, in order). */
export function mapMeta(meta: CheckMeta, mappings: readonly FrameworkMapping[]): CheckMeta {
  let controls = meta.controls;
  let e8 = meta.essentialEight;
  for (const m of mappings) {
    const ids = m.checks[meta.id]?.controls;
    if (!ids) continue;
    if (m.field === 'controls') controls = union(controls, ids);
    else e8 = union(e8, ids);
  }
  if (controls === meta.controls && e8 === meta.essentialEight) return meta;
  return { ...meta, controls, ...(e8 && e8.length > 0 ? { essentialEight: e8 } : {}) };
}

/** Checks with their metadata mapped; a check no mapping names is returned as is. */
export function withMappings<T extends { meta: CheckMeta }>(
  checks: readonly T[],
  mappings: readonly FrameworkMapping[],
): T[] {
  return checks.map((c) => {
    const meta = mapMeta(c.meta, mappings);
    return meta === c.meta ? c : { ...c, meta };
  });
}

/**
 * An assessment's checks and findings with the ids of further mappings (a project's own
 * files) added, so its compliance matrices count them. Findings get the ids of their check.
 */
export function mapAssessment<A extends Pick<Assessment, 'checks' | 'findings'>>(
  assessment: A,
  mappings: readonly FrameworkMapping[],
): A {
  if (mappings.length === 0) return assessment;
  const checks = assessment.checks.map((m) => mapMeta(m, mappings));
  const byId = new Map(checks.map((m) => [m.id, m]));
  const findings = assessment.findings.map((f) => {
    const meta = byId.get(f.checkId);
    const controls = meta ? union(f.controls, meta.controls) : f.controls;
    return controls.length === f.controls.length ? f : { ...f, controls };
  });
  return { ...assessment, checks, findings };
}
