import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { compareText } from './compare.ts';
import type { Assessment, CheckMeta } from './model.ts';
import type { RunScope } from './series.ts';
import { trimTrailing } from './trim-char.ts';

// Kept in a Node-free file so the browser bundle can use them too; re-exported for existing callers.
export { type RunScope, seriesLabel } from './series.ts';

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

/** Option values set away from their defaults (`checks.options`), as `name=value`; none at the defaults. */
function changedOptions(meta: CheckMeta): string {
  return (meta.options ?? [])
    .filter((o) => JSON.stringify(o.value) !== JSON.stringify(o.default))
    .map((o) => `\0${o.name}=${JSON.stringify(o.value)}`)
    .join('');
}

/**
 * A digest of the check set: ids, severities, control mappings and options set away from their
 * defaults. Two runs with the same digest were judged by the same rules; a different digest
 * means a change of score may come from the rules rather than from the evidence.
 */
export function checkSetDigest(checks: readonly CheckMeta[]): string {
  const lines = checks
    .map((c) => `${c.id}\0${c.severity}\0${[...c.controls].sort(compareText).join(',')}${changedOptions(c)}`)
    .sort(compareText);
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 12);
}
