/**
 * ARM fidelity: nested deployment parameters written as expressions, expression errors that
 * make one property unknown instead of losing the resource, existing resources, and children
 * bound to their parent by resource id across nested deployments.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEPLOYMENT_SCHEMA, lineOf, runCheck, scanTemplate, templateText } from '../helpers/arm.ts';

function storage(name: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-01-01',
    name,
    location: 'australiaeast',
    sku: { name: 'Standard_ZRS' },
    kind: 'StorageV2',
    properties,
    ...extra,
  };
}

/** An inner-scope nested deployment of one storage account whose HTTPS setting is a parameter. */
function nestedStorage(parameters: unknown) {
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name: 'inner',
    properties: {
      mode: 'Incremental',
      expressionEvaluationOptions: { scope: 'inner' },
      parameters,
      template: {
        $schema: DEPLOYMENT_SCHEMA,
        contentVersion: '1.0.0.0',
        parameters: { httpsOnly: { type: 'bool' } },
        resources: [storage('stinner', { supportsHttpsTrafficOnly: "[parameters('httpsOnly')]" })],
      },
    },
  };
}

describe('nested deployment parameters written as expressions', () => {
  it('evaluates an entry that is an if() of createObject(value) and decides the check', async () => {
    const text = templateText(
      [
        nestedStorage({
          httpsOnly:
            "[if(parameters('secure'), createObject('value', true()), createObject('value', false()))]",
        }),
      ],
      { parameters: { secure: { type: 'bool', defaultValue: false } } },
    );
    const findings = await runCheck('AZ-STORAGE-001', text);
    assert.deepEqual(
      findings.map((f) => f.status),
      ['fail'],
    );
  });

  it('evaluates a whole parameters object written as one expression', async () => {
    const text = templateText([nestedStorage("[createObject('httpsOnly', createObject('value', true()))]")]);
    const findings = await runCheck('AZ-STORAGE-001', text);
    assert.deepEqual(
      findings.map((f) => f.status),
      ['pass'],
    );
  });
});

describe('an expression error makes its property unknown, not the resource lost', () => {
  it('keeps assessing a resource whose unrelated property fails to evaluate', async () => {
    const text = templateText([
      storage('stbroken', { supportsHttpsTrafficOnly: false, encryption: { note: '[div(1, 0)]' } }),
    ]);
    const { findings, errors, faults, resources } = await scanTemplate(text, {
      checkIds: ['AZ-STORAGE-001'],
    });
    assert.equal(resources.length, 1);
    // A division by zero on known values is a template fault (ARM refuses it), not an input error.
    assert.equal(errors.length, 0);
    assert.equal(faults.length, 1);
    assert.equal(faults[0].line, lineOf(text, '"note"'));
    assert.match(faults[0].message, /divisor/);
    assert.match(
      faults[0].message,
      /properties\.encryption\.note is assessed as unknown on 1 Microsoft\.Storage\/storageAccounts resource/,
    );
    assert.deepEqual(
      findings.map((f) => `${f.status}@${f.location.line}`),
      [`fail@${lineOf(text, '"supportsHttpsTrafficOnly"')}`],
    );
  });

  it('makes the failing property itself unknown, with the reason, for the check that reads it', async () => {
    const text = templateText([storage('stbroken', { supportsHttpsTrafficOnly: '[bool(div(1, 0))]' })]);
    const { findings, errors, faults } = await scanTemplate(text, { checkIds: ['AZ-STORAGE-001'] });
    assert.deepEqual([errors.length, faults.length], [0, 1]);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].status, 'unknown');
    assert.match(findings[0].message, /could not be evaluated/);
  });

  it('says how many copy instances one error affected, reported once', async () => {
    const text = templateText([
      storage(
        "[concat('st', copyIndex())]",
        { supportsHttpsTrafficOnly: true, tag: "[variables('missing')]" },
        { copy: { name: 'accounts', count: 3 } },
      ),
    ]);
    const { findings, errors } = await scanTemplate(text, { checkIds: ['AZ-STORAGE-001'] });
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /on 3 Microsoft\.Storage\/storageAccounts resources/);
    assert.deepEqual(
      findings.map((f) => f.status),
      ['pass', 'pass', 'pass'],
    );
  });

  it('keeps a resource whose name fails to evaluate, with an unknown name', async () => {
    const text = templateText([storage("[substring('ab', 5, 1)]", { supportsHttpsTrafficOnly: false })]);
    const { findings, errors, resources } = await scanTemplate(text, { checkIds: ['AZ-STORAGE-001'] });
    assert.equal(resources.length, 1);
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /the name is assessed as unknown/);
    assert.equal(findings[0]?.status, 'fail');
  });
});

describe('existing resources', () => {
  it('reads properties of an existing resource through reference(..., full) as unknown, not an error', async () => {
    const text = JSON.stringify(
      {
        $schema: DEPLOYMENT_SCHEMA,
        languageVersion: '2.0',
        contentVersion: '1.0.0.0',
        resources: {
          vault: { existing: true, type: 'Microsoft.KeyVault/vaults', apiVersion: '2022-07-01', name: 'kv1' },
          account: storage('stfromvault', {
            supportsHttpsTrafficOnly:
              "[reference('vault', '2022-07-01', 'full').properties.notDeclared.deeper]",
          }),
        },
      },
      null,
      2,
    );
    const { findings, errors, resources } = await scanTemplate(text, { checkIds: ['AZ-STORAGE-001'] });
    assert.deepEqual(errors, []);
    // The existing vault is not deployed by this template, so it is not assessed.
    assert.deepEqual(
      resources.map((r) => r.type),
      ['Microsoft.Storage/storageAccounts'],
    );
    assert.equal(findings[0]?.status, 'unknown');
    assert.match(findings[0]?.message ?? '', /reference\('vault'\) is known only at deployment/);
  });
});

describe('children declared by a nested deployment bind to their parent by resource id', () => {
  const site = {
    type: 'Microsoft.Web/sites',
    apiVersion: '2023-01-01',
    name: 'app1',
    location: 'australiaeast',
    properties: { httpsOnly: true },
  };
  const config = (ftpsState: string) => ({
    type: 'Microsoft.Web/sites/config',
    apiVersion: '2023-01-01',
    name: 'app1/web',
    properties: { ftpsState },
  });
  const module = (resources: unknown[]) => ({
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name: 'siteConfig',
    properties: {
      mode: 'Incremental',
      expressionEvaluationOptions: { scope: 'inner' },
      template: { $schema: DEPLOYMENT_SCHEMA, contentVersion: '1.0.0.0', resources },
    },
  });

  it("lets the site's check see a config/web child that a module deploys", async () => {
    const text = templateText([site, module([config('Disabled')])]);
    const findings = await runCheck('AZ-APP-003', text);
    assert.deepEqual(
      findings.map((f) => `${f.status}@${f.location.line}`),
      [`pass@${lineOf(text, '"ftpsState"')}`],
    );
  });

  it('does not bind the child of a separate top-level template with the same names', async () => {
    const { findings } = await scanTemplate(templateText([site]), {
      checkIds: ['AZ-APP-003'],
      files: { 'other.json': templateText([module([config('Disabled')])]) },
    });
    assert.deepEqual(
      findings.map((f) => f.status),
      ['fail'],
    );
  });
});
