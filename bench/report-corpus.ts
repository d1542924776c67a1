/**
 * A synthetic run shaped like a real folder of quickstart templates, for the single-file
 * report's size (bench/web.ts) and its browser test: long ARM ids and paths, about two
 * files per template, every input hashed, checks with real-length rationale and
 * remediation, and a baseline of 900 controls with statements, each listing the findings
 * that evidence it (what made the embedded compliance data 5.4 MB of a 12.2 MB report).
 */
import { controlStatus } from '../src/core/compliance.ts';
import type { Assessment, ComplianceMatrix, ControlResult } from '../src/core/model.ts';
import { syntheticAssessment } from './store-corpus.ts';

const PROSE =
  'The control is implemented when the service is configured so that data is protected in transit and at rest, access is limited to authorised identities, and events are logged to a central workspace that security staff review. ';

export function quickstartAssessment(
  findings: number,
  files = Math.max(1, Math.round(findings / 4.7)),
): Assessment {
  const a = syntheticAssessment({ findings });
  const fileOf = (i: number) =>
    `quickstarts/microsoft.${['storage', 'keyvault', 'network', 'sql', 'web'][i % 5]}/sample-template-${String(
      Math.floor(i / 2),
    ).padStart(4, '0')}/${i % 2 ? 'azuredeploy.parameters.json' : 'azuredeploy.json'}`;
  const files2 = Array.from({ length: files }, (_, i) => fileOf(i));
  const remap = (file: string, i: number) =>
    files2[(Number(file.replace(/\D/g, '')) * 7 + i) % files2.length];
  a.subjects = a.subjects.map((s, i) => ({
    ...s,
    id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-quickstart-${i % 50}/providers/${s.type}/${s.name}-${'x'.repeat(12)}`,
    location: { ...s.location, file: remap(s.location.file, i) },
  }));
  const byName = new Map(a.subjects.map((s) => [s.name, s]));
  a.findings = a.findings.map((f) => {
    const s = byName.get(f.subject.name)!;
    return {
      ...f,
      subject: { ...f.subject, id: s.id },
      location: { ...f.location, file: s.location.file },
    };
  });
  a.inputs = files2.map((file, i) => ({
    file,
    kind: 'arm-template',
    sha256: (i.toString(16).padStart(8, '0') + 'a'.repeat(56)).slice(0, 64),
  }));
  a.checks = a.checks.map((c) => ({
    ...c,
    rationale: `${PROSE}${PROSE}`.trim(),
    remediation: PROSE.trim(),
    references: ['https://learn.microsoft.com/azure/security/fundamentals/overview'],
  }));

  const controls = new Map<string, ControlResult>();
  for (let i = 0; i < 900; i++) {
    const id = `ism-${String(1000 + i).padStart(4, '0')}`;
    controls.set(id, {
      id,
      title: `Control ${id}`,
      statement: `${PROSE}${i % 3 === 0 ? PROSE : ''}`.trim(),
      class: 'ISM-control',
      status: 'not-assessed',
      checks: [],
      findings: [],
    });
  }
  for (const check of a.checks) for (const id of check.controls) controls.get(id)?.checks.push(check.id);
  for (const f of a.findings)
    for (const id of f.controls)
      controls.get(id)?.findings.push({ checkId: f.checkId, subjectId: f.subject.id, status: f.status });
  for (const c of controls.values())
    c.status = c.findings.length ? controlStatus(c.findings.map((f) => f.status)) : 'not-assessed';
  const all = [...controls.values()];
  const count = (status: string) => all.filter((c) => c.status === status).length;
  const matrix = (name: string, title: string): ComplianceMatrix => ({
    baseline: { name, title },
    catalog: { title: 'Information Security Manual (synthetic)', version: '2025.06' },
    controls: all.map((c) => ({ ...c })),
    coverage: {
      total: all.length,
      automated: all.filter((c) => c.checks.length > 0).length,
      assessed: all.length - count('not-assessed'),
      met: count('met'),
      notMet: count('not-met'),
      partiallyMet: count('partially-met'),
      unknown: count('unknown'),
      waived: count('waived'),
      notAssessed: count('not-assessed'),
    },
  });
  a.compliance = [matrix('ism-protected', 'ISM PROTECTED (synthetic)')];
  return a;
}
