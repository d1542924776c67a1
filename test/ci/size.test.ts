/** scripts/size.ts: a package is counted by its own files, its nested node_modules apart. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { directorySize, installSize } from '../../scripts/size.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-size-'));
after(() => rmSync(work, { recursive: true, force: true }));

function file(path: string, bytes: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x'.repeat(bytes));
}

describe('scripts/size.ts', () => {
  const modules = join(work, 'node_modules');
  const a = join(modules, 'a');
  const nested = join(a, 'node_modules', '@scope', 'b');
  file(join(a, 'index.js'), 100);
  file(join(a, 'lib', 'deep.js'), 50);
  file(join(nested, 'index.js'), 1000);
  symlinkSync(join(a, 'index.js'), join(a, 'link.js'));

  it('counts files under a folder, leaving out nested node_modules and symlinks', () => {
    assert.deepEqual(directorySize(a), { bytes: 150, files: 2 });
    assert.deepEqual(directorySize(a, ''), { bytes: 1150, files: 3 });
  });

  it('adds up the packages once each and names the heaviest by their path under node_modules', () => {
    const size = installSize([a, nested], 1);
    assert.equal(size.packages, 2);
    assert.equal(size.bytes, 1150);
    assert.equal(size.files, 3);
    assert.deepEqual(size.largest, [{ name: 'a/node_modules/@scope/b', bytes: 1000 }]);
  });
});
