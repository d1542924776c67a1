/**
 * Issue 17: figures that must be true of the window and of the people in it. The release
 * check judges the repository as it was at the window's end; personal email domains are
 * not organisations and affiliations can change at a date; co-authors are contributors.
 */
import assert from 'node:assert/strict';
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { matchesDomain, PUBLIC_EMAIL_PROVIDERS } from '../../src/innersource/email-providers.ts';
import { LogParser } from '../../src/innersource/git/log.ts';
import {
  buildMapping,
  isIndependentDomain,
  loadMapping,
  type Mapping,
  MappingError,
} from '../../src/innersource/mapping.ts';
import { organisationCount } from '../../src/innersource/rollup.ts';
import { scanInnerSource } from '../../src/innersource/scan.ts';
import { MemoryHistoryState } from '../../src/innersource/state.ts';
import { commit, initRepo, removeDir, tag, tempDir } from './git.ts';

const work = tempDir();
after(() => removeDir(work));

describe('IS-ACT-001 at the end of the window (--until)', () => {
  const dir = join(work, 'released');
  initRepo(dir);
  commit(dir, { author: 'Ann <ann@corp.example>', date: '2023-12-01T10:00:00Z' });
  tag(dir, 'v1.0.0', '2024-01-10T10:00:00Z');
  commit(dir, { author: 'Ann <ann@corp.example>', date: '2024-09-01T10:00:00Z' });
  tag(dir, 'v2.0.0', '2024-09-02T10:00:00Z');

  const release = async (until: string) => {
    const r = await scanInnerSource([dir], {
      root: work,
      since: null,
      until: new Date(until),
      now: new Date('2025-03-01T00:00:00Z'),
    });
    const f = r.assessment.findings.find((x) => x.checkId === 'IS-ACT-001');
    assert.ok(f, 'IS-ACT-001 ran');
    return { finding: f, tags: r.repositories[0].tags };
  };

  it('ignores a tag made after the window and measures the age from the window end', async () => {
    const { finding, tags } = await release('2024-06-30T00:00:00Z');
    // v2.0.0 (2024-09-02) is after the window; v1.0.0 is 172 days before 2024-06-30.
    assert.equal(tags.latest?.name, 'v1.0.0');
    assert.equal(tags.count, 1);
    assert.equal(finding.status, 'pass');
    assert.equal((finding.evidence as { daysSinceTag: number }).daysSinceTag, 172);
  });

  it('fails when the only tag in the window is older than releaseDays at the window end', async () => {
    // 2024-08-01: v1.0.0 is 204 days old, v2.0.0 not made yet (not "-32 days old").
    const { finding, tags } = await release('2024-08-01T00:00:00Z');
    assert.equal(tags.latest?.name, 'v1.0.0');
    assert.equal(finding.status, 'fail');
    assert.equal((finding.evidence as { daysSinceTag: number }).daysSinceTag, 204);
  });

  it('counts a tag made on the last day of the window, and none before the first tag', async () => {
    const onDay = await release('2024-09-02T00:00:00Z');
    assert.equal(onDay.tags.latest?.name, 'v2.0.0');
    assert.equal(onDay.tags.latest?.at, Date.parse('2024-09-02T10:00:00Z') / 1000);
    const before = await release('2024-01-09T00:00:00Z');
    assert.equal(before.tags.count, 0);
    assert.equal(before.finding.status, 'fail');
  });
});

const SINCE = new Date('2024-01-01T00:00:00Z');
const UNTIL = new Date('2024-06-30T00:00:00Z');

async function scanOne(dir: string, mapping?: Mapping, until = UNTIL, people = false) {
  const r = await scanInnerSource([dir], {
    root: work,
    since: SINCE,
    until,
    people,
    ...(mapping ? { mapping } : {}),
  });
  assert.deepEqual(r.assessment.errors, []);
  return r;
}

describe('personal email domains are independents, not organisations', () => {
  // Gia (gmail) 3 commits, Gus (gmail) 2, Cora (corp.example) 1.
  const dir = join(work, 'express-like');
  initRepo(dir);
  for (const d of ['01', '02', '03'])
    commit(dir, { author: 'Gia <gia@gmail.com>', date: `2024-02-${d}T10:00:00Z` });
  for (const d of ['04', '05'])
    commit(dir, { author: 'Gus <gus@gmail.com>', date: `2024-02-${d}T10:00:00Z` });
  commit(dir, { author: 'Cora <cora@corp.example>', date: '2024-02-06T10:00:00Z' });

  it('counts one organisation and two independents; gmail.com is not an organisation', async () => {
    const r = await scanOne(dir);
    const h = r.repositories[0].history;
    assert.equal(h.organisations, 1);
    assert.equal(h.elephantFactor, 1);
    assert.equal(h.independentContributors, 2);
    assert.equal(h.independentContributions, 5);
    assert.equal(h.activeContributors, 3);
    const names = r.organisation.organisations.map((o) => o.name);
    assert.deepEqual(names, ['(independent)', 'corp.example']);
    assert.equal(r.organisation.organisations[0].contributors, 2);
    // Only corp.example is an organisation: the organisation-wide elephant factor is 1 of 1.
    assert.equal(r.organisation.elephantFactor, 1);
    assert.equal(organisationCount(r.organisation), 1);
  });

  it('lets the mapping claim a provider domain or add one', async () => {
    const claimed = await scanOne(dir, buildMapping({ organisations: { 'gmail.com': 'Gmail Team' } }));
    assert.equal(claimed.repositories[0].history.organisations, 2);
    assert.equal(claimed.repositories[0].history.independentContributors, 0);
    const added = await scanOne(dir, buildMapping({ independentDomains: ['corp.example'] }));
    assert.equal(added.repositories[0].history.organisations, 0);
    assert.equal(added.repositories[0].history.elephantFactor, null);
    assert.equal(added.repositories[0].history.independentContributors, 3);
  });

  it('switches a person’s organisation at an affiliation’s date', async () => {
    // Dan (gmail): 2 commits in January (independent), 3 in April (Acme from 2024-03-01).
    const moved = join(work, 'moved');
    initRepo(moved);
    for (const d of ['10', '11'])
      commit(moved, { author: 'Dan <dan@gmail.com>', date: `2024-01-${d}T10:00:00Z` });
    for (const d of ['10', '11', '12'])
      commit(moved, { author: 'Dan <dan@gmail.com>', date: `2024-04-${d}T10:00:00Z` });
    commit(moved, { author: 'Cora <cora@corp.example>', date: '2024-01-15T10:00:00Z' });
    commit(moved, { author: 'Cora <cora@corp.example>', date: '2024-04-15T10:00:00Z' });
    const file = join(work, 'affiliations.yaml');
    writeFileSync(
      file,
      [
        'organisations:',
        '  corp.example: Corp',
        'affiliations:',
        '  - member: dan@gmail.com',
        '    organisation: Acme',
        '    from: 2024-03-01',
        '',
      ].join('\n'),
    );
    const mapping = loadMapping(file);
    const whole = await scanOne(moved, mapping);
    const h = whole.repositories[0].history;
    // Acme 3, Corp 2 (of 5 organisational contributions): Acme alone is more than half.
    assert.equal(h.organisations, 2);
    assert.equal(h.elephantFactor, 1);
    assert.equal(h.independentContributors, 1);
    assert.equal(h.independentContributions, 2);
    assert.deepEqual(
      whole.organisation.organisations.map((o) => [o.name, o.commits]),
      [
        ['Acme', 5],
        ['Corp', 2],
      ],
    );
    // Before the affiliation's date Dan is independent, and Corp the only organisation.
    const early = await scanOne(moved, mapping, new Date('2024-02-15T00:00:00Z'));
    const e = early.repositories[0].history;
    assert.equal(e.organisations, 1);
    assert.equal(e.independentContributions, 2);
    assert.deepEqual(
      early.organisation.organisations.map((o) => o.name),
      ['(independent)', 'Corp'],
    );
  });

  it('ships a provider list with wildcards and validates the mapping', () => {
    for (const d of [
      'gmail.com',
      'gmx.de',
      'gmx.co.uk',
      'yahoo.co.jp',
      'yandex.ru',
      '123+x.users.noreply.github.com',
    ])
      assert.ok(matchesDomain(PUBLIC_EMAIL_PROVIDERS, d), d);
    for (const d of ['gmx.evil.example.com', 'corp.example', 'notgmail.com', 'gmx.'])
      assert.ok(!matchesDomain(PUBLIC_EMAIL_PROVIDERS, d), d);
    const m = buildMapping({ independentDomains: ['staff-mail.example', 'freemail.*'] });
    assert.ok(isIndependentDomain(m, 'staff-mail.example'));
    assert.ok(isIndependentDomain(m, 'freemail.net'));
    assert.ok(!isIndependentDomain(m, 'example.com'));
    const bad = join(work, 'bad-affiliation.yaml');
    writeFileSync(
      bad,
      'affiliations:\n  - member: a@x.example\n    organisation: X\n    from: 2024-05-01\n    until: 2024-01-01\n',
    );
    assert.throws(
      () => loadMapping(bad),
      (e: unknown) => e instanceof MappingError && /until/.test(e.message) && e.line !== undefined,
    );
    writeFileSync(bad, 'independentDomains: ["me@example.com"]\n');
    assert.throws(
      () => loadMapping(bad),
      (e: unknown) => e instanceof MappingError && e.line === 1,
    );
    writeFileSync(bad, 'affiliations:\n  - member: a@x.example\n    organisation: X\n    from: 2024-13-01\n');
    assert.throws(
      () => loadMapping(bad),
      (e: unknown) => e instanceof MappingError && e.line === 4,
    );
  });
});

describe('co-authors (Co-authored-by trailers) are contributors', () => {
  const dir = join(work, 'paired');
  initRepo(dir);
  commit(dir, {
    author: 'Ann <ann@corp.example>',
    date: '2024-03-01T10:00:00Z',
    message: [
      'Pair on the parser',
      '',
      'Worked out together.',
      '',
      'Co-authored-by: Bo <bo@corp.example>',
      'Co-authored-by: Cy <cy@other.example>',
      'Co-authored-by: Ann <ANN@corp.example>',
      'Signed-off-by: Ann <ann@corp.example>',
    ].join('\n'),
  });
  commit(dir, { author: 'Ann <ann@corp.example>', date: '2024-03-02T10:00:00Z' });

  it('counts co-authors with their kind in contributors and the factors', async () => {
    const r = await scanOne(dir, undefined, UNTIL, true);
    const h = r.repositories[0].history;
    assert.equal(h.commits, 2);
    assert.deepEqual(h.contributions, { authored: 2, coAuthored: 2 });
    assert.equal(h.activeContributors, 3);
    assert.deepEqual(h.contributorKinds, { author: 1, coAuthor: 2 });
    assert.equal(h.newContributors, 3);
    // Contributions: Ann 2, Bo 1, Cy 1. Ann's 2 of 4 is not more than half: factor 2.
    assert.equal(h.absenceFactor, 2);
    // corp.example 3, other.example 1.
    assert.equal(h.organisations, 2);
    assert.equal(h.elephantFactor, 1);
    assert.deepEqual(
      h.people?.map((p) => [p.name, p.commits, p.coAuthored]),
      [
        ['Ann', 2, 0],
        ['Bo', 0, 1],
        ['Cy', 0, 1],
      ],
    );
  });

  it('reads the trailers from the streamed log without the message', () => {
    const parser = new LogParser();
    const US = '\x1f';
    parser.push(
      Buffer.from(
        `a1\0\0${1_700_000_000}\0Ann\0ann@x.example\0Bo <bo@x.example>${US}no address${US}Bo <bo@x.example>\0\n1\t0\tf.txt\0` +
          `b2\0a1\0${1_700_000_100}\0Ann\0ann@x.example\0\0`,
      ),
    );
    const h = parser.end();
    assert.equal(h.commitsRead, 2);
    const bo = h.identities.findIndex((i) => i.email === 'bo@x.example');
    let credited = 0;
    h.forEachBucket((b) => {
      if (b.identity === bo) credited += b.coauthored;
    });
    assert.equal(credited, 1);
    assert.equal(h.identities.length, 2);
  });

  it('reads the whole history again when stored aggregates predate co-authors', async () => {
    const state = new MemoryHistoryState();
    await scanInnerSource([dir], { root: work, since: SINCE, until: UNTIL, state });
    const stored = await state.load(realpathSync(dir));
    assert.ok(stored);
    delete stored.history.coauthored;
    await state.save(stored);
    const again = await scanInnerSource([dir], { root: work, since: SINCE, until: UNTIL, state });
    assert.equal(again.repositories[0].scan.mode, 'full');
    assert.match(again.repositories[0].scan.reason ?? '', /co-author/);
    assert.deepEqual(again.repositories[0].history.contributions, { authored: 2, coAuthored: 2 });
  });
});
