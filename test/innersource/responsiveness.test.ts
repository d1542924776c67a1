/**
 * Responsiveness from pull-request exports. The GitHub fixture is written in the REST API's
 * JSON shape; the test computes the time-to-first-response median and the acceptance ratio
 * itself, straight from the JSON, and compares them with the scanner's figures.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildMapping } from '../../src/innersource/mapping.ts';
import { type InnerSourceReport, scanInnerSource } from '../../src/innersource/scan.ts';
import { commitDaily, initRepo, removeDir, tempDir } from './git.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const work = tempDir();
after(() => removeDir(work));

const mapping = buildMapping({
  teams: {
    payments: ['@alice-n', '@bob-j', 'alice@example.com', 'bob@example.com'],
    platform: ['@carol-p', '@jnunez'],
    core: ['ann@example.com', 'ben@example.com'],
  },
  repositories: { 'payments-api': 'payments', ledger: 'core' },
});
const window = { since: new Date('2024-01-01T00:00:00Z'), until: new Date('2024-06-30T00:00:00Z') };

interface Json {
  [k: string]: unknown;
}
const read = (p: string): Json[] =>
  JSON.parse(readFileSync(join(fixtures, 'github', 'payments-api', p), 'utf8'));

/** The CHAOSS definition, written out plainly over the raw API JSON. */
function independentFirstResponseMedianHours(): number {
  const pulls = read('pulls.json');
  const isBot = (u: Json) => u.type === 'Bot' || String(u.login).includes('[bot]');
  const inWindow = (t: string) => t >= '2024-01-01' && t < '2024-07-01';
  const events = new Map<number, { login: string; bot: boolean; at: string }[]>();
  const push = (n: number, u: Json, at: string) => {
    const list = events.get(n) ?? [];
    list.push({ login: String(u.login), bot: isBot(u), at });
    events.set(n, list);
  };
  for (const f of readdirSync(join(fixtures, 'github', 'payments-api', 'reviews'))) {
    for (const r of read(join('reviews', f)))
      if (r.state !== 'PENDING') push(Number.parseInt(f, 10), r.user as Json, String(r.submitted_at));
  }
  for (const c of read('issue-comments.json'))
    push(Number(String(c.issue_url).split('/').pop()), c.user as Json, String(c.created_at));
  for (const c of read('review-comments.json'))
    push(Number(String(c.pull_request_url).split('/').pop()), c.user as Json, String(c.created_at));
  const hours: number[] = [];
  for (const p of pulls) {
    const author = p.user as Json;
    if (isBot(author) || !inWindow(String(p.created_at))) continue;
    const responses = (events.get(Number(p.number)) ?? [])
      .filter((e) => !e.bot && e.login !== author.login)
      .map((e) => Date.parse(e.at))
      .sort((a, b) => a - b);
    if (responses.length > 0) hours.push((responses[0] - Date.parse(String(p.created_at))) / 3_600_000);
  }
  hours.sort((a, b) => a - b);
  const m = Math.floor(hours.length / 2);
  return hours.length % 2 ? hours[m] : (hours[m - 1] + hours[m]) / 2;
}

function independentAcceptance(): { merged: number; declined: number } {
  let merged = 0;
  let declined = 0;
  for (const p of read('pulls.json')) {
    if ((p.user as Json).type === 'Bot' || p.closed_at === null) continue;
    const closed = String(p.closed_at);
    if (closed < '2024-01-01' || closed >= '2024-07-01') continue;
    if (p.merged_at) merged++;
    else declined++;
  }
  return { merged, declined };
}

let report: InnerSourceReport;

before(async () => {
  const repos = join(work, 'repos');
  for (const name of ['payments-api', 'ledger', 'no-export']) {
    initRepo(join(repos, name));
    commitDaily(join(repos, name), 'Ann <ann@example.com>', '2024-03-01T00:00:00Z', 2);
  }
  report = await scanInnerSource([repos], {
    root: work,
    mapping,
    prExports: [join(fixtures, 'github'), join(fixtures, 'azure-devops')],
    ...window,
  });
});

const repoNamed = (name: string) => {
  const r = report.repositories.find((x) => x.name === name);
  assert.ok(r, name);
  return r;
};

describe('GitHub pull-request export', () => {
  it('gives the time-to-first-response median the test computes independently', () => {
    const r = repoNamed('payments-api').responsiveness;
    assert.ok(r);
    assert.equal(r.source, 'github');
    const expected = independentFirstResponseMedianHours();
    assert.equal(expected, 12, 'responses after 2, 4, 12, 24 and 48 hours');
    assert.equal(r.firstResponse.medianHours, expected);
    assert.equal(r.firstResponse.responded, 5);
    assert.equal(r.firstResponse.unanswered, 1, 'PR 6 got only its author’s own comment');
    assert.equal(r.changeRequests, 6);
    assert.equal(r.botChangeRequests, 1, 'the dependabot PR');
  });

  it('gives the acceptance ratio the test computes independently', () => {
    const r = repoNamed('payments-api').responsiveness;
    assert.ok(r);
    const { merged, declined } = independentAcceptance();
    assert.deepEqual([merged, declined], [3, 2]);
    assert.equal(r.acceptance.merged, merged);
    assert.equal(r.acceptance.declined, declined);
    assert.equal(r.acceptance.ratio, merged / declined);
    assert.equal(r.acceptance.share, merged / (merged + declined));
  });

  it('computes time to merge, review coverage, outside share and the good-first-issue label', () => {
    const r = repoNamed('payments-api').responsiveness;
    assert.ok(r);
    assert.equal(r.merge.medianHours, 48, 'merged after 48, 48 and 96 hours');
    assert.deepEqual(r.reviewCoverage, { merged: 3, reviewed: 2, share: 0.6667 });
    assert.deepEqual(r.outside, { owner: 'payments', count: 3, share: 0.5 });
    assert.deepEqual(r.issues, { opened: 2, responded: 1, medianFirstResponseHours: 6 });
    assert.deepEqual(r.goodFirstIssue, { label: 'good first issue', issues: 1, open: 1 });
  });

  it('feeds the checks, pointing at the export file', () => {
    const f = report.assessment.findings.filter(
      (x) => x.subject.name === 'payments-api' && x.checkId.startsWith('IS-RSP'),
    );
    const status = Object.fromEntries(f.map((x) => [x.checkId, x.status]));
    assert.deepEqual(status, {
      'IS-RSP-001': 'pass',
      'IS-RSP-002': 'pass',
      'IS-RSP-003': 'pass',
      'IS-RSP-004': 'fail',
      'IS-RSP-005': 'pass',
      'IS-RSP-006': 'pass',
    });
    for (const x of f) assert.match(x.location.file, /fixtures\/github\/payments-api\/pulls\.json$/);
  });

  it('uses repo.json for the activity score and the description', () => {
    const r = repoNamed('payments-api');
    assert.equal(r.description, 'Payments API: card and bank payments for every product team');
    // (50 + 3 forks x 5 + 7 watchers + 12 stars / 3 + 2 open issues / 5) x (1 + 90/100) for a push 10 days
    // before the window's end; no commits in the last 13 weeks; created over a year ago, so no boost;
    // +50 for the description; minus the base of 50.
    assert.equal(r.activityScore, Math.round(76.4 * 1.9 + 50 - 50));
  });
});

describe('Azure DevOps pull-request export', () => {
  it('computes the same figures from pullrequests.json and threads', () => {
    const r = repoNamed('ledger').responsiveness;
    assert.ok(r);
    assert.equal(r.source, 'azure-devops');
    assert.equal(r.changeRequests, 4);
    // #31: the build service and the author do not count, Ann after 6 h; #33: Ann after 24 h.
    assert.deepEqual(r.firstResponse, { responded: 2, unanswered: 2, medianHours: 15 });
    assert.deepEqual(r.merge, { merged: 2, medianHours: 30 });
    assert.deepEqual(r.acceptance, { merged: 2, declined: 1, ratio: 2, share: 0.6667 });
    assert.deepEqual(
      r.reviewCoverage,
      { merged: 2, reviewed: 1, share: 0.5 },
      'Ben approving his own PR is no review',
    );
    assert.deepEqual(r.outside, { owner: 'core', count: 2, share: 0.5 });
    assert.equal(r.issues, null);
    assert.equal(r.goodFirstIssue, null);
  });
});

describe('without an export', () => {
  it('every responsiveness check is unknown with the reason', () => {
    const f = report.assessment.findings.filter(
      (x) => x.subject.name === 'no-export' && x.checkId.startsWith('IS-RSP'),
    );
    assert.equal(f.length, 6);
    for (const x of f) {
      assert.equal(x.status, 'unknown', x.checkId);
      assert.match(String(x.evidence?.reason), /no pull-request data/);
    }
  });
});

describe('a broken export', () => {
  it('is an input error naming the file and line, and the rest still runs', async () => {
    const exports = join(work, 'bad-export');
    mkdirSync(join(exports, 'payments-api'), { recursive: true });
    cpSync(join(fixtures, 'github', 'payments-api'), join(exports, 'payments-api'), { recursive: true });
    writeFileSync(join(exports, 'payments-api', 'issue-comments.json'), '[\n  {"id": 1,\n  oops\n]\n');
    const r = await scanInnerSource([join(work, 'repos', 'payments-api')], {
      root: work,
      mapping,
      prExports: [exports],
      ...window,
    });
    assert.equal(r.assessment.errors.length, 1);
    const e = r.assessment.errors[0];
    assert.equal(e.file, 'bad-export/payments-api/issue-comments.json');
    assert.equal(e.code, 'pr-export');
    assert.equal(e.line, 3);
    assert.ok(r.repositories[0].responsiveness, 'pulls.json was still read');
  });
});
