import type { Check, CheckOutcome, Finding, Subject } from './model.ts';

/** Lower-cased type lists, computed once per check rather than per subject. */
const typeSets = new WeakMap<Check, Set<string>>();

function appliesTo(check: Check, subject: Subject): boolean {
  if (check.meta.subjectKind !== subject.kind) return false;
  if (check.meta.subjectTypes.length === 0) return true;
  let types = typeSets.get(check);
  if (!types) {
    types = new Set(check.meta.subjectTypes.map((t) => t.toLowerCase()));
    typeSets.set(check, types);
  }
  return types.has(subject.type.toLowerCase());
}

function subjectRef(subject: Subject): Finding['subject'] {
  return { id: subject.id, name: subject.name, type: subject.type, kind: subject.kind };
}

function toFinding(check: Check, subject: Subject, ref: Finding['subject'], outcome: CheckOutcome): Finding {
  const finding: Finding = {
    checkId: check.meta.id,
    title: check.meta.title,
    severity: check.meta.severity,
    status: outcome.status,
    message: outcome.message,
    subject: ref,
    location: outcome.location ?? subject.location,
    controls: check.meta.controls,
  };
  if (outcome.evidence) finding.evidence = outcome.evidence;
  return finding;
}

/**
 * Runs every applicable check on every subject. A check that throws yields an `error`
 * finding for that subject only; the rest of the run goes on.
 */
export function evaluate<S extends Subject, C>(
  subjects: readonly S[],
  checks: readonly Check<S, C>[],
  context: C,
): Finding[] {
  const findings: Finding[] = [];
  // Which checks apply depends only on a subject's kind and type: decided once per pair, not per subject.
  const applicable = new Map<string, Map<string, readonly Check<S, C>[]>>();
  for (const subject of subjects) {
    let byType = applicable.get(subject.kind);
    if (!byType) {
      byType = new Map();
      applicable.set(subject.kind, byType);
    }
    let forSubject = byType.get(subject.type);
    if (!forSubject) {
      forSubject = checks.filter((check) => appliesTo(check as Check, subject));
      byType.set(subject.type, forSubject);
    }
    if (forSubject.length === 0) continue;
    // One reference per subject, shared by its findings (read-only, like the rest of a finding).
    const ref = subjectRef(subject);
    for (const check of forSubject) {
      let outcomes: CheckOutcome | CheckOutcome[];
      try {
        outcomes = check.run(subject, context);
      } catch (err) {
        outcomes = { status: 'unknown', message: '' };
        findings.push({
          ...toFinding(check as Check, subject, ref, outcomes),
          status: 'error',
          message: `check failed: ${err instanceof Error ? err.message : String(err)}`,
        });
        continue;
      }
      if (Array.isArray(outcomes))
        for (const outcome of outcomes) findings.push(toFinding(check as Check, subject, ref, outcome));
      else findings.push(toFinding(check as Check, subject, ref, outcomes));
    }
  }
  return findings;
}
