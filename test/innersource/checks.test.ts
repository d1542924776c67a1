/**
 * Valid and invalid cases for every InnerSource check, asserting status and, where a file
 * is involved, the file and line a person would open. Repository data is built directly
 * (checks are pure functions of it); a final case runs the real pipeline on a repository
 * whose documents use case and name variants.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CheckOutcome } from '../../src/core/model.ts';
import { CONTROL_IDS } from '../../src/innersource/catalog.ts';
import { innerSourceChecks } from '../../src/innersource/checks/index.ts';
import type { HistoryMetrics } from '../../src/innersource/metrics.ts';
import {
  DEFAULT_THRESHOLDS,
  type InnerSourceContext,
  REPOSITORY_KIND,
  type RepoData,
  type RepoDocuments,
} from '../../src/innersource/model.ts';
import type { Responsiveness } from '../../src/innersource/responsiveness.ts';
import { scanInnerSource } from '../../src/innersource/scan.ts';
import { commit, initRepo, removeDir, tag, tempDir } from './git.ts';

const UNTIL_DAY = Math.floor(Date.parse('2024-06-30T00:00:00Z') / 86_400_000);
const ctx: InnerSourceContext = { thresholds: DEFAULT_THRESHOLDS, untilDay: UNTIL_DAY };

function history(over: Partial<HistoryMetrics> = {}): HistoryMetrics {
  return {
    window: { since: '2024-01-01', until: '2024-06-30', days: 182 },
    commits: 40,
    merges: 2,
    botCommits: 0,
    contributions: { authored: 40, coAuthored: 0 },
    activeContributors: 5,
    contributorKinds: { author: 5, coAuthor: 0 },
    newContributors: 2,
    absenceFactor: 2,
    elephantFactor: 1,
    organisations: 1,
    independentContributors: 0,
    independentContributions: 0,
    linesAdded: 100,
    linesDeleted: 20,
    filesChanged: 50,
    cadence: { weeks: 26, commitsPerWeek: 1.54, firstHalf: 20, secondHalf: 20, trend: 'steady', slope: 0 },
    firstActivity: '2023-01-01',
    lastActivity: '2024-06-20',
    daysSinceLastActivity: 10,
    crossTeam: {
      owner: 'payments',
      commits: 8,
      share: 0.2,
      authors: 2,
      authorShare: 0.4,
      unmappedCommits: 0,
    },
    commitsPerWeekLast13: 1.5,
    ...over,
  };
}

function rsp(over: Partial<Responsiveness> = {}): Responsiveness {
  return {
    source: 'github',
    folder: 'exports/svc',
    window: { since: '2024-01-01', until: '2024-06-30' },
    changeRequests: 10,
    botChangeRequests: 0,
    firstResponse: { responded: 9, unanswered: 1, medianHours: 6 },
    merge: { merged: 8, medianHours: 30 },
    acceptance: { merged: 8, declined: 1, ratio: 8, share: 0.8889 },
    reviewCoverage: { merged: 8, reviewed: 8, share: 1 },
    outside: { owner: 'payments', count: 3, share: 0.3 },
    issues: { opened: 4, responded: 4, medianFirstResponseHours: 5 },
    goodFirstIssue: { label: 'good first issue', issues: 2, open: 1 },
    ...over,
  };
}

const GOOD_README =
  '# Svc\n\nSvc settles card payments for every product team in the company.\n\n## Getting started\n\nnpm ci\n';

function repo(over: Partial<RepoData> = {}, docs?: RepoDocuments): RepoData {
  return {
    name: 'svc',
    path: 'repos/svc',
    absolutePath: '/abs/repos/svc',
    remote: null,
    documents: docs ?? {
      readme: { path: 'README.md', text: GOOD_README },
      contributing: { path: 'CONTRIBUTING.md', text: 'Open a pull request against main.' },
      codeowners: { path: '.github/CODEOWNERS', text: '# owners\n* @example/payments\n' },
      pullRequestTemplate: { path: '.github/PULL_REQUEST_TEMPLATE.md' },
      licence: { path: 'LICENSE' },
      changelog: { path: 'CHANGELOG.md' },
      codeOfConduct: { path: 'CODE_OF_CONDUCT.md' },
      portalMetadata: { path: 'innersource.json', text: '{"title": "Svc", "description": "Payments"}' },
    },
    tags: { count: 3, latest: { name: 'v1.2.0', at: Date.parse('2024-05-01T00:00:00Z') / 1000 } },
    owner: { team: 'payments', source: 'codeowners', file: '.github/CODEOWNERS', line: 2, known: true },
    history: history(),
    responsiveness: rsp(),
    meta: {},
    languages: ['TypeScript'],
    scan: {
      commitsRead: 42,
      mode: 'full',
      head: 'a'.repeat(40),
      branch: 'main',
      bare: false,
      shallow: false,
      totalCommits: 42,
      ms: 5,
    },
    ...over,
  };
}

function run(id: string, data: RepoData): CheckOutcome {
  const check = innerSourceChecks.find((c) => c.meta.id === id);
  assert.ok(check, id);
  const out = check.run(
    {
      kind: REPOSITORY_KIND,
      id: 'x',
      name: data.name,
      type: 'clone',
      location: { file: data.path, line: 1, column: 1 },
      data,
    },
    ctx,
  );
  assert.ok(!Array.isArray(out));
  return out;
}

function expectOutcome(o: CheckOutcome, status: CheckOutcome['status'], file?: string, line?: number): void {
  assert.equal(o.status, status, o.message);
  if (file !== undefined) assert.equal(o.location?.file, file);
  if (line !== undefined) assert.equal(o.location?.line, line);
}

const docsWith = (over: Partial<RepoDocuments>, drop: (keyof RepoDocuments)[] = []): RepoDocuments => {
  const base = repo().documents;
  for (const k of drop) delete base[k];
  return { ...base, ...over };
};

describe('check metadata', () => {
  it('every check has an id, controls from the InnerSource catalog and a pattern', () => {
    const ids = new Set<string>();
    for (const c of innerSourceChecks) {
      assert.match(c.meta.id, /^IS-(DOC|ACT|RSP)-\d{3}$/);
      assert.ok(!ids.has(c.meta.id), `duplicate ${c.meta.id}`);
      ids.add(c.meta.id);
      assert.ok(c.meta.controls.length > 0);
      for (const ctl of c.meta.controls) assert.ok(CONTROL_IDS.includes(ctl), `${c.meta.id}: ${ctl}`);
      assert.ok(c.pattern.name && c.pattern.url.startsWith('https://patterns.innersourcecommons.org/p/'));
      assert.ok(c.meta.rationale.length > 40 && c.meta.remediation.length > 40);
      assert.equal(c.meta.subjectKind, REPOSITORY_KIND);
    }
  });

  it('a failing outcome names the pattern that addresses it', () => {
    const o = run('IS-DOC-003', repo({}, docsWith({}, ['codeowners'])));
    assert.match(o.message, /\(pattern: Trusted Committer\)$/);
    assert.equal(o.evidence?.pattern, 'Trusted Committer');
  });
});

describe('IS-DOC-001 README', () => {
  it('passes with a purpose and a getting-started section, pointing at the section', () => {
    expectOutcome(run('IS-DOC-001', repo()), 'pass', 'repos/svc/README.md', 5);
  });
  it('fails without a README, at the file it looked for', () => {
    expectOutcome(run('IS-DOC-001', repo({}, docsWith({}, ['readme']))), 'fail', 'repos/svc/README.md', 1);
  });
  it('fails with only a title and badges', () => {
    const o = run(
      'IS-DOC-001',
      repo(
        {},
        docsWith({
          readme: { path: 'README.md', text: '# Svc\n\n[![ci](x.svg)](y)\n\n## Usage\n\nrun it\n' },
        }),
      ),
    );
    expectOutcome(o, 'fail', 'repos/svc/README.md', 1);
    assert.match(o.message, /purpose/);
  });
  it('fails without a getting-started section', () => {
    const o = run(
      'IS-DOC-001',
      repo(
        {},
        docsWith({
          readme: {
            path: 'README.md',
            text: '# Svc\n\nSvc settles card payments for every product team.\n\n## Design\n',
          },
        }),
      ),
    );
    expectOutcome(o, 'fail');
    assert.match(o.message, /getting-started/);
  });
  it('reads setext and reStructuredText headings', () => {
    const text =
      'Svc\n===\n\nSvc settles card payments for every product team here.\n\nInstallation\n------------\n\npip install svc\n';
    expectOutcome(
      run('IS-DOC-001', repo({}, docsWith({ readme: { path: 'README.rst', text } }))),
      'pass',
      'repos/svc/README.rst',
      6,
    );
  });
});

describe('IS-DOC-002 CONTRIBUTING', () => {
  it('passes when the guide says how to propose a change', () => {
    expectOutcome(run('IS-DOC-002', repo()), 'pass', 'repos/svc/CONTRIBUTING.md', 1);
  });
  it('fails for a stub guide', () => {
    expectOutcome(
      run('IS-DOC-002', repo({}, docsWith({ contributing: { path: 'CONTRIBUTING.md', text: 'TODO' } }))),
      'fail',
    );
  });
  it('accepts a README section that explains it', () => {
    const text = `${GOOD_README}\n## Contributing\n\nFork the repository and open a pull request.\n`;
    expectOutcome(
      run('IS-DOC-002', repo({}, docsWith({ readme: { path: 'README.md', text } }, ['contributing']))),
      'pass',
      'repos/svc/README.md',
      9,
    );
  });
  it('fails without either, at CONTRIBUTING.md', () => {
    expectOutcome(
      run('IS-DOC-002', repo({}, docsWith({}, ['contributing']))),
      'fail',
      'repos/svc/CONTRIBUTING.md',
      1,
    );
  });
});

describe('IS-DOC-003 trusted committers', () => {
  it('passes with a CODEOWNERS rule, at its line', () => {
    expectOutcome(run('IS-DOC-003', repo()), 'pass', 'repos/svc/.github/CODEOWNERS', 2);
  });
  it('passes with a README section naming them', () => {
    const text = `${GOOD_README}\n## Trusted committers\n\n- Ann\n`;
    expectOutcome(
      run('IS-DOC-003', repo({}, docsWith({ readme: { path: 'README.md', text } }, ['codeowners']))),
      'pass',
      'repos/svc/README.md',
      9,
    );
  });
  it('fails for a CODEOWNERS without owners', () => {
    expectOutcome(
      run('IS-DOC-003', repo({}, docsWith({ codeowners: { path: 'CODEOWNERS', text: '# nobody yet\n' } }))),
      'fail',
      'repos/svc/CODEOWNERS',
      1,
    );
  });
  it('fails with nothing, at .github/CODEOWNERS', () => {
    expectOutcome(
      run('IS-DOC-003', repo({}, docsWith({}, ['codeowners']))),
      'fail',
      'repos/svc/.github/CODEOWNERS',
      1,
    );
  });
});

describe('IS-DOC-004 to IS-DOC-008 files', () => {
  it('templates: an issue template is enough; none fails', () => {
    expectOutcome(
      run(
        'IS-DOC-004',
        repo(
          {},
          docsWith({ issueTemplate: { path: '.github/ISSUE_TEMPLATE/bug.yml' } }, ['pullRequestTemplate']),
        ),
      ),
      'pass',
      'repos/svc/.github/ISSUE_TEMPLATE/bug.yml',
    );
    expectOutcome(
      run('IS-DOC-004', repo({}, docsWith({}, ['pullRequestTemplate']))),
      'fail',
      'repos/svc/.github/PULL_REQUEST_TEMPLATE.md',
      1,
    );
  });
  it('licence: a file, or a README section stating internal use', () => {
    expectOutcome(run('IS-DOC-005', repo()), 'pass', 'repos/svc/LICENSE');
    const text = `${GOOD_README}\n## Internal use\n\nAny team may use this.\n`;
    expectOutcome(
      run('IS-DOC-005', repo({}, docsWith({ readme: { path: 'README.md', text } }, ['licence']))),
      'pass',
      'repos/svc/README.md',
      9,
    );
    expectOutcome(run('IS-DOC-005', repo({}, docsWith({}, ['licence']))), 'fail', 'repos/svc/LICENSE', 1);
  });
  it('changelog and code of conduct', () => {
    expectOutcome(
      run('IS-DOC-006', repo({}, docsWith({ changelog: { path: 'History.md' } }))),
      'pass',
      'repos/svc/History.md',
    );
    expectOutcome(run('IS-DOC-006', repo({}, docsWith({}, ['changelog']))), 'fail', 'repos/svc/CHANGELOG.md');
    expectOutcome(
      run('IS-DOC-007', repo({}, docsWith({}, ['codeOfConduct']))),
      'fail',
      'repos/svc/CODE_OF_CONDUCT.md',
    );
  });
  it('portal metadata: valid, missing, broken JSON, no title or description', () => {
    expectOutcome(run('IS-DOC-008', repo()), 'pass', 'repos/svc/innersource.json');
    expectOutcome(
      run('IS-DOC-008', repo({}, docsWith({}, ['portalMetadata']))),
      'fail',
      'repos/svc/innersource.json',
    );
    expectOutcome(
      run('IS-DOC-008', repo({}, docsWith({ portalMetadata: { path: 'innersource.json', text: '{nope' } }))),
      'fail',
    );
    expectOutcome(
      run(
        'IS-DOC-008',
        repo({}, docsWith({ portalMetadata: { path: 'innersource.json', text: '{"logo": "x.png"}' } })),
      ),
      'fail',
    );
  });
});

describe('IS-ACT activity checks', () => {
  it('IS-ACT-001 release: recent tag passes, old tag and no tag fail', () => {
    expectOutcome(run('IS-ACT-001', repo()), 'pass', 'repos/svc', 1);
    const old = { count: 1, latest: { name: 'v0.1', at: Date.parse('2023-01-01T00:00:00Z') / 1000 } };
    expectOutcome(run('IS-ACT-001', repo({ tags: old })), 'fail');
    expectOutcome(run('IS-ACT-001', repo({ tags: { count: 0, latest: null } })), 'fail');
  });
  it('IS-ACT-002 recent activity', () => {
    expectOutcome(run('IS-ACT-002', repo()), 'pass');
    expectOutcome(
      run(
        'IS-ACT-002',
        repo({ history: history({ daysSinceLastActivity: 200, lastActivity: '2023-12-13' }) }),
      ),
      'fail',
    );
    expectOutcome(
      run('IS-ACT-002', repo({ history: history({ daysSinceLastActivity: null, lastActivity: null }) })),
      'fail',
    );
  });
  it('IS-ACT-003 absence factor: 2 passes, 1 fails, nothing to count is unknown', () => {
    expectOutcome(run('IS-ACT-003', repo()), 'pass');
    expectOutcome(run('IS-ACT-003', repo({ history: history({ absenceFactor: 1 }) })), 'fail');
    expectOutcome(
      run('IS-ACT-003', repo({ history: history({ absenceFactor: null, commits: 0 }) })),
      'unknown',
    );
  });
  it('IS-ACT-004 cross-team share: above and below the threshold, unknown without an owner', () => {
    expectOutcome(run('IS-ACT-004', repo()), 'pass', 'repos/svc/.github/CODEOWNERS', 2);
    const low = history({
      crossTeam: {
        owner: 'payments',
        commits: 1,
        share: 0.025,
        authors: 1,
        authorShare: 0.2,
        unmappedCommits: 0,
      },
    });
    expectOutcome(run('IS-ACT-004', repo({ history: low })), 'fail');
    const o = run(
      'IS-ACT-004',
      repo({ owner: null, history: history({ crossTeam: null, crossTeamUnknown: 'no owning team' }) }),
    );
    expectOutcome(o, 'unknown', 'repos/svc');
    assert.equal(o.evidence?.reason, 'no owning team');
  });
  it('IS-ACT-005 new contributors and IS-ACT-006 cadence', () => {
    expectOutcome(run('IS-ACT-005', repo()), 'pass');
    expectOutcome(run('IS-ACT-005', repo({ history: history({ newContributors: 0 }) })), 'fail');
    expectOutcome(run('IS-ACT-006', repo()), 'pass');
    const falling = history({
      cadence: { weeks: 26, commitsPerWeek: 1, firstHalf: 20, secondHalf: 6, trend: 'falling', slope: -0.5 },
    });
    expectOutcome(run('IS-ACT-006', repo({ history: falling })), 'fail');
  });
  it('a shallow clone whose cut falls inside the window makes history-dependent checks unknown', () => {
    const shallow = repo({
      scan: { ...repo().scan, shallow: true },
      history: history({ firstActivity: '2024-03-01' }),
    });
    for (const id of ['IS-ACT-003', 'IS-ACT-004', 'IS-ACT-005']) expectOutcome(run(id, shallow), 'unknown');
    const deepEnough = repo({ scan: { ...repo().scan, shallow: true } });
    expectOutcome(run('IS-ACT-003', deepEnough), 'pass');
  });
});

describe('IS-RSP responsiveness checks', () => {
  it('all pass on a responsive repository, pointing at the export', () => {
    for (const id of ['IS-RSP-001', 'IS-RSP-002', 'IS-RSP-003', 'IS-RSP-004', 'IS-RSP-005', 'IS-RSP-006'])
      expectOutcome(run(id, repo()), 'pass', 'exports/svc/pulls.json', 1);
  });
  it('all are unknown without PR data, with the reason', () => {
    for (const id of ['IS-RSP-001', 'IS-RSP-002', 'IS-RSP-003', 'IS-RSP-004', 'IS-RSP-005', 'IS-RSP-006']) {
      const o = run(id, repo({ responsiveness: null }));
      expectOutcome(o, 'unknown', 'repos/svc');
      assert.match(String(o.evidence?.reason), /no pull-request data/);
    }
  });
  it('fail beyond their thresholds', () => {
    expectOutcome(
      run(
        'IS-RSP-001',
        repo({ responsiveness: rsp({ firstResponse: { responded: 3, unanswered: 0, medianHours: 100 } }) }),
      ),
      'fail',
    );
    expectOutcome(
      run(
        'IS-RSP-001',
        repo({ responsiveness: rsp({ firstResponse: { responded: 0, unanswered: 4, medianHours: null } }) }),
      ),
      'fail',
    );
    expectOutcome(
      run('IS-RSP-002', repo({ responsiveness: rsp({ merge: { merged: 2, medianHours: 400 } }) })),
      'fail',
    );
    expectOutcome(
      run(
        'IS-RSP-003',
        repo({ responsiveness: rsp({ acceptance: { merged: 1, declined: 3, ratio: 0.3333, share: 0.25 } }) }),
      ),
      'fail',
    );
    expectOutcome(
      run(
        'IS-RSP-004',
        repo({ responsiveness: rsp({ reviewCoverage: { merged: 4, reviewed: 2, share: 0.5 } }) }),
      ),
      'fail',
    );
    expectOutcome(
      run(
        'IS-RSP-005',
        repo({ responsiveness: rsp({ outside: { owner: 'payments', count: 0, share: 0 } }) }),
      ),
      'fail',
    );
    expectOutcome(
      run(
        'IS-RSP-006',
        repo({ responsiveness: rsp({ goodFirstIssue: { label: null, issues: 0, open: 0 } }) }),
      ),
      'fail',
    );
    expectOutcome(
      run(
        'IS-RSP-006',
        repo({ responsiveness: rsp({ goodFirstIssue: { label: 'good first issue', issues: 0, open: 0 } }) }),
      ),
      'fail',
    );
  });
  it('are unknown when the window holds nothing to measure', () => {
    const empty = rsp({
      changeRequests: 0,
      firstResponse: { responded: 0, unanswered: 0, medianHours: null },
      merge: { merged: 0, medianHours: null },
      acceptance: { merged: 0, declined: 0, ratio: null, share: null },
      reviewCoverage: { merged: 0, reviewed: 0, share: null },
      outside: { owner: 'payments', count: 0, share: null },
      goodFirstIssue: null,
    });
    for (const id of ['IS-RSP-001', 'IS-RSP-002', 'IS-RSP-003', 'IS-RSP-004', 'IS-RSP-005', 'IS-RSP-006'])
      expectOutcome(run(id, repo({ responsiveness: empty })), 'unknown');
  });
});

describe('documents found on a real repository', () => {
  const work = tempDir();
  after(() => removeDir(work));

  it('finds variants case-insensitively (Readme.md, History.md, docs/CONTRIBUTING.rst, LICENCE.txt)', async () => {
    const dir = join(work, 'variants');
    initRepo(dir);
    commit(dir, {
      author: 'Ann <ann@example.com>',
      date: '2024-06-01T00:00:00Z',
      files: {
        'Readme.md': GOOD_README,
        'History.md': '# 1.0\n',
        'docs/CONTRIBUTING.rst': 'Contributing\n============\n\nSubmit a merge request.\n',
        'LICENCE.txt': 'Internal use only.\n',
        '.github/ISSUE_TEMPLATE/bug.yml': 'name: Bug\n',
        CODEOWNERS: '\n* @example/payments\n',
        'src/a.ts': 'export {};\n',
      },
    });
    tag(dir, 'v1.0.0', '2024-06-02T00:00:00Z');
    const r = await scanInnerSource([dir], {
      root: work,
      since: new Date('2024-01-01T00:00:00Z'),
      until: new Date('2024-06-30T00:00:00Z'),
    });
    const byCheck = new Map(r.assessment.findings.map((f) => [f.checkId, f]));
    const at = (id: string) => {
      const f = byCheck.get(id);
      assert.ok(f, id);
      return [f.status, `${f.location.file}:${f.location.line}`];
    };
    assert.deepEqual(at('IS-DOC-001'), ['pass', 'variants/Readme.md:5']);
    assert.deepEqual(at('IS-DOC-002'), ['pass', 'variants/docs/CONTRIBUTING.rst:1']);
    assert.deepEqual(at('IS-DOC-003'), ['pass', 'variants/CODEOWNERS:2']);
    assert.deepEqual(at('IS-DOC-004'), ['pass', 'variants/.github/ISSUE_TEMPLATE/bug.yml:1']);
    assert.deepEqual(at('IS-DOC-005'), ['pass', 'variants/LICENCE.txt:1']);
    assert.deepEqual(at('IS-DOC-006'), ['pass', 'variants/History.md:1']);
    assert.deepEqual(at('IS-DOC-007'), ['fail', 'variants/CODE_OF_CONDUCT.md:1']);
    assert.deepEqual(at('IS-ACT-001'), ['pass', 'variants:1']);
    assert.equal(r.repositories[0].owner?.team, 'payments', 'owner read from CODEOWNERS');
    assert.equal(r.repositories[0].owner?.known, false, 'but the mapping does not list its members');
    assert.deepEqual(r.repositories[0].languages, ['TypeScript']);
  });
});
