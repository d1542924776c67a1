/**
 * The compliance matrix: a baseline's controls, each with a status decided from the findings
 * that evidence it. Pure; the rules are written out in docs/controls.md and each one has a
 * test in test/controls/matrix.test.ts.
 */
import type {
  Assessment,
  CheckMeta,
  ComplianceMatrix,
  ControlResult,
  ControlStatus,
  Finding,
  Status,
} from './model.ts';

/** What the matrix needs to know of a control; the catalog fields are absent without a catalog. */
export interface ControlInfo {
  id: string;
  title?: string;
  statement?: string;
  class?: string;
  /** No automated check can evidence it (an ISM principle, or marked manual in the catalog). */
  manual?: boolean;
}

export interface BaselineInput {
  name: string;
  title: string;
  source?: string;
  catalog?: ComplianceMatrix['catalog'];
  controls: ControlInfo[];
}

/**
 * A control's status from the statuses of the findings that evidence it, in this order:
 * 1. not-applicable findings are ignored;
 * 2. any fail: partially-met if anything passes, else not-met;
 * 3. any unknown or error (and no fail): unknown;
 * 4. any waived (and no fail, unknown or error): waived;
 * 5. any pass: met;
 * 6. nothing decided: manual for a manual control, else not-assessed.
 */
export function controlStatus(statuses: readonly Status[], manual = false): ControlStatus {
  let pass = 0;
  let fail = 0;
  let unknown = 0;
  let waived = 0;
  for (const s of statuses) {
    if (s === 'pass') pass++;
    else if (s === 'fail') fail++;
    else if (s === 'unknown' || s === 'error') unknown++;
    else if (s === 'waived') waived++;
  }
  if (fail > 0) return pass > 0 ? 'partially-met' : 'not-met';
  if (unknown > 0) return 'unknown';
  if (waived > 0) return 'waived';
  if (pass > 0) return 'met';
  return manual ? 'manual' : 'not-assessed';
}

function key(id: string): string {
  return id.toLowerCase();
}

/** Evaluates a baseline against an assessment's checks and findings. */
export function buildMatrix(
  assessment: Pick<Assessment, 'checks' | 'findings'>,
  baseline: BaselineInput,
): ComplianceMatrix {
  const checksBy = new Map<string, string[]>();
  for (const check of assessment.checks) {
    for (const c of new Set(check.controls.map(key))) {
      const list = checksBy.get(c) ?? [];
      if (!list.includes(check.id)) list.push(check.id);
      checksBy.set(c, list);
    }
  }
  const findingsBy = new Map<string, Finding[]>();
  for (const f of assessment.findings) {
    for (const c of new Set(f.controls.map(key))) {
      const list = findingsBy.get(c) ?? [];
      list.push(f);
      findingsBy.set(c, list);
    }
  }
  const coverage: ComplianceMatrix['coverage'] = {
    total: 0,
    automated: 0,
    assessed: 0,
    met: 0,
    notMet: 0,
    partiallyMet: 0,
    unknown: 0,
    waived: 0,
    notAssessed: 0,
  };
  const seen = new Set<string>();
  const controls: ControlResult[] = [];
  for (const info of baseline.controls) {
    const k = key(info.id);
    if (seen.has(k)) continue;
    seen.add(k);
    const checks = [...(checksBy.get(k) ?? [])].sort();
    const findings = findingsBy.get(k) ?? [];
    const status = controlStatus(
      findings.map((f) => f.status),
      info.manual === true,
    );
    const result: ControlResult = {
      id: info.id,
      status,
      checks,
      findings: findings.map((f) => ({ checkId: f.checkId, subjectId: f.subject.id, status: f.status })),
    };
    if (info.title !== undefined) result.title = info.title;
    if (info.statement !== undefined) result.statement = info.statement;
    if (info.class !== undefined) result.class = info.class;
    controls.push(result);
    coverage.total++;
    if (checks.length > 0) coverage.automated++;
    if (findings.some((f) => f.status !== 'not-applicable')) coverage.assessed++;
    if (status === 'met') coverage.met++;
    else if (status === 'not-met') coverage.notMet++;
    else if (status === 'partially-met') coverage.partiallyMet++;
    else if (status === 'unknown') coverage.unknown++;
    else if (status === 'waived') coverage.waived++;
    else if (status === 'not-assessed') coverage.notAssessed++;
  }
  const matrix: ComplianceMatrix = {
    baseline: { name: baseline.name, title: baseline.title },
    controls,
    coverage,
  };
  if (baseline.source !== undefined) matrix.baseline.source = baseline.source;
  if (baseline.catalog) matrix.catalog = baseline.catalog;
  return matrix;
}

/** Manual controls in a matrix: the coverage figures leave them out, so count them here. */
export function manualCount(matrix: ComplianceMatrix): number {
  return matrix.controls.filter((c) => c.status === 'manual').length;
}

/**
 * The controls that checks cite, sorted by id: the matrix when no catalog says what a
 * baseline holds. `filter` narrows the checks (e.g. to those with an Essential Eight strategy).
 */
export function citedControls(
  checks: readonly CheckMeta[],
  filter: (check: CheckMeta) => boolean = () => true,
): ControlInfo[] {
  const out: ControlInfo[] = [];
  const seen = new Set<string>();
  for (const check of checks) {
    if (!filter(check)) continue;
    for (const id of check.controls) {
      if (seen.has(key(id))) continue;
      seen.add(key(id));
      out.push({ id });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}
