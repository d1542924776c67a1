import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const rsv = (properties: unknown) => ({
  type: 'Microsoft.RecoveryServices/vaults',
  apiVersion: '2024-04-01',
  name: 'rsv',
  location: 'australiaeast',
  sku: { name: 'RS0', tier: 'Standard' },
  properties,
});
const rsvChild = (kind: string, name: string, properties: unknown) => ({
  type: `Microsoft.RecoveryServices/vaults/${kind}`,
  apiVersion: '2024-04-01',
  name: `rsv/${name}`,
  properties,
});
const bv = (properties: unknown) => ({
  type: 'Microsoft.DataProtection/backupVaults',
  apiVersion: '2024-04-01',
  name: 'bv',
  location: 'australiaeast',
  properties,
});
const vmPolicy = (retentionPolicy: unknown) =>
  rsvChild('backupPolicies', 'daily', {
    backupManagementType: 'AzureIaasVM',
    schedulePolicy: {
      schedulePolicyType: 'SimpleSchedulePolicy',
      scheduleRunFrequency: 'Daily',
      scheduleRunTimes: ['2024-01-01T14:00:00Z'],
    },
    retentionPolicy,
  });

runCases('AZ-BACKUP-001', [
  {
    name: 'passes with soft delete AlwaysON',
    resources: [
      rsv({
        securitySettings: {
          softDeleteSettings: { softDeleteState: 'AlwaysON', softDeleteRetentionPeriodInDays: 14 },
        },
      }),
    ],
    expect: [['pass', '"softDeleteState"']],
  },
  {
    name: 'passes when not set (enabled by default)',
    resources: [rsv({ publicNetworkAccess: 'Disabled' })],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails with soft delete disabled',
    resources: [rsv({ securitySettings: { softDeleteSettings: { softDeleteState: 'Disabled' } } })],
    expect: [['fail', '"softDeleteState"']],
  },
  {
    name: 'fails when backupconfig disables soft delete',
    resources: [
      rsvChild('backupconfig', 'vaultconfig', {
        softDeleteFeatureState: 'Disabled',
        enhancedSecurityState: 'Enabled',
      }),
    ],
    expect: [['fail', '"softDeleteFeatureState"']],
  },
  {
    name: 'passes for a backup vault with soft delete On',
    resources: [
      bv({ securitySettings: { softDeleteSettings: { state: 'On', retentionDurationInDays: 14 } } }),
    ],
    expect: [['pass', '"state"']],
  },
  {
    name: 'fails for a backup vault with soft delete Off',
    resources: [bv({ securitySettings: { softDeleteSettings: { state: 'Off' } } })],
    expect: [['fail', '"state"']],
  },
  {
    name: 'is unknown when the state comes from a parameter without a value',
    resources: [rsv({ securitySettings: { softDeleteSettings: { softDeleteState: P } } })],
    parameters: noValue('string'),
    expect: [['unknown', '"softDeleteState"']],
  },
]);

runCases('AZ-BACKUP-002', [
  {
    name: 'passes with locked immutability',
    resources: [rsv({ securitySettings: { immutabilitySettings: { state: 'Locked' } } })],
    expect: [['pass', '"state"']],
  },
  {
    name: 'fails with immutability disabled',
    resources: [rsv({ securitySettings: { immutabilitySettings: { state: 'Disabled' } } })],
    expect: [['fail', '"state"']],
  },
  {
    name: 'fails when not set',
    resources: [bv({ storageSettings: [{ datastoreType: 'VaultStore', type: 'GeoRedundant' }] })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when the state comes from a parameter without a value',
    resources: [rsv({ securitySettings: { immutabilitySettings: { state: P } } })],
    parameters: noValue('string'),
    expect: [['unknown', '"state"']],
  },
]);

runCases('AZ-BACKUP-003', [
  {
    name: 'passes with geo-redundant vault storage',
    resources: [rsv({ redundancySettings: { standardTierStorageRedundancy: 'GeoRedundant' } })],
    expect: [['pass', '"standardTierStorageRedundancy"']],
  },
  {
    name: 'passes when not set (default GeoRedundant)',
    resources: [rsv({ publicNetworkAccess: 'Disabled' })],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails with locally redundant vault storage',
    resources: [rsv({ redundancySettings: { standardTierStorageRedundancy: 'LocallyRedundant' } })],
    expect: [['fail', '"standardTierStorageRedundancy"']],
  },
  {
    name: 'fails when backupstorageconfig sets LocallyRedundant',
    resources: [
      rsvChild('backupstorageconfig', 'vaultstorageconfig', { storageModelType: 'LocallyRedundant' }),
    ],
    expect: [['fail', '"storageModelType"']],
  },
  {
    name: 'passes for a zone-redundant backup vault',
    resources: [bv({ storageSettings: [{ datastoreType: 'VaultStore', type: 'ZoneRedundant' }] })],
    expect: [['pass', '"storageSettings"']],
  },
  {
    name: 'fails for a locally redundant backup vault',
    resources: [bv({ storageSettings: [{ datastoreType: 'VaultStore', type: 'LocallyRedundant' }] })],
    expect: [['fail', '"type": "LocallyRedundant"']],
  },
  {
    name: 'is unknown when the redundancy comes from a parameter without a value',
    resources: [rsv({ redundancySettings: { standardTierStorageRedundancy: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"standardTierStorageRedundancy"']],
  },
  {
    name: 'is unknown when a backup vault storage type comes from reference()',
    resources: [bv({ storageSettings: [{ datastoreType: 'VaultStore', type: REF }] })],
    expect: [['unknown', { needle: '"type"', from: '"storageSettings"' }]],
  },
]);

runCases('AZ-BACKUP-004', [
  {
    name: 'passes with cross-region restore enabled',
    resources: [
      rsv({
        redundancySettings: { standardTierStorageRedundancy: 'GeoRedundant', crossRegionRestore: 'Enabled' },
      }),
    ],
    expect: [['pass', '"crossRegionRestore"']],
  },
  {
    name: 'fails (informational) when cross-region restore is disabled',
    resources: [rsv({ redundancySettings: { crossRegionRestore: 'Disabled' } })],
    expect: [['fail', '"crossRegionRestore"']],
  },
  {
    name: 'passes when backupstorageconfig sets crossRegionRestoreFlag',
    resources: [
      rsvChild('backupstorageconfig', 'vaultstorageconfig', {
        storageModelType: 'GeoRedundant',
        crossRegionRestoreFlag: true,
      }),
    ],
    expect: [['pass', '"crossRegionRestoreFlag"']],
  },
  {
    name: 'is unknown when the setting comes from a parameter without a value',
    resources: [rsv({ redundancySettings: { crossRegionRestore: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"crossRegionRestore"']],
  },
]);

runCases('AZ-BACKUP-005', [
  {
    name: 'passes with a long-term retention policy',
    resources: [
      vmPolicy({
        retentionPolicyType: 'LongTermRetentionPolicy',
        dailySchedule: {
          retentionTimes: ['2024-01-01T14:00:00Z'],
          retentionDuration: { count: 30, durationType: 'Days' },
        },
        weeklySchedule: {
          daysOfTheWeek: ['Sunday'],
          retentionTimes: ['2024-01-01T14:00:00Z'],
          retentionDuration: { count: 12, durationType: 'Weeks' },
        },
      }),
    ],
    expect: [['pass', '"retentionPolicy"']],
  },
  {
    name: 'passes with a workload policy retaining per sub-policy',
    resources: [
      rsvChild('backupPolicies', 'sql', {
        backupManagementType: 'AzureWorkload',
        workLoadType: 'SQLDataBase',
        subProtectionPolicy: [
          {
            policyType: 'Full',
            retentionPolicy: {
              retentionPolicyType: 'SimpleRetentionPolicy',
              retentionDuration: { count: 3, durationType: 'Months' },
            },
          },
        ],
      }),
    ],
    expect: [['pass', '"retentionPolicy"']],
  },
  {
    name: 'fails when the policy has no retention',
    resources: [vmPolicy(undefined)],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'passes for a backup vault policy with a retention rule',
    resources: [
      {
        type: 'Microsoft.DataProtection/backupVaults/backupPolicies',
        apiVersion: '2024-04-01',
        name: 'bv/disks',
        properties: {
          objectType: 'BackupPolicy',
          datasourceTypes: ['Microsoft.Compute/disks'],
          policyRules: [
            {
              name: 'Default',
              objectType: 'AzureRetentionRule',
              isDefault: true,
              lifecycles: [
                {
                  deleteAfter: { objectType: 'AbsoluteDeleteOption', duration: 'P30D' },
                  sourceDataStore: { dataStoreType: 'OperationalStore', objectType: 'DataStoreInfoBase' },
                },
              ],
            },
          ],
        },
      },
    ],
    expect: [['pass', '"policyRules"']],
  },
  {
    name: 'is unknown when the retention count comes from a parameter without a value',
    resources: [
      vmPolicy({
        retentionPolicyType: 'LongTermRetentionPolicy',
        dailySchedule: { retentionDuration: { count: P, durationType: 'Days' } },
      }),
    ],
    parameters: noValue('int'),
    expect: [['unknown', '"retentionPolicy"']],
  },
]);
