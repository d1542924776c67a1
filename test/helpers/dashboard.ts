/**
 * Runs for the dashboard and report tests: a real scan of a small project whose storage
 * account is named like an HTML injection, plus a compliance matrix derived from the
 * findings (with a hostile control title) so the heatmap has something to show.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { azureChecks } from '../../src/azure/checks/index.ts';
import { scanAzure } from '../../src/azure/scan.ts';
import type { Assessment, ComplianceMatrix, ControlResult, ControlStatus } from '../../src/core/model.ts';
import { templateText } from './arm.ts';

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
export const HOSTILE_TITLE = '<script>alert(2)</script> control';

function resources(secure: boolean): unknown[] {
  return [
    {
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: '2023-01-01',
      name: HOSTILE_NAME,
      location: 'australiaeast',
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS' },
      properties: {
        supportsHttpsTrafficOnly: secure,
        minimumTlsVersion: secure ? 'TLS1_2' : 'TLS1_0',
        allowBlobPublicAccess: !secure,
      },
    },
    {
      type: 'Microsoft.Network/networkSecurityGroups',
      apiVersion: '2023-04-01',
      name: 'web-nsg',
      location: 'australiaeast',
      properties: {
        securityRules: [
          {
            name: 'allow-ssh',
            properties: {
              priority: 100,
              direction: 'Inbound',
              access: secure ? 'Deny' : 'Allow',
              protocol: 'Tcp',
              sourceAddressPrefix: '*',
              sourcePortRange: '*',
              destinationAddressPrefix: '*',
              destinationPortRange: '22',
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.KeyVault/vaults',
      apiVersion: '2023-02-01',
      name: 'team-kv',
      location: 'australiaeast',
      properties: { tenantId: '[subscription().tenantId]', sku: { family: 'A', name: 'standard' } },
    },
  ];
}

/** Writes the project (insecure, or fixed for a later run) into `dir`; returns the template path. */
export function writeProject(dir: string, secure = false): string {
  mkdirSync(join(dir, 'infra'), { recursive: true });
  const file = join(dir, 'infra', 'main.json');
  writeFileSync(file, templateText(resources(secure)));
  return file;
}

export async function scanProject(dir: string): Promise<Assessment> {
  const { assessment } = await scanAzure([dir], {
    root: dir,
    now: '2026-01-01T00:00:00Z',
    checks: azureChecks,
  });
  return assessment;
}

/** A matrix over the controls the findings evidence, plus not-assessed ones, so every status shows. */
export function withCompliance(assessment: Assessment, extraControls = 30): Assessment {
  const byControl = new Map<string, ControlResult>();
  for (const f of assessment.findings) {
    for (const id of f.controls) {
      const c = byControl.get(id) ?? {
        id,
        title: `Control ${id}`,
        status: 'met' as ControlStatus,
        checks: [],
        findings: [],
      };
      if (!c.checks.includes(f.checkId)) c.checks.push(f.checkId);
      c.findings.push({ checkId: f.checkId, subjectId: f.subject.id, status: f.status });
      byControl.set(id, c);
    }
  }
  for (const c of byControl.values()) {
    const st = new Set(c.findings.map((f) => f.status));
    c.status = st.has('fail')
      ? st.has('pass')
        ? 'partially-met'
        : 'not-met'
      : st.has('unknown')
        ? 'unknown'
        : 'met';
  }
  for (let i = 0; i < extraControls; i++) {
    const id = `ism-9${String(i).padStart(3, '0')}`;
    byControl.set(id, {
      id,
      title: i === 0 ? HOSTILE_TITLE : `Manual control ${i}`,
      status: 'not-assessed',
      checks: [],
      findings: [],
    });
  }
  const controls = [...byControl.values()];
  const count = (s: ControlStatus) => controls.filter((c) => c.status === s).length;
  const matrix: ComplianceMatrix = {
    baseline: { name: 'test-baseline', title: 'Test baseline' },
    controls,
    coverage: {
      total: controls.length,
      automated: controls.filter((c) => c.checks.length > 0).length,
      assessed: controls.filter((c) => c.findings.length > 0).length,
      met: count('met'),
      notMet: count('not-met'),
      partiallyMet: count('partially-met'),
      unknown: count('unknown'),
      waived: count('waived'),
      notAssessed: count('not-assessed'),
    },
  };
  return { ...assessment, compliance: [matrix] };
}
