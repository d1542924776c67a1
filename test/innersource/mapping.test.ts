/** Mapping files, CODEOWNERS owners, bot patterns and identity joining. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  buildMapping,
  loadMapping,
  MappingError,
  normaliseName,
  organisationOfDomain,
  parseCodeOwners,
  resolveOwner,
} from '../../src/innersource/mapping.ts';
import { botMatcher, loginFromEmail, resolvePeople } from '../../src/innersource/people.ts';
import { removeDir, tempDir } from './git.ts';

const work = tempDir();
after(() => removeDir(work));
const example = fileURLToPath(new URL('../../examples/innersource/mapping.yaml', import.meta.url));

describe('mapping file', () => {
  it('loads the bundled example', () => {
    const m = loadMapping(example);
    assert.deepEqual(
      m.teams.map((t) => t.name),
      ['payments', 'platform', 'core'],
    );
    assert.ok(m.teams[0].logins.has('alice-n'));
    assert.ok(m.teams[0].names.has('bob jones'));
    assert.equal(m.teams[1].organisation, 'Example Corp');
    assert.equal(m.repositories.get('ledger'), 'core');
    assert.equal(m.thresholds.crossTeamShare, 0.1);
  });

  it('names the file and line of a shape error and of a YAML error', () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'teams:\n  a: [x@example.com]\nrepositories:\n  svc: 12\n');
    assert.throws(
      () => loadMapping(bad),
      (e: unknown) => e instanceof MappingError && e.line === 4 && /repositories\.svc/.test(e.message),
    );
    writeFileSync(bad, 'teams: [unclosed\n');
    assert.throws(
      () => loadMapping(bad),
      (e: unknown) => e instanceof MappingError && e.line !== undefined,
    );
  });

  it('maps email domains to organisations, subdomains included', () => {
    const m = buildMapping({ organisations: { 'example.com': 'Example', 'eu.example.com': 'Example EU' } });
    assert.equal(organisationOfDomain(m, 'example.com'), 'Example');
    assert.equal(organisationOfDomain(m, 'dev.example.com'), 'Example');
    assert.equal(organisationOfDomain(m, 'x.eu.example.com'), 'Example EU');
    assert.equal(organisationOfDomain(m, 'other.org'), 'other.org');
  });

  it('normalises names for matching', () => {
    assert.equal(normaliseName('  José   Núñez-Ruiz '), 'jose nunez ruiz');
    assert.equal(normaliseName('O’Brien, Pat'), 'o brien pat');
  });
});

describe('owners from CODEOWNERS', () => {
  const m = buildMapping({ teams: { payments: ['@ann', 'ben@example.com'], web: ['@cat'] } });
  it('takes the last catch-all rule, as the last match wins', () => {
    const text =
      '# owners\n*       @example/web\n/docs/ @example/writers\n*       @example/payments @someone\n';
    assert.deepEqual(
      parseCodeOwners(text).map((r) => r.line),
      [2, 3, 4],
    );
    assert.deepEqual(resolveOwner(m, 'svc', { file: '.github/CODEOWNERS', text }), {
      team: 'payments',
      source: 'codeowners',
      file: '.github/CODEOWNERS',
      line: 4,
      known: true,
    });
  });
  it('resolves a user or an email through the mapping, and prefers the mapping file', () => {
    assert.equal(resolveOwner(m, 'svc', { file: 'CODEOWNERS', text: '* @cat\n' })?.team, 'web');
    assert.equal(
      resolveOwner(m, 'svc', { file: 'CODEOWNERS', text: '* ben@example.com\n' })?.team,
      'payments',
    );
    const withRepo = buildMapping({ teams: { web: ['@cat'] }, repositories: { svc: 'web' } });
    assert.equal(
      resolveOwner(withRepo, 'SVC', { file: 'CODEOWNERS', text: '* @x/payments\n' })?.source,
      'mapping',
    );
  });
  it('keeps an unknown team but says its members are unknown', () => {
    assert.deepEqual(resolveOwner(m, 'svc', { file: 'CODEOWNERS', text: '* @example/ops\n' })?.known, false);
    assert.equal(resolveOwner(m, 'svc', { file: 'CODEOWNERS', text: '# none\n' }), undefined);
  });
});

describe('bots and identities', () => {
  it('recognises the default bots and configured patterns', () => {
    const isBot = botMatcher(['ci-runner', '/^build-\\d+$/']);
    for (const b of [
      'dependabot[bot]',
      'github-actions[bot]',
      'renovate-bot',
      'Dependabot',
      'ci-runner',
      'build-42',
    ])
      assert.ok(isBot(b), b);
    for (const h of ['Alice', 'Robert Bottoms', 'build-team']) assert.ok(!isBot(h), h);
  });

  it('joins identities by email and normalised name, never through shared addresses or with bots', () => {
    const ids = [
      { name: 'Ann Lee', email: 'ann@example.com' },
      { name: 'ann lee', email: 'ann.lee@home.example' },
      { name: 'A. Lee', email: 'ANN@example.com' },
      { name: 'Sam', email: 'noreply@github.com' },
      { name: 'Kim', email: 'noreply@github.com' },
      { name: 'Ann Lee', email: 'ann-lee[bot]@users.noreply.github.com' },
      { name: 'Pat', email: '77+pat@users.noreply.github.com' },
    ];
    const { people, personOf } = resolvePeople(
      ids,
      [5, 1, 1, 1, 1, 1, 1],
      buildMapping({ teams: { t: ['@pat'] } }),
      botMatcher(),
    );
    assert.equal(personOf[0], personOf[1]);
    assert.equal(personOf[0], personOf[2]);
    assert.notEqual(personOf[3], personOf[4], 'a shared noreply address does not join people');
    assert.notEqual(personOf[5], personOf[0], 'a bot with the same name stays a bot');
    assert.equal(people[personOf[5]].bot, true);
    assert.equal(people[personOf[0]].bot, false);
    assert.equal(people[personOf[0]].name, 'Ann Lee');
    assert.equal(people[personOf[6]].team, 't', 'login from a GitHub private address');
    assert.equal(loginFromEmail('77+pat@users.noreply.github.com'), 'pat');
  });
});
