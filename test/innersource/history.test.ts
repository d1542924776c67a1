/**
 * History metrics on a real repository built with chosen authors and dates: every metric
 * of issue 5 item 3, a .mailmap merge, a bot filtered out and a cross-team share from a
 * mapping file. The expected figures are worked out by hand in the comments.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildMapping, loadMapping } from '../../src/innersource/mapping.ts';
import { type InnerSourceReport, scanInnerSource } from '../../src/innersource/scan.ts';
import { commit, git, initRepo, removeDir, tag, tempDir } from './git.ts';

const work = tempDir();
after(() => removeDir(work));

const ALICE = 'Alice Ng <alice@example.com>';
const ALICE_ALIAS = 'A. Ng <ang@example.com>';
const BOB = 'Bob Jones <bob@example.com>';
const CAROL = 'Carol Diaz <carol@partner.example>';
const JOSE = 'José Núñez <jose@example.com>';
const JOSE_NOREPLY = 'Jose Nunez <1234+jnunez@users.noreply.github.com>';
const DEPENDABOT = 'dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>';
const CI = 'ci-runner <ci@example.com>';

export const MAPPING = {
  teams: {
    payments: ['alice@example.com', 'Bob Jones'],
    platform: { members: ['carol@partner.example', 'jose@example.com'] },
  },
  organisations: { 'example.com': 'Example Corp', 'partner.example': 'Partner Ltd' },
  repositories: { 'payments-api': 'payments' },
  bots: ['ci-runner'],
};

/**
 * Window 2024-01-01..2024-06-30 (182 days, 26 weeks). In it, by people: Alice 6 (January),
 * Bob 3 (February), Carol 2 (May, on a branch merged by Bob), José 2 (June, under two
 * identities joined by normalised name). Before it: Alice as "A. Ng" (mapped by .mailmap)
 * in 2023-06 and Bob in 2023-09. Bots: dependabot 2, ci-runner 1 (a mapping bot pattern).
 */
function buildRepo(dir: string): void {
  initRepo(dir);
  commit(dir, {
    author: ALICE_ALIAS,
    date: '2023-06-01T09:00:00Z',
    files: { '.mailmap': 'Alice Ng <alice@example.com> A. Ng <ang@example.com>\n', 'log.txt': 'start\n' },
  });
  commit(dir, { author: BOB, date: '2023-09-01T09:00:00Z', files: { 'README.md': '# payments\n' } });
  // Alice: 6 commits in January, each +1 line in 1 file.
  for (let d = 2; d <= 7; d++) commit(dir, { author: ALICE, date: `2024-01-0${d}T10:00:00Z` });
  // Bob: 3 in February.
  for (const d of ['05', '12', '19']) commit(dir, { author: BOB, date: `2024-02-${d}T10:00:00Z` });
  // Bots: 2 dependabot commits and 1 ci-runner commit changing package.json (excluded everywhere).
  commit(dir, {
    author: DEPENDABOT,
    date: '2024-03-01T10:00:00Z',
    files: { 'package.json': '{\n"a": 1\n}\n' },
  });
  commit(dir, {
    author: DEPENDABOT,
    date: '2024-03-08T10:00:00Z',
    files: { 'package.json': '{\n"a": 2\n}\n' },
  });
  commit(dir, { author: CI, date: '2024-03-09T10:00:00Z', files: { 'build.txt': 'x\ny\n' } });
  // Carol on a branch: +10 lines in feature.ts, then +1 in log.txt; Bob merges it (a merge commit).
  git(dir, ['checkout', '-q', '-b', 'feature']);
  commit(dir, {
    author: CAROL,
    date: '2024-05-02T10:00:00Z',
    files: {
      'feature.ts': Array.from({ length: 10 }, (_, i) => `line ${i}`)
        .join('\n')
        .concat('\n'),
    },
  });
  commit(dir, { author: CAROL, date: '2024-05-03T10:00:00Z' });
  git(dir, ['checkout', '-q', 'main']);
  git(dir, ['merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature'], {
    GIT_AUTHOR_NAME: 'Bob Jones',
    GIT_AUTHOR_EMAIL: 'bob@example.com',
    GIT_AUTHOR_DATE: '2024-05-15T10:00:00Z',
    GIT_COMMITTER_NAME: 'Bob Jones',
    GIT_COMMITTER_EMAIL: 'bob@example.com',
    GIT_COMMITTER_DATE: '2024-05-15T10:00:00Z',
  });
  // José: adds a 3-line file, then (under his GitHub identity) deletes it: +3, then -3.
  commit(dir, { author: JOSE, date: '2024-06-10T10:00:00Z', files: { 'tmp.txt': 'a\nb\nc\n' } });
  commit(dir, { author: JOSE_NOREPLY, date: '2024-06-20T10:00:00Z', files: { 'tmp.txt': null } });
  tag(dir, 'v1.0.0', '2024-06-21T10:00:00Z');
}

const repo = join(work, 'payments-api');
const SINCE = new Date('2024-01-01T00:00:00Z');
const UNTIL = new Date('2024-06-30T00:00:00Z');
let report: InnerSourceReport;

before(async () => {
  buildRepo(repo);
  // The mapping comes from a file, as `assay innersource scan -m` reads it.
  const mappingFile = join(work, 'mapping.json');
  writeFileSync(mappingFile, JSON.stringify(MAPPING, null, 2));
  report = await scanInnerSource([repo], {
    root: work,
    mapping: loadMapping(mappingFile),
    since: SINCE,
    until: UNTIL,
    people: true,
  });
});

describe('history metrics on a real repository', () => {
  it('reads every commit in one pass and reports the count', () => {
    const r = report.repositories[0];
    // 2 old + 6 + 3 + 3 bots + 2 Carol + 1 merge + 2 José = 19
    assert.equal(r.scan.commitsRead, 19);
    assert.equal(r.scan.mode, 'full');
    assert.equal(report.assessment.errors.length, 0, JSON.stringify(report.assessment.errors));
  });

  it('counts commits by people, merges and bot commits apart', () => {
    const h = report.repositories[0].history;
    assert.equal(h.commits, 13, '6 Alice + 3 Bob + 2 Carol + 2 José');
    assert.equal(h.merges, 1);
    assert.equal(h.botCommits, 3, 'dependabot twice and ci-runner (a mapping bot pattern) once');
  });

  it('counts active and new contributors, joining identities by .mailmap and by normalised name', () => {
    const h = report.repositories[0].history;
    assert.equal(h.activeContributors, 4, 'Alice, Bob, Carol, José (two identities, one person)');
    // Alice's first commit was as "A. Ng" in 2023, which .mailmap maps to her: she is not new.
    assert.equal(h.newContributors, 2, 'Carol and José');
    const people = h.people ?? [];
    assert.deepEqual(
      people.map((p) => [p.name, p.commits, p.firstCommit]),
      [
        ['Alice Ng', 6, '2023-06-01'],
        ['Bob Jones', 3, '2023-09-01'],
        ['Carol Diaz', 2, '2024-05-02'],
        ['José Núñez', 2, '2024-06-10'],
      ],
    );
    assert.ok(!people.some((p) => /bot|ci-runner/i.test(p.name)), 'no bot among the people');
  });

  it('computes the contributor absence factor and the elephant factor (CHAOSS)', () => {
    const h = report.repositories[0].history;
    // 6, 3, 2, 2 of 13: 6 is not more than 6.5, 6 + 3 is.
    assert.equal(h.absenceFactor, 2);
    // Example Corp 11 (Alice, Bob, José), Partner Ltd 2 (Carol): 11 > 6.5.
    assert.equal(h.elephantFactor, 1);
    assert.equal(h.organisations, 2);
  });

  it('computes the cross-team share from the mapping file', () => {
    const c = report.repositories[0].history.crossTeam;
    assert.ok(c);
    assert.equal(c.owner, 'payments');
    assert.equal(c.commits, 4, 'Carol 2 + José 2 are in platform');
    assert.equal(c.share, Math.round((4 / 13) * 10000) / 10000);
    assert.equal(c.authors, 2);
    assert.equal(c.authorShare, 0.5);
    assert.equal(c.unmappedCommits, 0);
    assert.equal(report.repositories[0].owner?.source, 'mapping');
  });

  it('counts files and lines churned by people', () => {
    const h = report.repositories[0].history;
    // Alice 6 x +1, Bob 3 x +1, Carol +10 and +1, José +3 then -3.
    assert.equal(h.linesAdded, 23);
    assert.equal(h.linesDeleted, 3);
    assert.equal(h.filesChanged, 13);
  });

  it('computes cadence, its trend and the time since the last activity', () => {
    const h = report.repositories[0].history;
    assert.equal(h.window.days, 182);
    assert.equal(h.cadence.weeks, 26);
    assert.equal(h.cadence.firstHalf, 9, 'January and February');
    assert.equal(h.cadence.secondHalf, 4, 'May and June');
    assert.equal(h.cadence.trend, 'falling');
    assert.equal(h.cadence.commitsPerWeek, 0.5);
    assert.ok(h.cadence.slope < 0);
    assert.equal(h.lastActivity, '2024-06-20');
    assert.equal(h.daysSinceLastActivity, 10);
    assert.equal(h.firstActivity, '2023-06-01');
  });

  it('reads the latest tag', () => {
    const t = report.repositories[0].tags;
    assert.equal(t.count, 1);
    assert.equal(t.latest?.name, 'v1.0.0');
  });

  it('keeps per-person figures out unless asked (--people)', async () => {
    const plain = await scanInnerSource([repo], {
      root: work,
      mapping: buildMapping(MAPPING),
      since: SINCE,
      until: UNTIL,
    });
    assert.equal(plain.repositories[0].history.people, undefined);
    assert.equal(plain.people, false);
    assert.doesNotMatch(
      JSON.stringify(plain),
      /alice@example\.com|Alice Ng/,
      'no names or emails in the default report',
    );
  });

  it('gives the same metrics for a bare clone, with .mailmap read from HEAD', async () => {
    const bare = join(work, 'bare', 'payments-api.git');
    git(work, ['clone', '-q', '--bare', repo, bare]);
    const r = await scanInnerSource([bare], {
      root: work,
      mapping: buildMapping(MAPPING),
      since: SINCE,
      until: UNTIL,
      people: true,
    });
    assert.equal(r.repositories[0].name, 'payments-api');
    assert.equal(r.repositories[0].scan.bare, true);
    const { people: a, ...restA } = r.repositories[0].history;
    const { people: b, ...restB } = report.repositories[0].history;
    assert.deepEqual(restA, restB);
    assert.deepEqual(a, b, 'the mailmap merge also holds in the bare clone');
  });

  it('without the mailmap the alias stays a separate person', async () => {
    const copy = join(work, 'no-mailmap');
    git(work, ['clone', '-q', repo, copy]);
    writeFileSync(join(copy, '.mailmap'), '');
    const r = await scanInnerSource([copy], {
      root: work,
      mapping: buildMapping(MAPPING),
      since: SINCE,
      until: UNTIL,
      people: true,
    });
    const names = (r.repositories[0].history.people ?? []).map((p) => p.name);
    assert.ok(names.includes('Alice Ng'));
    assert.equal(r.repositories[0].history.newContributors, 3, 'Alice now looks new too');
  });
});
