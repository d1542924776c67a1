import { createHash } from 'node:crypto';
import { VERSION } from '../version.ts';
import { compareText } from './compare.ts';
import type {
  Assessment,
  CheckMeta,
  Finding,
  InputError,
  InputNote,
  Subject,
  TemplateFault,
} from './model.ts';
import { summarise } from './scoring.ts';

export interface AssessmentParts {
  domain: string;
  root: string;
  startedAt: Date;
  inputs: Assessment['inputs'];
  checks: CheckMeta[];
  subjects: Subject[];
  findings: Finding[];
  errors: InputError[];
  /** Template faults; omitted from the assessment when there are none. */
  faults?: TemplateFault[];
  notes: InputNote[];
}

/** An assessment's template faults: none for one stored before they existed. */
export function faultsOf(a: Pick<Assessment, 'faults'>): TemplateFault[] {
  return a.faults ?? [];
}

/** Sort key that keeps reports and the assessment id stable on every machine: file, line, check, subject. */
function findingOrder(a: Finding, b: Finding): number {
  return (
    compareText(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    compareText(a.checkId, b.checkId) ||
    compareText(a.subject.id, b.subject.id)
  );
}

/**
 * Assembles an assessment. Its id is a hash of what was read and what was found, so two
 * identical runs share an id and a changed input or finding changes it.
 */
export function buildAssessment(parts: AssessmentParts): Assessment {
  const findings = [...parts.findings].sort(findingOrder);
  const hash = createHash('sha256');
  // Fed in chunks of whole lines (the same bytes, so the same digest): one update per
  // finding cost more than the hashing itself on large scans.
  let chunk = '';
  for (const input of parts.inputs) chunk += `${input.file}\0${input.sha256}\n`;
  for (const f of findings) {
    chunk += `${f.checkId}\0${f.subject.id}\0${f.status}\0${f.location.file}:${f.location.line}\n`;
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(chunk);
  return {
    schemaVersion: 1,
    tool: { name: 'assay', version: VERSION },
    id: hash.digest('hex').slice(0, 16),
    startedAt: parts.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    domain: parts.domain,
    root: parts.root,
    inputs: parts.inputs,
    checks: parts.checks,
    subjects: parts.subjects.map((s) => ({
      id: s.id,
      name: s.name,
      type: s.type,
      kind: s.kind,
      location: s.location,
    })),
    findings,
    errors: parts.errors,
    ...(parts.faults && parts.faults.length > 0 ? { faults: parts.faults } : {}),
    notes: parts.notes,
    summary: summarise(findings, parts.subjects.length),
  };
}
