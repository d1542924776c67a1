import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck, templateText } from '../../helpers/arm.ts';
import { runCases } from '../../helpers/check-cases.ts';

const API = '2023-11-01';
const rule = (name: string, properties: Record<string, unknown>) => ({
  name,
  properties: {
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationAddressPrefix: '*',
    access: 'Allow',
    direction: 'Inbound',
    priority: 100,
    ...properties,
  },
});
const nsg = (securityRules: unknown) => ({
  type: 'Microsoft.Network/networkSecurityGroups',
  apiVersion: API,
  name: 'nsg-app',
  location: 'australiaeast',
  properties: { securityRules },
});
const standaloneRule = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.Network/networkSecurityGroups/securityRules',
  apiVersion: API,
  name: 'nsg-app/allow-in',
  properties: rule('x', properties).properties,
});
const stringParam = { p: { type: 'string' } };
const arrayParam = { p: { type: 'array' } };

runCases('AZ-NET-001', [
  {
    name: 'passes when management ports are open only to the admin network',
    resources: [
      nsg([
        rule('allow-ssh-admin', { sourceAddressPrefix: '10.10.0.0/24', destinationPortRange: '22' }),
        rule('allow-https', { sourceAddressPrefix: 'Internet', destinationPortRange: '443', priority: 110 }),
      ]),
    ],
    expect: [{ status: 'pass', at: '"securityRules"' }],
  },
  {
    name: 'passes for an NSG without rules',
    resources: [nsg([])],
    expect: [{ status: 'pass', at: { resource: 'nsg-app' } }],
  },
  {
    name: 'fails once per offending rule, at that rule',
    resources: [
      nsg([
        rule('allow-https', { sourceAddressPrefix: '*', destinationPortRange: '443' }),
        rule('allow-ssh', { sourceAddressPrefix: 'Internet', destinationPortRange: '22', priority: 110 }),
        rule('allow-rdp-range', {
          sourceAddressPrefix: '0.0.0.0/0',
          destinationPortRange: '3380-3390',
          priority: 120,
        }),
        rule('allow-list', {
          sourceAddressPrefixes: ['10.0.0.0/8', 'Any'],
          destinationPortRanges: ['80', '3389'],
          priority: 130,
        }),
        rule('deny-all', {
          sourceAddressPrefix: '*',
          destinationPortRange: '*',
          access: 'Deny',
          priority: 4000,
        }),
        rule('outbound-any', {
          sourceAddressPrefix: '*',
          destinationPortRange: '*',
          direction: 'Outbound',
          priority: 140,
        }),
      ]),
    ],
    expect: [
      { status: 'fail', at: { resource: 'allow-ssh' } },
      { status: 'fail', at: { resource: 'allow-rdp-range' } },
      { status: 'fail', at: { resource: 'allow-list' } },
    ],
  },
  {
    name: "fails for destinationPortRange '*' from the internet",
    resources: [nsg([rule('allow-all', { sourceAddressPrefix: 'Internet', destinationPortRange: '*' })])],
    expect: [{ status: 'fail', at: { resource: 'allow-all' } }],
  },
  {
    name: 'ignores ICMP rules',
    resources: [
      nsg([rule('allow-ping', { protocol: 'Icmp', sourceAddressPrefix: '*', destinationPortRange: '*' })]),
    ],
    expect: [{ status: 'pass', at: '"securityRules"' }],
  },
  {
    name: 'fails for a standalone rule resource, at the resource',
    resources: [standaloneRule({ sourceAddressPrefix: '*', destinationPortRange: 22 })],
    expect: [{ status: 'fail', at: { resource: 'nsg-app/allow-in' } }],
  },
  {
    name: 'is unknown when the source prefix is a parameter without a value',
    resources: [
      nsg([
        rule('allow-https', { sourceAddressPrefix: '*', destinationPortRange: '443' }),
        rule('allow-ssh', {
          sourceAddressPrefix: "[parameters('p')]",
          destinationPortRange: '22',
          priority: 110,
        }),
      ]),
    ],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: { resource: 'allow-ssh' } }],
  },
  {
    name: 'is unknown when the port list comes from a parameter without a value',
    resources: [
      standaloneRule({ sourceAddressPrefix: 'Internet', destinationPortRanges: "[parameters('p')]" }),
    ],
    parameters: arrayParam,
    expect: [{ status: 'unknown', at: { resource: 'nsg-app/allow-in' } }],
  },
  {
    name: 'is unknown for an unreadable port value',
    resources: [nsg([rule('allow-odd', { sourceAddressPrefix: 'Internet', destinationPortRange: 'ssh' })])],
    expect: [{ status: 'unknown', at: { resource: 'allow-odd' } }],
  },
  {
    name: 'a known internal source decides even when the ports are unknown',
    resources: [
      nsg([
        rule('allow-internal', {
          sourceAddressPrefix: 'VirtualNetwork',
          destinationPortRange: "[parameters('p')]",
        }),
      ]),
    ],
    parameters: stringParam,
    expect: [{ status: 'pass', at: '"securityRules"' }],
  },
  {
    name: 'is unknown when all rules come from reference()',
    resources: [nsg("[reference('rules').value]")],
    expect: [{ status: 'unknown', at: '"securityRules"' }],
  },
]);

runCases('AZ-NET-002', [
  {
    name: 'passes when the database port is open only to the app subnet',
    resources: [
      nsg([rule('allow-sql', { sourceAddressPrefix: '10.1.2.0/24', destinationPortRange: '1433' })]),
    ],
    expect: [{ status: 'pass', at: '"securityRules"' }],
  },
  {
    name: 'fails for PostgreSQL and Redis from the internet',
    resources: [
      nsg([
        rule('allow-pg', { sourceAddressPrefix: 'Internet', destinationPortRange: '5432' }),
        rule('allow-ssh', { sourceAddressPrefix: '10.0.0.0/8', destinationPortRange: '22', priority: 110 }),
        rule('allow-redis', {
          sourceAddressPrefix: '*',
          destinationPortRanges: ['6379-6380'],
          priority: 120,
        }),
      ]),
    ],
    expect: [
      { status: 'fail', at: { resource: 'allow-pg' } },
      { status: 'fail', at: { resource: 'allow-redis' } },
    ],
  },
  {
    name: 'is unknown when the access is a parameter without a value',
    resources: [
      nsg([
        rule('allow-mysql', {
          sourceAddressPrefix: '*',
          destinationPortRange: '3306',
          access: "[parameters('p')]",
        }),
      ]),
    ],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: { resource: 'allow-mysql' } }],
  },
]);

runCases('AZ-NET-003', [
  {
    name: 'passes for a single port',
    resources: [nsg([rule('allow-https', { sourceAddressPrefix: 'Internet', destinationPortRange: '443' })])],
    expect: [{ status: 'pass', at: '"securityRules"' }],
  },
  {
    name: 'fails for every port from the internet',
    resources: [
      nsg([rule('allow-any', { sourceAddressPrefix: 'Internet', destinationPortRange: '0-65535' })]),
    ],
    expect: [{ status: 'fail', at: { resource: 'allow-any' } }],
  },
  {
    name: 'is unknown when the ports come from reference()',
    resources: [
      nsg([rule('allow-x', { sourceAddressPrefix: '*', destinationPortRange: "[reference('cfg').ports]" })]),
    ],
    expect: [{ status: 'unknown', at: { resource: 'allow-x' } }],
  },
]);

const vnet = (subnets: unknown, properties: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Network/virtualNetworks',
  apiVersion: API,
  name: 'vnet-app',
  location: 'australiaeast',
  properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets, ...properties },
});
const subnet = (name: string, properties: Record<string, unknown> = {}) => ({
  name,
  properties: { addressPrefix: '10.0.1.0/24', ...properties },
});
const withNsg = {
  networkSecurityGroup: { id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-app')]" },
};

runCases('AZ-NET-004', [
  {
    name: 'passes for each subnet with an NSG',
    resources: [vnet([subnet('snet-app', withNsg), subnet('snet-data', withNsg)])],
    expect: [
      { status: 'pass', at: { resource: 'snet-app' } },
      { status: 'pass', at: { resource: 'snet-data' } },
    ],
  },
  {
    name: 'fails for a subnet without one and exempts reserved subnets',
    resources: [vnet([subnet('snet-app', withNsg), subnet('snet-data'), subnet('GatewaySubnet')])],
    expect: [
      { status: 'pass', at: { resource: 'snet-app' } },
      { status: 'fail', at: { resource: 'snet-data' } },
      { status: 'not-applicable', at: { resource: 'GatewaySubnet' } },
    ],
  },
  {
    name: 'checks standalone subnets',
    resources: [
      {
        type: 'Microsoft.Network/virtualNetworks/subnets',
        apiVersion: API,
        name: 'vnet-app/snet-web',
        properties: { addressPrefix: '10.0.2.0/24' },
      },
    ],
    expect: [{ status: 'fail', at: { resource: 'vnet-app/snet-web' } }],
  },
  {
    name: 'is unknown when the NSG comes from a parameter without a value',
    resources: [vnet([subnet('snet-app', { networkSecurityGroup: "[parameters('p')]" })])],
    parameters: { p: { type: 'object' } },
    expect: [{ status: 'unknown', at: { resource: 'snet-app' } }],
  },
]);

const publicIp = (properties: Record<string, unknown>, sku?: unknown) => ({
  type: 'Microsoft.Network/publicIPAddresses',
  apiVersion: API,
  name: 'pip-app',
  location: 'australiaeast',
  ...(sku === undefined ? {} : { sku: { name: sku } }),
  properties: { publicIPAllocationMethod: 'Static', ...properties },
});

runCases('AZ-NET-005', [
  {
    name: 'passes on Standard',
    resources: [publicIp({}, 'Standard')],
    expect: [{ status: 'pass', at: '"Standard"' }],
  },
  {
    name: 'fails on Basic',
    resources: [publicIp({}, 'Basic')],
    expect: [{ status: 'fail', at: '"Basic"' }],
  },
  {
    name: 'fails when the SKU is absent (Basic)',
    resources: [publicIp({})],
    expect: [{ status: 'fail', at: { resource: 'pip-app' } }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [publicIp({}, "[parameters('p')]")],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: { needle: '"name"', from: '"sku"' } }],
  },
]);

/** A NIC in `vnet-app/snet-app`, with a public IP or an NSG when asked. */
const nic = (name: string, options: { publicIp?: boolean; nsg?: string; subnetName?: string } = {}) => ({
  type: 'Microsoft.Network/networkInterfaces',
  apiVersion: API,
  name,
  location: 'australiaeast',
  properties: {
    ...(options.nsg
      ? {
          networkSecurityGroup: {
            id: `[resourceId('Microsoft.Network/networkSecurityGroups', '${options.nsg}')]`,
          },
        }
      : {}),
    ipConfigurations: [
      {
        name: 'ipconfig1',
        properties: {
          subnet: {
            id: `[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-app', '${options.subnetName ?? 'snet-app'}')]`,
          },
          ...(options.publicIp
            ? { publicIPAddress: { id: "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-app')]" } }
            : {}),
        },
      },
    ],
  },
});

runCases('AZ-NET-006', [
  {
    name: 'passes with a protection plan',
    resources: [
      vnet([], {
        enableDdosProtection: true,
        ddosProtectionPlan: { id: "[resourceId('Microsoft.Network/ddosProtectionPlans', 'ddos')]" },
      }),
    ],
    expect: [{ status: 'pass', at: '"id"' }],
  },
  {
    name: 'fails when enabled without a plan on a network with a public IP',
    resources: [
      vnet([subnet('snet-app')], { enableDdosProtection: true }),
      nic('nic-web', { publicIp: true }),
    ],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"vnet-app"' } }],
  },
  {
    name: 'fails when absent on a network whose NIC has a public IP',
    resources: [vnet([subnet('snet-app')]), nic('nic-web', { publicIp: true })],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"vnet-app"' } }],
  },
  {
    name: 'fails when an application gateway with a public frontend sits in the network',
    resources: [
      vnet([subnet('snet-agw')]),
      {
        type: 'Microsoft.Network/applicationGateways',
        apiVersion: API,
        name: 'agw',
        location: 'australiaeast',
        properties: {
          gatewayIPConfigurations: [
            {
              name: 'gw',
              properties: {
                subnet: {
                  id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-app', 'snet-agw')]",
                },
              },
            },
          ],
          frontendIPConfigurations: [
            {
              name: 'fe',
              properties: {
                publicIPAddress: { id: "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-app')]" },
              },
            },
          ],
        },
      },
    ],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"vnet-app"' } }],
  },
  {
    name: 'is not applicable to a network with no public IP (private NICs only)',
    resources: [vnet([subnet('snet-app')]), nic('nic-db')],
    expect: [{ status: 'not-applicable', at: { resource: 'vnet-app' } }],
  },
  {
    name: 'is not applicable when nothing is in the network',
    resources: [vnet([])],
    expect: [{ status: 'not-applicable', at: { resource: 'vnet-app' } }],
  },
  {
    name: 'is unknown when a public NIC names a subnet the template leaves unknown',
    resources: [
      vnet([subnet('snet-app')]),
      {
        ...nic('nic-web', { publicIp: true }),
        properties: {
          ipConfigurations: [
            {
              name: 'c',
              properties: {
                subnet: { id: "[parameters('p')]" },
                publicIPAddress: { id: "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-app')]" },
              },
            },
          ],
        },
      },
    ],
    parameters: { p: { type: 'string' } },
    expect: [{ status: 'unknown', at: { needle: '"properties"', from: '"vnet-app"' } }],
  },
  {
    name: 'is unknown from a parameter without a value on a public network',
    resources: [
      vnet([subnet('snet-app')], { enableDdosProtection: "[parameters('p')]" }),
      nic('nic-web', { publicIp: true }),
    ],
    parameters: { p: { type: 'bool' } },
    expect: [{ status: 'unknown', at: '"enableDdosProtection"' }],
  },
]);

// Compensating controls: NIC-level NSGs in a subnet that has none.
runCases('AZ-NET-004', [
  {
    name: 'passes a subnet without an NSG whose NICs all carry one, naming them',
    resources: [vnet([subnet('snet-app')]), nic('nic-a', { nsg: 'nsg-a' }), nic('nic-b', { nsg: 'nsg-b' })],
    expect: [{ status: 'pass', at: { resource: 'snet-app' } }],
  },
  {
    name: 'fails when one NIC in the subnet has no NSG',
    resources: [vnet([subnet('snet-app')]), nic('nic-a', { nsg: 'nsg-a' }), nic('nic-b')],
    expect: [{ status: 'fail', at: { resource: 'snet-app' } }],
  },
  {
    name: 'passes a scale set network profile with an NSG',
    resources: [
      vnet([subnet('snet-app')]),
      {
        type: 'Microsoft.Compute/virtualMachineScaleSets',
        apiVersion: API,
        name: 'vmss',
        location: 'australiaeast',
        sku: { name: 'Standard_D2s_v5', capacity: 2 },
        properties: {
          virtualMachineProfile: {
            networkProfile: {
              networkInterfaceConfigurations: [
                {
                  name: 'nic',
                  properties: {
                    networkSecurityGroup: {
                      id: "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-vmss')]",
                    },
                    ipConfigurations: [
                      {
                        name: 'c',
                        properties: {
                          subnet: {
                            id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-app', 'snet-app')]",
                          },
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        },
      },
    ],
    expect: [{ status: 'pass', at: { resource: 'snet-app' } }],
  },
]);

runCases('AZ-NET-007', [
  {
    name: 'passes with DDoS IP Protection',
    resources: [publicIp({ ddosSettings: { protectionMode: 'Enabled' } }, 'Standard')],
    expect: [{ status: 'pass', at: '"protectionMode"' }],
  },
  {
    name: 'fails when disabled',
    resources: [publicIp({ ddosSettings: { protectionMode: 'Disabled' } }, 'Standard')],
    expect: [{ status: 'fail', at: '"protectionMode"' }],
  },
  {
    name: 'is unknown when inherited from the virtual network',
    resources: [publicIp({ ddosSettings: { protectionMode: 'VirtualNetworkInherited' } }, 'Standard')],
    expect: [{ status: 'unknown', at: '"protectionMode"' }],
  },
  {
    name: 'is unknown from a parameter without a value',
    resources: [publicIp({ ddosSettings: { protectionMode: "[parameters('p')]" } }, 'Standard')],
    parameters: stringParam,
    expect: [{ status: 'unknown', at: '"protectionMode"' }],
  },
]);

describe('AZ-NET-004 compensating message', () => {
  it('names the compensating NSGs', async () => {
    const text = templateText([
      vnet([subnet('snet-app')]),
      nic('nic-a', { nsg: 'nsg-a' }),
      nic('nic-b', { nsg: 'nsg-b' }),
    ]);
    const [finding] = await runCheck('AZ-NET-004', text);
    assert.equal(finding?.status, 'pass');
    assert.match(finding?.message ?? '', /compensating control: nsg-a, nsg-b/);
  });
});

// Issue 12 item 12: an address that inherits DDoS protection is judged by the network the
// template's topology puts it in.
runCases('AZ-NET-007', [
  {
    name: 'passes an inherited address used by a NIC in a network with a protection plan',
    resources: [
      publicIp({}, 'Standard'),
      vnet([subnet('snet-app')], {
        enableDdosProtection: true,
        ddosProtectionPlan: { id: "[resourceId('Microsoft.Network/ddosProtectionPlans', 'ddos')]" },
      }),
      nic('nic-web', { publicIp: true }),
    ],
    expect: [{ status: 'pass', at: { needle: '"properties"', from: '"pip-app"' } }],
  },
  {
    name: 'fails an inherited address used by a NIC in a network without a plan',
    resources: [publicIp({}, 'Standard'), vnet([subnet('snet-app')]), nic('nic-web', { publicIp: true })],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"pip-app"' } }],
  },
  {
    name: 'is unknown when the network is not in the scan',
    resources: [publicIp({}, 'Standard'), nic('nic-web', { publicIp: true })],
    expect: [{ status: 'unknown', at: { needle: '"properties"', from: '"pip-app"' } }],
  },
]);

// An address used by a load balancer frontend, a VPN or ExpressRoute gateway or a NAT gateway
// is in use: the template's topology decides the network (issue 12, measured on quickstart
// 1-vm-loadbalancer-2-nics, where AZ-NET-007 said nothing used the address).
const pipRef = { id: "[resourceId('Microsoft.Network/publicIPAddresses', 'pip-app')]" };
const poolRef = {
  id: "[resourceId('Microsoft.Network/loadBalancers/backendAddressPools', 'lb-web', 'pool')]",
};
const loadBalancer = (pools: unknown[] = [{ name: 'pool' }]) => ({
  type: 'Microsoft.Network/loadBalancers',
  apiVersion: API,
  name: 'lb-web',
  location: 'australiaeast',
  properties: {
    frontendIPConfigurations: [{ name: 'front', properties: { publicIPAddress: pipRef } }],
    backendAddressPools: pools,
  },
});
const poolMember = (name: string) => {
  const n = nic(name);
  const [config] = n.properties.ipConfigurations;
  return {
    ...n,
    properties: {
      ...n.properties,
      ipConfigurations: [
        { ...config, properties: { ...config?.properties, loadBalancerBackendAddressPools: [poolRef] } },
      ],
    },
  };
};
const protectedVnet = vnet([subnet('snet-app')], {
  enableDdosProtection: true,
  ddosProtectionPlan: { id: "[resourceId('Microsoft.Network/ddosProtectionPlans', 'ddos')]" },
});
const atPipProperties = { needle: '"properties"', from: '"pip-app"' };

/** A case judging pip-app, used by the given resources, at its properties. */
const pipCase = (name: string, status: string, users: unknown[]) => ({
  name,
  resources: [publicIp({}, 'Standard'), ...users],
  expect: [{ status, at: atPipProperties }],
});
const ipBasedPool = {
  name: 'pool',
  properties: {
    loadBalancerBackendAddresses: [
      {
        name: 'a1',
        properties: {
          ipAddress: '10.0.1.4',
          virtualNetwork: { id: "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-app')]" },
        },
      },
    ],
  },
};
const vpnGateway = {
  type: 'Microsoft.Network/virtualNetworkGateways',
  apiVersion: API,
  name: 'vpn',
  location: 'australiaeast',
  properties: {
    gatewayType: 'Vpn',
    ipConfigurations: [
      {
        name: 'default',
        properties: {
          publicIPAddress: pipRef,
          subnet: {
            id: "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-app', 'GatewaySubnet')]",
          },
        },
      },
    ],
  },
};

runCases('AZ-NET-007', [
  pipCase('passes a load balancer frontend address whose back-end pool is in a protected network', 'pass', [
    protectedVnet,
    loadBalancer(),
    poolMember('nic-web'),
  ]),
  pipCase(
    'fails a load balancer frontend address whose back-end pool is in a network without a plan',
    'fail',
    [vnet([subnet('snet-app')]), loadBalancer(), poolMember('nic-web')],
  ),
  pipCase('judges an IP-based back-end pool by the network it names', 'fail', [
    vnet([subnet('snet-app')]),
    loadBalancer([ipBasedPool]),
  ]),
  pipCase('is unknown for a load balancer frontend address whose pool has no member in the scan', 'unknown', [
    vnet([subnet('snet-app')]),
    loadBalancer(),
    nic('nic-other'),
  ]),
  pipCase('fails a VPN gateway address in a network without a plan', 'fail', [
    vnet([subnet('GatewaySubnet')]),
    vpnGateway,
  ]),
  {
    name: 'is not applicable to a NAT gateway address, which DDoS Protection does not cover',
    resources: [
      publicIp({}, 'Standard'),
      {
        type: 'Microsoft.Network/natGateways',
        apiVersion: API,
        name: 'nat',
        location: 'australiaeast',
        sku: { name: 'Standard' },
        properties: { publicIpAddresses: [pipRef] },
      },
    ],
    expect: [{ status: 'not-applicable', at: { resource: 'pip-app' } }],
  },
]);

runCases('AZ-NET-006', [
  {
    name: 'fails when a VPN gateway with a public IP sits in the network',
    resources: [publicIp({}, 'Standard'), vnet([subnet('GatewaySubnet')]), vpnGateway],
    expect: [{ status: 'fail', at: { needle: '"properties"', from: '"vnet-app"' } }],
  },
]);

describe('AZ-NET-007 load balancer with an empty pool', () => {
  it('says the address is the frontend of a load balancer whose pool nothing joins', async () => {
    const text = templateText([publicIp({}, 'Standard'), vnet([subnet('snet-app')]), loadBalancer()]);
    const [finding] = await runCheck('AZ-NET-007', text);
    assert.equal(finding?.status, 'unknown');
    assert.match(finding?.message ?? '', /back-end pool of load balancer lb-web, which uses this address/);
  });
});
