/**
 * A hand-built assessment for the report tests: two checks; fail, pass, unknown, error,
 * waived and not-applicable findings; an input error and a note; and hostile subject names
 * and messages (HTML, pipes, newlines, backticks, XML-illegal characters).
 */
import type { Assessment, CheckMeta, Finding } from '../../src/core/model.ts';
import { summarise } from '../../src/core/scoring.ts';

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
export const PIPE_NAME = 'a|b\nc`d`';
/** `]]>`, the five XML specials, a C0 control and a lone surrogate. */
export const HOSTILE_MESSAGE = 'allows 0.0.0.0/0 & "any" port <22> it\'s ]]> open\u0001 \ud800end';

export const checks: CheckMeta[] = [
  {
    id: 'AZ-TEST-001',
    title: 'Storage accounts require secure transfer',
    severity: 'high',
    rationale: 'Unencrypted transfer exposes data in transit.',
    remediation: 'Set `properties.supportsHttpsTrafficOnly` to `true`.',
    controls: ['ism-1139', 'ism-0484'],
    essentialEight: ['E8-RAP'],
    subjectKind: 'azure-resource',
    subjectTypes: ['Microsoft.Storage/storageAccounts'],
    tags: ['storage', 'encryption'],
    references: ['https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer'],
  },
  {
    id: 'AZ-TEST-002',
    title: 'NSG rules do not allow SSH from the internet',
    severity: 'medium',
    rationale: 'SSH open to the internet invites brute force.',
    remediation: 'Restrict `sourceAddressPrefix`.',
    controls: ['ism-1416'],
    subjectKind: 'azure-resource',
    subjectTypes: ['Microsoft.Network/networkSecurityGroups'],
  },
];

function finding(
  check: CheckMeta,
  status: Finding['status'],
  name: string,
  file: string,
  line: number,
  message: string,
  extra: Partial<Finding> = {},
): Finding {
  return {
    checkId: check.id,
    title: check.title,
    severity: check.severity,
    status,
    message,
    subject: {
      id: `/subscriptions/x/resourceGroups/rg/providers/${check.subjectTypes[0]}/${name}`,
      name,
      type: check.subjectTypes[0],
      kind: 'azure-resource',
    },
    location: { file, line, column: 7 },
    controls: check.controls,
    ...extra,
  };
}

const [storage, nsg] = checks;

export const findings: Finding[] = [
  finding(storage, 'pass', 'okstore', 'templates/main.json', 30, 'supportsHttpsTrafficOnly is true'),
  finding(storage, 'fail', HOSTILE_NAME, 'templates/main.json', 12, 'supportsHttpsTrafficOnly is false'),
  finding(nsg, 'fail', PIPE_NAME, 'templates/sub dir/net.json', 5, HOSTILE_MESSAGE),
  finding(storage, 'unknown', 'dynstore', 'templates/main.json', 40, 'cannot decide secure transfer', {
    evidence: {
      path: 'properties.supportsHttpsTrafficOnly',
      reason: 'reference() to a deployment-time value',
    },
  }),
  finding(nsg, 'error', 'nsg-broken', 'templates/sub dir/net.json', 9, 'check failed: boom'),
  finding(storage, 'waived', 'legacystore', 'templates/legacy.json', 3, 'supportsHttpsTrafficOnly is false', {
    originalStatus: 'fail',
    waiver: {
      id: 'W-1',
      source: 'waiver-file',
      justification: 'Legacy client; retired by 2026-12',
      expires: '2026-12-31',
    },
  }),
  finding(nsg, 'not-applicable', 'nsg-empty', 'templates/sub dir/net.json', 20, 'no inbound rules'),
];

export function makeAssessment(overrides: Partial<Assessment> = {}): Assessment {
  const f = overrides.findings ?? findings;
  return {
    schemaVersion: 1,
    tool: { name: 'assay', version: '0.1.0' },
    id: 'a1b2c3d4',
    startedAt: '2026-01-02T03:04:05.000Z',
    finishedAt: '2026-01-02T03:04:06.000Z',
    domain: 'azure',
    root: 'examples/app',
    inputs: [
      { file: 'templates/main.json', kind: 'arm-template', sha256: 'a'.repeat(64) },
      { file: 'templates/sub dir/net.json', kind: 'arm-template', sha256: 'b'.repeat(64) },
      { file: 'templates/legacy.json', kind: 'arm-template', sha256: 'c'.repeat(64) },
      { file: 'templates/bad.json', kind: 'arm-template', sha256: 'd'.repeat(64) },
    ],
    checks,
    subjects: [],
    findings: f,
    errors: [
      {
        file: 'templates/bad.json',
        line: 3,
        column: 9,
        code: 'json-syntax',
        message: 'unexpected token } & "quote" <x>',
      },
    ],
    notes: [{ file: 'templates/main.json', line: 1, level: 'warning', message: 'tolerated a // comment' }],
    summary: summarise(f, 6),
    ...overrides,
  };
}
