/**
 * `assay drift` end to end: the planned and the deployed paths each through scanAzure (no
 * checks: only their models), the comparison, the AZ-DRIFT checks over its items, waivers, and
 * one assessment whose inputs are both sides'.
 */
import { resolve } from 'node:path';
import { buildAssessment } from '../../core/assessment.ts';
import { evaluate } from '../../core/evaluate.ts';
import type { Assessment, InputNote } from '../../core/model.ts';
import { type Waiver, waiverStage } from '../../core/waivers.ts';
import type { AzureResource } from '../resource.ts';
import { type AzureScanOptions, scanAzure } from '../scan.ts';
import { DRIFT_KIND, type DriftCheck, type DriftSubject, driftChecks } from './checks.ts';
import { compareModels, type DriftComparison, type DriftItem } from './compare.ts';

export interface DriftOptions extends Omit<AzureScanOptions, 'checks' | 'waivers' | 'analyse' | 'boundary'> {
  /** The drift checks to run. Default: all three. */
  checks?: DriftCheck[];
  waivers?: Waiver[];
}

export interface DriftResult {
  assessment: Assessment;
  comparison: DriftComparison;
  /** Assessed inputs (templates and other sources, not parameter files) on each side. */
  plannedInputs: number;
  deployedInputs: number;
}

function subjectOf(item: DriftItem, seen: Set<string>): DriftSubject {
  const r: AzureResource = item.side === 'planned' ? item.planned : item.deployed;
  let id = item.side === 'planned' ? r.id : `deployed:${r.id}`;
  if (seen.has(id)) id = `${id}@${r.location.file}:${r.location.line}${r.copy ? `[${r.copy.index}]` : ''}`;
  seen.add(id);
  const name = typeof r.name === 'string' ? r.name : '{unknown name}';
  return { kind: DRIFT_KIND, id, name, type: r.type, location: r.location, data: item };
}

export async function runDrift(
  planned: string[],
  deployed: string[],
  options: DriftOptions = {},
  assessed: ReadonlySet<string> = new Set(['arm-template']),
): Promise<DriftResult> {
  const startedAt = new Date();
  const now = options.now ?? startedAt.toISOString();
  const { checks = driftChecks, waivers = [], onProgress, ...scan } = options;
  const base = { ...scan, now, checks: [] };
  const plan = await scanAzure(planned, { ...base, ...(onProgress ? { onProgress } : {}) });
  const live = await scanAzure(deployed, base);
  const comparison = compareModels(plan.resources, live.resources);
  const seen = new Set<string>();
  const subjects = comparison.items.map((item) => subjectOf(item, seen));
  const findings = evaluate(subjects, checks, { now });
  const notes: InputNote[] = [...plan.assessment.notes, ...live.assessment.notes];
  if (comparison.ignored.length > 0) {
    const outside = [...new Set(comparison.ignored.map((r) => r.location.file))];
    notes.push({
      file: outside[0] as string,
      level: 'info',
      message: `${comparison.ignored.length} deployed resource(s) outside the scopes the plan deploys to (${comparison.scopes.join(', ') || 'none'}) were not compared`,
    });
  }
  const waived = waiverStage(findings, waivers, options.today ?? now.slice(0, 10));
  notes.push(...waived.notes);
  const assessment = buildAssessment({
    domain: 'azure',
    root: resolve(options.root ?? process.cwd()),
    startedAt,
    // A file on both sides (a model compared with itself) is one input.
    inputs: [
      ...new Map(
        [...plan.assessment.inputs, ...live.assessment.inputs].map((i) => [`${i.file}\0${i.sha256}`, i]),
      ).values(),
    ],
    checks: [...checks.map((c) => c.meta), ...waived.checks],
    subjects,
    findings: waived.findings,
    errors: [...plan.assessment.errors, ...live.assessment.errors],
    notes,
  });
  if (waived.expired.length > 0) assessment.expiredWaivers = waived.expired;
  const count = (a: Assessment) => a.inputs.filter((i) => assessed.has(i.kind)).length;
  return {
    assessment,
    comparison,
    plannedInputs: count(plan.assessment),
    deployedInputs: count(live.assessment),
  };
}
