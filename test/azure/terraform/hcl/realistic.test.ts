// biome-ignore-all lint/suspicious/noTemplateCurlyInString: expected trees print HCL interpolations as ${...}.
/**
 * A realistic Terraform configuration (test/fixtures/terraform/hcl/main.tf): provider, variables
 * with defaults and validation, locals, resources with count, for_each and dynamic blocks, nested
 * blocks, a local module, outputs; and a .tfvars file. Structure and positions are asserted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type Block, type Body, locationOf } from '../../../../src/azure/sources/terraform/hcl/ast.ts';
import { parseHcl } from '../../../../src/azure/sources/terraform/hcl/parser.ts';
import { sexpr, startOf } from './helpers.ts';

const FILE = 'test/fixtures/terraform/hcl/main.tf';
const TEXT = readFileSync(FILE, 'utf8');
const { body } = parseHcl(TEXT, FILE);

/** 1-based line of the first line holding `needle` (after line `from`). */
function lineOf(needle: string, from = 0): number {
  const lines = TEXT.split('\n');
  const i = lines.findIndex((l, n) => n >= from && l.includes(needle));
  assert.ok(i >= 0, `fixture line with ${needle}`);
  return i + 1;
}

function block(within: Body, type: string, ...labels: string[]): Block {
  const found = within.blocks.find(
    (b) => b.blockType === type && labels.every((l, i) => b.labels[i]?.value === l),
  );
  assert.ok(found, `block ${type} ${labels.join(' ')}`);
  return found;
}

function attr(within: Body, name: string): string {
  const found = within.attributes.find((a) => a.name === name);
  assert.ok(found, `attribute ${name}`);
  return sexpr(found.value);
}

/** Asserts the tree of each named attribute of a body. */
function attrs(within: Body, expected: Record<string, string>): void {
  for (const [name, tree] of Object.entries(expected)) assert.equal(attr(within, name), tree, name);
}

describe('HCL parser: a realistic main.tf', () => {
  it('reads every top-level block with its labels, in source order, at its line', () => {
    assert.deepEqual(
      body.blocks.map((b) => [b.blockType, ...b.labels.map((l) => l.value)].join(' ')),
      [
        'terraform',
        'provider azurerm',
        'variable subscription_id',
        'variable location',
        'variable containers',
        'variable allowed_ips',
        'variable retention_until',
        'locals',
        'resource azurerm_resource_group main',
        'module network',
        'resource azurerm_storage_account logs',
        'resource azurerm_storage_container each',
        'resource azurerm_network_security_group mgmt',
        'output container_ids',
        'output first_account',
      ],
    );
    assert.equal(body.attributes.length, 0);
    assert.deepEqual(startOf(block(body, 'terraform')), [2, 1]);
    assert.deepEqual(startOf(block(body, 'provider', 'azurerm')), [12, 1]);
    const logs = block(body, 'resource', 'azurerm_storage_account', 'logs');
    assert.deepEqual(locationOf(logs), {
      file: FILE,
      line: lineOf('"azurerm_storage_account" "logs"'),
      column: 1,
    });
    assert.deepEqual(startOf(logs.labels[0]), [logs.range.start.line, 10]);
    assert.equal(logs.labels[0].quoted, true);
    assert.equal(logs.range.end.line, lineOf('}', lineOf('delete_retention_policy') + 3));
  });

  it('reads nested blocks, one-line empty blocks and object-valued attributes', () => {
    const terraform = block(body, 'terraform');
    const providers = block(terraform.body, 'required_providers');
    assert.equal(
      attr(providers.body, 'azurerm'),
      '{source=(template "hashicorp/azurerm"), version=(template "~> 4.0")}',
    );
    const features = block(block(body, 'provider', 'azurerm').body, 'features');
    assert.deepEqual([features.body.attributes.length, features.body.blocks.length], [0, 0]);
    assert.deepEqual(startOf(features), [13, 3]);
    const logs = block(body, 'resource', 'azurerm_storage_account', 'logs');
    const retention = block(block(logs.body, 'blob_properties').body, 'delete_retention_policy');
    assert.equal(attr(retention.body, 'days'), '7');
    assert.deepEqual(startOf(retention.body.attributes[0]), [lineOf('days = 7'), 7]);
  });

  it('reads variables with types, defaults and validation blocks', () => {
    const location = block(body, 'variable', 'location');
    assert.equal(attr(location.body, 'type'), 'string');
    assert.equal(attr(location.body, 'default'), '(template "australiaeast")');
    const validation = block(location.body, 'validation');
    assert.equal(
      attr(validation.body, 'condition'),
      'contains([(template "australiaeast"), (template "australiasoutheast")], var.location)',
    );
    attrs(block(body, 'variable', 'containers').body, {
      type: 'map(object({access=optional(string, (template "private"))}))',
      default: '{logs={access=(template "private")}, exports={access=(template "private")}}',
    });
  });

  it('reads a heredoc description and escapes in a validation regex', () => {
    const retention = block(body, 'variable', 'retention_until');
    assert.equal(
      attr(retention.body, 'description'),
      '(template "Keep blobs until this UTC time (YYYY-MM-DDThh:mm:ssZ).\\n  Leave null to keep them for ever.\\n")',
    );
    const description = retention.body.attributes.find((a) => a.name === 'description')!;
    assert.deepEqual(startOf(description.value), [lineOf('description = <<-DESC'), 17]);
    assert.equal(description.value.range.end.line, lineOf('    DESC'));
    attrs(block(retention.body, 'validation').body, {
      condition:
        '(|| (== var.retention_until null) can(regex((template "^\\\\d{4}-\\\\d{2}-\\\\d{2}T"), var.retention_until)))',
      error_message: '(template "Use a UTC time such as \\"2030-01-31T00:00:00Z\\".")',
    });
  });

  it('reads locals with templates, calls, for expressions and comments between them', () => {
    const locals = block(body, 'locals');
    assert.deepEqual(
      locals.body.attributes.map((a) => a.name),
      ['prefix', 'tags', 'ports', 'private'],
    );
    assert.equal(attr(locals.body, 'prefix'), '(template "lz-" ${var.location})');
    assert.equal(
      attr(locals.body, 'tags'),
      'merge(var.extra_tags, {environment=terraform.workspace, owner=(template "platform")})',
    );
    assert.equal(attr(locals.body, 'ports'), '(for-tuple p in [22, 3389]: tostring(p))');
    assert.equal(
      attr(locals.body, 'private'),
      '(for-object name,c in var.containers: name => c.access if (== c.access (template "private")))',
    );
    const ports = locals.body.attributes.find((a) => a.name === 'ports')!;
    assert.deepEqual(startOf(ports), [lineOf('ports = [for'), 3]);
    assert.deepEqual(startOf(ports.value), [lineOf('ports = [for'), 11]);
  });

  it('reads count, for_each, dynamic blocks, a local module and splat outputs', () => {
    const logs = block(body, 'resource', 'azurerm_storage_account', 'logs');
    assert.equal(attr(logs.body, 'count'), '(? var.enable_logs 1 0)');
    assert.equal(
      attr(logs.body, 'name'),
      'substr(replace((template ${local.prefix} "logs"), (template "-"), (template )), 0, 24)',
    );
    assert.equal(
      attr(block(logs.body, 'network_rules').body, 'virtual_network_subnet_ids'),
      '[module.network.subnet_ids[(template "app")]]',
    );
    const each = block(body, 'resource', 'azurerm_storage_container', 'each');
    assert.equal(attr(each.body, 'for_each'), 'var.containers');
    assert.equal(attr(each.body, 'storage_account_id'), 'azurerm_storage_account.logs[0].id');
    const nsg = block(body, 'resource', 'azurerm_network_security_group', 'mgmt');
    const dynamic = block(nsg.body, 'dynamic', 'security_rule');
    assert.equal(attr(dynamic.body, 'for_each'), 'local.ports');
    const content = block(dynamic.body, 'content');
    assert.equal(attr(content.body, 'priority'), '(+ 100 (* security_rule.key 10))');
    assert.equal(content.body.attributes.length, 9);
    const net = block(body, 'module', 'network');
    assert.equal(attr(net.body, 'source'), '(template "./net")');
    assert.equal(
      attr(block(body, 'output', 'first_account').body, 'value'),
      '(splat[*] azurerm_storage_account.logs .name)',
    );
  });

  it('reads a .tfvars file: attributes only', () => {
    const file = 'test/fixtures/terraform/hcl/terraform.tfvars';
    const vars = parseHcl(readFileSync(file, 'utf8'), file).body;
    assert.deepEqual(
      vars.attributes.map((a) => [a.name, sexpr(a.value), ...startOf(a.value)]),
      [
        ['subscription_id', '(template "00000000-0000-0000-0000-000000000000")', 1, 19],
        ['location', '(template "australiasoutheast")', 2, 19],
        ['allowed_ips', '[(template "203.0.113.10")]', 3, 15],
      ],
    );
    assert.equal(vars.blocks.length, 0);
    assert.equal(vars.range.file, file);
  });
});
