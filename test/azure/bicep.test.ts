import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { azureChecks } from '../../src/azure/checks/index.ts';
import { findBicepCli } from '../../src/azure/load/bicep.ts';
import { scanAzure } from '../../src/azure/scan.ts';
import { runScan } from '../../src/cli/scan.ts';
import { DEPLOYMENT_SCHEMA, lineOf, templateText } from '../helpers/arm.ts';

// The real Bicep CLI is not installable here: a stand-in `bicep` (a node script) prints the
// compiled output the test wrote for each file name, or its canned diagnostics.

const work = mkdtempSync(join(tmpdir(), 'assay-bicep-'));
after(() => rmSync(work, { recursive: true, force: true }));
const bin = join(work, 'bin');
mkdirSync(bin);
const STAND_IN = `#!/usr/bin/env node
const { appendFileSync, existsSync, readFileSync } = require('node:fs');
const { basename, join } = require('node:path');
const file = process.argv[process.argv.length - 1];
appendFileSync(join(__dirname, 'calls.log'), JSON.stringify(process.argv.slice(2)) + '\\n');
const canned = join(__dirname, basename(file));
if (existsSync(canned + '.slow')) setTimeout(() => {}, 20000);
else if (existsSync(canned + '.err')) { process.stderr.write(readFileSync(canned + '.err', 'utf8').replace('FILE', file)); process.exit(1); }
else process.stdout.write(readFileSync(canned + '.out', 'utf8'));
`;
// CommonJS, whatever the surrounding package says.
writeFileSync(join(bin, 'package.json'), '{"type":"commonjs"}');
writeFileSync(join(bin, 'bicep'), STAND_IN);
chmodSync(join(bin, 'bicep'), 0o755);
const standIn = findBicepCli({ PATH: bin });
const httpsCheck = azureChecks.filter((c) => c.meta.id === 'AZ-STORAGE-001');

const MAIN_BICEP = `param location string = resourceGroup().location

@description('Logs')
resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'assaydemo'
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    // Not secure: HTTP allowed.
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: false
  }
}
`;

const storage = {
  type: 'Microsoft.Storage/storageAccounts',
  apiVersion: '2023-01-01',
  name: 'assaydemo',
  location: "[parameters('location')]",
  kind: 'StorageV2',
  sku: { name: 'Standard_LRS' },
  properties: { minimumTlsVersion: 'TLS1_2', supportsHttpsTrafficOnly: false },
};
const parameters = { location: { type: 'string', defaultValue: 'australiaeast' } };

/** Writes a project folder with Bicep files and what the stand-in prints for each. */
function project(name: string, files: Record<string, string>, canned: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  for (const [file, text] of Object.entries(canned)) writeFileSync(join(bin, file), text);
  return dir;
}

describe('Bicep source with a Bicep CLI', () => {
  it('finds the CLI on PATH, or named by ASSAY_BICEP', () => {
    assert.equal(standIn?.command, join(bin, 'bicep'));
    assert.equal(findBicepCli({ PATH: join(work, 'nowhere') }), undefined);
    assert.equal(findBicepCli({ PATH: '', ASSAY_BICEP: join(bin, 'bicep') })?.command, join(bin, 'bicep'));
  });

  it('compiles a .bicep file and puts the finding on its property line (languageVersion 2.0)', async () => {
    const compiled = templateText([], { languageVersion: '2.0', parameters });
    const symbolic = JSON.stringify({ ...JSON.parse(compiled), resources: { sa: storage } }, null, 2);
    const dir = project('symbolic', { 'main.bicep': MAIN_BICEP }, { 'main.bicep.out': symbolic });
    const { assessment } = await scanAzure([join(dir, 'main.bicep')], {
      root: dir,
      bicep: standIn,
      checks: httpsCheck,
    });
    assert.deepEqual(assessment.errors, []);
    const failed = assessment.findings.filter((f) => f.status === 'fail');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.location.file, 'main.bicep');
    assert.equal(failed[0]?.location.line, lineOf(MAIN_BICEP, 'supportsHttpsTrafficOnly'));
    assert.equal(assessment.subjects[0]?.location.line, lineOf(MAIN_BICEP, 'resource sa'));
    assert.ok(assessment.inputs.some((i) => i.file === 'main.bicep' && i.kind === 'arm-template'));
  });

  it('maps classic (array) output by type and API version', async () => {
    const classic = templateText([storage], { parameters });
    const dir = project('classic', { 'classic.bicep': MAIN_BICEP }, { 'classic.bicep.out': classic });
    const { assessment } = await scanAzure([dir], { root: dir, bicep: standIn, checks: httpsCheck });
    assert.deepEqual(assessment.errors, []);
    const failed = assessment.findings.filter((f) => f.status === 'fail');
    assert.deepEqual(
      failed.map((f) => [f.location.file, f.location.line]),
      [['classic.bicep', lineOf(MAIN_BICEP, 'supportsHttpsTrafficOnly')]],
    );
  });

  it('points a resource inside a module at the module line, and an untraceable one at line 1 with a note', async () => {
    const bicep = `module store './store.bicep' = {\n  name: 'store'\n}\n`;
    const deployment = {
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name: 'store',
      properties: {
        mode: 'Incremental',
        expressionEvaluationOptions: { scope: 'inner' },
        template: JSON.parse(templateText([storage], { parameters })),
      },
    };
    const unknownKey = { ...storage, name: 'elsewhere' };
    const compiled = JSON.stringify(
      {
        $schema: DEPLOYMENT_SCHEMA,
        languageVersion: '2.0',
        contentVersion: '1.0.0.0',
        parameters,
        resources: { store: deployment, generated: unknownKey },
      },
      null,
      2,
    );
    const dir = project('modules', { 'app.bicep': bicep }, { 'app.bicep.out': compiled });
    const { assessment } = await scanAzure([join(dir, 'app.bicep')], {
      root: dir,
      bicep: standIn,
      checks: httpsCheck,
    });
    assert.deepEqual(assessment.errors, []);
    const lines = assessment.findings
      .filter((f) => f.status === 'fail')
      .map((f) => f.location.line)
      .sort();
    assert.deepEqual(lines, [1, 1]);
    assert.ok(
      assessment.notes.some((n) => n.file === 'app.bicep' && /1 resource\(s\).*line 1/.test(n.message)),
    );
    // Line 1 there is also the module line: check the module one kept its declaration (not the note's).
    const moduleBicep = `// header\n${bicep}`;
    const dir2 = project('modules2', { 'app2.bicep': moduleBicep }, { 'app2.bicep.out': compiled });
    const second = await scanAzure([join(dir2, 'app2.bicep')], {
      root: dir2,
      bicep: standIn,
      checks: httpsCheck,
    });
    const lines2 = second.assessment.findings.map((f) => f.location.line).sort();
    assert.deepEqual(lines2, [1, lineOf(moduleBicep, 'module store')]);
  });

  it('assesses a local module through its parent, and standalone when the parent never deploys it', async () => {
    const parent = (condition?: boolean) => {
      const deployment = {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'store',
        ...(condition === undefined ? {} : { condition }),
        properties: {
          mode: 'Incremental',
          expressionEvaluationOptions: { scope: 'inner' },
          template: JSON.parse(templateText([storage], { parameters })),
        },
      };
      return JSON.stringify(
        { ...JSON.parse(templateText([], { languageVersion: '2.0' })), resources: { store: deployment } },
        null,
        2,
      );
    };
    const mainBicep = "module store './store.bicep' = {\n  name: 'store'\n}\n";
    const reached = project(
      'module-reached',
      { 'main.bicep': mainBicep, 'store.bicep': MAIN_BICEP },
      { 'main.bicep.out': parent(), 'store.bicep.out': templateText([storage], { parameters }) },
    );
    const through = await scanAzure([reached], { root: reached, bicep: standIn, checks: httpsCheck });
    assert.deepEqual(through.assessment.errors, []);
    assert.deepEqual(
      through.assessment.findings.map((f) => [f.status, f.location.file, f.location.line]),
      [['fail', 'main.bicep', 1]],
    );

    const conditional = project(
      'module-false',
      { 'main.bicep': mainBicep.replace('= {', '= if (false) {'), 'store.bicep': MAIN_BICEP },
      { 'main.bicep.out': parent(false) },
    );
    const standalone = await scanAzure([conditional], {
      root: conditional,
      bicep: standIn,
      checks: httpsCheck,
    });
    assert.deepEqual(standalone.assessment.errors, []);
    assert.deepEqual(
      standalone.assessment.findings.map((f) => [f.status, f.location.file, f.location.line]),
      [['fail', 'store.bicep', lineOf(MAIN_BICEP, 'supportsHttpsTrafficOnly')]],
    );
    assert.ok(
      standalone.assessment.notes.some(
        (n) => n.file === 'store.bicep' && /assessed standalone/.test(n.message),
      ),
    );
  });

  it('applies <name>.parameters.json beside a .bicep file named directly', async () => {
    const template = templateText(
      [{ ...storage, properties: { supportsHttpsTrafficOnly: "[parameters('https')]" } }],
      {
        parameters: { ...parameters, https: { type: 'bool' } },
      },
    );
    const values = JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
      contentVersion: '1.0.0.0',
      parameters: { https: { value: false } },
    });
    const dir = project(
      'sibling',
      { 'web.bicep': MAIN_BICEP, 'web.parameters.json': values },
      { 'web.bicep.out': template },
    );
    const { assessment } = await scanAzure([join(dir, 'web.bicep')], {
      root: dir,
      bicep: standIn,
      checks: httpsCheck,
    });
    assert.deepEqual(assessment.errors, []);
    assert.deepEqual(
      assessment.findings.map((f) => f.status),
      ['fail'],
    );
  });

  it('reports a compile error on the .bicep file and the line the CLI gives', async () => {
    const dir = project(
      'broken',
      { 'bad.bicep': "resource x 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name:\n}\n" },
      { 'bad.bicep.err': 'FILE(2,8) : Error BCP009: Expected a literal value here.\n' },
    );
    const { assessment } = await scanAzure([dir], { root: dir, bicep: standIn, checks: httpsCheck });
    assert.equal(assessment.errors.length, 1);
    assert.deepEqual(
      [assessment.errors[0]?.file, assessment.errors[0]?.line, assessment.errors[0]?.code],
      ['bad.bicep', 2, 'bicep-compile'],
    );
    assert.match(assessment.errors[0]!.message, /BCP009: Expected a literal value/);
  });

  it('passes a file name to the CLI as one argument, never through a shell, and stops a slow build', async () => {
    const name = 'odd $(touch pwned) name.bicep';
    const classic = templateText([storage], { parameters });
    const dir = project('odd', { [name]: MAIN_BICEP }, { [`${name}.out`]: classic });
    const { assessment } = await scanAzure([dir], { root: dir, bicep: standIn, checks: httpsCheck });
    assert.deepEqual(assessment.errors, []);
    assert.equal(existsSync(join(dir, 'pwned')), false);
    const calls = readFileSync(join(bin, 'calls.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(calls.at(-1), ['build', '--stdout', join(dir, name)]);

    const slow = project('slow', { 'slow.bicep': MAIN_BICEP }, { 'slow.bicep.slow': '' });
    const timed = await scanAzure([slow], {
      root: slow,
      bicep: standIn,
      bicepTimeoutMs: 300,
      checks: httpsCheck,
    });
    assert.deepEqual(
      timed.assessment.errors.map((e) => [e.file, e.code]),
      [['slow.bicep', 'bicep-timeout']],
    );
  });

  it('compiles a .bicepparam with build-params and scans the template it uses with its values', async () => {
    const bicep = MAIN_BICEP.replace(
      'supportsHttpsTrafficOnly: false',
      'supportsHttpsTrafficOnly: https',
    ).replace('param location', 'param https bool\nparam location');
    const template = templateText(
      [{ ...storage, properties: { supportsHttpsTrafficOnly: "[parameters('https')]" } }],
      {
        parameters: { ...parameters, https: { type: 'bool' } },
      },
    );
    const built = JSON.stringify({
      parametersJson: JSON.stringify({
        $schema: 'x',
        contentVersion: '1.0.0.0',
        parameters: { https: { value: false } },
      }),
      templateJson: template,
    });
    const dir = project(
      'params',
      { 'main.bicep': bicep, 'dev.bicepparam': "using './main.bicep'\n\nparam https = false\n" },
      { 'dev.bicepparam.out': built, 'main.bicep.out': template },
    );
    const { assessment } = await scanAzure([dir], { root: dir, bicep: standIn, checks: httpsCheck });
    assert.deepEqual(assessment.errors, []);
    // main.bicep is assessed through dev.bicepparam only: one finding, with the value false.
    assert.deepEqual(
      assessment.findings.map((f) => [f.status, f.location.file, f.location.line]),
      [['fail', 'main.bicep', lineOf(bicep, 'supportsHttpsTrafficOnly')]],
    );
    assert.ok(assessment.inputs.some((i) => i.file === 'dev.bicepparam' && i.kind === 'arm-parameters'));
  });
});

describe('Bicep source without a Bicep CLI', () => {
  it('lists the Bicep files a folder scan skipped in one note and scans the rest', async () => {
    const dir = project(
      'no-cli',
      { 'a.bicep': MAIN_BICEP, 'b.bicep': MAIN_BICEP, 'c.json': templateText([storage], { parameters }) },
      {},
    );
    const { assessment } = await scanAzure([dir], { root: dir, bicep: null, checks: httpsCheck });
    assert.deepEqual(assessment.errors, []);
    const skipped = assessment.notes.filter((n) => /Bicep file/.test(n.message));
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]!.message, /2 Bicep file\(s\) skipped.*a\.bicep, b\.bicep/);
    assert.equal(assessment.findings.filter((f) => f.status === 'fail').length, 1);
  });

  it('assay scan x.bicep prints one clear line and exits 2 when nothing else was scanned', async () => {
    const dir = project('only-bicep', { 'x.bicep': MAIN_BICEP }, {});
    const saved = { PATH: process.env.PATH, ASSAY_BICEP: process.env.ASSAY_BICEP };
    const write = process.stderr.write;
    let stderr = '';
    process.env.PATH = join(work, 'nowhere');
    delete process.env.ASSAY_BICEP;
    process.stderr.write = ((chunk: string) => {
      stderr += chunk;
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await runScan([join(dir, 'x.bicep')], { progress: false, save: false });
    } finally {
      process.stderr.write = write;
      process.env.PATH = saved.PATH;
      if (saved.ASSAY_BICEP !== undefined) process.env.ASSAY_BICEP = saved.ASSAY_BICEP;
    }
    assert.equal(code, 2);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 1, stderr);
    assert.match(
      lines[0]!,
      /x\.bicep: Bicep source, not assessed: no Bicep CLI found.*install the Bicep CLI.*bicep build/,
    );
  });
});
