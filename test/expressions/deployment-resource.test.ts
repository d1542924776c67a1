import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Unknown } from '../../src/azure/expressions/value.ts';
import { checkCases, checkError, checkUnknown, ev, SCOPE, testContext } from './context.ts';

const SUB = SCOPE.subscriptionId;
const RG_ID = `/subscriptions/${SUB}/resourceGroups/${SCOPE.resourceGroupName}`;

describe('deployment functions', () => {
  const ctx = () =>
    testContext({
      parameters: { location: 'westeurope', count: 3, secret: new Unknown('parameter secret has no value') },
      variables: {
        prefix: 'app',
        name: "[concat(variables('prefix'), '-web')]",
        loop: "[variables('loop')]",
      },
      copy: { '': 2, disks: 5 },
    });

  it('parameters', () => {
    checkCases(
      [
        ["[parameters('location')]", 'westeurope'],
        ["[parameters('LOCATION')]", 'westeurope'],
        ["[add(parameters('count'), 1)]", 4],
        ["[parameters('secret')]", { $unknown: 'parameter secret has no value' }],
      ],
      ctx(),
    );
    checkError("[parameters('missing')]", 'unknown-parameter', "'missing'", ctx());
    checkError('[parameters(1)]', 'function-arguments', "'parameters'", ctx());
  });

  it('variables', () => {
    checkCases(
      [
        ["[variables('prefix')]", 'app'],
        ["[variables('name')]", 'app-web'],
        ["[toUpper(variables('Name'))]", 'APP-WEB'],
      ],
      ctx(),
    );
    checkError("[variables('missing')]", 'unknown-variable', "'missing'", ctx());
    checkError("[variables('loop')]", 'variable-cycle', "'loop'", ctx());
  });

  it('copyIndex with loop names and offsets', () => {
    checkCases(
      [
        ['[copyIndex()]', 2],
        ['[copyIndex(1)]', 3],
        ["[copyIndex('disks')]", 5],
        ["[copyIndex('disks', 10)]", 15],
        ["[concat('vm-', copyIndex(1))]", 'vm-3'],
      ],
      ctx(),
    );
    checkError("[copyIndex('nope')]", 'copy-index', "'nope'", ctx());
    checkError("[copyIndex('disks', 'x')]", 'function-arguments', "'copyIndex'", ctx());
  });

  it('deployment', () => {
    checkCases(
      [
        ['[deployment().name]', 'deploy-test'],
        ['[deployment().properties.templateLink.uri]', 'https://example.com/t.json'],
        ["[uri(deployment().properties.templateLink.uri, 'nested.json')]", 'https://example.com/nested.json'],
      ],
      ctx(),
    );
  });

  it('environment per cloud', () => {
    checkCases([
      ['[environment().name]', 'AzureCloud'],
      ['[environment().suffixes.storage]', 'core.windows.net'],
      ['[environment().authentication.loginEndpoint]', 'https://login.microsoftonline.com/'],
      ['[environment().resourceManager]', 'https://management.azure.com/'],
      ['[environment().suffixes.keyvaultDns]', '.vault.azure.net'],
    ]);
    checkCases(
      [
        ['[environment().name]', 'AzureUSGovernment'],
        ['[environment().suffixes.storage]', 'core.usgovcloudapi.net'],
        ['[environment().authentication.loginEndpoint]', 'https://login.microsoftonline.us/'],
      ],
      testContext({ environmentName: 'AzureUSGovernment' }),
    );
    checkCases(
      [
        ['[environment().name]', 'AzureChinaCloud'],
        ['[environment().suffixes.sqlServerHostname]', '.database.chinacloudapi.cn'],
        ['[environment().portal]', 'https://portal.azure.cn'],
      ],
      testContext({ environmentName: 'AzureChinaCloud' }),
    );
    checkError(
      '[environment()]',
      'function-arguments',
      'AzureMars',
      testContext({ environmentName: 'AzureMars' }),
    );
  });

  it('environment returns a fresh object each time', () => {
    const c = testContext();
    const a = ev('[environment()]', c) as Record<string, unknown>;
    a.name = 'changed';
    assert.equal(ev('[environment().name]', c), 'AzureCloud');
  });
});

describe('scope functions', () => {
  it('resourceGroup', () => {
    checkCases([
      ['[resourceGroup().id]', RG_ID],
      ['[resourceGroup().name]', 'rg-test'],
      ['[resourceGroup().location]', 'australiaeast'],
      ['[resourceGroup().type]', 'Microsoft.Resources/resourceGroups'],
      ['[resourceGroup().properties.provisioningState]', 'Succeeded'],
      ['[resourceGroup().tags]', {}],
    ]);
  });

  it('resourceGroup().location is unknown, not empty, when the run sets no location', () => {
    const ctx = testContext();
    ctx.scope = { ...ctx.scope, resourceGroupLocation: '' };
    checkUnknown('[resourceGroup().location]', '--location', ctx);
    checkUnknown("[concat('loc-', resourceGroup().location)]", '--location', ctx);
  });

  it('subscription', () => {
    checkCases([
      ['[subscription().id]', `/subscriptions/${SUB}`],
      ['[subscription().subscriptionId]', SUB],
      ['[subscription().tenantId]', SCOPE.tenantId],
      ['[subscription().displayName]', 'Test subscription'],
    ]);
  });

  it('tenant', () => {
    checkCases([
      ['[tenant().tenantId]', SCOPE.tenantId],
      ['[tenant().id]', `/tenants/${SCOPE.tenantId}`],
    ]);
    checkUnknown('[tenant().displayName]', 'tenant().displayName');
  });

  it('managementGroup', () => {
    checkCases([
      ['[managementGroup().name]', 'mg-test'],
      ['[managementGroup().id]', '/providers/Microsoft.Management/managementGroups/mg-test'],
      ["[managementGroup('other').id]", '/providers/Microsoft.Management/managementGroups/other'],
      ['[managementGroup().properties.tenantId]', SCOPE.tenantId],
    ]);
  });

  it('deployer', () => {
    checkCases([['[deployer().tenantId]', SCOPE.tenantId]]);
    checkUnknown('[deployer().objectId]', 'deployer()');
    checkUnknown('[string(deployer())]', 'deployer()');
  });
});

describe('resource functions', () => {
  it('resourceId', () => {
    checkCases([
      [
        "[resourceId('Microsoft.Storage/storageAccounts', 'st1')]",
        `${RG_ID}/providers/Microsoft.Storage/storageAccounts/st1`,
      ],
      [
        "[resourceId('otherRG', 'Microsoft.Storage/storageAccounts', 'st1')]",
        `/subscriptions/${SUB}/resourceGroups/otherRG/providers/Microsoft.Storage/storageAccounts/st1`,
      ],
      [
        "[resourceId('11111111-1111-1111-1111-111111111111', 'otherRG', 'Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]",
        '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/otherRG/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default',
      ],
      [
        "[resourceId('Microsoft.Sql/servers/databases', 'srv/db')]",
        `${RG_ID}/providers/Microsoft.Sql/servers/srv/databases/db`,
      ],
      ["[RESOURCEID('microsoft.web/sites', 'app')]", `${RG_ID}/providers/microsoft.web/sites/app`],
    ]);
    checkError(
      "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]",
      'function-arguments',
      'requires 2 resource name',
    );
    checkError(
      "[resourceId('Microsoft.Storage/storageAccounts', 'a', 'b')]",
      'function-arguments',
      "'resourceId'",
    );
    checkError("[resourceId('a', 'b')]", 'function-arguments', 'resource type');
    checkError("[resourceId('Microsoft.Storage/storageAccounts')]", 'function-arguments', "'resourceId'");
    checkUnknown(
      "[resourceId('Microsoft.Storage/storageAccounts', parameters('n'))]",
      'n has no value',
      testContext({ parameters: { n: new Unknown('n has no value') } }),
    );
  });

  it('subscriptionResourceId', () => {
    checkCases([
      [
        "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]",
        `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
      ],
      [
        "[subscriptionResourceId('22222222-2222-2222-2222-222222222222', 'Microsoft.Resources/resourceGroups', 'rg')]",
        '/subscriptions/22222222-2222-2222-2222-222222222222/providers/Microsoft.Resources/resourceGroups/rg',
      ],
      [
        "[subscriptionResourceId('Microsoft.Security/pricings', 'VirtualMachines')]",
        `/subscriptions/${SUB}/providers/Microsoft.Security/pricings/VirtualMachines`,
      ],
    ]);
    checkError(
      "[subscriptionResourceId('Microsoft.Security/pricings')]",
      'function-arguments',
      "'subscriptionResourceId'",
    );
  });

  it('tenantResourceId', () => {
    checkCases([
      [
        "[tenantResourceId('Microsoft.Authorization/policyDefinitions', 'abc')]",
        '/providers/Microsoft.Authorization/policyDefinitions/abc',
      ],
      [
        "[tenantResourceId('Microsoft.Management/managementGroups', 'mg1')]",
        '/providers/Microsoft.Management/managementGroups/mg1',
      ],
      ["[tenantResourceId('Microsoft.A/b/c', 'x', 'y')]", '/providers/Microsoft.A/b/x/c/y'],
    ]);
  });

  it('managementGroupResourceId', () => {
    checkCases([
      [
        "[managementGroupResourceId('Microsoft.Authorization/policyDefinitions', 'pd')]",
        '/providers/Microsoft.Management/managementGroups/mg-test/providers/Microsoft.Authorization/policyDefinitions/pd',
      ],
      [
        "[managementGroupResourceId('mg2', 'Microsoft.Authorization/policyDefinitions', 'pd')]",
        '/providers/Microsoft.Management/managementGroups/mg2/providers/Microsoft.Authorization/policyDefinitions/pd',
      ],
      [
        "[managementGroupResourceId('Microsoft.Authorization/policySetDefinitions', 'ps')]",
        '/providers/Microsoft.Management/managementGroups/mg-test/providers/Microsoft.Authorization/policySetDefinitions/ps',
      ],
    ]);
  });

  it('extensionResourceId', () => {
    checkCases([
      [
        "[extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks', 'lock1')]",
        `${RG_ID}/providers/Microsoft.Authorization/locks/lock1`,
      ],
      [
        "[extensionResourceId(resourceId('Microsoft.Storage/storageAccounts', 'st'), 'Microsoft.Insights/diagnosticSettings', 'diag')]",
        `${RG_ID}/providers/Microsoft.Storage/storageAccounts/st/providers/Microsoft.Insights/diagnosticSettings/diag`,
      ],
      [
        "[extensionResourceId('/subscriptions/x/', 'Microsoft.Authorization/roleAssignments', 'r')]",
        '/subscriptions/x/providers/Microsoft.Authorization/roleAssignments/r',
      ],
    ]);
  });

  it('a trailing slash on the resource type gives the same id as without it, as in ARM', () => {
    const forms = [
      "resourceId('Microsoft.Network/virtualNetworks/subnets{/}', 'vnet', 'sn')",
      "resourceId('other-rg', 'Microsoft.Network/virtualNetworks/subnets{/}', 'vnet', 'sn')",
      "subscriptionResourceId('Microsoft.Authorization/roleDefinitions{/}', 'r')",
      "tenantResourceId('Microsoft.Management/managementGroups{/}', 'mg')",
      "managementGroupResourceId('Microsoft.Authorization/policyDefinitions{/}', 'p')",
      "extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks{/}', 'lock1')",
    ];
    for (const form of forms) {
      const plainId = ev(`[${form.replace('{/}', '')}]`);
      assert.equal(typeof plainId, 'string', form);
      assert.equal(ev(`[${form.replace('{/}', '/')}]`), plainId, form);
    }
    assert.equal(
      ev("[resourceId('Microsoft.Network/virtualNetworks/subnets/', 'vnet', 'sn')]"),
      `${RG_ID}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sn`,
    );
    // Still one name per type segment: the slash adds no segment.
    checkError(
      "[resourceId('Microsoft.Network/virtualNetworks/subnets/', 'vnet', 'sn', 'x')]",
      'function-arguments',
    );
    checkError("[resourceId('Microsoft.Network//subnets', 'vnet', 'sn')]", 'function-arguments');
  });

  it('reference is Unknown unless the expander resolves it', () => {
    checkUnknown("[reference('st1').primaryEndpoints.blob]", "reference('st1') is known only at deployment");
    checkUnknown(
      "[reference(resourceId('Microsoft.Storage/storageAccounts', 'st1'), '2023-01-01', 'Full').identity]",
      `reference('${RG_ID}/providers/Microsoft.Storage/storageAccounts/st1')`,
    );
    checkUnknown("[concat(reference('x').a, 'b')]", "reference('x')");
    const v = ev("[reference('st1')]");
    assert.ok(v instanceof Unknown);
    assert.deepEqual(v.location, testContext().location);
    const calls: unknown[] = [];
    const resolving = testContext({
      resolveReference: (id, full) => {
        calls.push([id, full]);
        return id === 'known' ? { properties: { a: 1 } } : undefined;
      },
    });
    checkCases(
      [
        ["[reference('known', '2020-01-01', 'full').properties.a]", 1],
        ["[reference('other')]", { $unknown: "reference('other') is known only at deployment" }],
      ],
      resolving,
    );
    assert.deepEqual(calls, [
      ['known', true],
      ['other', false],
    ]);
  });

  it('every list* function is Unknown', () => {
    checkUnknown(
      "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-01-01').keys[0].value]",
      'listKeys(',
    );
    checkUnknown("[listSecrets('id', '2020-01-01')]", "listSecrets('id') is known only at deployment");
    checkUnknown("[LISTACCOUNTSAS('id', '2020-01-01', createObject('a', 1))]", 'LISTACCOUNTSAS(');
    checkUnknown("[listConnectionStrings('id', '2020-01-01')]", 'listConnectionStrings(');
  });

  it('providers is Unknown', () => {
    checkUnknown("[providers('Microsoft.Web', 'sites')]", 'providers(');
    checkUnknown("[providers('Microsoft.Web')]", "providers('Microsoft.Web')");
    checkUnknown("[providers('Microsoft.Web', 'sites').locations[0]]", 'known only at deployment');
  });

  it('pickZones', () => {
    checkCases([
      ["[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2')]", ['1']],
      ["[pickZones('Microsoft.Compute', 'virtualMachines', 'West US 2', 3)]", ['1', '2', '3']],
      ["[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2', 2, 1)]", ['2', '3']],
      ["[pickZones('Microsoft.Compute', 'virtualMachines', 'northcentralus')]", []],
      ["[pickZones('Microsoft.Cdn', 'profiles', 'australiaeast')]", ['1']],
    ]);
    checkError(
      "[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2', 3, 1)]",
      'function-evaluation',
      "'pickZones'",
    );
  });
});
