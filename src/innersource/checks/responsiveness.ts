/** Responsiveness from pull-request and issue exports. Without an export every check is unknown. */
import type { SourceLocation } from '../../core/model.ts';
import { PATTERNS } from '../catalog.ts';
import type { RepoData } from '../model.ts';
import type { Responsiveness } from '../responsiveness.ts';
import { defineCheck, fail, pass, unknown } from './define.ts';

const NO_DATA =
  'no pull-request data for this repository: pass --prs <folder> holding <repository>/pulls.json (GitHub) or <repository>/pullrequests.json (Azure DevOps)';

function exportAt(repo: RepoData, r: Responsiveness | null): SourceLocation {
  if (!r) return { file: repo.path || '.', line: 1, column: 1 };
  const file = r.source === 'github' ? 'pulls.json' : 'pullrequests.json';
  return { file: r.folder === '.' ? file : `${r.folder}/${file}`, line: 1, column: 1 };
}

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
const hours = (h: number): string =>
  h >= 48 ? `${Math.round((h / 24) * 10) / 10} days` : `${Math.round(h * 10) / 10} h`;

export const firstResponseCheck = defineCheck({
  id: 'IS-RSP-001',
  title: 'Change requests get a first response quickly',
  severity: 'medium',
  rationale:
    'A guest contributor who hears nothing for days rarely comes back. CHAOSS time to first response counts the first comment or review by someone other than the author, bots excluded.',
  remediation:
    'Make first response a trusted committer duty with a rota and an agreed target (for example two working days), and state that target in CONTRIBUTING.',
  controls: ['isc-responsive-review'],
  pattern: PATTERNS.trustedCommitter,
  evaluate(repo, ctx) {
    const r = repo.responsiveness;
    const where = exportAt(repo, r);
    if (!r) return unknown(where, 'cannot measure time to first response', NO_DATA);
    const f = r.firstResponse;
    const evidence = {
      medianHours: f.medianHours,
      responded: f.responded,
      unanswered: f.unanswered,
      changeRequests: r.changeRequests,
    };
    if (r.changeRequests === 0)
      return unknown(where, 'no change requests opened in the window', 'nothing to measure in the window');
    if (f.medianHours === null)
      return fail(
        where,
        `none of the ${r.changeRequests} change requests opened in the window got a response`,
        evidence,
      );
    if (f.medianHours > ctx.thresholds.firstResponseHours)
      return fail(
        where,
        `median time to first response is ${hours(f.medianHours)} (threshold ${hours(ctx.thresholds.firstResponseHours)})`,
        evidence,
      );
    return pass(
      where,
      `median time to first response is ${hours(f.medianHours)} over ${f.responded} change requests`,
      evidence,
    );
  },
});

export const mergeTimeCheck = defineCheck({
  id: 'IS-RSP-002',
  title: 'Accepted change requests are merged quickly',
  severity: 'low',
  rationale:
    'Long-lived change requests go stale, conflict and discourage guests; a short time to merge shows a working review process.',
  remediation:
    'Keep changes small, agree review turnaround among trusted committers, and close change requests that will not be merged rather than leaving them open.',
  controls: ['isc-responsive-review'],
  pattern: PATTERNS.trustedCommitter,
  evaluate(repo, ctx) {
    const r = repo.responsiveness;
    const where = exportAt(repo, r);
    if (!r) return unknown(where, 'cannot measure time to merge', NO_DATA);
    const m = r.merge;
    if (m.medianHours === null)
      return unknown(where, 'no change requests merged in the window', 'nothing merged in the window');
    const evidence = { medianHours: m.medianHours, merged: m.merged };
    if (m.medianHours > ctx.thresholds.mergeHours)
      return fail(
        where,
        `median time to merge is ${hours(m.medianHours)} (threshold ${hours(ctx.thresholds.mergeHours)})`,
        evidence,
      );
    return pass(
      where,
      `median time to merge is ${hours(m.medianHours)} over ${m.merged} merged change requests`,
      evidence,
    );
  },
});

export const acceptanceCheck = defineCheck({
  id: 'IS-RSP-003',
  title: 'Most closed change requests are merged',
  severity: 'medium',
  rationale:
    'If host teams decline most contributions, guests stop offering them. The CHAOSS change request acceptance ratio compares merged with closed-unmerged change requests.',
  remediation:
    'Agree scope up front (issues before large changes), and offer contributing teams a warranty arrangement: they support their contribution for a period after merge so the host team can say yes.',
  controls: ['isc-contribution-acceptance'],
  pattern: PATTERNS.warranty,
  evaluate(repo, ctx) {
    const r = repo.responsiveness;
    const where = exportAt(repo, r);
    if (!r) return unknown(where, 'cannot measure the acceptance ratio', NO_DATA);
    const a = r.acceptance;
    if (a.share === null)
      return unknown(where, 'no change requests closed in the window', 'nothing closed in the window');
    const evidence = { merged: a.merged, declined: a.declined, ratio: a.ratio, share: a.share };
    if (a.share < ctx.thresholds.acceptanceShare)
      return fail(
        where,
        `${a.merged} merged, ${a.declined} declined: ${pct(a.share)} accepted (threshold ${pct(ctx.thresholds.acceptanceShare)})`,
        evidence,
      );
    return pass(where, `${a.merged} merged, ${a.declined} declined: ${pct(a.share)} accepted`, evidence);
  },
});

export const reviewCoverageCheck = defineCheck({
  id: 'IS-RSP-004',
  title: 'Merged change requests were reviewed by someone else',
  severity: 'medium',
  rationale:
    'Review by someone other than the author is how trusted committers keep quality and share knowledge; self-merged changes skip both.',
  remediation:
    'Require at least one approving review from a code owner before merge (branch protection or branch policy), and count reviews by guests too.',
  controls: ['isc-responsive-review'],
  pattern: PATTERNS.trustedCommitter,
  evaluate(repo, ctx) {
    const r = repo.responsiveness;
    const where = exportAt(repo, r);
    if (!r) return unknown(where, 'cannot measure review coverage', NO_DATA);
    const c = r.reviewCoverage;
    if (c.share === null)
      return unknown(where, 'no change requests merged in the window', 'nothing merged in the window');
    const evidence = { merged: c.merged, reviewed: c.reviewed, share: c.share };
    if (c.share < ctx.thresholds.reviewCoverage)
      return fail(
        where,
        `${c.reviewed} of ${c.merged} merged change requests were reviewed by someone else (${pct(c.share)}; threshold ${pct(ctx.thresholds.reviewCoverage)})`,
        evidence,
      );
    return pass(
      where,
      `${c.reviewed} of ${c.merged} merged change requests were reviewed by someone else`,
      evidence,
    );
  },
});

export const outsideChangeRequestsCheck = defineCheck({
  id: 'IS-RSP-005',
  title: 'Change requests come from outside the owning team',
  severity: 'low',
  rationale:
    'Change requests opened by other teams are the most direct evidence that a project is used and improved across team boundaries.',
  remediation:
    'Advertise the project where its consumers look (InnerSource portal, gig marketplace), and invite the teams that file issues to propose the fix.',
  controls: ['isc-cross-team-collaboration'],
  pattern: PATTERNS.gigMarketplace,
  evaluate(repo, ctx) {
    const r = repo.responsiveness;
    const where = exportAt(repo, r);
    if (!r) return unknown(where, 'cannot measure change requests from outside the owning team', NO_DATA);
    if (!r.outside)
      return unknown(
        where,
        'cannot tell who is outside the owning team',
        r.outsideUnknown ?? 'no owning team',
      );
    const o = r.outside;
    if (o.share === null)
      return unknown(where, 'no change requests opened in the window', 'nothing opened in the window');
    const evidence = { owner: o.owner, outside: o.count, share: o.share, changeRequests: r.changeRequests };
    if (o.share < ctx.thresholds.crossTeamShare)
      return fail(
        where,
        `${o.count} of ${r.changeRequests} change requests came from outside team ${o.owner} (${pct(o.share)}; threshold ${pct(ctx.thresholds.crossTeamShare)})`,
        evidence,
      );
    return pass(
      where,
      `${o.count} of ${r.changeRequests} change requests came from outside team ${o.owner}`,
      evidence,
    );
  },
});

export const goodFirstIssueCheck = defineCheck({
  id: 'IS-RSP-006',
  title: 'A "good first issue" label is in use',
  severity: 'low',
  rationale:
    'Newcomers look for small, well-described tasks. A label that issues actually carry lets them find one without asking.',
  remediation:
    'Create a "good first issue" label, describe a few small tasks well enough for a newcomer, label them, and link the label from CONTRIBUTING.',
  controls: ['isc-newcomer-onboarding'],
  pattern: PATTERNS.issueTracker,
  evaluate(repo) {
    const r = repo.responsiveness;
    const where = exportAt(repo, r);
    if (!r) return unknown(where, 'cannot see issue labels', NO_DATA);
    const g = r.goodFirstIssue;
    if (!g) return unknown(where, 'cannot see issue labels', 'the export has no issues.json or labels.json');
    const evidence = { label: g.label, issues: g.issues, open: g.open };
    if (!g.label) return fail(where, 'no "good first issue" label', evidence);
    if (g.issues === 0) return fail(where, `label "${g.label}" exists but no issue carries it`, evidence);
    return pass(where, `${g.issues} issues labelled "${g.label}" (${g.open} open)`, evidence);
  },
});

export const responsivenessChecks = [
  firstResponseCheck,
  mergeTimeCheck,
  acceptanceCheck,
  reviewCoverageCheck,
  outsideChangeRequestsCheck,
  goodFirstIssueCheck,
];
