/** The pieces under the readers: value masks, the `.tf` line scan, configuration references. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Unknown } from '../../../src/azure/expressions/value.ts';
import {
  locateInBlock,
  readConfiguration,
  TfBlocks,
  withoutIndexes,
} from '../../../src/azure/sources/terraform/config.ts';
import { maskedAttributes } from '../../../src/azure/sources/terraform/values.ts';

describe('maskedAttributes', () => {
  it('puts unknowns and sensitives at exactly the marked paths, keeping no sensitive value', () => {
    const values = maskedAttributes(
      { a: 1, list: ['x', 'secret-in-list'], block: [{ keep: true, password: 'p@ss' }] },
      { list: [false, false, true], block: [{ computed: true }], id: true },
      { list: [false, true], block: [{ password: true }] },
    );
    const list = values.list as unknown[];
    assert.equal(list[0], 'x');
    assert.ok(list[1] instanceof Unknown && list[1].reason === '(sensitive)');
    assert.ok(list[2] instanceof Unknown && list[2].reason === 'known after apply');
    const block = (values.block as Record<string, unknown>[])[0]!;
    assert.equal(block.keep, true);
    assert.ok(block.computed instanceof Unknown);
    assert.equal((block.password as Unknown).reason, '(sensitive)');
    assert.ok(values.id instanceof Unknown);
    assert.ok(!JSON.stringify(values).includes('secret-in-list'));
    assert.ok(!JSON.stringify(values).includes('p@ss'));
  });

  it('treats a wholly sensitive object as having no readable attributes', () => {
    assert.deepEqual(maskedAttributes({ a: 'x' }, undefined, true), {});
  });
});

describe('the .tf line scan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-tf-lines-'));
  const text = [
    'resource "azurerm_storage_account" "other" { name = "x" }',
    '# resource "azurerm_storage_account" "sa" { commented out',
    'resource "azurerm_storage_account" "sa" {',
    '  name = "st{not-a-brace}" # a } in a comment',
    '  network_rules {',
    '    default_action = "Deny"',
    '  }',
    '  min_tls_version = "TLS1_2"',
    '}',
    'resource "azurerm_key_vault" "kv" {',
    '  min_tls_version = "not this block"',
    '}',
  ].join('\n');
  writeFileSync(join(dir, 'main.tf'), text);
  const blocks = new TfBlocks(dir);
  const block = blocks.find(dir, 'azurerm_storage_account', 'sa');

  it('finds the block, not a commented one, and the attribute lines inside it', () => {
    assert.ok(block);
    assert.equal(block.location.line, 3);
    assert.equal(locateInBlock(block, 'min_tls_version').line, 8);
    assert.equal(locateInBlock(block, 'network_rules[0].default_action').line, 6);
    assert.equal(locateInBlock(block, 'network_rules.0.bypass').line, 5);
    assert.equal(locateInBlock(block, 'not_written').line, 3);
    assert.equal(blocks.find(dir, 'azurerm_storage_account', 'missing'), undefined);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('configuration', () => {
  it('reads references (module path applied), and module folders only inside the scan root', () => {
    const config = readConfiguration(
      {
        root_module: {
          resources: [
            {
              address: 'azurerm_subnet_network_security_group_association.a',
              expressions: {
                subnet_id: { references: ['module.net.subnet_id', 'azurerm_subnet.app["web"].id', 'var.x'] },
                block: [{ inner: { references: ['azurerm_public_ip.pip.id'] } }],
              },
            },
          ],
          module_calls: {
            net: {
              source: './modules/net',
              module: { resources: [{ address: 'azurerm_subnet.app', expressions: {} }] },
            },
            far: { source: '../../elsewhere', module: {} },
            remote: { source: 'Azure/avm-res-network/azurerm', module: {} },
          },
        },
      },
      '/scan/root',
      '/scan/root',
    );
    const refs = config.references.get('azurerm_subnet_network_security_group_association.a');
    assert.deepEqual(refs?.get('subnet_id'), ['azurerm_subnet.app']);
    assert.deepEqual(refs?.get('block'), ['azurerm_public_ip.pip']);
    assert.ok(config.references.has('module.net.azurerm_subnet.app'));
    assert.deepEqual([...config.moduleDirs.keys()], ['', 'module.net']);
    assert.equal(withoutIndexes('module.a[0].azurerm_x.y["k]ey"]'), 'module.a.azurerm_x.y');
  });
});
