/** Activity from git history: releases, recent commits, resilience, cross-team contribution. */
import type { SourceLocation } from '../../core/model.ts';
import { PATTERNS } from '../catalog.ts';
import type { RepoData } from '../model.ts';
import { at, defineCheck, fail, pass, unknown } from './define.ts';

const DAY = 86_400;

/** Checks about the repository as a whole point at its folder. */
function repoAt(repo: RepoData): SourceLocation {
  return { file: repo.path || '.', line: 1, column: 1 };
}

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/**
 * A shallow clone lacks the history before its cut; figures that depend on the start of the
 * window (or on everyone's first commit) cannot be trusted when the window reaches past it.
 */
function truncatedWindow(repo: RepoData): string | undefined {
  if (!repo.scan.shallow) return undefined;
  const since = repo.history.window.since;
  const first = repo.history.firstActivity;
  if (since === null || (first !== null && first > since))
    return 'shallow clone: the history before the clone’s cut is missing, so this figure would be wrong; fetch the full history (git fetch --unshallow)';
  return undefined;
}

export const releaseCheck = defineCheck({
  id: 'IS-ACT-001',
  title: 'A release or tag was made recently',
  severity: 'low',
  rationale:
    'Other teams consume InnerSource projects through releases. A recent tag shows that changes (including guests’ contributions) reach consumers.',
  remediation:
    'Tag releases (git tag -a vX.Y.Z) as part of a documented release process, and record them in the changelog.',
  controls: ['isc-release-transparency'],
  pattern: PATTERNS.releaseProcess,
  evaluate(repo, ctx) {
    const latest = repo.tags.latest;
    // Tags are read as of the window's end (scan.ts): a later tag is not in the window.
    if (!latest)
      return fail(repoAt(repo), 'no tags by the end of the window: releases are not marked in git', {
        tags: 0,
      });
    const days = ctx.untilDay - Math.floor(latest.at / DAY);
    const evidence = { tag: latest.name, daysSinceTag: days, tags: repo.tags.count };
    if (days > ctx.thresholds.releaseDays)
      return fail(
        repoAt(repo),
        `latest tag ${latest.name} is ${days} days old (threshold ${ctx.thresholds.releaseDays})`,
        evidence,
      );
    return pass(repoAt(repo), `latest tag ${latest.name} is ${Math.max(0, days)} days old`, evidence);
  },
});

export const recentActivityCheck = defineCheck({
  id: 'IS-ACT-002',
  title: 'People committed recently',
  severity: 'medium',
  rationale:
    'Contributors avoid projects that look abandoned: nobody will review or release their change. Time since the last commit by a person (bots excluded) is the simplest sign of life.',
  remediation:
    'If the project is maintained, say so and show it (triage issues, merge pending changes, release); if not, mark it as archived so the portal stops advertising it.',
  controls: ['isc-sustained-activity'],
  pattern: PATTERNS.activityScore,
  evaluate(repo, ctx) {
    const h = repo.history;
    if (h.daysSinceLastActivity === null)
      return fail(repoAt(repo), 'no commits by people (only bots or none)', { lastActivity: null });
    const evidence = { lastActivity: h.lastActivity, daysSinceLastActivity: h.daysSinceLastActivity };
    if (h.daysSinceLastActivity > ctx.thresholds.activityDays)
      return fail(
        repoAt(repo),
        `last commit by a person was ${h.daysSinceLastActivity} days ago (${h.lastActivity}; threshold ${ctx.thresholds.activityDays})`,
        evidence,
      );
    return pass(
      repoAt(repo),
      `last commit by a person ${h.daysSinceLastActivity} days ago (${h.lastActivity})`,
      evidence,
    );
  },
});

export const absenceFactorCheck = defineCheck({
  id: 'IS-ACT-003',
  title: 'The work does not depend on one contributor',
  severity: 'medium',
  rationale:
    'When one person makes most of the commits, the project stalls if they move on (CHAOSS contributor absence factor). Trusted committers from more than one person or team spread that risk.',
  remediation:
    'Grow more trusted committers: pair on reviews, hand areas over, and invite regular guest contributors to become committers.',
  controls: ['isc-contributor-resilience'],
  pattern: PATTERNS.trustedCommitter,
  evaluate(repo, ctx) {
    const h = repo.history;
    const truncated = truncatedWindow(repo);
    if (truncated) return unknown(repoAt(repo), 'cannot compute the contributor absence factor', truncated);
    if (h.absenceFactor === null)
      return unknown(
        repoAt(repo),
        'no commits by people in the window',
        `no human commits between ${h.window.since ?? 'the start'} and ${h.window.until}`,
      );
    const contributions = h.contributions.authored + h.contributions.coAuthored;
    const evidence = {
      absenceFactor: h.absenceFactor,
      activeContributors: h.activeContributors,
      commits: h.commits,
      contributions,
    };
    // Contributions: each commit credits its author and its co-authors (docs/innersource.md).
    const what =
      h.contributions.coAuthored > 0
        ? `${contributions} contributions (authored and co-authored)`
        : `${h.commits} commits`;
    if (h.absenceFactor < ctx.thresholds.absenceFactor)
      return fail(
        repoAt(repo),
        `contributor absence factor is ${h.absenceFactor}: ${h.absenceFactor === 1 ? 'one person makes' : `${h.absenceFactor} people make`} more than half of the ${what} (threshold ${ctx.thresholds.absenceFactor})`,
        evidence,
      );
    return pass(repoAt(repo), `contributor absence factor is ${h.absenceFactor}`, evidence);
  },
});

export const crossTeamCheck = defineCheck({
  id: 'IS-ACT-004',
  title: 'People outside the owning team contribute',
  severity: 'medium',
  rationale:
    'InnerSource succeeds when other teams change the code they depend on instead of waiting for the owners. The share of commits from outside the owning team measures exactly that.',
  remediation:
    'List the project in the InnerSource portal, label issues that guests can take, and advertise concrete tasks to the teams that consume the project (gig marketplace).',
  controls: ['isc-cross-team-collaboration'],
  pattern: PATTERNS.portal,
  evaluate(repo, ctx) {
    const h = repo.history;
    const where =
      repo.owner?.source === 'codeowners' && repo.owner.file
        ? at(repo, repo.owner.file, repo.owner.line ?? 1)
        : repoAt(repo);
    if (!h.crossTeam)
      return unknown(
        where,
        'cannot tell contributions from outside the owning team',
        h.crossTeamUnknown ?? 'no owning team',
      );
    const truncated = truncatedWindow(repo);
    if (truncated) return unknown(where, 'cannot compute the cross-team share', truncated);
    const c = h.crossTeam;
    if (c.share === null)
      return unknown(where, 'no commits by people in the window', 'no human commits in the window');
    const evidence = {
      owner: c.owner,
      share: c.share,
      commits: c.commits,
      authors: c.authors,
      unmappedCommits: c.unmappedCommits,
    };
    if (c.share < ctx.thresholds.crossTeamShare)
      return fail(
        where,
        `${pct(c.share)} of commits come from outside team ${c.owner} (threshold ${pct(ctx.thresholds.crossTeamShare)})`,
        evidence,
      );
    return pass(
      where,
      `${pct(c.share)} of commits (${c.authors} contributors) come from outside team ${c.owner}`,
      evidence,
    );
  },
});

export const newContributorsCheck = defineCheck({
  id: 'IS-ACT-005',
  title: 'New contributors arrived in the window',
  severity: 'low',
  rationale:
    'A project that nobody new joins depends on the same people forever. New contributors in the window show that the way in is open and documented.',
  remediation:
    'Make the first contribution easy: a getting-started section, a contributing guide, "good first issue" labels, and a quick first response to newcomers.',
  controls: ['isc-sustained-activity'],
  pattern: PATTERNS.baseDocumentation,
  evaluate(repo, ctx) {
    const h = repo.history;
    const truncated = truncatedWindow(repo);
    if (truncated) return unknown(repoAt(repo), 'cannot tell who is new', truncated);
    const evidence = { newContributors: h.newContributors, activeContributors: h.activeContributors };
    if (h.newContributors < ctx.thresholds.newContributors)
      return fail(
        repoAt(repo),
        `${h.newContributors} new contributors between ${h.window.since ?? 'the start'} and ${h.window.until} (threshold ${ctx.thresholds.newContributors})`,
        evidence,
      );
    return pass(repoAt(repo), `${h.newContributors} new contributors in the window`, evidence);
  },
});

export const cadenceCheck = defineCheck({
  id: 'IS-ACT-006',
  title: 'Commit cadence is not falling',
  severity: 'info',
  rationale:
    'A falling cadence (fewer commits in the later half of the window than in the earlier half) is an early sign that a project is losing its maintainers or its users.',
  remediation:
    'Look at why: finished features, people moved, contributions stuck in review. If the project is complete, say so in the README so guests know what to expect.',
  controls: ['isc-sustained-activity'],
  pattern: PATTERNS.activityScore,
  evaluate(repo) {
    const c = repo.history.cadence;
    const evidence = {
      trend: c.trend,
      firstHalf: c.firstHalf,
      secondHalf: c.secondHalf,
      commitsPerWeek: c.commitsPerWeek,
      slope: c.slope,
    };
    if (c.trend === 'falling')
      return fail(
        repoAt(repo),
        `commits fell from ${c.firstHalf} to ${c.secondHalf} between the two halves of the window`,
        evidence,
      );
    if (c.trend === 'inactive') return fail(repoAt(repo), 'no commits by people in the window', evidence);
    return pass(repoAt(repo), `cadence ${c.trend}: ${c.commitsPerWeek} commits a week`, evidence);
  },
});

export const activityChecks = [
  releaseCheck,
  recentActivityCheck,
  absenceFactorCheck,
  crossTeamCheck,
  newContributorsCheck,
  cadenceCheck,
];
