/** Template builders shared by the architecture and TRA tests. */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchitectureModel, Reachability } from '../../../src/azure/architecture/model.ts';
import { runTra, type TraOptions, type TraResult } from '../../../src/azure/tra/run.ts';
import { templateText } from '../../helpers/arm.ts';

/** Runs the TRA on one template text in a temp folder, with the real pipeline. */
export async function traOf(text: string, options: TraOptions = {}): Promise<TraResult> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-tra-'));
  try {
    writeFileSync(join(dir, 'template.json'), text);
    return await runTra([dir], { root: dir, now: '2026-01-01T00:00:00Z', ...options });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The reachability of the node named `name`, failing the test when there is none. */
export function reachOf(model: ArchitectureModel, name: string): Reachability {
  const node = model.nodes.find((n) => n.name === name);
  assert.ok(node, `no node ${name}`);
  const reach = model.reachability.get(node.id);
  assert.ok(reach, `no reachability for ${name}`);
  return reach;
}

const NET = '2023-09-01';
const id = (type: string, ...names: string[]) =>
  `[resourceId('${type}', ${names.map((n) => `'${n}'`).join(', ')})]`;

export const BASTION_SUBNET_PREFIX = '10.0.1.0/26';

/**
 * A Windows jump box: NSG on its subnet allowing RDP from `rdpSource`, a Standard public IP
 * on its NIC (unless `publicIp` is false), and Azure Bastion in the same virtual network.
 */
export function jumpBoxTemplate(options: {
  rdpSource: unknown;
  publicIp?: boolean;
  parameters?: Record<string, unknown>;
}): string {
  const publicIp = options.publicIp !== false;
  const resources: unknown[] = [
    {
      type: 'Microsoft.Network/networkSecurityGroups',
      apiVersion: NET,
      name: 'nsg-app',
      location: 'australiaeast',
      properties: {
        securityRules: [
          {
            name: 'allow-rdp',
            properties: {
              priority: 100,
              direction: 'Inbound',
              access: 'Allow',
              protocol: 'Tcp',
              sourceAddressPrefix: options.rdpSource,
              sourcePortRange: '*',
              destinationAddressPrefix: '*',
              destinationPortRange: '3389',
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: NET,
      name: 'vnet-app',
      location: 'australiaeast',
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [
          {
            name: 'snet-app',
            properties: {
              addressPrefix: '10.0.0.0/24',
              networkSecurityGroup: { id: id('Microsoft.Network/networkSecurityGroups', 'nsg-app') },
            },
          },
          { name: 'AzureBastionSubnet', properties: { addressPrefix: BASTION_SUBNET_PREFIX } },
        ],
      },
    },
    {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: NET,
      name: 'pip-bastion',
      location: 'australiaeast',
      sku: { name: 'Standard' },
      properties: { publicIPAllocationMethod: 'Static' },
    },
    {
      type: 'Microsoft.Network/bastionHosts',
      apiVersion: NET,
      name: 'bas-app',
      location: 'australiaeast',
      properties: {
        ipConfigurations: [
          {
            name: 'ipconfig',
            properties: {
              subnet: {
                id: id('Microsoft.Network/virtualNetworks/subnets', 'vnet-app', 'AzureBastionSubnet'),
              },
              publicIPAddress: { id: id('Microsoft.Network/publicIPAddresses', 'pip-bastion') },
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.Network/networkInterfaces',
      apiVersion: NET,
      name: 'nic-jump',
      location: 'australiaeast',
      properties: {
        ipConfigurations: [
          {
            name: 'ipconfig1',
            properties: {
              privateIPAllocationMethod: 'Dynamic',
              subnet: { id: id('Microsoft.Network/virtualNetworks/subnets', 'vnet-app', 'snet-app') },
              ...(publicIp
                ? { publicIPAddress: { id: id('Microsoft.Network/publicIPAddresses', 'pip-jump') } }
                : {}),
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: '2023-09-01',
      name: 'vm-jump',
      location: 'australiaeast',
      properties: {
        hardwareProfile: { vmSize: 'Standard_D2s_v5' },
        osProfile: { computerName: 'jump', adminUsername: 'azureuser', windowsConfiguration: {} },
        storageProfile: {
          imageReference: {
            publisher: 'MicrosoftWindowsServer',
            offer: 'WindowsServer',
            sku: '2022-datacenter',
            version: 'latest',
          },
        },
        networkProfile: {
          networkInterfaces: [{ id: id('Microsoft.Network/networkInterfaces', 'nic-jump') }],
        },
      },
    },
  ];
  if (publicIp)
    resources.splice(2, 0, {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: NET,
      name: 'pip-jump',
      location: 'australiaeast',
      sku: { name: 'Standard' },
      properties: { publicIPAllocationMethod: 'Static' },
    });
  return templateText(resources, options.parameters ? { parameters: options.parameters } : {});
}
