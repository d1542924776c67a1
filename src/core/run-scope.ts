import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { compareText } from './compare.ts';
import type { Assessment, CheckMeta } from './model.ts';
import { trimTrailing } from './trim-char.ts';

/**
 * What a run was: the command that produced it and what it looked at. Runs of the same
 * series (same domain, kind, root, targets and boundary) are comparable; `diff` and `trend`
 * stay within one series unless told otherwise, so an InnerSource run is never "diffed"
 * against a readiness run, nor a TRA against a plain scan.
 *
 * Baselines are recorded but are not part of the series: a baseline changes the compliance
 * view of the same findings, not the findings or the score.
 */
export interface RunScope {
  /** The command that produced the run: scan, tra, innersource, readiness. */
  kind: string;
  /** What was scanned, as given (paths relative to the working folder), sorted. */
  targets: string[];
  /** The sovereign boundary residency checks used, when one was set. */
  boundary?: string;
  /** Baselines the run was evaluated against. */
  baselines: string[];
  /** True when the scope was worked out from an assessment saved before runs recorded it. */
  inferred?: boolean;
}

/** The scope a command records, with targets made stable (sorted, unique, `/` separators). */
export function runScope(
  kind: string,
  targets: readonly string[],
  extra: { boundary?: string | undefined; baselines?: readonly string[] } = {},
): RunScope {
  const clean = [
    ...new Set(targets.map((t) => trimTrailing(posix.normalize(t.replaceAll('\\', '/')), '/') || '.')),
  ].sort(compareText);
  return {
    kind,
    targets: clean,
    ...(extra.boundary ? { boundary: extra.boundary } : {}),
    baselines: [...new Set(extra.baselines ?? [])].sort(compareText),
  };
}

/**
 * The scope of an assessment: its own record, or for one saved before scopes were recorded,
 * the best reading of it: the kind from its domain and checks (a TRA adds AZ-TRA checks), the
 * targets from the folder its input files share, the baselines from its compliance matrices.
 */
export function scopeOf(a: Assessment): RunScope {
  if (a.scope) return a.scope;
  const kind =
    a.domain === 'azure' ? (a.checks.some((c) => c.id.startsWith('AZ-TRA-')) ? 'tra' : 'scan') : a.domain;
  return {
    ...runScope(kind, sharedFolder(scannedInputs(a).map((i) => i.file)), {
      baselines: (a.compliance ?? []).map((m) => m.baseline.name),
    }),
    inferred: true,
  };
}

/** The inputs that name what was scanned: a readiness run is its framework, whatever export fed it. */
function scannedInputs(a: Assessment): Assessment['inputs'] {
  const framework = a.inputs.filter((i) => i.kind === 'readiness-framework');
  if (framework.length > 0) return framework;
  const templates = a.inputs.filter((i) => i.kind === 'arm-template');
  return templates.length > 0 ? templates : a.inputs;
}

/** The folder every file sits in (the file itself when there is one), or nothing when there are none. */
function sharedFolder(files: readonly string[]): string[] {
  if (files.length === 0) return [];
  if (files.length === 1) return [files[0]];
  const split = files.map((f) => f.replaceAll('\\', '/').split('/'));
  const common: string[] = [];
  for (let i = 0; ; i++) {
    const part = split[0][i];
    // The last segment is a file name: a folder is shared only while every path goes on past it.
    if (part === undefined || split.some((s) => s[i] !== part || i >= s.length - 1)) break;
    common.push(part);
  }
  return [common.join('/') || '.'];
}

/** The series a run belongs to: runs with equal keys are comparable. */
export function seriesKey(a: Pick<Assessment, 'domain' | 'root'>, scope: RunScope): string {
  return JSON.stringify([a.domain, scope.kind, a.root, scope.targets, scope.boundary ?? null]);
}

/** A series key as people read it: `azure scan of examples/azure (boundary au) in /repo`. */
export function seriesLabel(key: string): string {
  try {
    const [domain, kind, root, targets, boundary] = JSON.parse(key) as [
      string,
      string,
      string,
      string[],
      string | null,
    ];
    const what = domain === kind ? domain : `${domain} ${kind}`;
    const of = targets.length > 0 ? ` of ${targets.join(', ')}` : '';
    return `${what}${of}${boundary ? ` (boundary ${boundary})` : ''} in ${root}`;
  } catch {
    return key;
  }
}

/**
 * A digest of the check set: ids, severities and control mappings. Two runs with the same
 * digest were judged by the same rules; a different digest means a change of score may come
 * from the rules rather than from the evidence.
 */
export function checkSetDigest(checks: readonly CheckMeta[]): string {
  const lines = checks
    .map((c) => `${c.id}\0${c.severity}\0${[...c.controls].sort(compareText).join(',')}`)
    .sort(compareText);
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 12);
}
