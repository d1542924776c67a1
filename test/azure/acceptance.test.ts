/**
 * The ARM scanning issue's acceptance cases, end to end through the real pipeline.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineOf, runCheck, scanTemplate, templateText } from '../helpers/arm.ts';

const PARAMS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

function storage(httpsOnly: unknown) {
  return {
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-01-01',
    name: 'stacceptance',
    location: 'australiaeast',
    sku: { name: 'Standard_ZRS' },
    kind: 'StorageV2',
    properties: { supportsHttpsTrafficOnly: httpsOnly },
  };
}

describe('acceptance: values decided by expansion', () => {
  const text = templateText([storage("[parameters('httpsOnly')]")], {
    parameters: { httpsOnly: { type: 'bool', defaultValue: false } },
  });

  it('fails HTTPS-only when a parameter default sets supportsHttpsTrafficOnly to false', async () => {
    const [f] = await runCheck('AZ-STORAGE-001', text);
    assert.equal(f.status, 'fail');
    assert.equal(f.location.line, lineOf(text, '"supportsHttpsTrafficOnly"'));
  });

  it('passes when a parameter file beside the template supplies true', async () => {
    const parameters = JSON.stringify({
      $schema: PARAMS_SCHEMA,
      contentVersion: '1.0.0.0',
      parameters: { httpsOnly: { value: true } },
    });
    const result = await scanTemplate(text, {
      checkIds: ['AZ-STORAGE-001'],
      files: { 'template.parameters.json': parameters },
    });
    assert.deepEqual(result.errors, []);
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0].status, 'pass');
  });

  it('is unknown, with the reason, when the value comes from reference()', async () => {
    const fromReference = templateText([storage("[reference('policyStore').properties.httpsOnly]")]);
    const [f] = await runCheck('AZ-STORAGE-001', fromReference);
    assert.equal(f.status, 'unknown');
    assert.match(f.message, /reference/);
    assert.equal(f.location.line, lineOf(fromReference, '"supportsHttpsTrafficOnly"'));
  });
});

describe('acceptance: copy loops', () => {
  it('reports each of three NSGs from a copy loop with its own name at the loop line', async () => {
    const text = templateText(
      [
        {
          type: 'Microsoft.Network/networkSecurityGroups',
          apiVersion: '2023-09-01',
          name: "[concat('nsg-', parameters('tiers')[copyIndex()])]",
          location: 'australiaeast',
          copy: { name: 'nsgLoop', count: "[length(parameters('tiers'))]" },
          properties: {
            securityRules: [
              {
                name: 'ssh-from-anywhere',
                properties: {
                  priority: 100,
                  direction: 'Inbound',
                  access: 'Allow',
                  protocol: 'Tcp',
                  sourceAddressPrefix: '*',
                  sourcePortRange: '*',
                  destinationAddressPrefix: '*',
                  destinationPortRange: '22',
                },
              },
            ],
          },
        },
      ],
      { parameters: { tiers: { type: 'array', defaultValue: ['web', 'app', 'data'] } } },
    );
    const findings = await runCheck('AZ-NET-001', text);
    assert.deepEqual(findings.map((f) => [f.subject.name, f.status]).sort(), [
      ['nsg-app', 'fail'],
      ['nsg-data', 'fail'],
      ['nsg-web', 'fail'],
    ]);
    const ruleLine = lineOf(text, '"name": "ssh-from-anywhere"') - 1;
    for (const f of findings) assert.equal(f.location.line, ruleLine);
    assert.equal(new Set(findings.map((f) => f.subject.id)).size, 3);
  });
});

describe('acceptance: bad input does not stop the run', () => {
  it('reports malformed JSON, a non-template, a 900-count loop and a variable cycle, and scans the good file', async () => {
    const good = templateText([storage(false)]);
    const bigLoop = templateText([
      { ...storage(true), name: "[concat('st', copyIndex())]", copy: { name: 'many', count: 900 } },
    ]);
    const cycle = templateText([storage("[variables('a')]")], {
      variables: { a: "[variables('b')]", b: "[variables('a')]" },
    });
    const result = await scanTemplate(good, {
      checkIds: ['AZ-STORAGE-001'],
      files: {
        'malformed.json': '{ "$schema": "x", ',
        'big-loop.json': bigLoop,
        'cycle.json': cycle,
      },
      // A folder walk skips non-template JSON quietly; naming the file makes it an error (see the CLI test).
    });
    const byFile = Object.fromEntries(result.errors.map((e) => [e.file, e]));
    assert.equal(byFile['malformed.json']?.code, 'json-syntax');
    assert.equal(byFile['big-loop.json']?.code, 'copy-limit');
    assert.equal(byFile['big-loop.json']?.line, lineOf(bigLoop, '"copy"'));
    assert.equal(byFile['cycle.json']?.code, 'variable-cycle');
    assert.match(
      byFile['cycle.json']?.message ?? '',
      /variable 'a' -> variable 'b' -> variable 'a'|variable 'b' -> variable 'a' -> variable 'b'/,
    );
    const fromGood = result.findings.filter((f) => f.location.file === 'template.json');
    assert.deepEqual(
      fromGood.map((f) => f.status),
      ['fail'],
    );
  });
});
