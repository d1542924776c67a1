import type { CheckOutcome } from '../../core/model.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureResource, getPath } from '../resource.ts';
import { type AzureCheck, checkProperty, defineCheck, fail, pass, sameText, unknown } from './define.ts';

const RSV = 'Microsoft.RecoveryServices/vaults';
const RSV_CONFIG = 'Microsoft.RecoveryServices/vaults/backupconfig';
const RSV_STORAGE = 'Microsoft.RecoveryServices/vaults/backupstorageconfig';
const RSV_POLICY = 'Microsoft.RecoveryServices/vaults/backupPolicies';
const BACKUP_VAULT = 'Microsoft.DataProtection/backupVaults';
const BACKUP_VAULT_POLICY = 'Microsoft.DataProtection/backupVaults/backupPolicies';

const RSV_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.recoveryservices/vaults';
const BACKUP_VAULT_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.dataprotection/backupvaults';

function isType(r: AzureResource, type: string): boolean {
  return r.type.toLowerCase() === type.toLowerCase();
}

function oneOf(...accepted: string[]): (v: Value) => boolean {
  return (v) => typeof v === 'string' && accepted.some((a) => sameText(v, a));
}

/** Days in one `retentionDuration` ({ count, durationType }); undefined when it is not a known duration. */
function durationDays(d: Value | undefined): number | Unknown | undefined {
  if (d instanceof Unknown) return d;
  const count = getPath(d, 'count');
  const unit = getPath(d, 'durationType');
  if (count instanceof Unknown) return count;
  if (unit instanceof Unknown) return unit;
  if (typeof count !== 'number' || typeof unit !== 'string') return undefined;
  const per: Record<string, number> = { days: 1, weeks: 7, months: 30, years: 365 };
  const factor = per[unit.toLowerCase()];
  return factor === undefined ? undefined : count * factor;
}

/**
 * The longest retention in a Recovery Services retention policy: a simple policy has
 * `retentionDuration`; a long-term one has daily/weekly/monthly/yearly schedules.
 */
function longestRetention(policy: Value | undefined): { days?: number; unknown?: Unknown } {
  if (policy instanceof Unknown) return { unknown: policy };
  if (!isObject(policy)) return {};
  let days: number | undefined;
  let undecided: Unknown | undefined;
  const candidates = [
    getPath(policy, 'retentionDuration'),
    ...['dailySchedule', 'weeklySchedule', 'monthlySchedule', 'yearlySchedule'].map((s) =>
      getPath(policy, `${s}.retentionDuration`),
    ),
  ];
  for (const c of candidates) {
    if (c === undefined) continue;
    const d = durationDays(c);
    if (d instanceof Unknown) undecided ??= d;
    else if (d !== undefined) days = Math.max(days ?? 0, d);
  }
  const out: { days?: number; unknown?: Unknown } = {};
  if (days !== undefined) out.days = days;
  if (undecided) out.unknown = undecided;
  return out;
}

function rsvPolicyRetention(r: AzureResource): CheckOutcome {
  const props = getPath(r.body, 'properties');
  if (props instanceof Unknown) {
    return unknown(
      r,
      `cannot decide whether the policy retains backups: properties is unknown (${props.reason})`,
      'properties',
      props,
    );
  }
  // Workload policies (SQL/SAP HANA in VMs) keep their retention per sub-policy.
  const subs = getPath(r.body, 'properties.subProtectionPolicy');
  const sources: { path: string; policy: Value | undefined }[] = [
    { path: 'properties.retentionPolicy', policy: getPath(r.body, 'properties.retentionPolicy') },
  ];
  if (subs instanceof Unknown) sources.push({ path: 'properties.subProtectionPolicy', policy: subs });
  else if (Array.isArray(subs)) {
    subs.forEach((sub, i) => {
      sources.push({
        path: `properties.subProtectionPolicy[${i}].retentionPolicy`,
        policy: getPath(sub, 'retentionPolicy'),
      });
    });
  }
  let best: { path: string; days: number } | undefined;
  let undecided: { path: string; value: Unknown } | undefined;
  for (const { path, policy } of sources) {
    const { days, unknown: u } = longestRetention(policy);
    if (days !== undefined && (best === undefined || days > best.days)) best = { path, days };
    if (u) undecided ??= { path, value: u };
  }
  if (best && best.days > 0) {
    return pass(r, `backups are retained for up to ${best.days} days`, best.path, {
      path: best.path,
      days: best.days,
    });
  }
  if (undecided) {
    return unknown(
      r,
      `cannot decide the retention of the policy: ${undecided.path} is unknown (${undecided.value.reason})`,
      undecided.path,
      undecided.value,
    );
  }
  return fail(r, 'the backup policy defines no retention duration', 'properties.retentionPolicy', {
    path: 'properties.retentionPolicy',
    value: null,
  });
}

/** Backup vault (Data Protection) policies keep retention in `AzureRetentionRule` lifecycles. */
function backupVaultPolicyRetention(r: AzureResource): CheckOutcome {
  const path = 'properties.policyRules';
  const rules = getPath(r.body, path);
  if (rules instanceof Unknown) {
    return unknown(
      r,
      `cannot decide whether the policy retains backups: ${path} is unknown (${rules.reason})`,
      path,
      rules,
    );
  }
  let undecided: Unknown | undefined;
  for (const rule of Array.isArray(rules) ? rules : []) {
    const kind = getPath(rule, 'objectType');
    if (kind instanceof Unknown) {
      undecided ??= kind;
      continue;
    }
    if (!(typeof kind === 'string' && sameText(kind, 'AzureRetentionRule'))) continue;
    const lifecycles = getPath(rule, 'lifecycles');
    if (lifecycles instanceof Unknown) undecided ??= lifecycles;
    else if (Array.isArray(lifecycles) && lifecycles.some((l) => isObject(getPath(l, 'deleteAfter')))) {
      return pass(r, 'the policy has a retention rule with a lifecycle', path, { path });
    }
  }
  if (undecided) {
    return unknown(
      r,
      `cannot decide the retention of the policy: a rule is unknown (${undecided.reason})`,
      path,
      undecided,
    );
  }
  return fail(r, 'the backup policy has no retention rule (AzureRetentionRule with lifecycles)', path, {
    path,
  });
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-BACKUP-001',
    title: 'Backup vault keeps soft delete enabled',
    severity: 'high',
    rationale:
      'Ransomware operators and malicious insiders delete backups before encrypting or destroying data. Soft ' +
      'delete keeps deleted backup data recoverable for a retention period; turning it off lets a single ' +
      'compromised administrator erase every restore point.',
    remediation:
      "Recovery Services vaults: set `properties.securitySettings.softDeleteSettings.softDeleteState` to `'AlwaysON'` " +
      "(or `'Enabled'`), and do not set `softDeleteFeatureState: 'Disabled'` in `vaults/backupconfig`. Backup vaults: " +
      "set `properties.securitySettings.softDeleteSettings.state` to `'AlwaysOn'` (or `'On'`).",
    references: [
      RSV_DOCS,
      BACKUP_VAULT_DOCS,
      'https://learn.microsoft.com/azure/backup/backup-azure-enhanced-soft-delete-about',
      'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/recovery_services_vault',
    ],
    resourceTypes: [RSV, RSV_CONFIG, BACKUP_VAULT],
    evaluate: (r) => {
      if (isType(r, RSV_CONFIG)) {
        return checkProperty(r, {
          path: 'properties.softDeleteFeatureState',
          test: oneOf('Enabled', 'AlwaysON'),
          whenMissing: 'pass',
          expectation: 'soft delete is enabled',
        });
      }
      if (isType(r, BACKUP_VAULT)) {
        return checkProperty(r, {
          path: 'properties.securitySettings.softDeleteSettings.state',
          test: oneOf('On', 'AlwaysOn'),
          whenMissing: 'pass',
          expectation: 'soft delete is enabled',
        });
      }
      return checkProperty(r, {
        path: 'properties.securitySettings.softDeleteSettings.softDeleteState',
        test: oneOf('Enabled', 'AlwaysON'),
        whenMissing: 'pass',
        expectation: 'soft delete is enabled',
      });
    },
  }),
  defineCheck({
    id: 'AZ-BACKUP-002',
    title: 'Backup vault has immutability enabled',
    severity: 'medium',
    rationale:
      'Immutability stops anyone, including backup administrators, from deleting recovery points or shortening ' +
      'their retention before they expire. Locked immutability cannot be turned off, which protects restore ' +
      'points from an attacker holding administrative access.',
    remediation:
      "Set `properties.securitySettings.immutabilitySettings.state` to `'Unlocked'`, then `'Locked'` once verified.",
    references: [
      RSV_DOCS,
      BACKUP_VAULT_DOCS,
      'https://learn.microsoft.com/azure/backup/backup-azure-immutable-vault-concept',
    ],
    resourceTypes: [RSV, BACKUP_VAULT],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.securitySettings.immutabilitySettings.state',
        test: oneOf('Unlocked', 'Locked'),
        whenMissing: 'fail',
        expectation: 'immutability is enabled (Unlocked or Locked)',
      }),
  }),
  defineCheck({
    id: 'AZ-BACKUP-003',
    title: 'Backup vault storage is geo- or zone-redundant',
    severity: 'medium',
    rationale:
      'Locally redundant backup storage keeps all copies in one datacentre, so a site failure destroys the ' +
      'production data and its backups together. Geo- or zone-redundant storage keeps backups resilient to the ' +
      'loss of a datacentre or region. The redundancy cannot be changed once items are protected.',
    remediation:
      'Recovery Services vaults: set `properties.redundancySettings.standardTierStorageRedundancy` (or the ' +
      "`backupstorageconfig` `storageModelType`) to `'GeoRedundant'` or `'ZoneRedundant'`. Backup vaults: set " +
      "`properties.storageSettings[].type` to `'GeoRedundant'` or `'ZoneRedundant'`.",
    references: [
      RSV_DOCS,
      BACKUP_VAULT_DOCS,
      'https://learn.microsoft.com/azure/backup/backup-create-recovery-services-vault#set-storage-redundancy',
    ],
    resourceTypes: [RSV, RSV_STORAGE, BACKUP_VAULT],
    evaluate: (r) => {
      const resilient = oneOf('GeoRedundant', 'ZoneRedundant', 'ReadAccessGeoZoneRedundant');
      if (isType(r, RSV_STORAGE)) {
        const storageType = getPath(r.body, 'properties.storageModelType');
        return checkProperty(r, {
          path: storageType === undefined ? 'properties.storageType' : 'properties.storageModelType',
          test: resilient,
          whenMissing: 'pass',
          expectation: 'backup storage is geo- or zone-redundant',
        });
      }
      if (isType(r, BACKUP_VAULT)) {
        const path = 'properties.storageSettings';
        const settings = getPath(r.body, path);
        if (settings instanceof Unknown) {
          return unknown(
            r,
            `cannot decide the storage redundancy: ${path} is unknown (${settings.reason})`,
            path,
            settings,
          );
        }
        const list = Array.isArray(settings) ? settings : [];
        for (let i = 0; i < list.length; i++) {
          const type = getPath(list[i], 'type');
          if (type instanceof Unknown) {
            return unknown(
              r,
              `cannot decide the storage redundancy: ${path}[${i}].type is unknown (${type.reason})`,
              `${path}[${i}].type`,
              type,
            );
          }
          if (!resilient(type ?? null)) {
            return fail(
              r,
              `backup storage is ${JSON.stringify(type ?? null)}, not geo- or zone-redundant`,
              `${path}[${i}].type`,
              {
                path: `${path}[${i}].type`,
                value: type ?? null,
              },
            );
          }
        }
        return list.length > 0
          ? pass(r, 'backup storage is geo- or zone-redundant', path, { path })
          : fail(r, 'the backup vault declares no storage settings', path, { path, value: null });
      }
      return checkProperty(r, {
        path: 'properties.redundancySettings.standardTierStorageRedundancy',
        test: resilient,
        whenMissing: 'pass',
        expectation: 'backup storage is geo- or zone-redundant',
      });
    },
  }),
  defineCheck({
    id: 'AZ-BACKUP-004',
    title: 'Recovery Services vault allows cross-region restore (informational)',
    severity: 'info',
    rationale:
      'With geo-redundant storage, cross-region restore lets backups be restored in the paired region while ' +
      'the primary region is unavailable, instead of waiting for Microsoft to declare a regional disaster. ' +
      'Whether it is needed depends on the recovery objectives of the system.',
    remediation:
      "Set `properties.redundancySettings.crossRegionRestore` to `'Enabled'` (with geo-redundant storage), or " +
      '`crossRegionRestoreFlag: true` in `vaults/backupstorageconfig`.',
    references: [
      RSV_DOCS,
      'https://learn.microsoft.com/azure/backup/backup-create-recovery-services-vault#set-cross-region-restore',
    ],
    resourceTypes: [RSV, RSV_STORAGE],
    evaluate: (r) =>
      isType(r, RSV_STORAGE)
        ? checkProperty(r, {
            path: 'properties.crossRegionRestoreFlag',
            test: (v) => v === true,
            whenMissing: 'fail',
            expectation: 'cross-region restore is enabled',
          })
        : checkProperty(r, {
            path: 'properties.redundancySettings.crossRegionRestore',
            test: (v) => sameText(v, 'Enabled'),
            whenMissing: 'fail',
            expectation: 'cross-region restore is enabled',
          }),
  }),
  defineCheck({
    id: 'AZ-BACKUP-005',
    title: 'Backup policy defines how long backups are retained',
    severity: 'medium',
    rationale:
      'Backups help only if restore points exist from before an incident was detected. A policy must state ' +
      'the retention of its recovery points so that it can be judged against the business continuity ' +
      'requirements of the system.',
    remediation:
      'Recovery Services: set `properties.retentionPolicy` (e.g. `dailySchedule.retentionDuration: { count: 30, ' +
      "durationType: 'Days' }`) or each `subProtectionPolicy[].retentionPolicy`. Backup vaults: add an " +
      '`AzureRetentionRule` with `lifecycles[].deleteAfter` to `properties.policyRules`.',
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.recoveryservices/vaults/backuppolicies',
      'https://learn.microsoft.com/azure/templates/microsoft.dataprotection/backupvaults/backuppolicies',
    ],
    resourceTypes: [RSV_POLICY, BACKUP_VAULT_POLICY],
    evaluate: (r) => (isType(r, BACKUP_VAULT_POLICY) ? backupVaultPolicyRetention(r) : rsvPolicyRetention(r)),
  }),
];
