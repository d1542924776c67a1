/**
 * ARM user-defined types and parameter semantics (issue 12, items 1, 2 and 7): `$ref` into
 * `definitions`, every type keyword checked with the JSON path of the fault, null meaning
 * "not supplied", nullable parameters, and templates still assessed through parameter errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkValue, TypeDefinitions, type TypeSchema } from '../../src/azure/expand/types.ts';
import { Unknown, type Value } from '../../src/azure/expressions/value.ts';
import {
  DEPLOYMENT_SCHEMA,
  lineOf,
  nsgDeclaration as nsg,
  PARAMETERS_SCHEMA as PARAMS_SCHEMA,
  scanTemplate,
} from '../helpers/arm.ts';

/** The names of the resources a template expands to, asserting it has no input errors. */
async function expandedNames(text: string): Promise<unknown[]> {
  const { errors, resources } = await scanTemplate(text, { checkIds: [] });
  assert.deepEqual(errors, []);
  return resources.map((r) => r.name);
}

/** A languageVersion 2.0 template (resources keyed by symbolic name), pretty-printed. */
function v2Template(parts: {
  parameters?: Record<string, unknown>;
  definitions?: Record<string, unknown>;
  variables?: Record<string, unknown>;
  functions?: unknown[];
  resources: Record<string, unknown>;
}): string {
  return JSON.stringify(
    { $schema: DEPLOYMENT_SCHEMA, languageVersion: '2.0', contentVersion: '1.0.0.0', ...parts },
    null,
    2,
  );
}

function parameterFile(values: Record<string, unknown>): string {
  const parameters = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }]));
  return JSON.stringify({ $schema: PARAMS_SCHEMA, contentVersion: '1.0.0.0', parameters }, null, 2);
}

const SUBNET_DEFINITIONS = {
  subnet: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      prefix: { $ref: '#/definitions/cidr' },
      delegation: { type: 'string', nullable: true },
    },
  },
  cidr: { type: 'string', maxLength: 18 },
  subnets: { type: 'array', items: { $ref: '#/definitions/subnet' } },
};

describe('user-defined types: checking values', () => {
  const defs = new TypeDefinitions({
    ...SUBNET_DEFINITIONS,
    alias: { $ref: '#/definitions/subnets' },
    aliasOfAlias: { $ref: '#/definitions/alias', nullable: true },
    loopA: { $ref: '#/definitions/loopB' },
    loopB: { $ref: '#/definitions/loopA' },
    prefixOfSubnet: { $ref: '#/definitions/subnet/properties/prefix' },
  });
  const check = (schema: TypeSchema, value: unknown) => checkValue(defs, schema, value as Value);

  it('resolves nested $ref, refs to refs and JSON pointers into members, siblings overriding', () => {
    assert.equal(
      check({ $ref: '#/definitions/aliasOfAlias' }, [{ name: 'a', prefix: '10.0.0.0/24' }]),
      undefined,
    );
    assert.equal(check({ $ref: '#/definitions/aliasOfAlias' }, null), undefined);
    assert.equal(defs.resolve({ $ref: '#/definitions/aliasOfAlias' }).type, 'array');
    assert.equal(
      check({ $ref: '#/definitions/aliasOfAlias' }, [{ name: 'a', prefix: '10.0.0.0/24' }, { name: 5 }]),
      '[1].name: expected a string, got int',
    );
    assert.equal(
      check({ $ref: '#/definitions/prefixOfSubnet' }, 'x'.repeat(19)),
      'length 19 is above maxLength 18',
    );
  });

  it('reports a reference to a missing definition and a reference cycle as template errors', () => {
    assert.throws(() => defs.resolve({ $ref: '#/definitions/nothing' }), /names no definition/);
    assert.throws(() => defs.resolve({ $ref: '#/definitions/loopA' }), /cycle/);
  });

  it('checks every primitive type, and any accepts everything', () => {
    const cases: [string, unknown, string][] = [
      ['string', 1, 'expected a string, got int'],
      ['securestring', true, 'expected a string, got bool'],
      ['int', 1.5, 'expected an int, got number'],
      ['bool', 'true', 'expected a bool, got string'],
      ['object', [], 'expected an object, got array'],
      ['secureObject', 'x', 'expected an object, got string'],
      ['array', {}, 'expected an array, got object'],
    ];
    for (const [type, bad, message] of cases) assert.equal(check({ type }, bad), message, type);
    assert.equal(check({ type: 'any' }, { a: [1] }), undefined);
    assert.equal(check({}, 'anything'), undefined);
    assert.equal(check({ type: 'string' }, null), 'expected a string, got null');
    assert.equal(check({ type: 'string', nullable: true }, null), undefined);
  });

  it('checks items (a schema, or false) and prefixItems', () => {
    const tuple = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'int' }], items: false };
    assert.equal(check(tuple, ['a', 1]), undefined);
    assert.equal(check(tuple, ['a', 'b']), '[1]: expected an int, got string');
    assert.equal(check(tuple, ['a']), '[1]: missing: the type has 2 items');
    assert.equal(check(tuple, ['a', 1, 2]), 'expected at most 2 items, got 3');
    assert.equal(
      check({ type: 'array', items: { type: 'int' } }, [1, 2, 'x']),
      '[2]: expected an int, got string',
    );
  });

  it('checks properties, a missing member unless nullable, additionalProperties and sealed', () => {
    const subnet = { $ref: '#/definitions/subnet' };
    assert.equal(check(subnet, { name: 'a', prefix: '10.0.0.0/24' }), undefined);
    assert.equal(check(subnet, { name: 'a' }), 'prefix: required property is missing');
    assert.equal(check(subnet, { name: '', prefix: 'p' }), 'name: length 0 is below minLength 1');
    assert.equal(check(subnet, { NAME: 'a', Prefix: 'p', extra: 1 }), undefined);
    const closed = { type: 'object', properties: { a: { type: 'int' } }, additionalProperties: false };
    assert.equal(check(closed, { a: 1, b: 2 }), 'b: property is not declared by the type');
    const sealed = { type: 'object', properties: { a: { type: 'int' } }, sealed: true };
    assert.equal(check(sealed, { a: 1, b: 2 }), 'b: property is not declared by the type');
    const dictionary = { type: 'object', additionalProperties: { type: 'string' } };
    assert.equal(check(dictionary, { x: 'a', y: 3 }), 'y: expected a string, got int');
    assert.equal(check({ type: 'object', additionalProperties: true }, { y: 3 }), undefined);
  });

  it('checks a discriminated union against the mapped member type', () => {
    const union = {
      type: 'object',
      discriminator: {
        propertyName: 'kind',
        mapping: {
          a: { type: 'object', properties: { kind: { type: 'string' }, value: { type: 'string' } } },
          b: { type: 'object', properties: { kind: { type: 'string' }, value: { type: 'int' } } },
        },
      },
    };
    assert.equal(check(union, { kind: 'b', value: 1 }), undefined);
    assert.equal(check(union, { kind: 'a', value: 1 }), 'value: expected a string, got int');
    assert.equal(check(union, { kind: 'c' }), 'kind: value "c" is not one of ["a","b"]');
    assert.match(check(union, { value: 1 }) ?? '', /^kind: required discriminator/);
  });

  it('checks allowedValues (each item of an array, or the whole array), lengths and values', () => {
    assert.equal(check({ type: 'string', allowedValues: ['A', 'B'] }, 'a'), undefined);
    assert.match(check({ type: 'string', allowedValues: ['A'] }, 'c') ?? '', /value "c" is not one of/);
    assert.equal(check({ type: 'array', allowedValues: ['x', 'y'] }, ['x', 'y']), undefined);
    assert.match(check({ type: 'array', allowedValues: ['x', 'y'] }, ['x', 'z']) ?? '', /^\[1\]: value "z"/);
    assert.equal(check({ type: 'array', allowedValues: [['a', 'b'], ['c']] }, ['a', 'b']), undefined);
    assert.equal(check({ type: 'int', minValue: 2 }, 1), 'value 1 is below minValue 2');
    assert.equal(check({ type: 'int', maxValue: 2 }, 3), 'value 3 is above maxValue 2');
    assert.equal(check({ type: 'array', minLength: 2 }, [1]), 'length 1 is below minLength 2');
    assert.equal(check({ type: 'string', maxLength: 2 }, 'abc'), 'length 3 is above maxLength 2');
  });

  it('lets Unknown parts through: only the deployment knows them', () => {
    const unknown = new Unknown('from reference()');
    assert.equal(check({ $ref: '#/definitions/subnet' }, { name: unknown, prefix: 'p' }), undefined);
    assert.equal(check({ type: 'int' }, unknown), undefined);
  });
});

describe('user-defined types: parameters end to end', () => {
  const text = v2Template({
    parameters: { subnets: { $ref: '#/definitions/subnets' } },
    definitions: SUBNET_DEFINITIONS,
    resources: {
      nsgs: nsg("[format('nsg-{0}', parameters('subnets')[copyIndex()].name)]", {
        copy: { name: 'nsgs', count: "[length(parameters('subnets'))]" },
      }),
      other: nsg('nsg-other'),
    },
  });

  it('resolves a $ref parameter and expands with the supplied value', async () => {
    const supplied = parameterFile({
      subnets: [
        { name: 'a', prefix: '10.0.0.0/24' },
        { name: 'b', prefix: 'p' },
      ],
    });
    const { errors, resources } = await scanTemplate(text, {
      checkIds: [],
      files: { 'template.parameters.json': supplied },
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(
      resources.map((r) => r.name),
      ['nsg-a', 'nsg-b', 'nsg-other'],
    );
  });

  it('reports an invalid member with its path and the resources it affected, and assesses the rest', async () => {
    const supplied = parameterFile({
      subnets: [
        { name: 'a', prefix: '10.0.0.0/24' },
        { name: 7, prefix: 'p' },
      ],
    });
    const { errors, resources, findings } = await scanTemplate(text, {
      checkIds: ['AZ-NET-003'],
      files: { 'template.parameters.json': supplied },
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'parameter-invalid');
    assert.equal(errors[0].file, 'template.parameters.json');
    assert.match(errors[0].message, /^parameter 'subnets': \[1\]\.name: expected a string, got int/);
    assert.match(errors[0].message, /affects 1 resource: values read from it are unknown/);
    // The copy count is unknown now: one instance is assessed, with the reason; the other NSG too.
    assert.equal(resources.length, 2);
    assert.ok(resources[0].name instanceof Unknown);
    assert.match(resources[0].name.reason, /supplied value failed validation/);
    assert.ok(findings.some((f) => f.subject.name === 'nsg-other'));
  });

  it('converts a -p value to the referenced type, and reports one that does not convert without dropping resources', async () => {
    const subnets = JSON.stringify([{ name: 'cli', prefix: '10.0.0.0/24' }]);
    const byCli = await scanTemplate(text, { checkIds: [], scan: { parameterOverrides: { subnets } } });
    assert.deepEqual(byCli.errors, []);
    assert.deepEqual(
      byCli.resources.map((r) => r.name),
      ['nsg-cli', 'nsg-other'],
    );
    const broken = await scanTemplate(text, {
      checkIds: [],
      scan: { parameterOverrides: { subnets: '[oops' } },
    });
    assert.deepEqual(
      broken.errors.map((e) => [e.code, e.message]),
      [
        [
          'parameter-invalid',
          '-p subnets: "[oops" is not valid JSON for an array (affects 1 resource: values read from it are unknown)',
        ],
      ],
    );
    assert.equal(broken.resources.length, 2);
  });

  it('treats a parameter with neither "type" nor "$ref" as a template error, resource-derived types as any', async () => {
    const derived = v2Template({
      parameters: {
        name: {
          metadata: { '__bicep_resource_derived_type!': { source: 'Microsoft.Network/x@2023-01-01#name' } },
        },
        untyped: { metadata: { description: 'no type' } },
      },
      definitions: {},
      resources: { a: nsg("[string(parameters('name'))]"), b: nsg("[parameters('untyped')]") },
    });
    const { errors, resources } = await scanTemplate(derived, {
      checkIds: [],
      files: { 'template.parameters.json': parameterFile({ name: 'x' }) },
    });
    assert.deepEqual(
      errors.map((e) => [e.code, e.message]),
      [
        [
          'template-shape',
          `parameter 'untyped' needs a "type" (the name is assessed as unknown on 1 Microsoft.Network/networkSecurityGroups resource, which is still assessed)`,
        ],
      ],
    );
    assert.equal(resources[0].name, 'x');
  });

  it('reports a $ref to a missing definition at the parameter', async () => {
    const missing = v2Template({
      parameters: { p: { $ref: '#/definitions/absent' } },
      definitions: {},
      resources: { a: nsg("[parameters('p')]") },
    });
    const { errors } = await scanTemplate(missing, { checkIds: [] });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'type-ref');
    assert.match(
      errors[0].message,
      /parameter 'p': type reference '#\/definitions\/absent' names no definition/,
    );
    assert.equal(errors[0].line, lineOf(missing, '"p"'));
  });
});

describe('user-defined types: user functions', () => {
  function withFunction(call: string): string {
    return v2Template({
      definitions: {
        names: { type: 'array', items: { type: 'string' } },
        label: { type: 'string', maxLength: 12 },
      },
      functions: [
        {
          namespace: 'fn',
          members: {
            first: {
              parameters: [{ name: 'names', $ref: '#/definitions/names' }],
              output: { $ref: '#/definitions/label', value: "[concat('nsg-', first(parameters('names')))]" },
            },
          },
        },
      ],
      resources: { a: nsg(call) },
    });
  }

  it('accepts $ref-typed arguments and output and evaluates the function', async () => {
    const { errors, resources } = await scanTemplate(withFunction("[fn.first(createArray('web', 'db'))]"), {
      checkIds: [],
    });
    assert.deepEqual(errors, []);
    assert.equal(resources[0].name, 'nsg-web');
  });

  it('rejects an argument or an output that breaks its type, naming the path', async () => {
    const badArgument = await scanTemplate(withFunction("[fn.first(createArray('web', 3))]"), {
      checkIds: [],
    });
    assert.deepEqual(
      badArgument.errors.map((e) => e.message),
      [
        "user function 'fn.first' argument 'names': [1]: expected a string, got int (the name is assessed as unknown on 1 Microsoft.Network/networkSecurityGroups resource, which is still assessed)",
      ],
    );
    const badOutput = await scanTemplate(withFunction("[fn.first(createArray('much-too-long'))]"), {
      checkIds: [],
    });
    assert.deepEqual(
      badOutput.errors.map((e) => e.message),
      [
        "user function 'fn.first' output: length 17 is above maxLength 12 (the name is assessed as unknown on 1 Microsoft.Network/networkSecurityGroups resource, which is still assessed)",
      ],
    );
  });
});

describe('null semantics (Azure/bicep#11532)', () => {
  it('applies the default when a parameter file supplies null', async () => {
    const text = v2Template({
      parameters: { name: { type: 'string', defaultValue: 'nsg-default' } },
      resources: { a: nsg("[parameters('name')]") },
    });
    const { errors, resources } = await scanTemplate(text, {
      checkIds: [],
      files: { 'template.parameters.json': parameterFile({ name: null }) },
    });
    assert.deepEqual(errors, []);
    assert.equal(resources[0].name, 'nsg-default');
  });

  it('applies the default when a nested deployment passes {"value": null}', async () => {
    const text = JSON.stringify(
      {
        $schema: DEPLOYMENT_SCHEMA,
        contentVersion: '1.0.0.0',
        resources: [
          {
            type: 'Microsoft.Resources/deployments',
            apiVersion: '2022-09-01',
            name: 'inner',
            properties: {
              mode: 'Incremental',
              expressionEvaluationOptions: { scope: 'inner' },
              parameters: { name: { value: null } },
              template: {
                $schema: DEPLOYMENT_SCHEMA,
                contentVersion: '1.0.0.0',
                parameters: { name: { type: 'string', defaultValue: 'nsg-inner-default' } },
                resources: [nsg("[parameters('name')]")],
              },
            },
          },
        ],
      },
      null,
      2,
    );
    assert.deepEqual(await expandedNames(text), ['nsg-inner-default']);
  });

  it('makes an unset nullable parameter null, so a loop over it runs 0 times: no phantom instance', async () => {
    const text = v2Template({
      parameters: {
        extraNsgs: { type: 'array', items: { type: 'string' }, nullable: true },
        viaRef: { $ref: '#/definitions/optionalNames' },
      },
      definitions: { optionalNames: { type: 'array', nullable: true } },
      resources: {
        extras: nsg("[parameters('extraNsgs')[copyIndex()]]", {
          copy: { name: 'extras', count: "[length(coalesce(parameters('extraNsgs'), createArray()))]" },
        }),
        viaRef: nsg("[parameters('viaRef')[copyIndex()]]", {
          copy: { name: 'viaRef', count: "[length(coalesce(parameters('viaRef'), createArray()))]" },
        }),
        main: nsg('nsg-main'),
      },
    });
    assert.deepEqual(await expandedNames(text), ['nsg-main']);
  });

  it('creates nothing for a resource loop over a variable copied from an unset nullable parameter', async () => {
    const text = v2Template({
      definitions: {
        rule: {
          type: 'object',
          properties: { name: { type: 'string' }, note: { type: 'string', nullable: true } },
        },
      },
      parameters: { rules: { type: 'array', items: { $ref: '#/definitions/rule' }, nullable: true } },
      variables: {
        copy: [
          {
            name: 'named',
            count: "[length(coalesce(parameters('rules'), createArray()))]",
            input: "[coalesce(parameters('rules'), createArray())[copyIndex('named')].name]",
          },
        ],
      },
      resources: {
        perRule: nsg("[variables('named')[copyIndex()]]", {
          copy: { name: 'perRule', count: "[length(coalesce(variables('named'), createArray()))]" },
        }),
        guarded: nsg('nsg-guarded', { condition: "[not(empty(parameters('rules')))]" }),
      },
    });
    assert.deepEqual(await expandedNames(text), []);
  });

  it('keeps a non-nullable parameter with no value unknown', async () => {
    const text = v2Template({
      parameters: { name: { type: 'string' } },
      resources: { a: nsg("[parameters('name')]") },
    });
    const { resources } = await scanTemplate(text, { checkIds: [] });
    assert.ok(resources[0].name instanceof Unknown);
  });
});

describe('assessing through parameter errors', () => {
  const classic = JSON.stringify(
    {
      $schema: DEPLOYMENT_SCHEMA,
      contentVersion: '1.0.0.0',
      parameters: {
        sku: { type: 'string', allowedValues: ['Standard', 'Basic'] },
        prefix: { type: 'string', defaultValue: 'nsg' },
        unused: { type: 'int', defaultValue: 1 },
      },
      variables: { suffix: "[toLower(parameters('sku'))]" },
      resources: [
        nsg("[concat(parameters('prefix'), '-a-', parameters('sku'))]"),
        nsg("[concat(parameters('prefix'), '-b-', variables('suffix'))]"),
        nsg("[concat(parameters('prefix'), '-c-', variables('suffix'))]"),
        nsg("[concat(parameters('prefix'), '-plain')]"),
      ],
    },
    null,
    2,
  );

  it('reports an invalid value with how many resources read it, and still assesses every resource', async () => {
    const { errors, resources, findings } = await scanTemplate(classic, {
      checkIds: ['AZ-NET-003'],
      files: { 'template.parameters.json': parameterFile({ sku: 'Gold' }) },
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'parameter-invalid');
    assert.match(errors[0].message, /value "Gold" is not one of the allowed values/);
    // Two of the three read it through the same (cached) variable.
    assert.match(errors[0].message, /\(affects 3 resources: values read from it are unknown\)$/);
    assert.equal(resources.length, 4);
    assert.ok(resources[1].name instanceof Unknown);
    assert.match(
      resources[1].name.reason,
      /the supplied value failed validation \(parameter 'sku': value "Gold"/,
    );
    assert.equal(resources[3].name, 'nsg-plain');
    assert.ok(findings.some((f) => f.subject.name === 'nsg-plain'));
  });

  it('reports an undeclared parameter-file entry, ignores it and still assesses the template', async () => {
    const { errors, resources, findings } = await scanTemplate(classic, {
      checkIds: ['AZ-NET-003'],
      files: { 'template.parameters.json': parameterFile({ sku: 'Basic', notDeclared: 'x' }) },
    });
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'parameter-undeclared');
    assert.equal(errors[0].file, 'template.parameters.json');
    assert.match(errors[0].message, /sets 'notdeclared', which the template does not declare/);
    assert.match(errors[0].message, /affects no resources/);
    assert.deepEqual(
      resources.map((r) => r.name),
      ['nsg-a-Basic', 'nsg-b-basic', 'nsg-c-basic', 'nsg-plain'],
    );
    assert.equal(findings.length, 4);
  });

  it('reports an invalid supplied value even when nothing reads it', async () => {
    const { errors } = await scanTemplate(classic, {
      checkIds: [],
      files: { 'template.parameters.json': parameterFile({ sku: 'Basic', unused: 'five' }) },
    });
    assert.equal(errors.length, 1);
    assert.match(
      errors[0].message,
      /parameter 'unused': expected an int, got string \(affects no resources\)/,
    );
  });
});
