/**
 * TRA benchmark: the threat-and-risk assessment of one generated 5,000-resource template
 * against the plain scan of the same template, measured in the same process and run.
 *
 *   npx tsx bench/tra.ts [--resources N] [--runs N] [--json]
 *
 * The template (bench/.corpus/tra/template.json, git-ignored, deterministic) is a landing
 * zone of repeated workload cells: virtual network, NSG, public IP, NIC and VM, storage,
 * SQL server with firewall rule and database, Key Vault with a private endpoint, App
 * Service, plus a load balancer and a Recovery Services vault every few cells; some cells
 * sit in Southeast Asia so the residency checks have work to do.
 *
 * - scan: scanAzure(template) with the built-in checks and no boundary (what `assay scan` does);
 * - tra:  runTra(template, --boundary au) plus all three documents: the Markdown document and
 *         the JSON and CSV registers. `assay tra` renders one of them per run (Markdown by
 *         default), so this is the stricter measure; each document's time is printed too.
 * Target: tra / scan <= 2. Exit 0 whether the target is met or missed (MISS is printed).
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { resolveBoundary } from '../src/azure/residency/boundary.ts';
import { scanAzure } from '../src/azure/scan.ts';
import { renderTraMarkdown } from '../src/azure/tra/document.ts';
import { renderRegisterCsv, renderRegisterJson } from '../src/azure/tra/register.ts';
import { runTra } from '../src/azure/tra/run.ts';
import { positiveInt, runAsScript } from './args.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIR = join(HERE, '.corpus', 'tra');
const RATIO_TARGET = 2;
/**
 * One template of thousands of resources is the point of this bench, and far over ARM's 800
 * per template that the scan holds a template to by default: the bench raises that budget.
 */
const BUDGETS = { maxResources: 1_000_000 };
const NOW = '2025-01-01T00:00:00Z';

interface Args {
  resources: number;
  runs: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { resources: 5000, runs: 3, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--resources') args.resources = positiveInt(a, argv[++i]);
    else if (a === '--runs') args.runs = positiveInt(a, argv[++i]);
    else if (a === '--json') args.json = true;
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a} (see the header of bench/tra.ts)`);
  }
  return args;
}

// --- template ------------------------------------------------------------------------------

const NET = '2023-09-01';
const id = (type: string, ...names: string[]) =>
  `[resourceId('${type}', ${names.map((n) => `'${n}'`).join(', ')})]`;

/** One workload cell: 12-16 resources that reference each other by resourceId(). */
function cell(i: number): Record<string, unknown>[] {
  const c = `c${i}`;
  const location = i % 10 === 7 ? 'southeastasia' : "[parameters('location')]";
  const rdpSource = i % 5 === 0 ? '*' : '10.0.255.0/26';
  const out: Record<string, unknown>[] = [
    {
      type: 'Microsoft.Network/networkSecurityGroups',
      apiVersion: NET,
      name: `nsg-${c}`,
      location,
      properties: {
        securityRules: [
          rule('allow-https', 100, 'Internet', '443'),
          rule('allow-rdp', 200, rdpSource, '3389'),
          rule('deny-sql', 300, '*', '1433', 'Deny'),
        ],
      },
    },
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: NET,
      name: `vnet-${c}`,
      location,
      properties: {
        addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
        subnets: [
          {
            name: 'snet-app',
            properties: {
              addressPrefix: '10.0.1.0/24',
              networkSecurityGroup: { id: id('Microsoft.Network/networkSecurityGroups', `nsg-${c}`) },
            },
          },
          { name: 'snet-pe', properties: { addressPrefix: '10.0.2.0/24' } },
        ],
      },
    },
    {
      type: 'Microsoft.Network/publicIPAddresses',
      apiVersion: NET,
      name: `pip-${c}`,
      location,
      sku: { name: i % 4 === 0 ? 'Basic' : 'Standard' },
      properties: { publicIPAllocationMethod: 'Static' },
    },
    {
      type: 'Microsoft.Network/networkInterfaces',
      apiVersion: NET,
      name: `nic-${c}`,
      location,
      properties: {
        ipConfigurations: [
          {
            name: 'ipconfig1',
            properties: {
              privateIPAllocationMethod: 'Dynamic',
              subnet: { id: id('Microsoft.Network/virtualNetworks/subnets', `vnet-${c}`, 'snet-app') },
              publicIPAddress: { id: id('Microsoft.Network/publicIPAddresses', `pip-${c}`) },
              ...(i % 6 === 0
                ? {
                    loadBalancerBackendAddressPools: [
                      { id: id('Microsoft.Network/loadBalancers/backendAddressPools', `lb-${c}`, 'pool') },
                    ],
                  }
                : {}),
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.Compute/virtualMachines',
      apiVersion: '2023-09-01',
      name: `vm-${c}`,
      location,
      identity: { type: 'SystemAssigned' },
      properties: {
        hardwareProfile: { vmSize: 'Standard_D2s_v5' },
        osProfile: {
          computerName: `vm${i}`,
          adminUsername: 'azureuser',
          linuxConfiguration: { disablePasswordAuthentication: i % 3 !== 0 },
        },
        storageProfile: {
          imageReference: {
            publisher: 'Canonical',
            offer: 'ubuntu-24_04-lts',
            sku: 'server',
            version: 'latest',
          },
        },
        networkProfile: {
          networkInterfaces: [{ id: id('Microsoft.Network/networkInterfaces', `nic-${c}`) }],
        },
      },
    },
    {
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: '2023-01-01',
      name: `st${c}data`,
      location,
      sku: { name: ['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_RAGRS'][i % 4] },
      kind: 'StorageV2',
      properties: {
        supportsHttpsTrafficOnly: true,
        minimumTlsVersion: 'TLS1_2',
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: i % 2 === 0,
        networkAcls: { defaultAction: i % 3 === 0 ? 'Allow' : 'Deny', bypass: 'AzureServices' },
      },
    },
    {
      type: 'Microsoft.Sql/servers',
      apiVersion: '2023-05-01-preview',
      name: `sql-${c}`,
      location,
      properties: {
        administratorLogin: 'dba',
        minimalTlsVersion: '1.2',
        publicNetworkAccess: i % 8 === 0 ? "[parameters('sqlPublicAccess')]" : 'Enabled',
      },
      resources: [
        {
          type: 'firewallRules',
          apiVersion: '2023-05-01-preview',
          name: 'office',
          dependsOn: [`sql-${c}`],
          properties:
            i % 5 === 0
              ? { startIpAddress: '0.0.0.0', endIpAddress: '255.255.255.255' }
              : { startIpAddress: '203.0.113.10', endIpAddress: '203.0.113.20' },
        },
        {
          type: 'databases',
          apiVersion: '2023-05-01-preview',
          name: 'records',
          location,
          dependsOn: [`sql-${c}`],
          sku: { name: 'S1' },
          properties: i % 2 === 0 ? { requestedBackupStorageRedundancy: 'Zone' } : {},
        },
      ],
    },
    {
      type: 'Microsoft.KeyVault/vaults',
      apiVersion: '2023-07-01',
      name: `kv-${c}`,
      location,
      properties: {
        tenantId: '[subscription().tenantId]',
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: true,
        enablePurgeProtection: true,
        publicNetworkAccess: 'Disabled',
      },
    },
    {
      type: 'Microsoft.Network/privateEndpoints',
      apiVersion: NET,
      name: `pe-kv-${c}`,
      location,
      properties: {
        subnet: { id: id('Microsoft.Network/virtualNetworks/subnets', `vnet-${c}`, 'snet-pe') },
        privateLinkServiceConnections: [
          {
            name: 'vault',
            properties: {
              privateLinkServiceId: id('Microsoft.KeyVault/vaults', `kv-${c}`),
              groupIds: ['vault'],
            },
          },
        ],
      },
    },
    {
      type: 'Microsoft.Web/serverfarms',
      apiVersion: '2023-01-01',
      name: `plan-${c}`,
      location,
      sku: { name: 'P1v3' },
      properties: { reserved: true },
    },
    {
      type: 'Microsoft.Web/sites',
      apiVersion: '2023-01-01',
      name: `app-${c}`,
      location,
      properties: {
        serverFarmId: id('Microsoft.Web/serverfarms', `plan-${c}`),
        httpsOnly: true,
        publicNetworkAccess: i % 2 === 0 ? 'Enabled' : 'Disabled',
        siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled', linuxFxVersion: 'NODE|20-lts' },
      },
    },
  ];
  if (i % 6 === 0)
    out.push(
      {
        type: 'Microsoft.Network/publicIPAddresses',
        apiVersion: NET,
        name: `pip-lb-${c}`,
        location,
        sku: { name: 'Standard' },
        properties: { publicIPAllocationMethod: 'Static' },
      },
      {
        type: 'Microsoft.Network/loadBalancers',
        apiVersion: NET,
        name: `lb-${c}`,
        location,
        sku: { name: 'Standard' },
        properties: {
          frontendIPConfigurations: [
            {
              name: 'fe',
              properties: {
                publicIPAddress: { id: id('Microsoft.Network/publicIPAddresses', `pip-lb-${c}`) },
              },
            },
          ],
          backendAddressPools: [{ name: 'pool' }],
          loadBalancingRules: [
            {
              name: 'https',
              properties: {
                frontendIPConfiguration: {
                  id: id('Microsoft.Network/loadBalancers/frontendIPConfigurations', `lb-${c}`, 'fe'),
                },
                backendAddressPool: {
                  id: id('Microsoft.Network/loadBalancers/backendAddressPools', `lb-${c}`, 'pool'),
                },
                protocol: 'Tcp',
                frontendPort: 443,
                backendPort: 443,
              },
            },
          ],
        },
      },
    );
  if (i % 4 === 1)
    out.push({
      type: 'Microsoft.RecoveryServices/vaults',
      apiVersion: '2023-04-01',
      name: `rsv-${c}`,
      location,
      sku: { name: 'RS0', tier: 'Standard' },
      properties: {},
    });
  return out;
}

function rule(name: string, priority: number, source: string, port: string, access = 'Allow') {
  return {
    name,
    properties: {
      priority,
      direction: 'Inbound',
      access,
      protocol: 'Tcp',
      sourceAddressPrefix: source,
      sourcePortRange: '*',
      destinationAddressPrefix: '*',
      destinationPortRange: port,
    },
  };
}

/** Counts resources as the expander will: child resources count too. */
function count(resources: Record<string, unknown>[]): number {
  return resources.reduce(
    (n, r) => n + 1 + count((r.resources as Record<string, unknown>[] | undefined) ?? []),
    0,
  );
}

function writeTemplate(target: number): { file: string; resources: number; bytes: number } {
  const resources: Record<string, unknown>[] = [];
  let total = 0;
  for (let i = 0; total < target; i++) {
    const c = cell(i);
    resources.push(...c);
    total += count(c);
  }
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: {
      location: { type: 'string', defaultValue: 'australiaeast' },
      sqlPublicAccess: { type: 'string' },
    },
    resources,
  };
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, 'template.json');
  writeFileSync(file, `${JSON.stringify(template, null, 2)}\n`);
  return { file, resources: total, bytes: statSync(file).size };
}

// --- measurement ---------------------------------------------------------------------------

const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const fn = vm.runInNewContext('gc') as (() => void) | undefined;
  return typeof fn === 'function' ? fn : () => {};
})();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function timeScan(file: string): Promise<{ ms: number; resources: number; findings: number }> {
  gc();
  const start = performance.now();
  const r = await scanAzure([file], { root: DIR, now: NOW, budgets: BUDGETS });
  return {
    ms: performance.now() - start,
    resources: r.resources.length,
    findings: r.assessment.findings.length,
  };
}

async function timeTra(file: string): Promise<{
  ms: number;
  scanMs: number;
  markdownMs: number;
  jsonMs: number;
  csvMs: number;
  threats: number;
  openPaths: number;
  unknownPaths: number;
  findings: number;
  bytes: number;
}> {
  gc();
  const boundary = resolveBoundary('au');
  const start = performance.now();
  const result = await runTra([file], { root: DIR, now: NOW, boundary, budgets: BUDGETS });
  const analysed = performance.now();
  const input = { ...result, appetite: result.appetite, generatedAt: NOW };
  const markdown = renderTraMarkdown(input).length;
  const rendered = performance.now();
  const json = renderRegisterJson(input).length;
  const registered = performance.now();
  const bytes = markdown + json + renderRegisterCsv(input).length;
  const end = performance.now();
  return {
    ms: end - start,
    scanMs: analysed - start,
    markdownMs: rendered - analysed,
    jsonMs: registered - rendered,
    csvMs: end - registered,
    threats: result.threats.length,
    openPaths: result.model.paths.filter((p) => p.status === 'open').length,
    unknownPaths: result.model.paths.filter((p) => p.status === 'unknown').length,
    findings: result.assessment.findings.length,
    bytes,
  };
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const args = parseArgs(argv);
  console.log(`\nassay TRA benchmark, ${new Date().toISOString()}`);
  console.log(
    `machine  ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${process.platform} ${process.arch}`,
  );
  const t = writeTemplate(args.resources);
  console.log(
    `template ${t.file.replace(`${process.cwd()}/`, '')}: ${t.resources} resources, ${(t.bytes / 1048576).toFixed(1)} MB (one file)`,
  );

  // One warm-up of each, then alternating measured runs so drift hits both alike.
  await timeScan(t.file);
  await timeTra(t.file);
  const scans: Awaited<ReturnType<typeof timeScan>>[] = [];
  const tras: Awaited<ReturnType<typeof timeTra>>[] = [];
  for (let i = 0; i < args.runs; i++) {
    scans.push(await timeScan(t.file));
    tras.push(await timeTra(t.file));
  }
  const scanMs = median(scans.map((s) => s.ms));
  const traMs = median(tras.map((s) => s.ms));
  const ratio = traMs / scanMs;
  const last = tras[tras.length - 1] as Awaited<ReturnType<typeof timeTra>>;
  console.log(
    `scan     scanAzure(template), built-in checks, no boundary: median ${fmt(scanMs)} of ${args.runs} [${scans.map((s) => s.ms.toFixed(0)).join(', ')}]; ${scans[0]?.resources} resources, ${scans[0]?.findings} findings`,
  );
  console.log(
    `tra      runTra(template, boundary au) + Markdown, JSON and CSV: median ${fmt(traMs)} of ${args.runs} [${tras.map((s) => s.ms.toFixed(0)).join(', ')}]`,
  );
  console.log(
    `result   ${last.threats} threats, ${last.openPaths} open and ${last.unknownPaths} undecided paths, ${last.findings} findings (with residency and threats), ${(last.bytes / 1048576).toFixed(1)} MB of documents`,
  );
  console.log(
    `breakdown scan with boundary, model and threats ${fmt(median(tras.map((s) => s.scanMs)))}; documents ${fmt(median(tras.map((s) => s.ms - s.scanMs)))} (Markdown ${fmt(median(tras.map((s) => s.markdownMs)))}, JSON ${fmt(median(tras.map((s) => s.jsonMs)))}, CSV ${fmt(median(tras.map((s) => s.csvMs)))})`,
  );
  const markdownOnly = median(tras.map((s) => s.scanMs + s.markdownMs));
  console.log(
    `default  analysis + Markdown only (what \`assay tra\` writes by default): ${fmt(markdownOnly)}, ratio ${(markdownOnly / scanMs).toFixed(2)} (for information)`,
  );
  console.log(
    `ratio    tra / scan = ${fmt(traMs)} / ${fmt(scanMs)} = ${ratio.toFixed(2)}  (target <= ${RATIO_TARGET})  ${ratio <= RATIO_TARGET ? 'PASS' : 'MISS'}`,
  );
  if (args.json)
    console.log(
      `BENCH_JSON ${JSON.stringify({
        benchmark: 'tra',
        date: new Date().toISOString(),
        resources: t.resources,
        bytes: t.bytes,
        runs: args.runs,
        scanMs: Math.round(scanMs),
        traMs: Math.round(traMs),
        ratio: Number(ratio.toFixed(3)),
        ratioTarget: RATIO_TARGET,
        ratioPass: ratio <= RATIO_TARGET,
        threats: last.threats,
        openPaths: last.openPaths,
      })}`,
    );
}

runAsScript(import.meta.url, main);
