/**
 * Reading a Terraform configuration folder without a plan: variable precedence, loops, locals,
 * local and registry modules, unknown counts, sensitive values, nested blocks, locations and a
 * syntax error in one file among others.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isUnknown, type Value } from '../../../../src/azure/expressions/value.ts';
import {
  readTerraformConfig,
  type TerraformConfigResult,
} from '../../../../src/azure/sources/terraform/hcl-config/config.ts';
import type { TerraformInstance } from '../../../../src/azure/sources/terraform/instance.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/terraform/config');
const BASIC = join(FIXTURES, 'basic');

function byAddress(result: TerraformConfigResult, address: string): TerraformInstance {
  const found = result.instances.find((i) => i.address === address);
  assert.ok(found, `no instance ${address} in ${result.instances.map((i) => i.address).join(', ')}`);
  return found;
}

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'assay-tf-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads a configuration of one `main.tf` made of `lines`, failing if it takes 20 s or more. */
async function readWithin20s(dir: string, lines: string[]): Promise<TerraformConfigResult> {
  await writeFile(join(dir, 'main.tf'), lines.join('\n'));
  const started = Date.now();
  const result = await readTerraformConfig(dir);
  assert.ok(Date.now() - started < 20_000, 'finished within 20 s');
  return result;
}

function reasonOf(v: Value): string {
  assert.ok(isUnknown(v), `expected Unknown, got ${JSON.stringify(v)}`);
  return v.reason;
}

describe('Terraform configuration without a plan: variables', () => {
  it('takes a default, then terraform.tfvars over it, then -var-file and -var over both', async () => {
    const plain = await readTerraformConfig(BASIC);
    const sa = byAddress(plain, 'azurerm_storage_account.sa[0]');
    assert.equal(sa.values.location, 'westeurope', 'variable default');
    assert.equal(sa.values.min_tls_version, 'TLS1_1', 'terraform.tfvars over the default');

    const withFile = await readTerraformConfig(BASIC, { varFiles: [join(FIXTURES, 'vars.tfvars')] });
    assert.equal(byAddress(withFile, 'azurerm_storage_account.sa[0]').values.min_tls_version, 'TLS1_2');
    assert.equal(byAddress(withFile, 'azurerm_resource_group.rg').values.name, 'acme-prod-rg');

    const withVar = await readTerraformConfig(BASIC, {
      varFiles: [join(FIXTURES, 'vars.tfvars')],
      vars: { tls: 'TLS1_3', replicas: '1' },
    });
    assert.equal(byAddress(withVar, 'azurerm_storage_account.sa[0]').values.min_tls_version, 'TLS1_3');
    assert.ok(
      !withVar.instances.some((i) => i.address === 'azurerm_storage_account.sa[1]'),
      '-var replicas=1 read as a number',
    );
  });

  it('leaves a variable with no value Unknown, naming it', async () => {
    const result = await readTerraformConfig(BASIC);
    const tags = byAddress(result, 'azurerm_resource_group.rg').values.tags as Record<string, Value>;
    assert.equal(tags.environment, 'dev');
    assert.equal(reasonOf(tags.owner), 'variable owner has no value');
  });

  it('never holds a sensitive value, even inside a template', async () => {
    const result = await readTerraformConfig(BASIC);
    const pw = byAddress(result, 'azurerm_key_vault_secret.pw');
    assert.equal(reasonOf(pw.values.value), '(sensitive)');
    assert.equal(reasonOf((pw.values.tags as Record<string, Value>).hint), '(sensitive)');
    const everything =
      JSON.stringify(result.instances.map((i) => i.values)) +
      JSON.stringify(result.errors) +
      JSON.stringify(result.notes);
    assert.ok(!everything.includes('hunter2'), 'the sensitive default appears nowhere');
  });
});

describe('Terraform configuration without a plan: resources', () => {
  it('gives count instances their index and for_each instances their key', async () => {
    const result = await readTerraformConfig(BASIC);
    const sa0 = byAddress(result, 'azurerm_storage_account.sa[0]');
    const sa1 = byAddress(result, 'azurerm_storage_account.sa[1]');
    assert.equal(sa0.values.name, 'acmesa00');
    assert.equal(sa1.values.name, 'acmesa01');
    assert.equal(sa0.values.account_replication_type, 'GRS');
    assert.equal(sa1.values.account_replication_type, 'LRS');
    const containers = result.instances
      .filter((i) => i.type === 'azurerm_storage_container')
      .map((i) => i.address);
    assert.deepEqual(containers, [
      'azurerm_storage_container.c["data"]',
      'azurerm_storage_container.c["logs"]',
    ]);
    assert.equal(byAddress(result, 'azurerm_storage_container.c["logs"]').values.name, 'logs');
  });

  it('reads another resource attribute the configuration sets, and leaves a computed one unknown', async () => {
    const result = await readTerraformConfig(BASIC);
    const sa = byAddress(result, 'azurerm_storage_account.sa[0]');
    assert.equal(sa.values.resource_group_name, 'acme-dev-rg');
    assert.equal(sa.values.location, 'westeurope');
    const c = byAddress(result, 'azurerm_storage_container.c["data"]');
    assert.equal(c.values.storage_account_name, 'acmesa00');
    assert.equal(
      reasonOf(c.values.storage_account_id),
      'known after apply: azurerm_storage_account.sa[0].id',
    );
    const kv = byAddress(result, 'azurerm_key_vault.kv');
    assert.match(
      reasonOf(kv.values.tenant_id),
      /data source data\.azurerm_client_config\.current is read at plan time/,
    );
    assert.equal(byAddress(result, 'data.azurerm_client_config.current').mode, 'data');
  });

  it('shows nested blocks as lists of objects and expands dynamic blocks', async () => {
    const plain = await readTerraformConfig(BASIC);
    const sa = byAddress(plain, 'azurerm_storage_account.sa[0]');
    assert.deepEqual(sa.values.network_rules, [{ default_action: 'Deny', ip_rules: ['10.0.0.1'] }]);
    assert.deepEqual(sa.values.blob_properties, [{ versioning_enabled: true }]);
    const prod = await readTerraformConfig(BASIC, { vars: { environment: 'prod' } });
    assert.deepEqual(byAddress(prod, 'azurerm_storage_account.sa[0]').values.blob_properties, []);
  });

  it('locates the block, an attribute, a nested block attribute, and an unset path by its ancestor', async () => {
    const result = await readTerraformConfig(BASIC);
    const sa = byAddress(result, 'azurerm_storage_account.sa[1]');
    assert.equal(sa.file, join(BASIC, 'main.tf'));
    assert.equal(sa.location.line, 18);
    assert.equal(sa.locate('min_tls_version').line, 23);
    assert.equal(sa.locate('network_rules.default_action').line, 27);
    assert.equal(sa.locate('network_rules[0].ip_rules').line, 28);
    assert.equal(sa.locate('network_rules.0.bypass').line, 26);
    assert.equal(sa.locate('blob_properties.0.versioning_enabled').line, 34);
    assert.equal(sa.locate('identity.type').line, 18);
  });

  it('notes a count that is unknown and assesses no instance of it', async () => {
    const result = await readTerraformConfig(BASIC);
    assert.ok(!result.instances.some((i) => i.type === 'azurerm_role_assignment'));
    const note = result.notes.find((n) => n.message.includes('azurerm_role_assignment.many'));
    assert.ok(note, JSON.stringify(result.notes));
    assert.match(note.message, /count of azurerm_role_assignment\.many is unknown .*not assessed/);
    assert.equal(note.line, 60);
    assert.deepEqual(result.errors, []);
  });
});

describe('Terraform configuration without a plan: locals', () => {
  it('evaluates locals in any order', async () => {
    const result = await readTerraformConfig(BASIC);
    assert.equal(byAddress(result, 'azurerm_resource_group.rg').values.name, 'acme-dev-rg');
  });

  it('reports a cycle once, naming the locals, and still reads the rest', async () => {
    const result = await readTerraformConfig(join(FIXTURES, 'cycle'));
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    const [error] = result.errors;
    assert.equal(error.code, 'local-cycle');
    assert.match(error.message, /local\.a -> local\.b -> local\.c -> local\.a/);
    assert.equal(error.line, 2);
    const rg = byAddress(result, 'azurerm_resource_group.rg');
    assert.match(reasonOf(rg.values.name), /cycle/);
    assert.equal(rg.values.location, 'fine');
  });
});

describe('Terraform configuration without a plan: modules', () => {
  it('reads a local module with its inputs, prefixes its addresses and gives its outputs to the root', async () => {
    const result = await readTerraformConfig(BASIC);
    const vnet = byAddress(result, 'module.net.azurerm_virtual_network.vnet');
    assert.equal(vnet.module, 'module.net');
    assert.equal(vnet.values.name, 'acme-dev-vnet');
    assert.equal(vnet.values.module_path, join('modules', 'net'));
    assert.equal(vnet.file, join(BASIC, 'modules', 'net', 'main.tf'));
    assert.deepEqual(byAddress(result, 'module.net.azurerm_subnet.s["db"]').values.address_prefixes, [
      '10.1.2.0/24',
    ]);
    const nic = byAddress(result, 'azurerm_network_interface.nic');
    assert.equal(nic.values.vnet_name, 'acme-dev-vnet');
    assert.equal(reasonOf(nic.values.subnet_id), 'known after apply: module.net.azurerm_subnet.s["app"].id');
  });

  it('notes a registry module as not read and leaves its outputs unknown with that reason', async () => {
    const result = await readTerraformConfig(BASIC);
    const reason = 'module module.aks (source Azure/aks/azurerm) not read';
    assert.ok(result.notes.some((n) => n.message === reason && n.line === 71));
    assert.equal(reasonOf(byAddress(result, 'azurerm_network_interface.nic').values.cluster), reason);
  });

  it('reports modules that call each other, naming the files', async () => {
    const result = await readTerraformConfig(join(FIXTURES, 'modcycle', 'a'));
    const error = result.errors.find((e) => e.code === 'module-cycle');
    assert.ok(error, JSON.stringify(result.errors));
    assert.match(error.message, /a[/\\]main\.tf:1 -> .*b[/\\]main\.tf:1/);
    assert.ok(result.instances.some((i) => i.address === 'azurerm_resource_group.rg'));
  });
});

describe('Terraform configuration without a plan: syntax errors', () => {
  it('reports the file, line and column, and still reads the other files', async () => {
    const result = await readTerraformConfig(join(FIXTURES, 'syntax'));
    assert.deepEqual(
      result.errors.map((e) => [e.file, e.line, e.column, e.code]),
      [[join(FIXTURES, 'syntax', 'bad.tf'), 3, 21, 'hcl-syntax']],
    );
    assert.deepEqual(
      result.instances.map((i) => i.address),
      ['azurerm_resource_group.rg'],
    );
  });
});

describe('Terraform configuration without a plan: module loops, providers, limits', () => {
  const MODLOOP = join(FIXTURES, 'modloop');

  it('reads a module once per for_each key and count index, with addresses and outputs to match', async () => {
    const result = await readTerraformConfig(MODLOOP);
    assert.deepEqual(result.errors, []);
    const vnets = result.instances.filter((i) => i.type === 'azurerm_virtual_network');
    assert.deepEqual(
      vnets.map((i) => [i.address, i.module, i.values.address_space]),
      [
        ['module.spoke["a"].azurerm_virtual_network.v', 'module.spoke["a"]', ['10.2.0.0/16']],
        ['module.spoke["b"].azurerm_virtual_network.v', 'module.spoke["b"]', ['10.3.0.0/16']],
        ['module.copy[0].azurerm_virtual_network.v', 'module.copy[0]', ['10.9.0.0/24']],
        ['module.copy[1].azurerm_virtual_network.v', 'module.copy[1]', ['10.9.1.0/24']],
      ],
    );
    const x = byAddress(result, 'azapi_resource.x');
    assert.equal(x.values.name, 'vnet-b');
    assert.equal(x.values.parent_id, 'vnet-c1');
  });

  it('names each instance provider from required_providers, else hashicorp', async () => {
    const result = await readTerraformConfig(MODLOOP);
    assert.equal(byAddress(result, 'azapi_resource.x').provider, 'registry.terraform.io/Azure/azapi');
    assert.equal(vnetProvider(result), 'registry.terraform.io/hashicorp/azurerm');
  });

  it('reads TF_VAR_ values from a given environment, below the variable files', async () => {
    const result = await readTerraformConfig(MODLOOP, { environment: { TF_VAR_region: 'westus' } });
    assert.equal(byAddress(result, 'azapi_resource.x').values.location, 'westus');
    const basic = await readTerraformConfig(BASIC, {
      environment: { TF_VAR_tls: 'TLS1_3', TF_VAR_owner: 'ops' },
    });
    const sa = byAddress(basic, 'azurerm_storage_account.sa[0]');
    assert.equal(sa.values.min_tls_version, 'TLS1_1', 'terraform.tfvars wins over the environment');
    assert.equal(
      (byAddress(basic, 'azurerm_resource_group.rg').values.tags as Record<string, Value>).owner,
      'ops',
    );
  });

  it('stops a long chain of locals with an error rather than exhausting the stack', async () => {
    await inTempDir(async (dir) => {
      const locals = Array.from({ length: 5000 }, (_, i) => `  l${i} = local.l${i + 1}`).join('\n');
      await writeFile(
        join(dir, 'main.tf'),
        `locals {\n${locals}\n  l5000 = "end"\n}\nresource "azurerm_resource_group" "rg" {\n  name = local.l0\n}\n`,
      );
      const result = await readTerraformConfig(dir);
      assert.ok(
        result.errors.some((e) => e.message.includes('nested more than')),
        JSON.stringify(result.errors.slice(0, 2)),
      );
      assert.ok(isUnknown(byAddress(result, 'azurerm_resource_group.rg').values.name));
    });
  });
});

function vnetProvider(result: TerraformConfigResult): string | undefined {
  return result.instances.find((i) => i.type === 'azurerm_virtual_network')?.provider;
}

describe('Terraform configuration without a plan: computed attributes of nested blocks', () => {
  it('reads a nested block attribute the block sets, and leaves an unset one known after apply', async () => {
    const result = await readTerraformConfig(BASIC);
    const diag = byAddress(result, 'azurerm_monitor_diagnostic_setting.diag');
    assert.equal(diag.values.rules, 'Deny');
    assert.equal(
      reasonOf(diag.values.bypass),
      'known after apply: azurerm_storage_account.sa[0].network_rules[0].bypass',
    );
  });

  it('does not make an attribute value shared with a local look computed', async () => {
    const result = await readTerraformConfig(BASIC);
    // `tags` is the local's map: a key it lacks is an error that try() catches, not Unknown.
    assert.equal(byAddress(result, 'azurerm_monitor_diagnostic_setting.diag').values.tags_owner, 'none');
  });

  it('reports a module argument the module does not declare, and a block with the wrong labels', async () => {
    await inTempDir(async (dir) => {
      await mkdir(join(dir, 'child'));
      await writeFile(join(dir, 'child', 'main.tf'), 'variable "a" {}\n');
      await writeFile(
        join(dir, 'main.tf'),
        'module "m" {\n  source = "./child"\n  a = 1\n  b = 2\n}\n\nresource "azurerm_x" {\n}\n',
      );
      const result = await readTerraformConfig(dir);
      assert.deepEqual(
        result.errors.map((e) => [e.code, e.line, e.message]),
        [
          ['hcl-block', 7, 'a resource block needs 2 label(s), has 1'],
          ['hcl-module', 4, 'module "m" has no variable "b"'],
        ],
      );
    });
  });
});

describe('Terraform configuration without a plan: hostile input', () => {
  it('stops nested for expressions over large ranges with one error, in bounded time', async () => {
    await inTempDir(async (dir) => {
      const result = await readWithin20s(dir, [
        'locals {',
        '  big = [for a in range(100000) : [for b in range(100000) : b]]',
        '}',
        'resource "azurerm_resource_group" "rg" {',
        '  name     = length(local.big)',
        '  location = "westeurope"',
        '}',
        '',
      ]);
      assert.ok(
        result.errors.some((e) => e.message.startsWith('evaluation stopped after')),
        JSON.stringify(result.errors),
      );
      assert.ok(isUnknown(byAddress(result, 'azurerm_resource_group.rg').values.name));
    });
  });
});

describe('Terraform configuration without a plan: values that double', () => {
  it('refuses strings and encodings that double through locals, with an error', async () => {
    await inTempDir(async (dir) => {
      const text = Array.from({ length: 40 }, (_, i) => `  s${i + 1} = "\${local.s${i}}\${local.s${i}}"`);
      const list = Array.from({ length: 40 }, (_, i) => `  l${i + 1} = [local.l${i}, local.l${i}]`);
      const result = await readWithin20s(dir, [
        'locals {',
        '  s0 = "ab"',
        ...text,
        '  l0 = ["x"]',
        ...list,
        '}',
        'resource "azurerm_resource_group" "rg" {',
        '  location = "westeurope"',
        '  name     = local.s40',
        '  tags     = { a = jsonencode(local.l40), b = length(flatten(local.l40)), c = local.l40 == local.l39 }',
        '}',
        '',
      ]);
      const rg = byAddress(result, 'azurerm_resource_group.rg');
      assert.ok(isUnknown(rg.values.name));
      assert.equal(rg.values.location, 'westeurope');
      assert.ok(
        result.errors.some((e) => e.message.includes('a string of more than')),
        JSON.stringify(result.errors),
      );
      assert.ok(
        result.errors.some((e) => e.message.startsWith('evaluation stopped after')),
        JSON.stringify(result.errors),
      );
    });
  });
});
