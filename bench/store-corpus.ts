/**
 * Deterministic synthetic assessments for the store benchmark and the store tests: N
 * findings over N/10 subjects in 200 files, with every status, severity, evidence, a few
 * waivers and one baseline. `variant` flips a small share of statuses, so consecutive runs
 * differ the way real rescans do.
 */
import {
  type Assessment,
  type CheckMeta,
  type ComplianceMatrix,
  type ControlStatus,
  type Finding,
  SEVERITIES,
  type Status,
} from '../src/core/model.ts';
import { summarise } from '../src/core/scoring.ts';

/** A small, fast, seedable generator (mulberry32), so every run of the bench sees the same data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREAS = ['STORAGE', 'KV', 'NET', 'SQL', 'APP', 'AKS', 'LOG', 'COSMOS', 'ACR', 'REDIS'];
const TYPES = [
  'Microsoft.Storage/storageAccounts',
  'Microsoft.KeyVault/vaults',
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.Sql/servers',
  'Microsoft.Web/sites',
  'Microsoft.ContainerService/managedClusters',
  'Microsoft.OperationalInsights/workspaces',
  'Microsoft.DocumentDB/databaseAccounts',
  'Microsoft.ContainerRegistry/registries',
  'Microsoft.Cache/redis',
];
const WORDS = [
  'encryption',
  'public access',
  'tls',
  'firewall',
  'diagnostics',
  'identity',
  'backup',
  'retention',
];

export interface SyntheticOptions {
  findings?: number;
  /** Changes a few percent of the statuses; run i of a series uses variant i. */
  variant?: number;
  startedAt?: string;
}

export function syntheticAssessment(options: SyntheticOptions = {}): Assessment {
  const n = options.findings ?? 10_000;
  const variant = options.variant ?? 0;
  const rnd = random(42);
  const flip = random(1000 + variant);
  const checks: CheckMeta[] = [];
  for (let i = 0; i < 100; i++) {
    const area = AREAS[i % AREAS.length];
    checks.push({
      id: `AZ-${area}-${String(Math.floor(i / AREAS.length) + 1).padStart(3, '0')}`,
      title: `${area.toLowerCase()} ${WORDS[i % WORDS.length]} is configured`,
      severity: SEVERITIES[i % SEVERITIES.length],
      rationale: 'synthetic',
      remediation: 'synthetic',
      controls: [
        `ism-${String(1000 + i).padStart(4, '0')}`,
        `ism-${String(1100 + (i % 37)).padStart(4, '0')}`,
      ],
      subjectKind: 'azure-resource',
      subjectTypes: [TYPES[i % TYPES.length]],
    });
  }
  const subjectCount = Math.max(1, Math.ceil(n / 10));
  const subjects: Assessment['subjects'] = [];
  for (let i = 0; i < subjectCount; i++) {
    const file = `infra/app-${String(i % 200).padStart(3, '0')}/main.json`;
    subjects.push({
      id: `/subscriptions/0000/resourceGroups/rg-${i % 50}/providers/${TYPES[i % TYPES.length]}/res-${i}`,
      name: `res-${i}`,
      type: TYPES[i % TYPES.length],
      kind: 'azure-resource',
      location: { file, line: 10 + (i % 400), column: 5 },
    });
  }
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const subject = subjects[i % subjectCount];
    const check = checks[(i * 7 + Math.floor(i / subjectCount)) % checks.length];
    const r = rnd();
    let status: Status = r < 0.6 ? 'pass' : r < 0.85 ? 'fail' : r < 0.95 ? 'unknown' : 'not-applicable';
    if (variant > 0 && flip() < 0.03)
      status = status === 'fail' ? 'pass' : status === 'pass' ? 'fail' : status;
    const waived = status === 'fail' && rnd() < 0.05;
    const word = WORDS[i % WORDS.length];
    findings.push({
      checkId: check.id,
      title: check.title,
      severity: check.severity,
      status: waived ? 'waived' : status,
      ...(waived ? { originalStatus: 'fail' as Status } : {}),
      message: `${word} ${status === 'pass' ? 'is as expected' : 'is not as expected'} on ${subject.name} (property ${i % 13})`,
      subject: { id: subject.id, name: subject.name, type: subject.type, kind: subject.kind },
      location: { file: subject.location.file, line: subject.location.line + (i % 9), column: 9 },
      controls: check.controls,
      evidence: { path: `properties.p${i % 13}`, value: status === 'pass' },
      ...(waived
        ? {
            waiver: {
              id: `W-${i}`,
              source: 'waiver-file' as const,
              justification: 'accepted for the synthetic corpus',
              expires: '2099-01-01',
            },
          }
        : {}),
    });
  }
  const controls = [...new Set(checks.flatMap((c) => c.controls))].sort();
  const statuses: ControlStatus[] = ['met', 'not-met', 'partially-met', 'unknown', 'not-assessed'];
  const matrix: ComplianceMatrix = {
    baseline: { name: 'ism-protected', title: 'ISM PROTECTED (synthetic)' },
    controls: controls.map((id, i) => ({
      id,
      status: statuses[(i + variant) % statuses.length],
      checks: checks.filter((c) => c.controls.includes(id)).map((c) => c.id),
      findings: [],
    })),
    coverage: {
      total: 0,
      automated: 0,
      assessed: 0,
      met: 0,
      notMet: 0,
      partiallyMet: 0,
      unknown: 0,
      waived: 0,
      notAssessed: 0,
    },
  };
  const c = matrix.coverage;
  for (const r of matrix.controls) {
    c.total++;
    c.automated++;
    if (r.status !== 'not-assessed') c.assessed++;
    if (r.status === 'met') c.met++;
    if (r.status === 'not-met') c.notMet++;
    if (r.status === 'partially-met') c.partiallyMet++;
    if (r.status === 'unknown') c.unknown++;
    if (r.status === 'not-assessed') c.notAssessed++;
  }
  const startedAt = options.startedAt ?? new Date(Date.UTC(2025, 0, 1) + variant * 86_400_000).toISOString();
  return {
    schemaVersion: 1,
    tool: { name: 'assay', version: 'bench' },
    id: `synthetic-${n}-${variant}`,
    startedAt,
    finishedAt: startedAt,
    domain: 'azure',
    root: '/synthetic',
    inputs: [],
    checks,
    subjects,
    findings,
    errors: [],
    notes: [],
    summary: summarise(findings, subjects.length),
    compliance: [matrix],
  };
}
