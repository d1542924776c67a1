import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const roleId = (guid: string) =>
  `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${guid}')]`;

const site = (extra: Record<string, unknown>) => ({
  type: 'Microsoft.Web/sites',
  apiVersion: '2023-12-01',
  name: 'app',
  location: 'australiaeast',
  ...extra,
  properties: { httpsOnly: true },
});
const vm1 = {
  type: 'Microsoft.Compute/virtualMachines',
  apiVersion: '2024-03-01',
  name: 'vm1',
  location: 'australiaeast',
  properties: { hardwareProfile: { vmSize: 'Standard_D2s_v5' } },
};
const assignment = (roleDefinitionId: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Authorization/roleAssignments',
  apiVersion: '2022-04-01',
  name: "[guid(resourceGroup().id, 'ra')]",
  ...extra,
  properties: {
    roleDefinitionId,
    principalId: '00000000-0000-0000-0000-0000000000aa',
    principalType: 'ServicePrincipal',
  },
});
const role = (permissions: unknown) => ({
  type: 'Microsoft.Authorization/roleDefinitions',
  apiVersion: '2022-04-01',
  name: "[guid(resourceGroup().id, 'custom')]",
  properties: {
    roleName: 'Custom operator',
    type: 'CustomRole',
    permissions,
    assignableScopes: ['[resourceGroup().id]'],
  },
});

runCases('AZ-ID-001', [
  {
    name: 'passes for a web app with a system-assigned identity',
    resources: [site({ identity: { type: 'SystemAssigned' } })],
    expect: [['pass', '"type": "SystemAssigned"']],
  },
  {
    name: 'passes for an AKS cluster using the msi service principal placeholder',
    resources: [
      {
        type: 'Microsoft.ContainerService/managedClusters',
        apiVersion: '2024-02-01',
        name: 'aks',
        location: 'australiaeast',
        properties: { servicePrincipalProfile: { clientId: 'msi' } },
      },
    ],
    expect: [['pass', '"clientId"']],
  },
  {
    name: 'is not applicable to a web app the template gives no credential',
    resources: [site({})],
    expect: [['not-applicable', { resource: 'app' }]],
  },
  {
    name: 'fails for an AKS cluster authenticating with a service principal secret',
    resources: [
      {
        type: 'Microsoft.ContainerService/managedClusters',
        apiVersion: '2024-02-01',
        name: 'aks',
        location: 'australiaeast',
        properties: {
          servicePrincipalProfile: { clientId: '00000000-0000-0000-0000-000000000001', secret: P },
        },
      },
    ],
    parameters: noValue('securestring'),
    expect: [['fail', { resource: 'aks' }]],
  },
  {
    name: 'fails for a VM whose extension is given a storage account key',
    resources: [
      vm1,
      {
        type: 'Microsoft.Compute/virtualMachines/extensions',
        apiVersion: '2024-03-01',
        name: 'vm1/script',
        location: 'australiaeast',
        properties: { protectedSettings: { storageAccountName: 'st', storageAccountKey: P } },
      },
    ],
    parameters: noValue('securestring'),
    expect: [['fail', { resource: 'vm1' }]],
  },
  {
    name: 'is not applicable to a VM the template gives no credential',
    resources: [vm1],
    expect: [['not-applicable', { resource: 'vm1' }]],
  },
  {
    name: 'fails for a logic app with identity type None',
    resources: [
      {
        type: 'Microsoft.Logic/workflows',
        apiVersion: '2019-05-01',
        name: 'flow',
        location: 'australiaeast',
        identity: { type: 'None' },
        properties: { definition: {} },
      },
    ],
    expect: [['fail', '"type": "None"']],
  },
  {
    name: 'is unknown when the identity type comes from a parameter without a value',
    resources: [site({ identity: { type: P } })],
    parameters: noValue('string'),
    expect: [['unknown', { needle: '"type"', from: '"identity"' }]],
  },
]);

runCases('AZ-ID-002', [
  {
    name: 'passes for a Reader assignment',
    resources: [assignment(roleId(READER))],
    expect: [['pass', '"roleDefinitionId"']],
  },
  {
    name: 'passes for Contributor scoped to a single resource',
    resources: [assignment(roleId(CONTRIBUTOR), { scope: 'Microsoft.Storage/storageAccounts/stdata' })],
    expect: [['pass', '"scope"']],
  },
  {
    name: 'fails for Owner at the deployment scope',
    resources: [assignment(roleId(OWNER))],
    expect: [['fail', '"roleDefinitionId"']],
  },
  {
    name: 'fails for Contributor scoped to the resource group',
    resources: [assignment(roleId(CONTRIBUTOR), { scope: '[resourceGroup().id]' })],
    expect: [['fail', '"roleDefinitionId"']],
  },
  {
    name: 'fails for User Access Administrator given by a plain id',
    resources: [
      assignment('/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c4a72d9d'),
    ],
    expect: [['fail', '"roleDefinitionId"']],
  },
  {
    name: 'is unknown when the role comes from a parameter without a value',
    resources: [assignment(P)],
    parameters: noValue('string'),
    expect: [['unknown', '"roleDefinitionId"']],
  },
  {
    name: 'is unknown when an Owner assignment scope comes from a parameter without a value',
    resources: [assignment(roleId(OWNER), { scope: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"scope"']],
  },
  {
    name: 'is unknown when an Owner assignment scope comes from reference()',
    resources: [assignment(roleId(OWNER), { scope: REF })],
    expect: [['unknown', '"scope"']],
  },
]);

runCases('AZ-ID-003', [
  {
    name: 'passes for a role listing specific actions',
    resources: [role([{ actions: ['Microsoft.Compute/virtualMachines/restart/action'], notActions: [] }])],
    expect: [['pass', '"permissions"']],
  },
  {
    name: "fails for a role with '*' actions",
    resources: [role([{ actions: ['*'], notActions: ['Microsoft.Authorization/*/write'] }])],
    expect: [['fail', '"actions"']],
  },
  {
    name: "fails for a role with '*' data actions",
    resources: [role([{ actions: [], dataActions: ['*'] }])],
    expect: [['fail', '"dataActions"']],
  },
  {
    name: 'is unknown when the actions come from a parameter without a value',
    resources: [role([{ actions: P }])],
    parameters: noValue('array'),
    expect: [['unknown', '"actions"']],
  },
]);
