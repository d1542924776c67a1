import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { azureChecks } from '../../src/azure/checks/index.ts';
import { scanAzure } from '../../src/azure/scan.ts';
import { templateText } from '../helpers/arm.ts';

// A pull request can try to hide a template from the scan by making it look "linked".
// Every template under the scanned folder must still be assessed.

const work = mkdtempSync(join(tmpdir(), 'assay-hidden-'));
after(() => rmSync(work, { recursive: true, force: true }));
const httpsCheck = azureChecks.filter((c) => c.meta.id === 'AZ-STORAGE-001');

const insecureStorage = {
  type: 'Microsoft.Storage/storageAccounts',
  apiVersion: '2023-01-01',
  name: 'hidden',
  location: 'australiaeast',
  kind: 'StorageV2',
  sku: { name: 'Standard_LRS' },
  properties: { supportsHttpsTrafficOnly: false },
};

function link(path: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name: `to-${path.replace(/\W/g, '-')}`,
    ...extra,
    properties: { mode: 'Incremental', templateLink: { relativePath: path } },
  };
}

/** Writes the files into a fresh folder and scans it. */
async function scanFolder(name: string, files: Record<string, string>) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return (await scanAzure([dir], { root: dir, checks: httpsCheck })).assessment;
}

describe('templates hidden from the scan', () => {
  it('assesses a template that links itself, and reports the cycle', async () => {
    const a = await scanFolder('self', {
      'self.json': templateText([insecureStorage, link('self.json')]),
    });
    const failed = a.findings.filter((f) => f.status === 'fail');
    assert.deepEqual(
      failed.map((f) => f.location.file),
      ['self.json'],
    );
    const cycle = a.errors.find((e) => e.code === 'linked-template-cycle');
    assert.ok(cycle, 'the self-link is an input error');
    assert.match(cycle.message, /self\.json -> self\.json/);
    assert.equal(cycle.file, 'self.json');
  });

  it('assesses two templates that link each other, and names the cycle in order', async () => {
    const a = await scanFolder('pair', {
      'a.json': templateText([insecureStorage, link('b.json')]),
      'b.json': templateText([{ ...insecureStorage, name: 'other' }, link('a.json')]),
    });
    const failedFiles = a.findings.filter((f) => f.status === 'fail').map((f) => f.location.file);
    assert.ok(failedFiles.includes('a.json'), `a.json assessed: ${failedFiles.join(', ')}`);
    assert.ok(failedFiles.includes('b.json'), `b.json assessed: ${failedFiles.join(', ')}`);
    const cycle = a.errors.find((e) => e.code === 'linked-template-cycle');
    assert.ok(cycle, 'the mutual link is an input error');
    assert.match(cycle.message, /a\.json -> b\.json -> a\.json/);
  });

  it('assesses a template linked only by a condition-false deployment, standalone', async () => {
    const a = await scanFolder('condition', {
      'main.json': templateText([link('hidden.json', { condition: false })]),
      'hidden.json': templateText([insecureStorage]),
    });
    assert.deepEqual(a.errors, []);
    const failed = a.findings.filter((f) => f.status === 'fail');
    assert.deepEqual(
      failed.map((f) => f.location.file),
      ['hidden.json'],
    );
    assert.ok(
      a.notes.some((n) => n.file === 'hidden.json' && /assessed standalone/.test(n.message)),
      'the standalone scan of the target says why',
    );
  });

  it('still assesses a template through its parent once, when the parent expands it', async () => {
    const a = await scanFolder('reached', {
      'main.json': templateText([link('child.json')]),
      'child.json': templateText([insecureStorage]),
    });
    assert.deepEqual(a.errors, []);
    assert.equal(a.findings.filter((f) => f.status === 'fail').length, 1);
  });

  it('gives a relativePath that names a folder its own error code', async () => {
    const a = await scanFolder('folder-link', {
      'main.json': templateText([link('.')]),
    });
    assert.equal(a.errors.length, 1);
    assert.equal(a.errors[0]?.code, 'linked-template-not-a-file');
    assert.match(a.errors[0]!.message, /names a folder/);
  });
});
