import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Unknown } from '../../src/azure/expressions/value.ts';
import { getPath } from '../../src/azure/resource.ts';
import {
  DEPLOYMENT_SCHEMA,
  lineOf,
  nsgDeclaration as nsg,
  PARAMETERS_SCHEMA as PARAMS_SCHEMA,
  scanTemplate,
  templateText,
} from '../helpers/arm.ts';

describe('template expansion', () => {
  it('expands a resource copy loop into one resource per iteration, each at the loop line', async () => {
    const text = templateText([
      nsg("[concat('nsg-', copyIndex(1))]", { copy: { name: 'nsgLoop', count: 3 } }),
    ]);
    const { resources, errors } = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(errors, []);
    assert.deepEqual(
      resources.map((r) => r.name),
      ['nsg-1', 'nsg-2', 'nsg-3'],
    );
    const line = lineOf(text, '"type": "Microsoft.Network/networkSecurityGroups"') - 1;
    for (const r of resources) assert.equal(r.location.line, line);
    assert.deepEqual(
      resources.map((r) => r.copy?.index),
      [0, 1, 2],
    );
  });

  it('applies parameter defaults, parameter files beside the template, and -p overrides in that order', async () => {
    const text = templateText([nsg("[parameters('name')]")], {
      parameters: { name: { type: 'string', defaultValue: 'from-default' } },
    });
    const byDefault = await scanTemplate(text, { checkIds: [] });
    assert.equal(byDefault.resources[0].name, 'from-default');
    const file = JSON.stringify({
      $schema: PARAMS_SCHEMA,
      contentVersion: '1.0.0.0',
      parameters: { name: { value: 'from-file' } },
    });
    const byFile = await scanTemplate(text, { checkIds: [], files: { 'template.parameters.json': file } });
    assert.equal(byFile.resources[0].name, 'from-file');
    const byCli = await scanTemplate(text, {
      checkIds: [],
      files: { 'template.parameters.json': file },
      scan: { parameterOverrides: { name: 'from-cli' } },
    });
    assert.equal(byCli.resources[0].name, 'from-cli');
  });

  it('converts -p values to the declared parameter type', async () => {
    const text = templateText(
      [nsg("[concat('n', string(parameters('count')), string(parameters('flag')))]")],
      {
        parameters: { count: { type: 'int', defaultValue: 1 }, flag: { type: 'bool', defaultValue: false } },
      },
    );
    const { resources } = await scanTemplate(text, {
      checkIds: [],
      scan: { parameterOverrides: { count: '7', flag: 'true' } },
    });
    assert.equal(resources[0].name, 'n7True'); // ARM's string(true) is .NET's 'True'
  });

  it('rejects a value outside allowedValues with an error at the parameter', async () => {
    const file = JSON.stringify({ $schema: PARAMS_SCHEMA, parameters: { sku: { value: 'Gold' } } });
    const { errors } = await scanTemplate(
      templateText([nsg("[parameters('sku')]")], {
        parameters: { sku: { type: 'string', allowedValues: ['Standard', 'Basic'] } },
      }),
      { checkIds: [], files: { 'template.parameters.json': file } },
    );
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'parameter-invalid');
    assert.match(errors[0].message, /Gold/);
    assert.equal(errors[0].file, 'template.parameters.json');
  });

  it('makes a parameter without a value Unknown, with the reason and the declaration line', async () => {
    const text = templateText([nsg('a', { properties: { x: "[parameters('missing')]" } })], {
      parameters: { missing: { type: 'string' } },
    });
    const { resources } = await scanTemplate(text, { checkIds: [] });
    const x = getPath(resources[0].body, 'properties.x');
    assert.ok(x instanceof Unknown);
    assert.match(x.reason, /no value/);
    assert.equal(x.location?.line, lineOf(text, '"missing"'));
  });

  it('evaluates variables lazily, including variable copy loops', async () => {
    const text = templateText([nsg("[variables('names')[2]]")], {
      variables: {
        copy: [{ name: 'names', count: 3, input: "[concat('item', copyIndex('names'))]" }],
      },
    });
    const { resources, errors } = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(errors, []);
    assert.equal(resources[0].name, 'item2');
  });

  it('expands property copy loops and locates their elements at the loop input', async () => {
    const text = templateText([
      nsg('a', {
        properties: {
          copy: [
            {
              name: 'securityRules',
              count: 2,
              input: { name: "[concat('rule', copyIndex('securityRules'))]" },
            },
          ],
        },
      }),
    ]);
    const { resources } = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(getPath(resources[0].body, 'properties.securityRules'), [
      { name: 'rule0' },
      { name: 'rule1' },
    ]);
    assert.equal(
      resources[0].locate('properties.securityRules[1].name').line,
      lineOf(text, '"name": "[concat(\'rule\''),
    );
  });

  it('skips resources whose condition is false and keeps those whose condition is unknown', async () => {
    const text = templateText([
      nsg('off', { condition: '[equals(1, 2)]' }),
      nsg('maybe', { condition: "[equals(reference('x').state, 'on')]" }),
    ]);
    const { resources } = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(
      resources.map((r) => r.name),
      ['maybe'],
    );
  });

  it('flattens inline child resources with their full type and name', async () => {
    const text = templateText([
      {
        type: 'Microsoft.Storage/storageAccounts',
        apiVersion: '2023-01-01',
        name: 'st1',
        resources: [{ type: 'blobServices', apiVersion: '2023-01-01', name: 'default', properties: {} }],
      },
    ]);
    const { resources } = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(
      resources.map((r) => [r.type, r.name]),
      [
        ['Microsoft.Storage/storageAccounts', 'st1'],
        ['Microsoft.Storage/storageAccounts/blobServices', 'st1/default'],
      ],
    );
    assert.equal(resources[1].location.line, lineOf(text, '"type": "blobServices"') - 1);
  });

  it('expands nested inline deployments with inner and outer expression scope', async () => {
    const inner = {
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name: 'inner',
      properties: {
        mode: 'Incremental',
        expressionEvaluationOptions: { scope: 'inner' },
        parameters: { n: { value: "[concat(parameters('base'), '-inner')]" } },
        template: {
          $schema: DEPLOYMENT_SCHEMA,
          contentVersion: '1.0.0.0',
          parameters: { n: { type: 'string' } },
          resources: [nsg("[parameters('n')]")],
        },
      },
    };
    const outer = {
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name: 'outer',
      properties: {
        mode: 'Incremental',
        template: {
          $schema: DEPLOYMENT_SCHEMA,
          contentVersion: '1.0.0.0',
          resources: [nsg("[concat(parameters('base'), '-outer')]")],
        },
      },
    };
    const text = templateText([inner, outer], {
      parameters: { base: { type: 'string', defaultValue: 'b' } },
    });
    const { resources, errors } = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(errors, []);
    assert.deepEqual(
      resources.map((r) => [r.name, r.deployments]),
      [
        ['b-inner', ['inner']],
        ['b-outer', ['outer']],
      ],
    );
  });

  it("lets an outer-scope nested template call the parent template's user functions", async () => {
    const text = templateText(
      [
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'outer',
          properties: {
            mode: 'Incremental',
            template: {
              $schema: DEPLOYMENT_SCHEMA,
              contentVersion: '1.0.0.0',
              resources: [nsg("[variables('name')]")],
            },
          },
        },
      ],
      {
        functions: [
          {
            namespace: 'contoso',
            members: {
              uniqueName: {
                parameters: [{ name: 'prefix', type: 'string' }],
                output: { type: 'string', value: "[concat(parameters('prefix'), '-nsg')]" },
              },
            },
          },
        ],
        variables: { name: "[contoso.uniqueName('app')]" },
      },
    );
    const { resources, errors } = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(errors, []);
    assert.deepEqual(
      resources.map((r) => r.name),
      ['app-nsg'],
    );
  });

  it('treats deployment().properties.templateLink as unknown rather than an error', async () => {
    const text = templateText([
      nsg('a', { properties: { uri: '[deployment().properties.templateLink.uri]' } }),
    ]);
    const { resources, errors } = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(errors, []);
    const uri = getPath(resources[0].body, 'properties.uri');
    assert.ok(uri instanceof Unknown);
    assert.match(uri.reason, /deployed from a URI/);
  });

  it('follows templateLink.relativePath and refuses paths outside the scanned folder', async () => {
    const linked = JSON.stringify(
      {
        $schema: DEPLOYMENT_SCHEMA,
        contentVersion: '1.0.0.0',
        parameters: { n: { type: 'string' } },
        resources: [nsg("[parameters('n')]")],
      },
      null,
      2,
    );
    const link = (path: string) => ({
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name: 'linked',
      properties: {
        mode: 'Incremental',
        templateLink: { relativePath: path },
        parameters: { n: { value: 'from-parent' } },
      },
    });
    const ok = await scanTemplate(templateText([link('linked.json')]), {
      checkIds: [],
      files: { 'linked.json': linked },
    });
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(
      ok.resources.map((r) => [r.name, r.file]),
      [['from-parent', 'linked.json']],
    );
    const outsideText = templateText([link('../../etc/passwd.json')]);
    const outside = await scanTemplate(outsideText, { checkIds: [] });
    assert.equal(outside.errors[0]?.code, 'linked-template-outside-root');
    assert.equal(
      outside.errors[0]?.line,
      lineOf(outsideText, '"type": "Microsoft.Resources/deployments"') - 1,
    );
    assert.equal(outside.resources.length, 0);
  });

  it('reads languageVersion 2.0 templates with symbolic resource names and skips existing resources', async () => {
    const text = JSON.stringify(
      {
        $schema: DEPLOYMENT_SCHEMA,
        languageVersion: '2.0',
        contentVersion: '1.0.0.0',
        resources: {
          vnet: {
            type: 'Microsoft.Network/virtualNetworks',
            apiVersion: '2023-09-01',
            name: 'vnet1',
            existing: true,
          },
          group: nsg('nsg-sym'),
        },
      },
      null,
      2,
    );
    const { resources } = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(
      resources.map((r) => [r.name, r.symbolicName]),
      [['nsg-sym', 'group']],
    );
  });

  it('tolerates comments and trailing commas with a warning', async () => {
    const text = `{
  // a comment
  "$schema": "${DEPLOYMENT_SCHEMA}",
  "resources": [
    { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "c", },
  ],
}`;
    const result = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(result.errors, []);
    assert.equal(result.resources[0].name, 'c');
  });
});

describe('bad input', () => {
  it('reports malformed JSON with file, line and column, and still scans the other files', async () => {
    const good = templateText([nsg('good')]);
    const { errors, resources } = await scanTemplate(good, {
      checkIds: [],
      files: { 'broken.json': '{\n  "a": [1, 2\n}' },
    });
    assert.equal(resources[0].name, 'good');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].file, 'broken.json');
    assert.equal(errors[0].code, 'json-syntax');
    assert.equal(errors[0].line, 3);
  });

  it('rejects a copy count above 800 naming the file and line, assessing the declaration once and keeping the other resources', async () => {
    const text = templateText([
      nsg("[concat('n', copyIndex())]", { copy: { name: 'big', count: 900 } }),
      nsg('kept'),
    ]);
    const { errors, resources } = await scanTemplate(text, { checkIds: [] });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'copy-limit');
    assert.equal(errors[0].file, 'template.json');
    assert.equal(errors[0].line, lineOf(text, '"copy"'));
    assert.match(errors[0].message, /900.*800/);
    assert.match(
      errors[0].message,
      /1 Microsoft.Network\/networkSecurityGroups resource, which is still assessed/,
    );
    assert.deepEqual(
      resources.map((r) => r.name),
      ['n0', 'kept'],
    );
  });

  it('reports a self-referencing variable as a cycle at the variable', async () => {
    const text = templateText([nsg("[variables('a')]"), nsg('kept')], {
      variables: { a: "[concat('x', variables('a'))]" },
    });
    const { errors, resources } = await scanTemplate(text, { checkIds: [] });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'variable-cycle');
    assert.equal(errors[0].line, lineOf(text, '"a": "[concat'));
    assert.match(errors[0].message, /variable 'a' refers to itself/);
    assert.match(errors[0].message, /the name is assessed as unknown on 1 /);
    // The resource whose name reads the variable is still assessed, with an unknown name.
    assert.deepEqual(
      resources.map((r) => (typeof r.name === 'string' ? r.name : 'unknown')),
      ['unknown', 'kept'],
    );
  });

  it('refuses nested deployments that nest too deep', async () => {
    let template: Record<string, unknown> = {
      $schema: DEPLOYMENT_SCHEMA,
      contentVersion: '1.0.0.0',
      resources: [nsg('deep')],
    };
    for (let i = 0; i < 12; i++) {
      template = {
        $schema: DEPLOYMENT_SCHEMA,
        contentVersion: '1.0.0.0',
        resources: [
          {
            type: 'Microsoft.Resources/deployments',
            apiVersion: '2022-09-01',
            name: `d${i}`,
            properties: { template },
          },
        ],
      };
    }
    const { errors } = await scanTemplate(JSON.stringify(template, null, 2), { checkIds: [] });
    assert.equal(errors[0]?.code, 'nesting-depth');
  });
});
