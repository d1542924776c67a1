/**
 * A parameter file with one malformed entry (found on a published quickstart: a value written
 * bare instead of as `{ "value": ... }`) is an input error for that entry only: the template is
 * still assessed with the other supplied values, and what reads the bad entry is unknown.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Unknown } from '../../src/azure/expressions/value.ts';
import { DEPLOYMENT_SCHEMA, nsgDeclaration, PARAMETERS_SCHEMA, scanTemplate } from '../helpers/arm.ts';

const template = JSON.stringify(
  {
    $schema: DEPLOYMENT_SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: { first: { type: 'string' }, second: { type: 'string' } },
    resources: [nsgDeclaration("[parameters('first')]"), nsgDeclaration("[parameters('second')]")],
  },
  null,
  2,
);

function parameters(entries: Record<string, unknown>): string {
  return JSON.stringify(
    { $schema: PARAMETERS_SCHEMA, contentVersion: '1.0.0.0', parameters: entries },
    null,
    2,
  );
}

describe('malformed parameter-file entries', () => {
  it('reports a bare value and still assesses the template with the other entries', async () => {
    const { errors, resources, findings } = await scanTemplate(template, {
      checkIds: ['AZ-NET-003'],
      files: { 'template.parameters.json': parameters({ first: { value: 'nsg-one' }, second: 'nsg-two' }) },
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'parameter-file');
    assert.equal(errors[0].file, 'template.parameters.json');
    assert.equal(errors[0].line, 8);
    assert.match(errors[0].message, /parameter "second" must be an object with "value" or "reference"/);
    assert.match(errors[0].message, /\(affects 1 resource: values read from it are unknown\)$/);
    assert.equal(resources.length, 2);
    assert.equal(resources[0].name, 'nsg-one');
    assert.ok(resources[1].name instanceof Unknown);
    assert.match(resources[1].name.reason, /parameter "second" must be an object/);
    assert.equal(findings.length, 2);
  });

  it('reports an entry with neither "value" nor "reference" the same way', async () => {
    const { errors, resources } = await scanTemplate(template, {
      checkIds: [],
      files: {
        'template.parameters.json': parameters({ first: { value: 'nsg-one' }, second: { values: 'x' } }),
      },
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'parameter-file');
    assert.match(errors[0].message, /parameter "second" has neither "value" nor "reference"/);
    assert.equal(resources.length, 2);
    assert.equal(resources[0].name, 'nsg-one');
  });

  it('assesses the template without the file when its "parameters" is not an object', async () => {
    const { errors, resources } = await scanTemplate(template, {
      checkIds: [],
      files: { 'template.parameters.json': parameters(['first'] as unknown as Record<string, unknown>) },
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'parameter-file');
    assert.match(errors[0].message, /"parameters" property of a parameter file must be an object/);
    assert.equal(resources.length, 2);
  });
});
