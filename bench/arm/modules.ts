/**
 * Resource modules for the benchmark corpus: each adds one realistic building block
 * (a storage account with its blob service, a VM with NIC and public IP, a SQL server
 * with databases and auditing, ...) to a template, with parameters, variables, copy
 * loops, conditions, reference()/listKeys() uses and a mix of secure and insecure
 * settings, in the shapes public quickstart templates use.
 */
import { type Json, type JsonObject, q, type Ref, type Template, x } from './template.ts';

export type Module = (t: Template) => Ref | undefined;

const API = {
  storage: ['2023-01-01', '2022-09-01', '2021-09-01', '2021-04-01', '2019-06-01'],
  keyVault: ['2023-07-01', '2022-07-01', '2021-10-01', '2019-09-01'],
  sql: ['2022-05-01-preview', '2021-11-01', '2021-02-01-preview', '2014-04-01'],
  web: ['2022-09-01', '2022-03-01', '2021-02-01', '2020-12-01'],
  compute: ['2023-03-01', '2022-11-01', '2022-08-01', '2021-11-01', '2021-03-01'],
  network: ['2023-04-01', '2022-07-01', '2021-08-01', '2020-11-01', '2020-06-01'],
  aks: ['2024-02-01', '2023-05-01', '2022-09-01', '2021-10-01'],
  cosmos: ['2023-04-15', '2022-05-15', '2021-10-15', '2021-04-15'],
  redis: ['2023-08-01', '2022-06-01', '2021-06-01', '2020-12-01'],
  logAnalytics: ['2022-10-01', '2021-06-01', '2020-08-01'],
  diagnostics: ['2021-05-01-preview', '2017-05-01-preview'],
  recovery: ['2023-04-01', '2022-10-01', '2021-08-01'],
  roleAssignments: ['2022-04-01', '2020-10-01-preview', '2020-04-01-preview'],
  deployments: ['2022-09-01', '2021-04-01', '2020-10-01'],
  acr: ['2023-07-01', '2022-12-01', '2021-09-01', '2019-05-01'],
  serviceBus: ['2022-10-01-preview', '2021-11-01', '2017-04-01'],
  insights: ['2020-02-02', '2015-05-01'],
  identity: ['2023-01-31', '2018-11-30'],
};

const ROLES: readonly (readonly [string, string])[] = [
  ['Owner', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'],
  ['Contributor', 'b24988ac-6180-42a0-ab88-20f7382dd24c'],
  ['Reader', 'acdd72a7-3385-48ef-bd42-f606fba81ae7'],
  ['User Access Administrator', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'],
  ['Storage Blob Data Contributor', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'],
  ['Storage Blob Data Reader', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'],
  ['Key Vault Secrets User', '4633458b-17de-408a-b874-0445c86b69e6'],
  ['AcrPull', '7f951dda-4ed3-4680-a7ca-43fe172d538d'],
];

function must(ref: Ref | undefined): Ref {
  if (!ref) throw new Error('module declared nothing');
  return ref;
}

/** Adds tags and maybe a condition. */
function finish(t: Template, decl: JsonObject, tags = true): JsonObject {
  if (tags && decl.location !== undefined && t.rng.chance(0.55)) {
    if (t.rng.chance(0.5)) {
      const name = t.param(
        'tags',
        { type: 'object', defaultValue: { environment: 'dev', costCenter: 'IT', owner: 'platform-team' } },
        { shared: true, description: 'Tags applied to every resource.' },
      );
      decl.tags = x(t.p(name));
    } else {
      decl.tags = { displayName: String(decl.type).split('/').pop() ?? 'resource' };
    }
  }
  t.maybeCondition(decl);
  return decl;
}

/** Reorders keys of a declaration to the usual order. */
function order(decl: JsonObject): JsonObject {
  const keys = [
    'condition',
    'type',
    'apiVersion',
    'name',
    'scope',
    'location',
    'tags',
    'sku',
    'kind',
    'identity',
    'copy',
    'dependsOn',
    'zones',
    'plan',
    'properties',
    'resources',
  ];
  const out: JsonObject = {};
  for (const k of keys) if (decl[k] !== undefined) out[k] = decl[k];
  for (const k of Object.keys(decl)) if (out[k] === undefined) out[k] = decl[k];
  return out;
}

function put(t: Template, symBase: string, decl: JsonObject, segs: string[], copyName?: string): Ref {
  return t.add(symBase, order(finish(t, decl)), segs, copyName);
}

/** A globally unique, 3-24 lower-case name (storage, key vault, ACR) in one of the usual styles. */
/** Name prefixes people use, so that not every template in a repository yields the same name. */
const PREFIXES: Record<string, readonly string[]> = {
  st: ['st', 'stor', 'storage', 'diag', 'sa', 'data', 'logs'],
  'kv-': ['kv-', 'kv', 'vault-', 'keyvault-', 'kv-app-'],
  'app-': ['app-', 'web-', 'site-', 'func-', 'api-'],
  'cosmos-': ['cosmos-', 'cosmosdb-', 'db-', 'cdb-'],
  acr: ['acr', 'registry', 'cr', 'images'],
};

const WORDS = ['web', 'app', 'data', 'core', 'shared', 'hub', 'spoke', 'mgmt', 'api', 'ops'];

/** A uniqueString() seed as templates write it. */
function seed(t: Template): string {
  return t.rng.weighted([
    ['resourceGroup().id', 6],
    ['subscription().subscriptionId, resourceGroup().id', 2],
    ['resourceGroup().id, deployment().name', 1],
    ["resourceGroup().id, 'app'", 1],
  ]);
}

function uniqueName(t: Template, prefixKind: string, base: string, maxLength: number): string {
  const r = t.rng;
  const prefix = r.pick(PREFIXES[prefixKind] ?? [prefixKind]);
  const style = t.style.userFunctions ? r.int(0, 4) : r.int(0, 3);
  if (style === 0) return t.v(t.variable(`${base}Name`, x(`concat('${prefix}', uniqueString(${seed(t)}))`)));
  if (style === 1) {
    const p = t.param(
      `${base}Name`,
      { type: 'string', defaultValue: x(`format('${prefix}{0}', uniqueString(${seed(t)}))`) },
      { description: `Name of the ${base}.` },
    );
    return t.p(p);
  }
  if (style === 2) {
    const p = t.param(
      `${base}Prefix`,
      { type: 'string', defaultValue: prefix, minLength: 2, maxLength: 11 },
      {
        description: `Prefix of the ${base} name.`,
        sample: `${prefix.slice(0, 8)}${r.pick(['prd', 'dev', 'tst'])}`,
      },
    );
    return t.v(
      t.variable(
        `${base}Name`,
        x(
          `toLower(take(format('{0}{1}', ${t.p(p)}, uniqueString(resourceGroup().id, deployment().name)), ${maxLength}))`,
        ),
      ),
    );
  }
  if (style === 3) {
    const p = t.param(
      `${base}Name`,
      { type: 'string', minLength: 3, maxLength },
      { description: `Name of the ${base}.`, sample: `${prefix}${t.rng.hex(10)}` },
    );
    return t.p(p);
  }
  const fn = ensureUserFunction(t);
  return t.v(t.variable(`${base}Name`, x(`${fn}('${prefix}')`)));
}

function ensureUserFunction(t: Template): string {
  const owner = t.scopeOwner;
  if (owner.functions.length === 0) {
    owner.functions.push({
      namespace: 'contoso',
      members: {
        uniqueName: {
          parameters: [{ name: 'namePrefix', type: 'string' }],
          output: {
            type: 'string',
            value: "[toLower(concat(parameters('namePrefix'), uniqueString(resourceGroup().id)))]",
          },
        },
      },
    });
  }
  return 'contoso.uniqueName';
}

/** A plain resource name: parameter with a default, or a variable built with format()/concat(). */
function plainName(t: Template, base: string, kind: string): string {
  const r = t.rng;
  const prefix = r.chance(0.5) ? `${kind}-${r.pick(WORDS)}` : kind;
  const k = r.int(0, 3);
  if (k === 0)
    return t.p(
      t.param(
        `${base}Name`,
        { type: 'string', defaultValue: `${prefix}-${r.hex(6)}` },
        { description: `Name of the ${base}.` },
      ),
    );
  if (k === 1) {
    const app = t.param(
      'appName',
      { type: 'string', defaultValue: r.pick(['contoso', 'fabrikam', 'tailspin', 'woodgrove', 'adatum']) },
      {
        shared: true,
        description: 'Application name used in resource names.',
        sample: r.pick(['payments', 'portal']),
      },
    );
    return t.v(
      t.variable(
        `${base}Name`,
        x(`format('${prefix}-{0}-{1}', ${t.p(app)}, uniqueString(resourceGroup().id))`),
      ),
    );
  }
  if (k === 2)
    return t.v(t.variable(`${base}Name`, x(`concat('${prefix}-', uniqueString(resourceGroup().id))`)));
  return t.v(
    t.variable(`${base}Name`, `${prefix}-${r.pick(['prod', 'dev', 'shared', 'core'])}-${r.int(1, 9)}`),
  );
}

// --- Storage ---------------------------------------------------------------------

export const storage: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.Storage/storageAccounts';
  const apiVersion = t.api(type, API.storage);
  const skus = ['Standard_LRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_ZRS', 'Premium_LRS'];
  const sku = t.param(
    'storageAccountType',
    { type: 'string', defaultValue: r.pick(skus.slice(0, 3)), allowedValues: skus },
    { description: 'Storage account type.', sample: r.pick(skus) },
  );
  const props: JsonObject = {};
  if (r.chance(0.85)) props.supportsHttpsTrafficOnly = t.secure();
  if (r.chance(0.8)) {
    if (r.chance(0.25)) {
      const p = t.param(
        'minimumTlsVersion',
        {
          type: 'string',
          defaultValue: t.secure() ? 'TLS1_2' : 'TLS1_0',
          allowedValues: ['TLS1_0', 'TLS1_1', 'TLS1_2'],
        },
        { shared: true, description: 'Minimum TLS version.', sample: r.pick(['TLS1_0', 'TLS1_2']) },
      );
      props.minimumTlsVersion = x(t.p(p));
    } else props.minimumTlsVersion = t.secure() ? 'TLS1_2' : r.pick(['TLS1_0', 'TLS1_1']);
  }
  if (r.chance(0.7)) props.allowBlobPublicAccess = !t.secure();
  if (r.chance(0.4)) props.allowSharedKeyAccess = !t.secure();
  if (r.chance(0.35)) props.publicNetworkAccess = t.secure() ? 'Disabled' : 'Enabled';
  if (r.chance(0.5)) {
    const deny = t.secure();
    props.networkAcls = {
      bypass: 'AzureServices',
      defaultAction: deny ? 'Deny' : 'Allow',
      ipRules: deny ? [{ value: `203.0.113.${r.int(1, 250)}`, action: 'Allow' }] : [],
      virtualNetworkRules: [],
    };
  }
  if (r.chance(0.45)) {
    props.encryption = {
      keySource: 'Microsoft.Storage',
      requireInfrastructureEncryption: t.secure(),
      services: { blob: { enabled: true, keyType: 'Account' }, file: { enabled: true, keyType: 'Account' } },
    };
  }
  if (r.chance(0.3)) props.accessTier = r.pick(['Hot', 'Cool']);
  const decl: JsonObject = {
    type,
    apiVersion,
    location: t.location(),
    sku: { name: x(t.p(sku)) },
    kind: r.weighted([
      ['StorageV2', 8],
      ['Storage', 1],
      ['BlobStorage', 1],
    ]),
    properties: props,
  };
  if (r.chance(t.style.copyP)) {
    const count = t.param(
      'storageCount',
      { type: 'int', defaultValue: r.int(2, 4), minValue: 1, maxValue: 10 },
      { description: 'Number of storage accounts to create.', sample: r.int(1, 6) },
    );
    const prefix = t.variable('storagePrefix', x(`concat('st', uniqueString(resourceGroup().id))`));
    const loop = t.symbol('storageLoop');
    decl.name = x(`concat(${t.v(prefix)}, copyIndex())`);
    decl.copy = r.chance(0.3)
      ? { name: loop, count: x(t.p(count)), mode: 'serial', batchSize: 1 }
      : { name: loop, count: x(t.p(count)) };
    t.stats.resourceCopy++;
    if (r.chance(0.5)) {
      const out = t.symbol('storageEndpoints');
      t.outputs[out] = {
        type: 'array',
        copy: {
          count: x(t.p(count)),
          input: x(
            `reference(resourceId('${type}', concat(${t.v(prefix)}, copyIndex()))).primaryEndpoints.blob`,
          ),
        },
      };
      t.stats.outputCopy++;
    }
    return put(t, 'storage', decl, [`concat(${t.v(prefix)}, '0')`], loop);
  }
  const name = uniqueName(t, 'st', 'storageAccount', 24);
  decl.name = x(name);
  const canNest = t.style.nestedChildren && !t.symbolic;
  const blob: JsonObject = {
    properties: {
      deleteRetentionPolicy: t.secure() ? { enabled: true, days: r.pick([7, 14, 30]) } : { enabled: false },
      containerDeleteRetentionPolicy: { enabled: t.secure(), days: 7 },
      isVersioningEnabled: t.secure(),
    },
  };
  const withBlob = r.chance(0.55);
  if (withBlob && canNest) {
    decl.resources = [
      {
        type: 'blobServices',
        apiVersion,
        name: 'default',
        dependsOn: [x(`resourceId('${type}', ${name})`)],
        ...blob,
      },
    ];
  }
  const ref = put(t, 'storageAccount', decl, [name]);
  if (withBlob) {
    if (!canNest) {
      put(
        t,
        'blobService',
        {
          type: `${type}/blobServices`,
          apiVersion,
          name: x(`format('{0}/default', ${name})`),
          dependsOn: [t.dep(ref)],
          ...blob,
        },
        [name, "'default'"],
      );
    }
    const containers = r.int(1, 3);
    for (let i = 0; i < containers; i++) {
      const cname = r.pick(['images', 'logs', 'data', 'backups', 'uploads', 'artifacts', 'web']);
      put(
        t,
        'container',
        {
          type: `${type}/blobServices/containers`,
          apiVersion,
          name: x(`format('{0}/default/{1}', ${name}, '${cname}${i}')`),
          dependsOn: [t.dep(ref)],
          properties: { publicAccess: t.secure() ? 'None' : r.pick(['Blob', 'Container']) },
        },
        [name, "'default'", `'${cname}${i}'`],
      );
    }
  }
  if (r.chance(t.style.referenceP)) {
    t.outputs[t.symbol('storageEndpoint')] = {
      type: 'string',
      value: x(`${t.reference(ref)}.primaryEndpoints.blob`),
    };
  }
  if (r.chance(t.style.referenceP * 0.3)) {
    // A classic leak: the account key as an output.
    t.outputs[t.symbol('storageKey')] = { type: 'string', value: x(`${t.listKeys(ref)}.keys[0].value`) };
  }
  return ref;
};

// --- Networking ------------------------------------------------------------------

export const publicIp: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.Network/publicIPAddresses';
  const name = plainName(t, 'publicIp', 'pip');
  const standard = t.secure();
  const dnsLabel = t.param(
    'dnsLabelPrefix',
    {
      type: 'string',
      defaultValue: x(`toLower(format('{0}-{1}', 'app', uniqueString(resourceGroup().id)))`),
    },
    { shared: true, description: 'Unique DNS name for the public IP address.' },
  );
  const decl: JsonObject = {
    type,
    apiVersion: t.api(type, API.network),
    name: x(name),
    location: t.location(),
    sku: { name: standard ? 'Standard' : 'Basic', ...(r.chance(0.4) ? { tier: 'Regional' } : {}) },
    properties: {
      publicIPAllocationMethod: standard ? 'Static' : r.pick(['Dynamic', 'Static']),
      publicIPAddressVersion: 'IPv4',
      dnsSettings: { domainNameLabel: x(t.p(dnsLabel)) },
      idleTimeoutInMinutes: r.pick([4, 10, 30]),
    },
  };
  if (standard && r.chance(0.3)) decl.zones = ['1', '2', '3'];
  return put(t, 'publicIp', decl, [name]);
};

interface RuleSpec {
  name: string;
  priority: number;
  direction: string;
  access: string;
  protocol: string;
  sourceAddressPrefix: string;
  sourcePortRange: string;
  destinationAddressPrefix: string;
  destinationPortRange: string;
}

function nsgRules(t: Template): RuleSpec[] {
  const r = t.rng;
  const rules: RuleSpec[] = [];
  const base = {
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationAddressPrefix: '*',
  };
  let priority = 100;
  const admin = r.pick(['22', '3389']);
  rules.push({
    ...base,
    name: admin === '22' ? 'AllowSSH' : 'AllowRDP',
    priority: priority++,
    sourceAddressPrefix: t.secure()
      ? r.pick(['10.0.0.0/8', '203.0.113.0/24', 'VirtualNetwork'])
      : r.pick(['*', 'Internet', '0.0.0.0/0']),
    destinationPortRange: admin,
  });
  const extra = r.int(0, 5);
  const ports = ['443', '80', '8080', '1433', '3306', '5432', '6379', '9000-9100', '*'];
  for (let i = 0; i < extra; i++) {
    const port = r.pick(ports);
    rules.push({
      ...base,
      name: `Allow${port === '*' ? 'All' : port.replace(/-/g, 'to')}${i}`,
      priority: priority + i * 10,
      protocol: r.pick(['Tcp', 'Tcp', 'Udp', '*']),
      sourceAddressPrefix: port === '443' || port === '80' ? 'Internet' : t.secure() ? 'VirtualNetwork' : '*',
      destinationPortRange: port,
    });
  }
  if (r.chance(0.5)) {
    rules.push({
      ...base,
      name: 'DenyAllInbound',
      priority: 4096,
      access: 'Deny',
      protocol: '*',
      sourceAddressPrefix: '*',
      destinationPortRange: '*',
    });
  }
  return rules;
}

function ruleJson(rule: RuleSpec): JsonObject {
  const { name, ...props } = rule;
  return { name, properties: { ...props } };
}

export const nsg: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.Network/networkSecurityGroups';
  const name = plainName(t, 'networkSecurityGroup', 'nsg');
  const rules = nsgRules(t);
  const props: JsonObject = {};
  const decl: JsonObject = {
    type,
    apiVersion: t.api(type, API.network),
    name: x(name),
    location: t.location(),
    properties: props,
  };
  const mode = r.chance(t.style.copyP) ? 1 : r.chance(0.1) ? 2 : 0;
  if (mode === 0) {
    props.securityRules = rules.map(ruleJson);
  } else if (mode === 1) {
    // Property copy over an array parameter.
    const p = t.param(
      'securityRules',
      { type: 'array', defaultValue: rules.map((rule) => ({ ...rule }) as unknown as JsonObject) },
      { description: 'Inbound security rules.' },
    );
    const at = (field: string) => x(`${t.p(p)}[copyIndex('securityRules')].${field}`);
    props.copy = [
      {
        name: 'securityRules',
        count: x(`length(${t.p(p)})`),
        input: {
          name: at('name'),
          properties: {
            priority: at('priority'),
            direction: at('direction'),
            access: at('access'),
            protocol: at('protocol'),
            sourceAddressPrefix: at('sourceAddressPrefix'),
            sourcePortRange: at('sourcePortRange'),
            destinationAddressPrefix: at('destinationAddressPrefix'),
            destinationPortRange: at('destinationPortRange'),
          },
        },
      },
    ];
    t.stats.propertyCopy++;
  } else {
    props.securityRules = [];
  }
  const ref = put(t, 'nsg', decl, [name]);
  if (mode === 2) {
    for (const rule of rules) {
      put(
        t,
        'nsgRule',
        {
          type: `${type}/securityRules`,
          apiVersion: t.api(type, API.network),
          name: x(`format('{0}/{1}', ${name}, '${rule.name}')`),
          dependsOn: [t.dep(ref)],
          properties: ruleJson(rule).properties,
        },
        [name, q(rule.name)],
      );
    }
  }
  return ref;
};

/** A VNet; returns its ref and an expression for one subnet's id. */
function vnetWithSubnet(t: Template): { ref: Ref; subnetId: string } {
  const existing = t.find('Microsoft.Network/virtualNetworks');
  if (existing) return { ref: existing, subnetId: subnetIdOf(existing) };
  const ref = must(vnet(t));
  return { ref, subnetId: subnetIdOf(ref) };
}

const subnetNames = new WeakMap<Ref, string>();

function subnetIdOf(ref: Ref): string {
  const subnet = subnetNames.get(ref) ?? "'default'";
  return `resourceId('Microsoft.Network/virtualNetworks/subnets', ${ref.segs[0]}, ${subnet})`;
}

export const vnet: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.Network/virtualNetworks';
  const name = plainName(t, 'virtualNetwork', 'vnet');
  const prefix = t.param(
    'vnetAddressPrefix',
    { type: 'string', defaultValue: `10.${r.int(0, 250)}.0.0/16` },
    { shared: true, description: 'Address prefix of the virtual network.' },
  );
  const decl: JsonObject = {
    type,
    apiVersion: t.api(type, API.network),
    name: x(name),
    location: t.location(),
    properties: { addressSpace: { addressPrefixes: [x(t.p(prefix))] } },
  };
  const props = decl.properties as JsonObject;
  const nsgRef = t.find('Microsoft.Network/networkSecurityGroups');
  const mode = r.chance(t.style.copyP) ? r.pick([1, 2]) : 0;
  let firstSubnet: string;
  if (mode === 0) {
    const n = r.int(1, 4);
    const subnets: Json[] = [];
    const names = r.sample(['default', 'frontend', 'backend', 'data', 'management', 'AzureBastionSubnet'], n);
    for (let i = 0; i < names.length; i++) {
      const sp: JsonObject = { addressPrefix: `10.0.${i}.0/24` };
      if (nsgRef && i === 0) sp.networkSecurityGroup = { id: x(t.id(nsgRef)) };
      if (r.chance(0.3)) sp.privateEndpointNetworkPolicies = t.secure() ? 'Enabled' : 'Disabled';
      if (r.chance(0.25))
        sp.serviceEndpoints = [{ service: 'Microsoft.Storage' }, { service: 'Microsoft.Sql' }];
      subnets.push({ name: names[i], properties: sp });
    }
    props.subnets = subnets;
    firstSubnet = q(names[0]);
  } else if (mode === 1) {
    const p = t.param(
      'subnets',
      {
        type: 'array',
        defaultValue: [
          { name: 'frontend', addressPrefix: '10.0.1.0/24' },
          { name: 'backend', addressPrefix: '10.0.2.0/24' },
          { name: 'data', addressPrefix: '10.0.3.0/24' },
        ].slice(0, r.int(1, 3)),
      },
      { description: 'Subnets of the virtual network.' },
    );
    props.copy = [
      {
        name: 'subnets',
        count: x(`length(${t.p(p)})`),
        input: {
          name: x(`${t.p(p)}[copyIndex('subnets')].name`),
          properties: {
            addressPrefix: x(`${t.p(p)}[copyIndex('subnets')].addressPrefix`),
            ...(nsgRef ? { networkSecurityGroup: { id: x(t.id(nsgRef)) } } : {}),
          },
        },
      },
    ];
    t.stats.propertyCopy++;
    firstSubnet = `${t.p(p)}[0].name`;
  } else {
    const count = t.param(
      'subnetCount',
      { type: 'int', defaultValue: r.int(2, 4), minValue: 1, maxValue: 16 },
      { description: 'Number of subnets.', sample: r.int(1, 8) },
    );
    const loop = t.variableCopy('subnetConfigs', x(t.p(count)), (loopName) => ({
      name: x(`concat('subnet-', copyIndex('${loopName}'))`),
      properties: { addressPrefix: x(`concat('10.0.', copyIndex('${loopName}'), '.0/24')`) },
    }));
    props.subnets = x(t.v(loop));
    firstSubnet = "'subnet-0'";
  }
  if (r.chance(0.2)) props.enableDdosProtection = t.secure();
  const deps = nsgRef ? [t.dep(nsgRef)] : [];
  if (deps.length > 0) decl.dependsOn = deps;
  const ref = put(t, 'vnet', decl, [name]);
  subnetNames.set(ref, firstSubnet);
  return ref;
};

export const network: Module = (t) => {
  nsg(t);
  const ref = vnet(t);
  if (t.rng.chance(0.4)) publicIp(t);
  return ref;
};

// --- Compute ---------------------------------------------------------------------

export const virtualMachine: Module = (t) => {
  const r = t.rng;
  const windows = r.chance(0.4);
  const { subnetId } = vnetWithSubnet(t);
  const nsgRef = t.find('Microsoft.Network/networkSecurityGroups') ?? must(nsg(t));
  const diag = r.chance(0.5) ? (t.find('Microsoft.Storage/storageAccounts') ?? storage(t)) : undefined;
  const vmName = t.param(
    'vmName',
    {
      type: 'string',
      defaultValue: windows
        ? r.pick(['winvm', 'myVM', 'win-vm', 'vm-iis', 'dc01', 'sqlvm'])
        : r.pick(['linuxvm', 'simple-vm', 'myVM', 'vm1', 'ubuntu-vm', 'jumpbox']),
    },
    { description: 'Name of the virtual machine.' },
  );
  const size = t.param(
    'vmSize',
    {
      type: 'string',
      defaultValue: 'Standard_D2s_v5',
      allowedValues: [
        'Standard_B2s',
        'Standard_D2s_v5',
        'Standard_D4s_v5',
        'Standard_E4s_v5',
        'Standard_F4s_v2',
      ],
    },
    { description: 'Size of the virtual machine.', sample: r.pick(['Standard_B2s', 'Standard_D4s_v5']) },
  );
  const user = t.param(
    'adminUsername',
    { type: 'string' },
    { shared: true, description: 'Username for the virtual machine.', sample: 'azureuser' },
  );
  const sshAuth = !windows && t.secure();
  const authType = !windows && r.chance(0.4);
  let authParam: string;
  let authTypeParam: string | undefined;
  if (authType) {
    authTypeParam = t.param(
      'authenticationType',
      {
        type: 'string',
        defaultValue: sshAuth ? 'sshPublicKey' : 'password',
        allowedValues: ['sshPublicKey', 'password'],
      },
      {
        description: 'Type of authentication to use on the virtual machine.',
        sample: r.pick(['sshPublicKey', 'password']),
      },
    );
    authParam = t.param(
      'adminPasswordOrKey',
      { type: 'securestring' },
      {
        description: 'SSH key or password for the virtual machine.',
        sample: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 generated',
      },
    );
  } else if (sshAuth) {
    authParam = t.param(
      'sshPublicKey',
      { type: 'string' },
      { description: 'SSH public key.', sample: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDx generated' },
    );
  } else {
    authParam = t.param(
      'adminPassword',
      { type: 'securestring', minLength: 12 },
      { shared: true, description: 'Password for the virtual machine.', sample: 'Sample-Passw0rd!' },
    );
  }
  const copy = r.chance(t.style.copyP);
  let countParam = '';
  const idx = (s: string) => (copy ? `concat(${s}, copyIndex(1))` : s);
  if (copy) {
    countParam = t.param(
      'vmCount',
      { type: 'int', defaultValue: r.int(2, 3), minValue: 1, maxValue: 20 },
      { description: 'Number of virtual machines.', sample: r.int(1, 5) },
    );
  }
  const loop = (base: string) => (copy ? t.symbol(base) : undefined);
  const copyOf = (name: string | undefined): JsonObject | undefined =>
    name ? { name, count: x(t.p(countParam)) } : undefined;
  const nic = t.variable('nicName', x(`format('{0}-nic', ${t.p(vmName)})`));
  const pipVar = t.variable('publicIpName', x(`format('{0}-pip', ${t.p(vmName)})`));
  const withPip = r.chance(0.6);
  let pipRef: Ref | undefined;
  if (withPip) {
    const pipLoop = loop('pipLoop');
    const pdecl: JsonObject = {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: t.api('Microsoft.Network/publicIPAddresses', API.network),
      name: x(idx(t.v(pipVar))),
      location: t.location(),
      sku: { name: t.secure() ? 'Standard' : 'Basic' },
      properties: { publicIPAllocationMethod: r.pick(['Dynamic', 'Static']) },
    };
    const c = copyOf(pipLoop);
    if (c) {
      pdecl.copy = c;
      t.stats.resourceCopy++;
    }
    pipRef = put(t, 'publicIp', pdecl, [idx(t.v(pipVar))], pipLoop);
  }
  const nicLoop = loop('nicLoop');
  const ipConfig: JsonObject = {
    privateIPAllocationMethod: 'Dynamic',
    subnet: { id: x(subnetId) },
  };
  if (pipRef) {
    ipConfig.publicIPAddress = {
      id: x(
        `resourceId('Microsoft.Network/publicIPAddresses', ${copy ? `concat(${t.v(pipVar)}, copyIndex(1))` : t.v(pipVar)})`,
      ),
    };
  }
  const ndecl: JsonObject = {
    type: 'Microsoft.Network/networkInterfaces',
    apiVersion: t.api('Microsoft.Network/networkInterfaces', API.network),
    name: x(idx(t.v(nic))),
    location: t.location(),
    dependsOn: [...(pipRef ? [t.dep(pipRef)] : []), t.dep(nsgRef)],
    properties: {
      ipConfigurations: [{ name: 'ipconfig1', properties: ipConfig }],
      networkSecurityGroup: { id: x(t.id(nsgRef)) },
      enableAcceleratedNetworking: r.chance(0.4),
    },
  };
  const nc = copyOf(nicLoop);
  if (nc) {
    ndecl.copy = nc;
    t.stats.resourceCopy++;
  }
  const nicRef = put(t, 'nic', ndecl, [idx(t.v(nic))], nicLoop);
  const osProfile: JsonObject = {
    computerName: x(idx(t.p(vmName))),
    adminUsername: x(t.p(user)),
  };
  if (windows) {
    osProfile.adminPassword = x(t.p(authParam));
    osProfile.windowsConfiguration = {
      enableAutomaticUpdates: t.secure(),
      provisionVMAgent: true,
      patchSettings: { patchMode: t.secure() ? 'AutomaticByPlatform' : 'Manual' },
    };
  } else if (authTypeParam) {
    osProfile.adminPassword = x(t.p(authParam));
    const lc = t.variable('linuxConfiguration', {
      disablePasswordAuthentication: true,
      ssh: {
        publicKeys: [
          {
            path: x(`format('/home/{0}/.ssh/authorized_keys', ${t.p(user)})`),
            keyData: x(t.p(authParam)),
          },
        ],
      },
    });
    osProfile.linuxConfiguration = x(`if(equals(${t.p(authTypeParam)}, 'password'), null(), ${t.v(lc)})`);
  } else if (sshAuth) {
    osProfile.linuxConfiguration = {
      disablePasswordAuthentication: true,
      ssh: {
        publicKeys: [
          { path: x(`concat('/home/', ${t.p(user)}, '/.ssh/authorized_keys')`), keyData: x(t.p(authParam)) },
        ],
      },
    };
  } else {
    osProfile.adminPassword = x(t.p(authParam));
    osProfile.linuxConfiguration = { disablePasswordAuthentication: false };
  }
  const image = windows
    ? {
        publisher: 'MicrosoftWindowsServer',
        offer: 'WindowsServer',
        sku: r.pick(['2022-datacenter-azure-edition', '2019-Datacenter']),
        version: 'latest',
      }
    : {
        publisher: 'Canonical',
        offer: r.pick(['0001-com-ubuntu-server-jammy', 'UbuntuServer']),
        sku: r.pick(['22_04-lts-gen2', '18.04-LTS']),
        version: 'latest',
      };
  const storageProfile: JsonObject = {
    imageReference: image,
    osDisk: {
      createOption: 'FromImage',
      caching: 'ReadWrite',
      managedDisk: { storageAccountType: r.pick(['Premium_LRS', 'StandardSSD_LRS', 'Standard_LRS']) },
    },
  };
  if (r.chance(0.5)) {
    if (r.chance(t.style.copyP + 0.2)) {
      const dd = t.param(
        'dataDiskCount',
        { type: 'int', defaultValue: r.int(1, 4), minValue: 0, maxValue: 16 },
        { description: 'Number of data disks.', sample: r.int(0, 6) },
      );
      storageProfile.copy = [
        {
          name: 'dataDisks',
          count: x(t.p(dd)),
          input: {
            lun: x("copyIndex('dataDisks')"),
            createOption: 'Empty',
            diskSizeGB: r.pick([128, 256, 1023]),
            managedDisk: { storageAccountType: 'Premium_LRS' },
          },
        },
      ];
      t.stats.propertyCopy++;
    } else {
      storageProfile.dataDisks = [{ lun: 0, createOption: 'Empty', diskSizeGB: 128 }];
    }
  }
  const vmProps: JsonObject = {
    hardwareProfile: { vmSize: x(t.p(size)) },
    osProfile,
    storageProfile,
    networkProfile: {
      networkInterfaces: [{ id: x(`resourceId('Microsoft.Network/networkInterfaces', ${idx(t.v(nic))})`) }],
    },
  };
  if (r.chance(0.5)) {
    vmProps.securityProfile = t.secure()
      ? {
          encryptionAtHost: true,
          securityType: 'TrustedLaunch',
          uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
        }
      : { encryptionAtHost: false };
  }
  if (diag) {
    vmProps.diagnosticsProfile = {
      bootDiagnostics: diag.copyName
        ? { enabled: true }
        : { enabled: true, storageUri: x(`${t.reference(diag)}.primaryEndpoints.blob`) },
    };
  } else if (r.chance(0.4)) {
    vmProps.diagnosticsProfile = { bootDiagnostics: { enabled: r.chance(0.7) } };
  }
  const vmLoop = loop('vmLoop');
  const type = 'Microsoft.Compute/virtualMachines';
  const vdecl: JsonObject = {
    type,
    apiVersion: t.api(type, API.compute),
    name: x(idx(t.p(vmName))),
    location: t.location(),
    dependsOn: [t.dep(nicRef), ...(diag ? [t.dep(diag)] : [])],
    properties: vmProps,
  };
  if (r.chance(0.35)) vdecl.identity = { type: 'SystemAssigned' };
  if (r.chance(0.2)) vdecl.zones = [r.pick(['1', '2', '3'])];
  const vc = copyOf(vmLoop);
  if (vc) {
    vdecl.copy = vc;
    t.stats.resourceCopy++;
  }
  const vmRef = put(t, 'vm', vdecl, [idx(t.p(vmName))], vmLoop);
  if (r.chance(0.4)) {
    const extName = windows ? 'CustomScriptExtension' : 'CustomScript';
    const edecl: JsonObject = {
      type: `${type}/extensions`,
      apiVersion: t.api(type, API.compute),
      name: x(`format('{0}/{1}', ${idx(t.p(vmName))}, '${extName}')`),
      location: t.location(),
      dependsOn: [t.dep(vmRef)],
      properties: {
        publisher: windows ? 'Microsoft.Compute' : 'Microsoft.Azure.Extensions',
        type: extName,
        typeHandlerVersion: windows ? '1.10' : '2.1',
        autoUpgradeMinorVersion: true,
        settings: {
          fileUris: [
            x(
              `uri(${t.p(artifacts(t))}, concat('scripts/install.sh', ${t.p('_artifactsLocationSasToken')}))`,
            ),
          ],
        },
        protectedSettings: {
          commandToExecute: windows
            ? 'powershell -ExecutionPolicy Unrestricted -File install.ps1'
            : 'sh install.sh',
        },
      },
    };
    const el = loop('extensionLoop');
    const ec = copyOf(el);
    if (ec) {
      edecl.copy = ec;
      t.stats.resourceCopy++;
    }
    put(t, 'vmExtension', edecl, [idx(t.p(vmName)), `'${extName}'`], el);
  }
  return vmRef;
};

/** The quickstart `_artifactsLocation` / `_artifactsLocationSasToken` pair. */
function artifacts(t: Template): string {
  t.param(
    '_artifactsLocationSasToken',
    { type: 'securestring', defaultValue: '' },
    { shared: true, description: 'SAS token for _artifactsLocation.' },
  );
  return t.param(
    '_artifactsLocation',
    { type: 'string', defaultValue: '[deployment().properties.templateLink.uri]' },
    { shared: true, description: 'Base location of the scripts this template needs.' },
  );
}

// --- Key Vault -------------------------------------------------------------------

export const keyVault: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.KeyVault/vaults';
  const apiVersion = t.api(type, API.keyVault);
  const name = uniqueName(t, 'kv-', 'keyVault', 24);
  const tenant = t.param(
    'tenantId',
    { type: 'string', defaultValue: '[subscription().tenantId]' },
    { shared: true, description: 'Tenant id for the vault.' },
  );
  const skuName = t.param(
    'skuName',
    { type: 'string', defaultValue: 'standard', allowedValues: ['standard', 'premium'] },
    { shared: true, description: 'Key vault SKU.', sample: 'premium' },
  );
  const rbac = r.chance(0.45);
  const props: JsonObject = {
    tenantId: x(t.p(tenant)),
    sku: { family: 'A', name: x(t.p(skuName)) },
  };
  if (!rbac) {
    const objectId = t.param(
      'objectId',
      { type: 'string' },
      {
        shared: true,
        description: 'Object id of the user or service principal with access.',
        sample: r.guid(),
      },
    );
    const perms = (list: string[]) => (t.secure() ? r.sample(list, r.int(1, 3)) : ['all']);
    props.accessPolicies = [
      {
        tenantId: x(t.p(tenant)),
        objectId: x(t.p(objectId)),
        permissions: {
          keys: perms(['get', 'list', 'create', 'update', 'wrapKey', 'unwrapKey']),
          secrets: perms(['get', 'list', 'set', 'delete']),
          certificates: perms(['get', 'list', 'import', 'create']),
        },
      },
    ];
  } else props.enableRbacAuthorization = true;
  if (r.chance(0.6)) props.enabledForDeployment = r.chance(0.5);
  if (r.chance(0.5)) props.enabledForTemplateDeployment = r.chance(0.5);
  if (r.chance(0.75)) props.enableSoftDelete = t.secure();
  if (r.chance(0.5)) props.softDeleteRetentionInDays = r.pick([7, 30, 90]);
  if (r.chance(0.6)) props.enablePurgeProtection = t.secure() ? true : null;
  if (r.chance(0.5)) {
    props.networkAcls = t.secure()
      ? { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] }
      : { defaultAction: 'Allow', bypass: 'AzureServices' };
  }
  if (r.chance(0.3)) props.publicNetworkAccess = t.secure() ? 'Disabled' : 'Enabled';
  const ref = put(
    t,
    'keyVault',
    { type, apiVersion, name: x(name), location: t.location(), properties: props },
    [name],
  );
  const secrets = r.int(0, 3);
  const stor = t.find('Microsoft.Storage/storageAccounts');
  for (let i = 0; i < secrets; i++) {
    let value: string;
    let dependsOn: string[] = [t.dep(ref)];
    let secretName: string;
    if (i === 0 && stor && r.chance(0.3 + t.style.referenceP)) {
      secretName = 'storageConnectionString';
      value = x(
        `format('DefaultEndpointsProtocol=https;AccountName={0};EndpointSuffix={1};AccountKey={2}', ${stor.segs[0]}, environment().suffixes.storage, ${t.listKeys(stor)}.keys[0].value)`,
      );
      dependsOn = [...dependsOn, t.dep(stor)];
    } else {
      secretName = r.pick(['apiKey', 'dbPassword', 'clientSecret', 'sqlAdminPassword']) + i;
      const p = t.param(
        secretName,
        { type: 'securestring' },
        { description: `Value of the ${secretName} secret.`, sample: `secret-${r.hex(16)}` },
      );
      value = x(t.p(p));
    }
    const sprops: JsonObject = { value };
    if (r.chance(0.5))
      sprops.attributes = t.secure() ? { enabled: true, exp: 1767225600 } : { enabled: true };
    if (r.chance(0.3)) sprops.contentType = 'text/plain';
    put(
      t,
      'secret',
      {
        type: `${type}/secrets`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, '${secretName}')`),
        dependsOn,
        properties: sprops,
      },
      [name, `'${secretName}'`],
    );
  }
  return ref;
};

// --- SQL -------------------------------------------------------------------------

export const sqlServer: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.Sql/servers';
  const apiVersion = t.api(type, API.sql);
  const name = plainName(t, 'sqlServer', 'sql');
  const login = t.param(
    'administratorLogin',
    { type: 'string' },
    { shared: true, description: 'SQL administrator login.', sample: 'sqladmin' },
  );
  const pwd = t.param(
    'administratorLoginPassword',
    { type: 'securestring' },
    { shared: true, description: 'SQL administrator password.', sample: 'Sample-Passw0rd!' },
  );
  const props: JsonObject = {
    administratorLogin: x(t.p(login)),
    administratorLoginPassword: x(t.p(pwd)),
    version: '12.0',
  };
  if (r.chance(0.7)) props.minimalTlsVersion = t.secure() ? '1.2' : r.pick(['1.0', '1.1']);
  if (r.chance(0.5)) props.publicNetworkAccess = t.secure() ? 'Disabled' : 'Enabled';
  const decl: JsonObject = { type, apiVersion, name: x(name), location: t.location(), properties: props };
  if (r.chance(0.4)) decl.identity = { type: 'SystemAssigned' };
  const server = put(t, 'sqlServer', decl, [name]);
  // Firewall
  const fw = t.secure()
    ? { name: 'AllowAllWindowsAzureIps', start: '0.0.0.0', end: '0.0.0.0' }
    : r.pick([
        { name: 'AllowAll', start: '0.0.0.0', end: '255.255.255.255' },
        { name: 'AllowAllWindowsAzureIps', start: '0.0.0.0', end: '0.0.0.0' },
        { name: 'ClientIp', start: '198.51.100.10', end: '198.51.100.10' },
      ]);
  put(
    t,
    'firewallRule',
    {
      type: `${type}/firewallRules`,
      apiVersion,
      name: x(`format('{0}/{1}', ${name}, '${fw.name}')`),
      dependsOn: [t.dep(server)],
      properties: { startIpAddress: fw.start, endIpAddress: fw.end },
    },
    [name, `'${fw.name}'`],
  );
  // Databases: one, or a copy loop over an array parameter.
  let dbDep: string;
  if (r.chance(t.style.copyP)) {
    const names = t.param(
      'databaseNames',
      {
        type: 'array',
        defaultValue: r.sample(['orders', 'customers', 'inventory', 'audit', 'reporting'], r.int(2, 4)),
      },
      { description: 'Names of the databases.' },
    );
    const loop = t.symbol('databaseLoop');
    put(
      t,
      'database',
      {
        type: `${type}/databases`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, ${t.p(names)}[copyIndex()])`),
        location: t.location(),
        sku: { name: r.pick(['Basic', 'S0', 'GP_S_Gen5_1']) },
        copy: { name: loop, count: x(`length(${t.p(names)})`) },
        dependsOn: [t.dep(server)],
        properties: { collation: 'SQL_Latin1_General_CP1_CI_AS', zoneRedundant: r.chance(0.3) },
      },
      [name, `${t.p(names)}[0]`],
      loop,
    );
    t.stats.resourceCopy++;
    dbDep = loop;
  } else {
    const db = t.param(
      'databaseName',
      { type: 'string', defaultValue: r.pick(['SampleDB', 'appdb', 'orders']) },
      { description: 'Name of the database.' },
    );
    const ref = put(
      t,
      'database',
      {
        type: `${type}/databases`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, ${t.p(db)})`),
        location: t.location(),
        sku: {
          name: r.pick(['Basic', 'S0', 'S1', 'GP_Gen5_2']),
          tier: r.pick(['Basic', 'Standard', 'GeneralPurpose']),
        },
        dependsOn: [t.dep(server)],
        properties: {
          collation: 'SQL_Latin1_General_CP1_CI_AS',
          maxSizeBytes: 2147483648,
          ...(r.chance(0.4) ? { requestedBackupStorageRedundancy: t.secure() ? 'Geo' : 'Local' } : {}),
        },
      },
      [name, t.p(db)],
    );
    dbDep = t.dep(ref);
    if (r.chance(0.6)) {
      put(
        t,
        'tde',
        {
          type: `${type}/databases/transparentDataEncryption`,
          apiVersion,
          name: x(`format('{0}/{1}/current', ${name}, ${t.p(db)})`),
          dependsOn: [dbDep],
          properties: { state: t.secure() ? 'Enabled' : 'Disabled' },
        },
        [name, t.p(db), "'current'"],
      );
    }
  }
  // Auditing, with the storage account's key when there is one.
  if (r.chance(0.5)) {
    const stor = t.find('Microsoft.Storage/storageAccounts');
    const aprops: JsonObject = {
      state: t.secure() ? 'Enabled' : 'Disabled',
      retentionDays: r.pick([0, 30, 90, 180]),
    };
    const deps = [t.dep(server)];
    if (stor && r.chance(0.5 + t.style.referenceP)) {
      aprops.storageEndpoint = x(`${t.reference(stor)}.primaryEndpoints.blob`);
      aprops.storageAccountAccessKey = x(`${t.listKeys(stor)}.keys[0].value`);
      deps.push(t.dep(stor));
    } else {
      aprops.isAzureMonitorTargetEnabled = true;
    }
    put(
      t,
      'auditing',
      {
        type: `${type}/auditingSettings`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, 'default')`),
        dependsOn: deps,
        properties: aprops,
      },
      [name, "'default'"],
    );
  }
  if (r.chance(0.4)) {
    put(
      t,
      'securityAlertPolicy',
      {
        type: `${type}/securityAlertPolicies`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, 'Default')`),
        dependsOn: [t.dep(server)],
        properties: { state: t.secure() ? 'Enabled' : 'Disabled', emailAccountAdmins: true },
      },
      [name, "'Default'"],
    );
  }
  if (r.chance(0.3)) {
    put(
      t,
      'aadOnly',
      {
        type: `${type}/azureADOnlyAuthentications`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, 'Default')`),
        dependsOn: [t.dep(server)],
        properties: { azureADOnlyAuthentication: t.secure() },
      },
      [name, "'Default'"],
    );
  }
  return server;
};

// --- App Service -------------------------------------------------------------------

export const webApp: Module = (t) => {
  const r = t.rng;
  const linux = r.chance(0.5);
  const planName = plainName(t, 'appServicePlan', 'plan');
  const sku = t.param(
    'sku',
    {
      type: 'string',
      defaultValue: r.pick(['F1', 'B1', 'S1', 'P1v3']),
      allowedValues: ['F1', 'D1', 'B1', 'B2', 'S1', 'S2', 'P1v2', 'P1v3'],
    },
    { shared: true, description: 'App Service plan SKU.', sample: r.pick(['B1', 'S1', 'P1v3']) },
  );
  const planType = 'Microsoft.Web/serverfarms';
  const plan = put(
    t,
    'appServicePlan',
    {
      type: planType,
      apiVersion: t.api(planType, API.web),
      name: x(planName),
      location: t.location(),
      sku: { name: x(t.p(sku)) },
      kind: linux ? 'linux' : 'app',
      properties: linux ? { reserved: true } : {},
    },
    [planName],
  );
  let insights: Ref | undefined;
  if (r.chance(0.45)) {
    const aiName = t.v(
      t.variable('appInsightsName', x(`format('appi-{0}', uniqueString(resourceGroup().id))`)),
    );
    const aiType = 'Microsoft.Insights/components';
    const ws = t.find('Microsoft.OperationalInsights/workspaces');
    insights = put(
      t,
      'appInsights',
      {
        type: aiType,
        apiVersion: t.api(aiType, API.insights),
        name: x(aiName),
        location: t.location(),
        kind: 'web',
        ...(ws ? { dependsOn: [t.dep(ws)] } : {}),
        properties: {
          Application_Type: 'web',
          ...(ws ? { WorkspaceResourceId: x(t.id(ws)) } : {}),
          ...(r.chance(0.3) ? { DisableLocalAuth: t.secure() } : {}),
        },
      },
      [aiName],
    );
  }
  const siteName = uniqueName(t, 'app-', 'webApp', 60);
  const appSettings: Json[] = [{ name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }];
  const deps = [t.dep(plan)];
  if (insights) {
    appSettings.push({
      name: 'APPINSIGHTS_INSTRUMENTATIONKEY',
      value: x(`${t.reference(insights)}.InstrumentationKey`),
    });
    appSettings.push({
      name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      value: x(`${t.reference(insights)}.ConnectionString`),
    });
    deps.push(t.dep(insights));
  }
  const stor = t.find('Microsoft.Storage/storageAccounts');
  if (stor && r.chance(0.4 + t.style.referenceP)) {
    appSettings.push({
      name: 'AzureWebJobsStorage',
      value: x(
        `concat('DefaultEndpointsProtocol=https;AccountName=', ${stor.segs[0]}, ';AccountKey=', ${t.listKeys(stor)}.keys[0].value)`,
      ),
    });
    deps.push(t.dep(stor));
  }
  const siteConfig: JsonObject = { appSettings };
  if (linux)
    siteConfig.linuxFxVersion = r.pick(['DOTNETCORE|8.0', 'NODE|20-lts', 'PYTHON|3.11', 'JAVA|17-java17']);
  else if (r.chance(0.5)) siteConfig.netFrameworkVersion = 'v8.0';
  if (r.chance(0.75)) siteConfig.minTlsVersion = t.secure() ? '1.2' : r.pick(['1.0', '1.1']);
  if (r.chance(0.6)) siteConfig.ftpsState = t.secure() ? r.pick(['Disabled', 'FtpsOnly']) : 'AllAllowed';
  if (r.chance(0.4)) siteConfig.remoteDebuggingEnabled = !t.secure();
  if (r.chance(0.5)) siteConfig.http20Enabled = t.secure();
  if (r.chance(0.4)) siteConfig.alwaysOn = r.chance(0.5);
  const sql = t.find('Microsoft.Sql/servers');
  if (sql && r.chance(0.6)) {
    siteConfig.connectionStrings = [
      {
        name: 'DefaultConnection',
        connectionString: x(
          `concat('Data Source=tcp:', ${t.reference(sql)}.fullyQualifiedDomainName, ',1433;Initial Catalog=appdb;User Id=', ${t.reference(sql)}.administratorLogin, ';')`,
        ),
        type: 'SQLAzure',
      },
    ];
    deps.push(t.dep(sql));
  }
  const type = 'Microsoft.Web/sites';
  const props: JsonObject = { serverFarmId: x(t.id(plan)), siteConfig };
  if (r.chance(0.8)) props.httpsOnly = t.secure();
  if (r.chance(0.3)) props.clientCertEnabled = t.secure();
  if (r.chance(0.25)) props.publicNetworkAccess = t.secure() ? 'Disabled' : 'Enabled';
  const decl: JsonObject = {
    type,
    apiVersion: t.api(type, API.web),
    name: x(siteName),
    location: t.location(),
    kind: linux ? 'app,linux' : r.pick(['app', 'functionapp']),
    dependsOn: deps,
    properties: props,
  };
  if (r.chance(0.5)) decl.identity = { type: t.secure() ? 'SystemAssigned' : 'None' };
  const site = put(t, 'webApp', decl, [siteName]);
  if (r.chance(0.3)) {
    put(
      t,
      'siteConfig',
      {
        type: `${type}/config`,
        apiVersion: t.api(type, API.web),
        name: x(`format('{0}/{1}', ${siteName}, 'web')`),
        dependsOn: [t.dep(site)],
        properties: {
          ftpsState: t.secure() ? 'Disabled' : 'AllAllowed',
          minTlsVersion: t.secure() ? '1.2' : '1.0',
        },
      },
      [siteName, "'web'"],
    );
  }
  if (r.chance(0.25)) {
    put(
      t,
      'basicPublishingFtp',
      {
        type: `${type}/basicPublishingCredentialsPolicies`,
        apiVersion: t.api(type, API.web),
        name: x(`format('{0}/{1}', ${siteName}, 'ftp')`),
        dependsOn: [t.dep(site)],
        properties: { allow: !t.secure() },
      },
      [siteName, "'ftp'"],
    );
  }
  if (r.chance(t.style.referenceP)) {
    t.outputs[t.symbol('siteUrl')] = {
      type: 'string',
      value: x(`concat('https://', ${t.reference(site)}.defaultHostName)`),
    };
  }
  return site;
};

// --- AKS ---------------------------------------------------------------------------

export const aks: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.ContainerService/managedClusters';
  const name = plainName(t, 'cluster', 'aks');
  const dnsPrefix = t.param(
    'dnsPrefix',
    { type: 'string', defaultValue: x(`format('aks-{0}', uniqueString(resourceGroup().id))`) },
    { description: 'DNS prefix of the cluster.' },
  );
  const nodeCount = t.param(
    'agentCount',
    { type: 'int', defaultValue: 3, minValue: 1, maxValue: 50 },
    { description: 'Number of nodes in the system pool.', sample: r.int(1, 5) },
  );
  const vmSize = t.param(
    'agentVMSize',
    { type: 'string', defaultValue: 'standard_d2s_v3' },
    { description: 'Size of the nodes.' },
  );
  const pools: Json[] = [
    {
      name: 'agentpool',
      osDiskSizeGB: 0,
      count: x(t.p(nodeCount)),
      vmSize: x(t.p(vmSize)),
      osType: 'Linux',
      mode: 'System',
      ...(r.chance(0.4) ? { enableAutoScaling: true, minCount: 1, maxCount: 5 } : {}),
    },
  ];
  const props: JsonObject = { dnsPrefix: x(t.p(dnsPrefix)), agentPoolProfiles: pools };
  if (r.chance(0.6)) props.kubernetesVersion = r.pick(['1.27.7', '1.28.5', '1.29.2']);
  if (r.chance(0.5)) {
    const user = t.param(
      'linuxAdminUsername',
      { type: 'string', defaultValue: 'azureuser' },
      { description: 'Admin user for the nodes.' },
    );
    const key = t.param(
      'sshRSAPublicKey',
      { type: 'string' },
      {
        description: 'SSH public key for the nodes.',
        sample: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDaks generated',
      },
    );
    props.linuxProfile = { adminUsername: x(t.p(user)), ssh: { publicKeys: [{ keyData: x(t.p(key)) }] } };
  }
  if (r.chance(0.8)) props.enableRBAC = t.secure();
  if (r.chance(0.5))
    props.aadProfile = t.secure() ? { managed: true, enableAzureRBAC: true } : { managed: false };
  if (r.chance(0.5)) {
    props.apiServerAccessProfile = t.secure()
      ? r.chance(0.5)
        ? { enablePrivateCluster: true }
        : { authorizedIPRanges: ['203.0.113.0/24'] }
      : { enablePrivateCluster: false, authorizedIPRanges: [] };
  }
  if (r.chance(0.6)) {
    props.networkProfile = {
      networkPlugin: r.pick(['azure', 'kubenet']),
      ...(t.secure() ? { networkPolicy: r.pick(['azure', 'calico']) } : {}),
      loadBalancerSku: 'standard',
    };
  }
  if (r.chance(0.3)) props.disableLocalAccounts = t.secure();
  const ws = t.find('Microsoft.OperationalInsights/workspaces');
  const addons: JsonObject = {};
  if (ws || r.chance(0.3)) {
    addons.omsagent = ws
      ? { enabled: true, config: { logAnalyticsWorkspaceResourceID: x(t.id(ws)) } }
      : { enabled: false };
  }
  if (r.chance(0.4)) addons.azurepolicy = { enabled: t.secure() };
  if (Object.keys(addons).length > 0) props.addonProfiles = addons;
  const decl: JsonObject = {
    type,
    apiVersion: t.api(type, API.aks),
    name: x(name),
    location: t.location(),
    identity: { type: 'SystemAssigned' },
    ...(ws ? { dependsOn: [t.dep(ws)] } : {}),
    properties: props,
  };
  if (r.chance(0.3)) decl.sku = { name: 'Base', tier: r.pick(['Free', 'Standard']) };
  const ref = put(t, 'aks', decl, [name]);
  if (r.chance(t.style.referenceP)) {
    t.outputs[t.symbol('controlPlaneFQDN')] = { type: 'string', value: x(`${t.reference(ref)}.fqdn`) };
  }
  return ref;
};

// --- Cosmos DB ---------------------------------------------------------------------

export const cosmos: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.DocumentDB/databaseAccounts';
  const apiVersion = t.api(type, API.cosmos);
  const name = uniqueName(t, 'cosmos-', 'cosmosAccount', 44);
  const consistency = t.param(
    'defaultConsistencyLevel',
    {
      type: 'string',
      defaultValue: 'Session',
      allowedValues: ['Eventual', 'ConsistentPrefix', 'Session', 'BoundedStaleness', 'Strong'],
    },
    { description: 'Default consistency level.', sample: r.pick(['Eventual', 'Session', 'Strong']) },
  );
  const props: JsonObject = {
    databaseAccountOfferType: 'Standard',
    consistencyPolicy: { defaultConsistencyLevel: x(t.p(consistency)) },
  };
  if (r.chance(t.style.copyP)) {
    const regions = t.param(
      'locations',
      {
        type: 'array',
        defaultValue: r.sample(['australiaeast', 'australiasoutheast', 'eastus', 'westeurope'], r.int(1, 3)),
      },
      { description: 'Regions of the account.' },
    );
    props.copy = [
      {
        name: 'locations',
        count: x(`length(${t.p(regions)})`),
        input: {
          locationName: x(`${t.p(regions)}[copyIndex('locations')]`),
          failoverPriority: x("copyIndex('locations')"),
          isZoneRedundant: false,
        },
      },
    ];
    t.stats.propertyCopy++;
  } else {
    props.locations = [{ locationName: t.location(), failoverPriority: 0, isZoneRedundant: r.chance(0.3) }];
  }
  if (r.chance(0.5)) props.enableAutomaticFailover = r.chance(0.5);
  if (r.chance(0.5)) props.publicNetworkAccess = t.secure() ? 'Disabled' : 'Enabled';
  if (r.chance(0.5)) props.isVirtualNetworkFilterEnabled = t.secure();
  if (r.chance(0.4)) props.ipRules = t.secure() ? [{ ipAddressOrRange: '203.0.113.10' }] : [];
  if (r.chance(0.4)) props.disableLocalAuth = t.secure();
  if (r.chance(0.4)) props.disableKeyBasedMetadataWriteAccess = t.secure();
  if (r.chance(0.3)) props.minimalTlsVersion = t.secure() ? 'Tls12' : 'Tls';
  if (r.chance(0.3)) props.backupPolicy = { type: t.secure() ? 'Continuous' : 'Periodic' };
  const account = put(
    t,
    'cosmosAccount',
    { type, apiVersion, name: x(name), location: t.location(), kind: 'GlobalDocumentDB', properties: props },
    [name],
  );
  if (r.chance(0.7)) {
    const db = t.param(
      'databaseName',
      { type: 'string', defaultValue: 'db1' },
      { description: 'Database name.' },
    );
    const dbRef = put(
      t,
      'cosmosDatabase',
      {
        type: `${type}/sqlDatabases`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, ${t.p(db)})`),
        dependsOn: [t.dep(account)],
        properties: { resource: { id: x(t.p(db)) } },
      },
      [name, t.p(db)],
    );
    const containers = r.int(1, 3);
    for (let i = 0; i < containers; i++) {
      const cn = `${r.pick(['orders', 'items', 'events', 'users'])}${i}`;
      put(
        t,
        'cosmosContainer',
        {
          type: `${type}/sqlDatabases/containers`,
          apiVersion,
          name: x(`format('{0}/{1}/{2}', ${name}, ${t.p(db)}, '${cn}')`),
          dependsOn: [t.dep(dbRef)],
          properties: {
            resource: {
              id: cn,
              partitionKey: { paths: ['/id'], kind: 'Hash' },
              indexingPolicy: {
                indexingMode: 'consistent',
                includedPaths: [{ path: '/*' }],
                excludedPaths: [{ path: '/myPathToNotIndex/?' }, { path: '/_etag/?' }],
              },
              defaultTtl: r.pick([-1, 86400]),
            },
            options: r.chance(0.5) ? { throughput: 400 } : {},
          },
        },
        [name, t.p(db), `'${cn}'`],
      );
    }
  }
  if (r.chance(t.style.referenceP)) {
    t.outputs[t.symbol('cosmosEndpoint')] = {
      type: 'string',
      value: x(`${t.reference(account)}.documentEndpoint`),
    };
  }
  if (r.chance(t.style.referenceP * 0.3)) {
    t.outputs[t.symbol('cosmosKey')] = {
      type: 'securestring',
      value: x(`listKeys(${t.id(account)}, '${apiVersion}').primaryMasterKey`),
    };
  }
  return account;
};

// --- Redis -----------------------------------------------------------------------

export const redis: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.Cache/redis';
  const name = plainName(t, 'redisCache', 'redis');
  const skuName = t.param(
    'redisCacheSKU',
    { type: 'string', defaultValue: 'Standard', allowedValues: ['Basic', 'Standard', 'Premium'] },
    { description: 'Pricing tier of the cache.', sample: r.pick(['Basic', 'Premium']) },
  );
  const capacity = t.param(
    'redisCacheCapacity',
    { type: 'int', defaultValue: 1, allowedValues: [0, 1, 2, 3, 4, 5, 6] },
    { description: 'Size of the cache.', sample: r.int(0, 3) },
  );
  const props: JsonObject = {
    sku: {
      name: x(t.p(skuName)),
      family: x(`if(equals(${t.p(skuName)}, 'Premium'), 'P', 'C')`),
      capacity: x(t.p(capacity)),
    },
  };
  if (r.chance(0.8)) props.enableNonSslPort = !t.secure();
  if (r.chance(0.7)) props.minimumTlsVersion = t.secure() ? '1.2' : r.pick(['1.0', '1.1']);
  if (r.chance(0.4)) props.publicNetworkAccess = t.secure() ? 'Disabled' : 'Enabled';
  if (r.chance(0.4))
    props.redisConfiguration = {
      'maxmemory-policy': 'allkeys-lru',
      ...(r.chance(0.3) ? { 'aad-enabled': 'true' } : {}),
    };
  const ref = put(
    t,
    'redis',
    { type, apiVersion: t.api(type, API.redis), name: x(name), location: t.location(), properties: props },
    [name],
  );
  if (r.chance(t.style.referenceP * 0.5)) {
    t.outputs[t.symbol('redisConnection')] = {
      type: 'string',
      value: x(
        `format('{0}:6380,password={1},ssl=True', ${t.reference(ref)}.hostName, listKeys(${t.id(ref)}, '${ref.apiVersion}').primaryKey)`,
      ),
    };
  }
  return ref;
};

// --- Application Gateway ---------------------------------------------------------------

export const appGateway: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.Network/applicationGateways';
  const apiVersion = t.api(type, API.network);
  const { ref: vnetRef, subnetId } = vnetWithSubnet(t);
  const pip = t.find('Microsoft.Network/publicIPAddresses') ?? publicIp(t);
  if (!pip) return undefined;
  const name = plainName(t, 'applicationGateway', 'agw');
  const waf = t.secure();
  const sub = (kind: string, n: string) => x(`resourceId('${type}/${kind}', ${name}, '${n}')`);
  const backends = r.int(1, 4);
  const pools: Json[] = [];
  const settings: Json[] = [];
  const listeners: Json[] = [];
  const rules: Json[] = [];
  const probes: Json[] = [];
  for (let i = 0; i < backends; i++) {
    pools.push({
      name: `backendPool${i}`,
      properties: { backendAddresses: [{ fqdn: `app${i}.contoso.com` }, { ipAddress: `10.0.2.${10 + i}` }] },
    });
    const https = t.secure();
    settings.push({
      name: `httpSettings${i}`,
      properties: {
        port: https ? 443 : 80,
        protocol: https ? 'Https' : 'Http',
        cookieBasedAffinity: 'Disabled',
        pickHostNameFromBackendAddress: true,
        requestTimeout: 30,
        probe: { id: sub('probes', `probe${i}`) },
      },
    });
    probes.push({
      name: `probe${i}`,
      properties: {
        protocol: https ? 'Https' : 'Http',
        path: '/health',
        interval: 30,
        timeout: 30,
        unhealthyThreshold: 3,
        pickHostNameFromBackendHttpSettings: true,
      },
    });
    listeners.push({
      name: `listener${i}`,
      properties: {
        frontendIPConfiguration: { id: sub('frontendIPConfigurations', 'appGwPublicFrontendIp') },
        frontendPort: { id: sub('frontendPorts', waf ? 'port_443' : 'port_80') },
        protocol: waf ? 'Https' : 'Http',
        hostName: `site${i}.contoso.com`,
        ...(waf ? { sslCertificate: { id: sub('sslCertificates', 'appGwSslCert') } } : {}),
      },
    });
    rules.push({
      name: `rule${i}`,
      properties: {
        ruleType: 'Basic',
        priority: 100 + i * 10,
        httpListener: { id: sub('httpListeners', `listener${i}`) },
        backendAddressPool: { id: sub('backendAddressPools', `backendPool${i}`) },
        backendHttpSettings: { id: sub('backendHttpSettingsCollection', `httpSettings${i}`) },
      },
    });
  }
  const props: JsonObject = {
    sku: waf ? { name: 'WAF_v2', tier: 'WAF_v2' } : { name: 'Standard_v2', tier: 'Standard_v2' },
    autoscaleConfiguration: { minCapacity: 1, maxCapacity: r.pick([2, 5, 10]) },
    gatewayIPConfigurations: [{ name: 'appGatewayIpConfig', properties: { subnet: { id: x(subnetId) } } }],
    frontendIPConfigurations: [
      { name: 'appGwPublicFrontendIp', properties: { publicIPAddress: { id: x(t.id(pip)) } } },
    ],
    frontendPorts: [
      { name: 'port_80', properties: { port: 80 } },
      { name: 'port_443', properties: { port: 443 } },
    ],
    backendAddressPools: pools,
    backendHttpSettingsCollection: settings,
    httpListeners: listeners,
    requestRoutingRules: rules,
    probes,
  };
  if (waf) {
    const cert = t.param(
      'sslCertificateData',
      { type: 'securestring' },
      {
        description: 'Base64 PFX of the listener certificate.',
        sample: 'MIIKcQIBAzCCCi0GCSqGSIb3DQEHAaCCCh4EggoaMIIKFjCCBg8GCSqG',
      },
    );
    const certPwd = t.param(
      'sslCertificatePassword',
      { type: 'securestring' },
      { description: 'Password of the PFX.', sample: 'pfx-password' },
    );
    props.sslCertificates = [
      { name: 'appGwSslCert', properties: { data: x(t.p(cert)), password: x(t.p(certPwd)) } },
    ];
    props.sslPolicy = r.pick<JsonObject>([
      { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' },
      {
        policyType: 'Custom',
        minProtocolVersion: 'TLSv1_2',
        cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
      },
    ]);
    props.webApplicationFirewallConfiguration = {
      enabled: true,
      firewallMode: r.pick(['Prevention', 'Detection']),
      ruleSetType: 'OWASP',
      ruleSetVersion: r.pick(['3.1', '3.2']),
      requestBodyCheck: true,
      maxRequestBodySizeInKb: 128,
    };
  } else if (r.chance(0.5)) {
    props.sslPolicy = { policyType: 'Predefined', policyName: 'AppGwSslPolicy20150501' };
  }
  return put(
    t,
    'applicationGateway',
    {
      type,
      apiVersion,
      name: x(name),
      location: t.location(),
      dependsOn: [t.dep(vnetRef), t.dep(pip)],
      properties: props,
    },
    [name],
  );
};

// --- Monitoring ------------------------------------------------------------------------

export const logAnalytics: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.OperationalInsights/workspaces';
  const name = plainName(t, 'workspace', 'log');
  const retention = t.param(
    'retentionInDays',
    { type: 'int', defaultValue: r.pick([30, 90, 365]), minValue: 7, maxValue: 730 },
    { description: 'Log retention in days.', sample: r.pick([30, 90, 180]) },
  );
  const props: JsonObject = {
    sku: { name: r.pick(['PerGB2018', 'PerGB2018', 'Free']) },
    retentionInDays: x(t.p(retention)),
  };
  if (r.chance(0.4)) props.features = { enableLogAccessUsingOnlyResourcePermissions: true };
  if (r.chance(0.3)) props.publicNetworkAccessForIngestion = t.secure() ? 'Disabled' : 'Enabled';
  const ref = put(
    t,
    'workspace',
    {
      type,
      apiVersion: t.api(type, API.logAnalytics),
      name: x(name),
      location: t.location(),
      properties: props,
    },
    [name],
  );
  if (r.chance(0.3)) {
    const sol = 'ContainerInsights';
    put(
      t,
      'solution',
      {
        type: 'Microsoft.OperationsManagement/solutions',
        apiVersion: '2015-11-01-preview',
        name: x(`format('${sol}({0})', ${name})`),
        location: t.location(),
        dependsOn: [t.dep(ref)],
        plan: {
          name: x(`format('${sol}({0})', ${name})`),
          product: `OMSGallery/${sol}`,
          publisher: 'Microsoft',
          promotionCode: '',
        },
        properties: { workspaceResourceId: x(t.id(ref)) },
      },
      [`format('${sol}({0})', ${name})`],
    );
  }
  return ref;
};

/** Diagnostic settings on an existing resource of the template (extension resource with scope, or legacy provider child). */
export const diagnosticSettings: Module = (t) => {
  const r = t.rng;
  const targets = t.refs.filter(
    (ref) =>
      !ref.copyName &&
      ref.segs.length === 1 &&
      [
        'Microsoft.KeyVault/vaults',
        'Microsoft.Storage/storageAccounts',
        'Microsoft.Network/networkSecurityGroups',
        'Microsoft.Web/sites',
        'Microsoft.Sql/servers',
        'Microsoft.Network/applicationGateways',
        'Microsoft.ContainerService/managedClusters',
        'Microsoft.RecoveryServices/vaults',
      ].includes(ref.type),
  );
  const target = targets.length > 0 ? r.pick(targets) : keyVault(t);
  if (!target) return undefined;
  const ws = t.find('Microsoft.OperationalInsights/workspaces') ?? logAnalytics(t);
  if (!ws) return undefined;
  const props: JsonObject = {
    workspaceId: x(t.id(ws)),
    logs: r.chance(0.5)
      ? [{ categoryGroup: r.pick(['allLogs', 'audit']), enabled: t.secure() }]
      : [
          { category: 'AuditEvent', enabled: t.secure(), retentionPolicy: { enabled: false, days: 0 } },
          { category: 'AzurePolicyEvaluationDetails', enabled: true },
        ],
    metrics: [{ category: 'AllMetrics', enabled: true }],
  };
  const apiVersion = t.api('Microsoft.Insights/diagnosticSettings', API.diagnostics);
  const [ns, rtype] = [target.type.split('/')[0], target.type.split('/').slice(1).join('/')];
  const settingName = r.pick(['service', 'diagnostics', 'send-to-workspace']);
  if (r.chance(0.7)) {
    const scope = x(`format('${ns}/${rtype}/{0}', ${target.segs[0]})`);
    return put(
      t,
      'diagnostics',
      {
        type: 'Microsoft.Insights/diagnosticSettings',
        apiVersion,
        name: settingName,
        scope,
        dependsOn: [t.dep(target), t.dep(ws)],
        properties: props,
      },
      [`'${settingName}'`],
    );
  }
  return put(
    t,
    'diagnostics',
    {
      type: `${target.type}/providers/diagnosticSettings`,
      apiVersion,
      name: x(`concat(${target.segs[0]}, '/Microsoft.Insights/', '${settingName}')`),
      dependsOn: [t.dep(target), t.dep(ws)],
      properties: props,
    },
    [target.segs[0], "'Microsoft.Insights'", `'${settingName}'`],
  );
};

// --- Backup ------------------------------------------------------------------------------

export const recoveryVault: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.RecoveryServices/vaults';
  const apiVersion = t.api(type, API.recovery);
  const name = plainName(t, 'vault', 'rsv');
  const props: JsonObject = {};
  if (r.chance(0.5)) props.publicNetworkAccess = t.secure() ? 'Disabled' : 'Enabled';
  if (r.chance(0.6)) {
    props.securitySettings = {
      softDeleteSettings: {
        softDeleteState: t.secure() ? 'Enabled' : 'Disabled',
        softDeleteRetentionPeriodInDays: 14,
      },
      ...(r.chance(0.4) ? { immutabilitySettings: { state: t.secure() ? 'Locked' : 'Disabled' } } : {}),
    };
  }
  const vault = put(
    t,
    'recoveryVault',
    {
      type,
      apiVersion,
      name: x(name),
      location: t.location(),
      sku: { name: 'RS0', tier: 'Standard' },
      properties: props,
    },
    [name],
  );
  if (r.chance(0.6)) {
    put(
      t,
      'backupStorageConfig',
      {
        type: `${type}/backupstorageconfig`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, 'vaultstorageconfig')`),
        dependsOn: [t.dep(vault)],
        properties: {
          storageModelType: t.secure() ? 'GeoRedundant' : 'LocallyRedundant',
          crossRegionRestoreFlag: t.secure(),
        },
      },
      [name, "'vaultstorageconfig'"],
    );
  }
  if (r.chance(0.5)) {
    const policy = r.pick(['DailyPolicy', 'EnhancedPolicy']);
    put(
      t,
      'backupPolicy',
      {
        type: `${type}/backupPolicies`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, '${policy}')`),
        dependsOn: [t.dep(vault)],
        properties: {
          backupManagementType: 'AzureIaasVM',
          instantRpRetentionRangeInDays: 2,
          schedulePolicy: {
            schedulePolicyType: 'SimpleSchedulePolicy',
            scheduleRunFrequency: 'Daily',
            scheduleRunTimes: ['2024-01-01T02:00:00Z'],
          },
          retentionPolicy: {
            retentionPolicyType: 'LongTermRetentionPolicy',
            dailySchedule: {
              retentionTimes: ['2024-01-01T02:00:00Z'],
              retentionDuration: { count: r.pick([7, 30, 180]), durationType: 'Days' },
            },
          },
          timeZone: 'AUS Eastern Standard Time',
        },
      },
      [name, `'${policy}'`],
    );
  }
  if (r.chance(0.2)) {
    put(
      t,
      'backupConfig',
      {
        type: `${type}/backupconfig`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, 'vaultconfig')`),
        dependsOn: [t.dep(vault)],
        properties: {
          enhancedSecurityState: t.secure() ? 'Enabled' : 'Disabled',
          softDeleteFeatureState: t.secure() ? 'Enabled' : 'Disabled',
        },
      },
      [name, "'vaultconfig'"],
    );
  }
  return vault;
};

// --- Identity ------------------------------------------------------------------------------

export const roleAssignment: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.Authorization/roleAssignments';
  const [roleName, roleId] = t.secure() ? r.pick(ROLES.slice(2)) : r.pick(ROLES.slice(0, 4));
  const roleVar = t.variable(
    `${roleName.replace(/\s+/g, '').replace(/^./, (c) => c.toLowerCase())}RoleId`,
    r.chance(0.5)
      ? roleId
      : x(`subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${roleId}')`),
    true,
  );
  const roleDefinitionId = (t.scopeOwner.variables[roleVar] as string).startsWith('[')
    ? x(t.v(roleVar))
    : x(`subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ${t.v(roleVar)})`);
  const identityRef = t.refs.find(
    (ref) =>
      !ref.copyName &&
      ref.segs.length === 1 &&
      ['Microsoft.Web/sites', 'Microsoft.ContainerService/managedClusters'].includes(ref.type),
  );
  const principalParam = identityRef
    ? undefined
    : t.param(
        'principalId',
        { type: 'string' },
        { shared: true, description: 'Principal to assign the role to.', sample: r.guid() },
      );
  const principal = identityRef
    ? x(`${t.reference(identityRef, true)}.identity.principalId`)
    : x(t.p(principalParam ?? 'principalId'));
  const scopeTarget = t.refs.find(
    (ref) =>
      !ref.copyName &&
      ref.segs.length === 1 &&
      ['Microsoft.Storage/storageAccounts', 'Microsoft.KeyVault/vaults'].includes(ref.type),
  );
  const decl: JsonObject = {
    type,
    apiVersion: t.api(type, API.roleAssignments),
    name: x(
      `guid(resourceGroup().id, ${principalParam ? t.p(principalParam) : `'${identityRef?.sym}'`}, ${t.v(roleVar)})`,
    ),
    properties: {
      roleDefinitionId,
      principalId: principal,
      principalType: r.pick(['ServicePrincipal', 'User', 'Group']),
    },
  };
  const deps: string[] = [];
  if (identityRef) deps.push(t.dep(identityRef));
  if (scopeTarget && r.chance(0.5)) {
    const [ns, ...rest] = scopeTarget.type.split('/');
    decl.scope = x(`format('${ns}/${rest.join('/')}/{0}', ${scopeTarget.segs[0]})`);
    deps.push(t.dep(scopeTarget));
  }
  if (deps.length > 0) decl.dependsOn = deps;
  return put(t, 'roleAssignment', decl, [String(decl.name).slice(1, -1)]);
};

export const managedIdentity: Module = (t) => {
  const type = 'Microsoft.ManagedIdentity/userAssignedIdentities';
  const name = plainName(t, 'identity', 'id');
  return put(
    t,
    'identity',
    { type, apiVersion: t.api(type, API.identity), name: x(name), location: t.location() },
    [name],
  );
};

// --- Containers and messaging ------------------------------------------------------------

export const containerRegistry: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.ContainerRegistry/registries';
  const name = uniqueName(t, 'acr', 'registry', 50);
  const sku = t.param(
    'acrSku',
    { type: 'string', defaultValue: 'Basic', allowedValues: ['Basic', 'Standard', 'Premium'] },
    { description: 'Tier of the registry.', sample: r.pick(['Standard', 'Premium']) },
  );
  const props: JsonObject = { adminUserEnabled: !t.secure() };
  if (r.chance(0.4)) props.publicNetworkAccess = t.secure() ? 'Disabled' : 'Enabled';
  if (r.chance(0.3)) props.anonymousPullEnabled = !t.secure();
  if (r.chance(0.3))
    props.policies = {
      quarantinePolicy: { status: 'disabled' },
      retentionPolicy: { days: 7, status: 'enabled' },
    };
  const ref = put(
    t,
    'registry',
    {
      type,
      apiVersion: t.api(type, API.acr),
      name: x(name),
      location: t.location(),
      sku: { name: x(t.p(sku)) },
      properties: props,
    },
    [name],
  );
  if (r.chance(t.style.referenceP)) {
    t.outputs[t.symbol('loginServer')] = { type: 'string', value: x(`${t.reference(ref)}.loginServer`) };
  }
  return ref;
};

export const serviceBus: Module = (t) => {
  const r = t.rng;
  const type = 'Microsoft.ServiceBus/namespaces';
  const apiVersion = t.api(type, API.serviceBus);
  const name = plainName(t, 'serviceBusNamespace', 'sb');
  const props: JsonObject = {};
  if (r.chance(0.6)) props.minimumTlsVersion = t.secure() ? '1.2' : '1.0';
  if (r.chance(0.5)) props.disableLocalAuth = t.secure();
  if (r.chance(0.4)) props.publicNetworkAccess = t.secure() ? 'Disabled' : 'Enabled';
  const ns = put(
    t,
    'serviceBus',
    {
      type,
      apiVersion,
      name: x(name),
      location: t.location(),
      sku: { name: r.pick(['Basic', 'Standard', 'Premium']) },
      properties: props,
    },
    [name],
  );
  const queues = r.int(0, 3);
  for (let i = 0; i < queues; i++) {
    const qn = `${r.pick(['orders', 'events', 'commands'])}${i}`;
    put(
      t,
      'queue',
      {
        type: `${type}/queues`,
        apiVersion,
        name: x(`format('{0}/{1}', ${name}, '${qn}')`),
        dependsOn: [t.dep(ns)],
        properties: {
          lockDuration: 'PT5M',
          maxSizeInMegabytes: 1024,
          requiresDuplicateDetection: false,
          deadLetteringOnMessageExpiration: true,
        },
      },
      [name, `'${qn}'`],
    );
  }
  if (r.chance(t.style.referenceP * 0.5)) {
    t.outputs[t.symbol('serviceBusConnection')] = {
      type: 'string',
      value: x(
        `listKeys(resourceId('${type}/AuthorizationRules', ${name}, 'RootManageSharedAccessKey'), '${apiVersion}').primaryConnectionString`,
      ),
    };
  }
  return ns;
};

/** Leaf modules a nested or linked template may use, with weights. */
export const LEAF_MODULES: readonly (readonly [Module, number])[] = [
  [storage, 14],
  [network, 7],
  [nsg, 5],
  [publicIp, 3],
  [virtualMachine, 10],
  [keyVault, 9],
  [sqlServer, 7],
  [webApp, 10],
  [aks, 5],
  [cosmos, 5],
  [redis, 4],
  [appGateway, 3],
  [logAnalytics, 5],
  [diagnosticSettings, 5],
  [recoveryVault, 3],
  [roleAssignment, 5],
  [managedIdentity, 2],
  [containerRegistry, 3],
  [serviceBus, 3],
];
