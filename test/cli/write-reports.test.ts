import assert from 'node:assert/strict';
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import { OutputWriteError, writeChunksAtomic, writeFileAtomic } from '../../src/cli/atomic-write.ts';
import { runScan } from '../../src/cli/scan.ts';
import { openHistory } from '../../src/cli/store-options.ts';
import { writeReports } from '../../src/cli/write-reports.ts';
import { templateText } from '../helpers/arm.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-write-reports-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A formatter that fails after it has produced part of its document. */
function* failingMidway(): Generator<string> {
  yield '{\n  "partial": ';
  yield 'true';
  throw new RangeError('Invalid string length');
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const parts: string[] = [];
  stream.on('data', (b: Buffer) => parts.push(b.toString('utf8')));
  return { stream, text: () => parts.join('') };
}

describe('atomic writes', () => {
  it('a write that fails midway keeps the earlier file and leaves no temporary or empty file', async () => {
    const folder = mkdtempSync(join(dir, 'midway-'));
    const file = join(folder, 'report.json');
    writeFileSync(file, 'earlier report\n');
    await assert.rejects(writeChunksAtomic(file, failingMidway()), (err: unknown) => {
      assert.ok(err instanceof OutputWriteError);
      assert.equal(err.message, `could not write ${file}: Invalid string length`);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), 'earlier report\n');
    assert.deepEqual(readdirSync(folder), ['report.json']);
  });

  it('a file that cannot be created gives one line naming it and the reason', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const file = join(blocker, 'report.txt');
    assert.throws(
      () => writeFileAtomic(file, 'text'),
      (err: unknown) =>
        err instanceof OutputWriteError &&
        err.message.startsWith(`could not write ${file}: `) &&
        /ENOTDIR|EEXIST/.test(err.message) &&
        !err.message.includes('\n'),
    );
  });

  it('writes through a symlink to its file, and the link stays a link', async () => {
    const folder = mkdtempSync(join(dir, 'link-'));
    const real = join(folder, 'real.txt');
    const link = join(folder, 'link.txt');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    await writeChunksAtomic(link, ['through the link']);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(real, 'utf8'), 'through the link\n');
  });

  it('a complete write replaces the file', async () => {
    const file = join(dir, 'whole.txt');
    writeFileSync(file, 'old');
    await writeChunksAtomic(file, ['new ', 'text']);
    assert.equal(readFileSync(file, 'utf8'), 'new text\n');
  });
});

describe('writeReports', () => {
  it('one failing report does not stop the others; each failure names the report and why', async () => {
    const folder = mkdtempSync(join(dir, 'reports-'));
    const good = join(folder, 'good.txt');
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, 'earlier\n');
    const unwritable = join(folder, 'good.txt', 'nested.sarif');
    const out = capture();
    const err = capture();
    const failures = await writeReports(
      [
        { format: 'json', output: broken, pieces: failingMidway },
        { format: 'table', output: good, pieces: () => ['line 1\n', 'line 2'] },
        { format: 'sarif', output: unwritable, pieces: () => ['{}'] },
        { format: 'markdown', output: undefined, pieces: () => ['# to stdout'] },
      ],
      out.stream,
      err.stream,
    );
    assert.deepEqual(
      failures.map((f) => [f.format, f.output]),
      [
        ['json', broken],
        ['sarif', unwritable],
      ],
    );
    assert.equal(readFileSync(good, 'utf8'), 'line 1\nline 2\n');
    assert.equal(readFileSync(broken, 'utf8'), 'earlier\n');
    assert.equal(out.text(), '# to stdout\n');
    assert.match(err.text(), /the json report was not written to .*broken\.json: Invalid string length/);
    assert.match(err.text(), /the sarif report was not written to .*nested\.sarif: (ENOTDIR|EEXIST)/);
    assert.deepEqual(readdirSync(folder).sort(), ['broken.json', 'good.txt']);
  });

  it('scan: an unwritable --report is named, the other reports are written and the run is saved', async () => {
    const folder = mkdtempSync(join(dir, 'scan-'));
    const template = join(folder, 'main.json');
    writeFileSync(
      template,
      templateText([
        {
          type: 'Microsoft.Storage/storageAccounts',
          apiVersion: '2023-01-01',
          name: 'st1',
          properties: { supportsHttpsTrafficOnly: false },
        },
      ]),
    );
    const blocker = join(folder, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const store = join(folder, 'history.duckdb');
    const code = await runScan([template], {
      progress: false,
      output: join(folder, 'out.txt'),
      report: [`sarif=${join(blocker, 'r.sarif')}`, `json=${join(folder, 'r.json')}`],
      save: true,
      store,
      root: folder,
    });
    assert.equal(code, 2);
    assert.match(readFileSync(join(folder, 'out.txt'), 'utf8'), /Score:/);
    assert.match(readFileSync(join(folder, 'r.json'), 'utf8'), /"findings": \[/);
    const history = await openHistory(store, true);
    try {
      assert.equal((await history.listRuns()).length, 1);
    } finally {
      await history.close();
    }
  });
});
