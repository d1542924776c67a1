import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { azureChecks } from '../../src/azure/checks/index.ts';
import { scanAzure } from '../../src/azure/scan.ts';
import { DEPLOYMENT_SCHEMA, templateText } from '../helpers/arm.ts';

const PARAMETERS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';
const work = mkdtempSync(join(tmpdir(), 'assay-scan-paths-'));
after(() => rmSync(work, { recursive: true, force: true }));
const httpsCheck = azureChecks.filter((c) => c.meta.id === 'AZ-STORAGE-001');

/** A storage account whose HTTPS-only setting comes from parameter `https`. */
function storageTemplate(): string {
  return JSON.stringify(
    {
      $schema: DEPLOYMENT_SCHEMA,
      contentVersion: '1.0.0.0',
      parameters: { https: { type: 'bool' } },
      resources: [
        {
          type: 'Microsoft.Storage/storageAccounts',
          apiVersion: '2023-01-01',
          name: 'sa',
          location: 'australiaeast',
          kind: 'StorageV2',
          sku: { name: 'Standard_LRS' },
          properties: { supportsHttpsTrafficOnly: "[parameters('https')]" },
        },
      ],
    },
    null,
    2,
  );
}

function linkTo(path: string) {
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name: 'child',
    properties: {
      mode: 'Incremental',
      templateLink: { relativePath: path },
      parameters: { https: { value: false } },
    },
  };
}

describe('scan roots (--root defaults to each scanned path)', () => {
  const project = join(work, 'project');
  mkdirSync(join(project, 'modules'), { recursive: true });
  writeFileSync(join(project, 'main.json'), templateText([linkTo('modules/storage.json')]));
  writeFileSync(join(project, 'modules', 'storage.json'), storageTemplate());

  it('resolves relativePath links inside a scanned folder that is not the working folder', async () => {
    // The working folder (the repository) does not contain `project`: the old default root refused the link.
    const { assessment } = await scanAzure([project], { checks: httpsCheck });
    assert.deepEqual(assessment.errors, []);
    const failed = assessment.findings.filter((f) => f.status === 'fail');
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.location.file, /modules\/storage\.json$/);
  });

  it('takes the folder of a template named directly as its root', async () => {
    const { assessment } = await scanAzure([join(project, 'main.json')], { checks: httpsCheck });
    assert.deepEqual(assessment.errors, []);
    assert.equal(assessment.findings.filter((f) => f.status === 'fail').length, 1);
  });

  it('shows file paths relative to the working folder', async () => {
    const { assessment } = await scanAzure([project], { checks: httpsCheck });
    const shown = relative(process.cwd(), join(project, 'modules', 'storage.json'))
      .split('\\')
      .join('/');
    const expected = shown.startsWith('..') ? join(project, 'modules', 'storage.json') : shown;
    assert.equal(assessment.findings[0]?.location.file, expected);
  });

  it('names the root when a link really leaves it', async () => {
    const sub = join(work, 'leaves');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'main.json'), templateText([linkTo('../project/modules/storage.json')]));
    const { assessment } = await scanAzure([sub], { checks: httpsCheck });
    const error = assessment.errors.find((e) => e.code === 'linked-template-outside-root');
    assert.ok(error, 'the link outside the scanned folder is an input error');
    assert.match(error.message, /scan root '[^']*leaves'/);
    // An explicit --root that contains both folders lets the link through.
    const wide = await scanAzure([sub], { root: work, checks: httpsCheck });
    assert.deepEqual(wide.assessment.errors, []);
    assert.equal(wide.assessment.findings.filter((f) => f.status === 'fail').length, 1);
  });
});

describe('parameter files beside a template named directly', () => {
  const dir = join(work, 'params');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.json'), storageTemplate());
  const parameters = (https: boolean) =>
    JSON.stringify({
      $schema: PARAMETERS_SCHEMA,
      contentVersion: '1.0.0.0',
      parameters: { https: { value: https } },
    });
  writeFileSync(join(dir, 'main.parameters.json'), parameters(false));
  writeFileSync(join(dir, 'other.parameters.json'), parameters(true));

  it('uses <name>.parameters.json when the template is named on the command line', async () => {
    const { assessment } = await scanAzure([join(dir, 'main.json')], { root: dir, checks: httpsCheck });
    assert.deepEqual(assessment.errors, []);
    assert.deepEqual(
      assessment.findings.map((f) => f.status),
      ['fail'],
    );
    assert.ok(
      assessment.inputs.some((i) => i.file === 'main.parameters.json' && i.kind === 'arm-parameters'),
    );
  });

  it('still applies a parameter file named explicitly, after the paired one', async () => {
    const named = await scanAzure([join(dir, 'main.json'), join(dir, 'main.parameters.json')], {
      root: dir,
      checks: httpsCheck,
    });
    assert.deepEqual(
      named.assessment.findings.map((f) => f.status),
      ['fail'],
    );
    const overridden = await scanAzure([join(dir, 'main.json')], {
      root: dir,
      checks: httpsCheck,
      parameterFiles: [join(dir, 'other.parameters.json')],
    });
    assert.deepEqual(
      overridden.assessment.findings.map((f) => f.status),
      ['pass'],
    );
  });
});
