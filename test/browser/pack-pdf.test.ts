import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '../../src/pack/manifest.ts';
import { runCli } from '../helpers/cli.ts';
import { SKIP } from './browser.ts';

const webApp = fileURLToPath(new URL('../../examples/azure/web-app', import.meta.url));

describe('assay pack with Chromium', { skip: SKIP }, () => {
  it('prints the findings report to PDF, lists it in the manifest, and verify passes', async () => {
    const work = mkdtempSync(join(tmpdir(), 'assay-pack-pdf-'));
    try {
      const pack = join(work, 'pack');
      const run = await runCli(
        ['pack', webApp, '--baseline', 'ism-protected', '-o', pack, '--no-save', '-q'],
        {
          cwd: work,
        },
      );
      assert.equal(run.code, 0, run.err);
      const manifest: Manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));
      assert.ok(manifest.files.some((f) => f.path === 'findings-report.pdf'));
      assert.deepEqual(manifest.skipped, []);
      assert.equal(
        readFileSync(join(pack, 'findings-report.pdf')).subarray(0, 5).toString('latin1'),
        '%PDF-',
      );
      const verify = await runCli(['pack', 'verify', pack]);
      assert.equal(verify.code, 0, verify.err);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
