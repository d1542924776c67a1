/**
 * The streaming `git log` parser: the same aggregate whatever the chunk boundaries, binary
 * files, merges, empty commits, renames, names with tabs and non-ASCII, and the arguments
 * that keep the user's git config out of the numbers.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeText, LogParser, logArgs, readHistory } from '../../src/innersource/git/log.ts';
import { gitEnv } from '../../src/innersource/git/run.ts';
import { commit, git, initRepo, removeDir, tempDir } from './git.ts';

const work = tempDir();
after(() => removeDir(work));
const dir = join(work, 'r');
let plain: Buffer;
let renamed: Buffer;

function rawLog(renames: boolean): Buffer {
  return execFileSync('git', logArgs({ range: 'HEAD', renames }), {
    cwd: dir,
    env: gitEnv(dir),
    maxBuffer: 1 << 26,
  });
}

before(() => {
  initRepo(dir);
  commit(dir, {
    author: 'Zoë Tab\tName <z@example.com>',
    date: '2024-01-01T00:00:00Z',
    files: { 'a.txt': '1\n2\n3\n', 'bin.dat': '\0\x01\x02' },
  });
  commit(dir, {
    author: 'Ann <ann@example.com>',
    date: '2024-01-02T00:00:00Z',
    files: { 'a.txt': '1\n2\n', 'dir with space/b	tab.txt': 'x\n' },
  });
  commit(dir, { author: 'Ann <ann@example.com>', date: '2024-01-03T00:00:00Z', files: {} });
  git(dir, ['checkout', '-q', '-b', 'side']);
  commit(dir, { author: 'Ben <ben@example.com>', date: '2024-01-04T00:00:00Z', files: { 'c.txt': 'c\n' } });
  git(dir, ['checkout', '-q', 'main']);
  git(dir, ['merge', '-q', '--no-ff', '-m', 'merge', 'side'], {
    GIT_AUTHOR_NAME: 'Ann',
    GIT_AUTHOR_EMAIL: 'ann@example.com',
    GIT_AUTHOR_DATE: '2024-01-05T00:00:00Z',
    GIT_COMMITTER_NAME: 'Ann',
    GIT_COMMITTER_EMAIL: 'ann@example.com',
    GIT_COMMITTER_DATE: '2024-01-05T00:00:00Z',
  });
  commit(dir, {
    author: 'Ben <ben@example.com>',
    date: '2024-01-06T00:00:00Z',
    files: { 'a.txt': null, 'moved/a.txt': '1\n2\n' },
  });
  plain = rawLog(false);
  renamed = rawLog(true);
});

function parse(chunks: Buffer[]) {
  const p = new LogParser();
  for (const c of chunks) p.push(c);
  return p.end().toJSON();
}

describe('LogParser', () => {
  it('aggregates commits, merges, lines and files per identity and day', () => {
    const h = parse([plain]);
    assert.equal(h.commitsRead, 6);
    assert.deepEqual(h.identities.map((i) => i[0]).sort(), ['Ann', 'Ben', 'Zoë Tab\tName']);
    const total = (col: number[]) => col.reduce((a, b) => a + b, 0);
    assert.equal(total(h.commits), 5, 'the merge is counted apart');
    assert.equal(total(h.merges), 1);
    // +3 a.txt, binary (0); -1 a.txt, +1 b; empty; +1 c; merge (no diff); -2 a.txt, +2 moved/a.txt
    assert.equal(total(h.added), 3 + 1 + 1 + 2);
    assert.equal(total(h.deleted), 1 + 2);
    assert.equal(total(h.files), 2 + 2 + 0 + 1 + 0 + 2);
    assert.equal(h.firstAt, Date.parse('2024-01-01T00:00:00Z') / 1000);
    assert.equal(h.lastAt, Date.parse('2024-01-06T00:00:00Z') / 1000);
  });

  it('gives the same aggregate at every chunk boundary', () => {
    const whole = JSON.stringify(parse([plain]));
    for (let i = 1; i < plain.length; i++)
      assert.equal(JSON.stringify(parse([plain.subarray(0, i), plain.subarray(i)])), whole, `split at ${i}`);
    const bytes = Array.from({ length: plain.length }, (_, i) => plain.subarray(i, i + 1));
    assert.equal(JSON.stringify(parse(bytes)), whole, 'one byte at a time');
  });

  it('counts a rename once when renames are detected', () => {
    const h = parse([renamed]);
    const total = (col: number[]) => col.reduce((a, b) => a + b, 0);
    assert.equal(h.commitsRead, 6);
    assert.equal(total(h.files), 2 + 2 + 0 + 1 + 0 + 1, 'the move is one file change');
    for (let i = 1; i < renamed.length; i += 7)
      assert.deepEqual(parse([renamed.subarray(0, i), renamed.subarray(i)]), h);
  });

  it('runs one git log with NUL separators, numstat, rename detection and no external drivers', () => {
    const args = logArgs({ range: 'HEAD', bare: true });
    assert.deepEqual(args.slice(0, 2), ['-c', 'mailmap.blob=HEAD:.mailmap']);
    for (const a of ['log', '-z', '--numstat', '-M', '--no-ext-diff', '--no-textconv', '--no-color'])
      assert.ok(args.includes(a), a);
    assert.ok(args.some((a) => a.startsWith('--format=') && a.includes('%aN') && a.includes('%aE')));
    assert.ok(!args.includes('--no-renames'), 'renames are detected by default, as git log does');
    assert.ok(
      !args.some((a) => a.startsWith('--encoding')),
      'names are decoded by the reader, not re-encoded by git',
    );
    const off = logArgs({ range: 'HEAD', renames: false });
    assert.ok(off.includes('--no-renames') && !off.includes('-M'));
    const list = logArgs({ range: ['aaa', 'bbb', '^ccc'] });
    assert.deepEqual(list.slice(-4), ['aaa', 'bbb', '^ccc', '--']);
  });
});

describe('decodeText', () => {
  const at = (b: Buffer) => decodeText(b, 0, b.length);
  it('reads ASCII, UTF-8, and legacy Latin-1 bytes without replacement characters', () => {
    assert.equal(at(Buffer.from('Ann <ann@example.com>')), 'Ann <ann@example.com>');
    assert.equal(at(Buffer.from('Zoë Łukasz 山田', 'utf8')), 'Zoë Łukasz 山田');
    assert.equal(at(Buffer.from([0x4a, 0x6f, 0x73, 0xe9])), 'José');
    assert.equal(decodeText(Buffer.from('xxJoséyy'), 2, 7), 'José');
  });

  it('reads a commit whose author name is Latin-1 with no encoding header, and a Latin-1 log output encoding', async () => {
    const legacy = join(work, 'legacy');
    initRepo(legacy);
    commit(legacy, { author: 'Ann <ann@example.com>', date: '2024-01-01T00:00:00Z' });
    const tree = git(legacy, ['rev-parse', 'HEAD^{tree}']).trim();
    const parent = git(legacy, ['rev-parse', 'HEAD']).trim();
    const body = Buffer.concat([
      Buffer.from(`tree ${tree}\nparent ${parent}\nauthor Jos`),
      Buffer.from([0xe9]),
      Buffer.from(
        ' <jose@example.com> 1704153600 +0000\ncommitter C <c@example.com> 1704153600 +0000\n\nlegacy\n',
      ),
    ]);
    const id = git(legacy, ['hash-object', '-t', 'commit', '-w', '--stdin'], {}, body).trim();
    git(legacy, ['update-ref', 'refs/heads/main', id]);
    const names = async () =>
      (await readHistory(legacy, { range: 'HEAD' }))
        .toJSON()
        .identities.map((i) => i[0])
        .sort();
    assert.deepEqual(await names(), ['Ann', 'José']);
    // A repository that asks git for Latin-1 output still gives the same names.
    git(legacy, ['config', 'i18n.logOutputEncoding', 'ISO-8859-1']);
    git(legacy, ['commit', '-q', '--allow-empty', '-m', 'more'], {
      GIT_AUTHOR_NAME: 'Zoë',
      GIT_AUTHOR_EMAIL: 'zoe@example.com',
      GIT_COMMITTER_NAME: 'C',
      GIT_COMMITTER_EMAIL: 'c@example.com',
    });
    assert.deepEqual(await names(), ['Ann', 'José', 'Zoë']);
  });
});
