import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const PG = 'Microsoft.DBforPostgreSQL/flexibleServers';
const MYSQL = 'Microsoft.DBforMySQL/flexibleServers';

const server = (type: string, properties: unknown) => ({
  type,
  apiVersion: type === PG ? '2024-08-01' : '2023-12-30',
  name: 'db',
  location: 'australiaeast',
  sku: { name: 'Standard_D2ds_v4', tier: 'GeneralPurpose' },
  properties,
});
const child = (type: string, kind: string, name: string, properties: unknown) => ({
  type: `${type}/${kind}`,
  apiVersion: type === PG ? '2024-08-01' : '2023-12-30',
  name: `db/${name}`,
  properties,
});
const SUBNET = '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/db';

for (const [type, id] of [
  [PG, 'AZ-PG-001'],
  [MYSQL, 'AZ-MYSQL-001'],
] as const) {
  runCases(id, [
    {
      name: 'passes with private access through a delegated subnet',
      resources: [server(type, { network: { delegatedSubnetResourceId: SUBNET } })],
      expect: [['pass', '"delegatedSubnetResourceId"']],
    },
    {
      name: 'passes when public network access is disabled',
      resources: [server(type, { network: { publicNetworkAccess: 'Disabled' } })],
      expect: [['pass', '"publicNetworkAccess"']],
    },
    {
      name: 'fails when public network access is enabled',
      resources: [server(type, { network: { publicNetworkAccess: 'Enabled' } })],
      expect: [['fail', '"publicNetworkAccess"']],
    },
    {
      name: 'fails with no network settings (public access by default)',
      resources: [server(type, { version: '16' })],
      expect: [['fail', '"properties"']],
    },
    {
      name: 'is unknown when the subnet comes from a parameter without a value',
      resources: [server(type, { network: { delegatedSubnetResourceId: P } })],
      parameters: noValue('string'),
      expect: [['unknown', '"delegatedSubnetResourceId"']],
    },
  ]);
}

for (const [type, id] of [
  [PG, 'AZ-PG-002'],
  [MYSQL, 'AZ-MYSQL-002'],
] as const) {
  runCases(id, [
    {
      name: 'passes with geo-redundant backup',
      resources: [server(type, { backup: { backupRetentionDays: 35, geoRedundantBackup: 'Enabled' } })],
      expect: [['pass', '"geoRedundantBackup"']],
    },
    {
      name: 'fails with geo-redundant backup disabled',
      resources: [server(type, { backup: { geoRedundantBackup: 'Disabled' } })],
      expect: [['fail', '"geoRedundantBackup"']],
    },
    {
      name: 'fails when not set (default Disabled)',
      resources: [server(type, { backup: { backupRetentionDays: 7 } })],
      expect: [['fail', '"backup"']],
    },
    {
      name: 'is unknown when the value comes from a parameter without a value',
      resources: [server(type, { backup: { geoRedundantBackup: P } })],
      parameters: noValue('string'),
      expect: [['unknown', '"geoRedundantBackup"']],
    },
  ]);
}

for (const [type, id] of [
  [PG, 'AZ-PG-003'],
  [MYSQL, 'AZ-MYSQL-003'],
] as const) {
  runCases(id, [
    {
      name: 'passes with zone-redundant high availability',
      resources: [server(type, { highAvailability: { mode: 'ZoneRedundant' } })],
      expect: [['pass', '"mode"']],
    },
    {
      name: 'fails with same-zone high availability',
      resources: [server(type, { highAvailability: { mode: 'SameZone' } })],
      expect: [['fail', '"mode"']],
    },
    {
      name: 'fails with high availability disabled',
      resources: [server(type, { highAvailability: { mode: 'Disabled' } })],
      expect: [['fail', '"mode"']],
    },
    {
      name: 'is unknown when the mode comes from reference()',
      resources: [server(type, { highAvailability: { mode: REF } })],
      expect: [['unknown', '"mode"']],
    },
  ]);
}

runCases('AZ-PG-004', [
  {
    name: 'passes with Entra authentication enabled',
    resources: [server(PG, { authConfig: { activeDirectoryAuth: 'Enabled', passwordAuth: 'Enabled' } })],
    expect: [['pass', '"activeDirectoryAuth"']],
  },
  {
    name: 'passes with the legacy boolean activeDirectoryAuthEnabled',
    resources: [server(PG, { authConfig: { activeDirectoryAuthEnabled: true } })],
    expect: [['pass', '"activeDirectoryAuthEnabled"']],
  },
  {
    name: 'fails with Entra authentication disabled',
    resources: [server(PG, { authConfig: { activeDirectoryAuth: 'Disabled' } })],
    expect: [['fail', '"activeDirectoryAuth"']],
  },
  {
    name: 'fails without authConfig (password only by default)',
    resources: [server(PG, { version: '16' })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [server(PG, { authConfig: { activeDirectoryAuth: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"activeDirectoryAuth"']],
  },
]);

runCases('AZ-PG-005', [
  {
    name: 'passes with password authentication disabled',
    resources: [server(PG, { authConfig: { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled' } })],
    expect: [['pass', '"passwordAuth"']],
  },
  {
    name: 'fails with password authentication enabled',
    resources: [server(PG, { authConfig: { activeDirectoryAuth: 'Enabled', passwordAuth: 'Enabled' } })],
    expect: [['fail', '"passwordAuth"']],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [server(PG, { authConfig: { passwordAuth: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"passwordAuth"']],
  },
]);

runCases('AZ-PG-006', [
  {
    name: 'passes with require_secure_transport on',
    resources: [
      child(PG, 'configurations', 'require_secure_transport', { value: 'on', source: 'user-override' }),
    ],
    expect: [['pass', '"value"']],
  },
  {
    name: 'passes with ssl_min_protocol_version TLSv1.3',
    resources: [
      child(PG, 'configurations', 'ssl_min_protocol_version', { value: 'TLSv1.3', source: 'user-override' }),
    ],
    expect: [['pass', '"value"']],
  },
  {
    name: 'fails with require_secure_transport off',
    resources: [
      child(PG, 'configurations', 'require_secure_transport', { value: 'off', source: 'user-override' }),
    ],
    expect: [['fail', '"value"']],
  },
  {
    name: 'fails with ssl_min_protocol_version TLSv1',
    resources: [
      child(PG, 'configurations', 'ssl_min_protocol_version', { value: 'TLSv1', source: 'user-override' }),
    ],
    expect: [['fail', '"value"']],
  },
  {
    name: 'says nothing about unrelated server parameters',
    resources: [child(PG, 'configurations', 'log_connections', { value: 'on', source: 'user-override' })],
    expect: [],
  },
  {
    name: 'is unknown when the value comes from a parameter without a value',
    resources: [
      child(PG, 'configurations', 'require_secure_transport', { value: P, source: 'user-override' }),
    ],
    parameters: noValue('string'),
    expect: [['unknown', '"value"']],
  },
  {
    name: 'checks configurations declared inline in the server',
    resources: [
      {
        ...server(PG, { version: '16' }),
        resources: [
          {
            type: 'configurations',
            apiVersion: '2024-08-01',
            name: 'require_secure_transport',
            dependsOn: ['db'],
            properties: { value: 'OFF', source: 'user-override' },
          },
        ],
      },
    ],
    expect: [['fail', '"value"']],
  },
]);

for (const [type, id] of [
  [PG, 'AZ-PG-007'],
  [MYSQL, 'AZ-MYSQL-006'],
] as const) {
  runCases(id, [
    {
      name: 'passes for a narrow range',
      resources: [
        child(type, 'firewallRules', 'office', {
          startIpAddress: '203.0.113.0',
          endIpAddress: '203.0.113.255',
        }),
      ],
      expect: [['pass', '"startIpAddress"']],
    },
    {
      name: 'fails for 0.0.0.0-255.255.255.255',
      resources: [
        child(type, 'firewallRules', 'all', { startIpAddress: '0.0.0.0', endIpAddress: '255.255.255.255' }),
      ],
      expect: [['fail', '"startIpAddress"']],
    },
    {
      name: 'fails for the allow-all-Azure-services rule',
      resources: [
        child(type, 'firewallRules', 'AllowAllAzureServices', {
          startIpAddress: '0.0.0.0',
          endIpAddress: '0.0.0.0',
        }),
      ],
      expect: [['fail', '"startIpAddress"']],
    },
    {
      name: 'is unknown when the end address comes from a parameter without a value',
      resources: [child(type, 'firewallRules', 'p', { startIpAddress: '0.0.0.0', endIpAddress: P })],
      parameters: noValue('string'),
      expect: [['unknown', '"endIpAddress"']],
    },
  ]);
}

const mysqlAdmin = (administratorType: unknown, name = 'db/ActiveDirectory') => ({
  type: 'Microsoft.DBforMySQL/flexibleServers/administrators',
  apiVersion: '2023-12-30',
  name,
  dependsOn: ['db'],
  properties: {
    administratorType,
    login: 'dba-group',
    sid: '00000000-0000-0000-0000-000000000001',
    tenantId: 't',
  },
});

runCases('AZ-MYSQL-004', [
  {
    name: 'passes when an Entra administrator is declared for the server',
    resources: [server(MYSQL, { version: '8.0.21' }), mysqlAdmin('ActiveDirectory')],
    expect: [['pass', { resource: 'db' }]],
  },
  {
    name: 'fails when no administrator is declared',
    resources: [server(MYSQL, { version: '8.0.21' })],
    expect: [['fail', { resource: 'db' }]],
  },
  {
    name: 'fails when the only administrator belongs to another server',
    resources: [server(MYSQL, { version: '8.0.21' }), mysqlAdmin('ActiveDirectory', 'other/ActiveDirectory')],
    expect: [['fail', { resource: 'db' }]],
  },
  {
    name: 'is unknown when the administrator type comes from a parameter without a value',
    resources: [server(MYSQL, { version: '8.0.21' }), mysqlAdmin(P)],
    parameters: noValue('string'),
    expect: [['unknown', { resource: 'db' }]],
  },
]);

runCases('AZ-MYSQL-005', [
  {
    name: 'passes with require_secure_transport ON',
    resources: [
      child(MYSQL, 'configurations', 'require_secure_transport', { value: 'ON', source: 'user-override' }),
    ],
    expect: [['pass', '"value"']],
  },
  {
    name: 'passes with tls_version TLSv1.2,TLSv1.3',
    resources: [
      child(MYSQL, 'configurations', 'tls_version', { value: 'TLSv1.2,TLSv1.3', source: 'user-override' }),
    ],
    expect: [['pass', '"value"']],
  },
  {
    name: 'fails with require_secure_transport OFF',
    resources: [
      child(MYSQL, 'configurations', 'require_secure_transport', { value: 'OFF', source: 'user-override' }),
    ],
    expect: [['fail', '"value"']],
  },
  {
    name: 'fails with tls_version allowing TLSv1.1',
    resources: [
      child(MYSQL, 'configurations', 'tls_version', { value: 'TLSv1.1,TLSv1.2', source: 'user-override' }),
    ],
    expect: [['fail', '"value"']],
  },
  {
    name: 'is unknown when the value comes from reference()',
    resources: [child(MYSQL, 'configurations', 'tls_version', { value: REF, source: 'user-override' })],
    expect: [['unknown', '"value"']],
  },
]);
