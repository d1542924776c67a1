/**
 * `npm run bench:terraform`: the Terraform sources on a generated corpus of at least 1,000
 * resources, written twice: as HCL (folders of `.tf` files read without a plan) and as the JSON
 * of a plan. Each scan is printed as a ratio to its floor, measured in the same run: reading the
 * files and parsing them (the in-house HCL parser for `.tf`, `JSON.parse` for the plan).
 *
 *   npm run bench:terraform -- [--resources N] [--runs N]
 *
 * No target is set yet: the ratios are recorded in docs/benchmarks.md. Exit 0 unless it crashes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanAzure } from '../src/azure/scan.ts';
import { parseHcl } from '../src/azure/sources/terraform/hcl/parser.ts';
import { positiveInt, runAsScript } from './args.ts';

const PER_FOLDER = 20;

/** The i-th resource: a storage account, a key vault or an NSG with a rule, with a few mistakes. */
function resource(i: number): { hcl: string; type: string; name: string; after: Record<string, unknown> } {
  const rg = { resource_group_name: 'rg-bench', location: 'australiaeast' };
  switch (i % 3) {
    case 0: {
      const after = {
        name: `stbench${i}`,
        ...rg,
        account_tier: 'Standard',
        account_replication_type: i % 2 ? 'GRS' : 'LRS',
        min_tls_version: i % 5 ? 'TLS1_2' : 'TLS1_0',
        https_traffic_only_enabled: true,
        allow_nested_items_to_be_public: i % 7 === 0,
      };
      return {
        hcl: block('azurerm_storage_account', `sa${i}`, after),
        type: 'azurerm_storage_account',
        name: `sa${i}`,
        after,
      };
    }
    case 1: {
      const after = {
        name: `kv-bench-${i}`,
        ...rg,
        tenant_id: '00000000-0000-0000-0000-000000000000',
        sku_name: 'standard',
        purge_protection_enabled: i % 4 !== 0,
        soft_delete_retention_days: 90,
      };
      return {
        hcl: block('azurerm_key_vault', `kv${i}`, after),
        type: 'azurerm_key_vault',
        name: `kv${i}`,
        after,
      };
    }
    default: {
      const after = {
        name: `nsg-bench-${i}`,
        ...rg,
        security_rule: [
          {
            name: 'allow-https',
            priority: 100,
            direction: 'Inbound',
            access: 'Allow',
            protocol: 'Tcp',
            source_port_range: '*',
            destination_port_range: i % 6 === 2 ? '3389' : '443',
            source_address_prefix: '*',
            destination_address_prefix: '*',
          },
        ],
      };
      return {
        hcl: block('azurerm_network_security_group', `nsg${i}`, after),
        type: 'azurerm_network_security_group',
        name: `nsg${i}`,
        after,
      };
    }
  }
}

/** A resource block; values as HCL expressions (JSON literals are HCL), nested lists as attributes. */
function block(type: string, name: string, after: Record<string, unknown>): string {
  const lines = Object.entries(after).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`);
  return `resource "${type}" "${name}" {\n${lines.join('\n')}\n}\n`;
}

function writeCorpus(dir: string, count: number): { hclDir: string; planFile: string; files: string[] } {
  const hclDir = join(dir, 'hcl');
  const files: string[] = [];
  const changes: unknown[] = [];
  for (let start = 0; start < count; start += PER_FOLDER) {
    const folder = join(hclDir, `stack${String(start / PER_FOLDER).padStart(3, '0')}`);
    mkdirSync(folder, { recursive: true });
    const text: string[] = [];
    for (let i = start; i < Math.min(count, start + PER_FOLDER); i++) {
      const r = resource(i);
      text.push(r.hcl);
      changes.push({
        address: `module.stack${start / PER_FOLDER}.${r.type}.${r.name}`,
        module_address: `module.stack${start / PER_FOLDER}`,
        mode: 'managed',
        type: r.type,
        name: r.name,
        provider_name: 'registry.terraform.io/hashicorp/azurerm',
        change: { actions: ['create'], before: null, after: r.after, after_unknown: { id: true } },
      });
    }
    const file = join(folder, 'main.tf');
    writeFileSync(file, text.join('\n'));
    files.push(file);
  }
  const planFile = join(dir, 'plan', 'plan.json');
  mkdirSync(join(dir, 'plan'), { recursive: true });
  writeFileSync(
    planFile,
    JSON.stringify(
      {
        format_version: '1.2',
        terraform_version: '1.9.5',
        planned_values: { root_module: {} },
        resource_changes: changes,
      },
      null,
      2,
    ),
  );
  return { hclDir, planFile, files };
}

async function timed(fn: () => unknown | Promise<unknown>, runs: number): Promise<number> {
  await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const count = flag('--resources') ? positiveInt('--resources', flag('--resources')) : 1200;
  const runs = flag('--runs') ? positiveInt('--runs', flag('--runs')) : 3;
  const dir = mkdtempSync(join(tmpdir(), 'assay-bench-tf-'));
  try {
    const { hclDir, planFile, files } = writeCorpus(dir, count);
    const options = { now: '2026-01-01T00:00:00Z', jobs: 1 };
    const hclFloor = await timed(() => {
      for (const f of files) parseHcl(readFileSync(f, 'utf8'), f);
    }, runs);
    let subjects = 0;
    const hclScan = await timed(async () => {
      subjects = (await scanAzure([hclDir], { ...options, root: hclDir })).assessment.subjects.length;
    }, runs);
    const planFloor = await timed(() => JSON.parse(readFileSync(planFile, 'utf8')), runs);
    let planSubjects = 0;
    const planScan = await timed(async () => {
      planSubjects = (await scanAzure([planFile], { ...options, root: join(dir, 'plan') })).assessment
        .subjects.length;
    }, runs);
    const folders = readdirSync(hclDir).length;
    console.log(
      `terraform corpus: ${count} resources in ${folders} folders of .tf files, and as one plan JSON`,
    );
    console.log(
      `HCL:  scan ${hclScan.toFixed(0)} ms, floor (read + parseHcl) ${hclFloor.toFixed(1)} ms, ratio ${(hclScan / hclFloor).toFixed(1)}; ${subjects} subjects`,
    );
    console.log(
      `plan: scan ${planScan.toFixed(0)} ms, floor (read + JSON.parse) ${planFloor.toFixed(1)} ms, ratio ${(planScan / planFloor).toFixed(1)}; ${planSubjects} subjects`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, main);
