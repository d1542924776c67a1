/**
 * Threats as findings of the assessment, so the store, POA&M and dashboards see them: one
 * finding per threat, on the element's resource, with the rule as its check.
 */
import type { CheckMeta, Finding } from '../../core/model.ts';
import { AZURE_RESOURCE_KIND } from '../resource.ts';
import { describeRisk, SEVERITY_OF } from './matrix.ts';
import { THREAT_RULES } from './rules.ts';
import type { Threat } from './threats.ts';

export const THREAT_TAG = 'threat';

/** The check metadata of every threat rule (severity is nominal: each finding carries its own). */
export const THREAT_CHECKS: readonly CheckMeta[] = THREAT_RULES.map((rule) => ({
  id: rule.id,
  title: rule.title,
  severity: 'high',
  rationale: `${rule.stride.join(', ')}: ${rule.statement.replace('{element}', rule.driver === 'flow' ? 'the flow' : 'the element')} Evidence: ${rule.evidence}. Rated on the 5 x 5 matrix of docs/tra.md; the finding fails when the residual risk is above the risk appetite.`,
  remediation: rule.treatment,
  controls: rule.controls,
  subjectKind: AZURE_RESOURCE_KIND,
  subjectTypes: [],
  tags: [THREAT_TAG, ...rule.stride.map((s) => s.toLowerCase())],
  references: ['docs/tra.md', ...rule.sources],
}));

export function threatFindings(threats: readonly Threat[]): { checks: CheckMeta[]; findings: Finding[] } {
  const findings = threats.map((t): Finding => {
    const exposure = t.exposure
      ? ` Exposure: ${t.exposure}${t.paths.length ? ` (${t.paths.join(', ')})` : ''}.`
      : '';
    return {
      checkId: t.ruleId,
      title: t.title,
      severity: SEVERITY_OF[t.residual.rating],
      status: t.status,
      message: `${t.stride.join(', ')}: ${t.statement}${exposure} Inherent ${describeRisk(t.inherent)}, residual ${describeRisk(t.residual)}.`,
      subject: {
        id: t.element.subjectId,
        name: t.element.name,
        type: t.element.type,
        kind: AZURE_RESOURCE_KIND,
      },
      location: t.element.location,
      controls: t.controls,
      evidence: {
        threat: t.id,
        ...(t.element.flow ? { flow: t.element.flow } : {}),
        stride: t.stride,
        ...(t.exposure ? { exposure: t.exposure } : {}),
        paths: t.paths,
        inherent: t.inherent,
        residual: t.residual,
        aggravating: t.aggravating.map((f) => f.checkId),
        mitigating: t.mitigating.map((f) => f.checkId),
        undetermined: t.undetermined.map((f) => f.checkId),
        ...(t.triggers.length ? { triggers: t.triggers.map((f) => `${f.checkId}:${f.status}`) } : {}),
      },
    };
  });
  const used = new Set(threats.map((t) => t.ruleId));
  return { checks: THREAT_CHECKS.filter((c) => used.has(c.id)), findings };
}
