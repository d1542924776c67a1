/**
 * Scores and roll-ups: a health score per repository from its findings, the InnerSource
 * Commons Repository Activity Score for ranking, and aggregates per team and for the
 * organisation. Aggregates only: no figure here is about one person.
 */
import type { Finding } from '../core/model.ts';
import { factorOf, round } from './metrics.ts';
import type { RepoData } from './model.ts';
import { independentOn, organisationOn, type Person } from './people.ts';

export type HealthLevel = 'healthy' | 'developing' | 'at-risk' | 'unknown';

export interface RepoScore {
  /** Share of decided findings (pass/fail) that pass, 0..100; null when nothing was decided. */
  score: number | null;
  level: HealthLevel;
  pass: number;
  fail: number;
  unknown: number;
}

export function levelOf(score: number | null): HealthLevel {
  if (score === null) return 'unknown';
  return score >= 80 ? 'healthy' : score >= 50 ? 'developing' : 'at-risk';
}

export function scoreFindings(findings: readonly Finding[]): RepoScore {
  let pass = 0;
  let fail = 0;
  let unknown = 0;
  for (const f of findings) {
    const status = f.status === 'waived' ? 'pass' : f.status;
    if (status === 'pass') pass++;
    else if (status === 'fail') fail++;
    else if (status === 'unknown' || status === 'error') unknown++;
  }
  const score = pass + fail > 0 ? round((pass / (pass + fail)) * 100, 1) : null;
  return { score, level: levelOf(score), pass, fail, unknown };
}

/** The inputs of the Repository Activity Score that git and an export can give. */
export interface ActivityInputs {
  forks: number;
  watchers: number;
  stars: number;
  openIssues: number;
  daysSinceUpdate: number;
  daysSinceCreation: number;
  commitsPerWeek: number;
  hasDescription: boolean;
  hasContributingGuide: boolean;
}

/**
 * The InnerSource Commons Repository Activity Score (pattern "Repository Activity Score"):
 * a base of 50 plus popularity (forks weigh most, then watchers, stars, open issues),
 * multiplied up for recent updates and for more than three commits a week over the last
 * 13 weeks, plus a boost for young projects updated this year, 50 for a description and
 * 100 for a contributing guide; above 3000 it grows logarithmically. Returned without the
 * base, rounded. Forks, stars and watchers are 0 without a GitHub repo.json.
 */
export function repositoryActivityScore(i: ActivityInputs): number {
  let score = 50 + i.forks * 5 + i.watchers + i.stars / 3 + i.openIssues / 5;
  const sinceUpdate = Math.max(0, i.daysSinceUpdate);
  score *= 1 + (100 - Math.min(sinceUpdate, 100)) / 100;
  score *= 1 + Math.min(Math.max(i.commitsPerWeek - 3, 0), 7) / 7;
  const youth = (365 - Math.min(Math.max(0, i.daysSinceCreation), 365)) / 365;
  score += (1000 - Math.min(sinceUpdate, 365) * 2.74) * youth;
  if (i.hasDescription) score += 50;
  if (i.hasContributingGuide) score += 100;
  if (score > 3000) score = 3000 + Math.log(score) * 100;
  return Math.round(score - 50);
}

const DAY_MS = 86_400_000;

export function activityInputs(
  repo: RepoData,
  untilDay: number,
  description: string | undefined,
): ActivityInputs {
  const h = repo.history;
  const m = repo.meta;
  const lastDay = h.lastActivity ? Date.parse(h.lastActivity) / DAY_MS : null;
  const updatedDay = m.updatedAt !== undefined ? Math.floor(m.updatedAt / DAY_MS) : null;
  const latest = Math.max(lastDay ?? Number.NEGATIVE_INFINITY, updatedDay ?? Number.NEGATIVE_INFINITY);
  const firstDay = h.firstActivity ? Date.parse(h.firstActivity) / DAY_MS : null;
  const createdDay = m.createdAt !== undefined ? Math.floor(m.createdAt / DAY_MS) : firstDay;
  return {
    forks: m.forks ?? 0,
    watchers: m.watchers ?? 0,
    stars: m.stars ?? 0,
    openIssues: m.openIssues ?? 0,
    daysSinceUpdate: Number.isFinite(latest) ? untilDay - latest : 365,
    daysSinceCreation: createdDay !== null ? untilDay - createdDay : 365,
    commitsPerWeek: h.commitsPerWeekLast13,
    hasDescription: (description ?? '').length > 30,
    hasContributingGuide: Boolean(repo.documents.contributing),
  };
}

export interface TeamRollup {
  team: string;
  repositories: string[];
  /** Mean of the repositories' health scores. */
  score: number | null;
  level: HealthLevel;
  commits: number;
  /** Distinct people active in the team's repositories in the window. */
  contributors: number;
  /** Commits to the team's repositories by people outside it (the InnerSource inflow). */
  inboundCommits: number;
  inboundShare: number | null;
  /** Commits by the team's members to repositories other teams own (its InnerSource outflow). */
  outboundCommits: number;
  activityScore: number;
}

export interface OrganisationRollup {
  repositories: number;
  score: number | null;
  level: HealthLevel;
  commits: number;
  contributors: number;
  teams: number;
  /** Repositories without an owning team. */
  unowned: number;
  /** Commits to owned repositories by people outside the owning team, over commits to owned repositories. */
  crossTeamShare: number | null;
  elephantFactor: number | null;
  /**
   * Contributing organisations (from affiliations, teams, email domains and the mapping), by
   * commits; `(independent)` and `(unknown)` gather people without one and are not counted.
   */
  organisations: { name: string; commits: number; contributors: number; repositories: number }[];
}

/** Entries of the organisation roll-up that are not organisations: independents and unknowns. */
export const NOT_ORGANISATIONS: readonly string[] = ['(independent)', '(unknown)'];

/** Organisations in the roll-up, independents and unknowns not counted. */
export function organisationCount(o: Pick<OrganisationRollup, 'organisations'>): number {
  return o.organisations.filter((x) => !NOT_ORGANISATIONS.includes(x.name)).length;
}

export interface RollupInput {
  repo: RepoData;
  score: RepoScore;
  activityScore: number;
  /** Person index -> human commits in the window. */
  active: Map<number, number>;
}

/**
 * Team and organisation roll-ups of authored commits. A person counts for the
 * organisation they belong to on `untilDay` (the window's last day; affiliations can
 * change), as `(independent)` when known only by personal addresses, else `(unknown)`.
 */
export function rollUp(
  inputs: readonly RollupInput[],
  people: readonly Person[],
  untilDay = Number.MAX_SAFE_INTEGER,
): {
  teams: TeamRollup[];
  organisation: OrganisationRollup;
} {
  const byTeam = new Map<string, RollupInput[]>();
  for (const i of inputs) {
    const team = i.repo.owner?.team ?? '(no owner)';
    const list = byTeam.get(team) ?? [];
    list.push(i);
    byTeam.set(team, list);
  }
  const mean = (xs: (number | null)[]): number | null => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? round(v.reduce((a, b) => a + b, 0) / v.length, 1) : null;
  };
  const teams: TeamRollup[] = [];
  for (const [team, list] of byTeam) {
    const contributors = new Set<number>();
    let commits = 0;
    let inbound = 0;
    let knownCommits = 0;
    for (const i of list) {
      for (const [p, n] of i.active) {
        contributors.add(p);
        commits += n;
        if (i.repo.owner) {
          knownCommits += n;
          if (people[p].team?.toLowerCase() !== team.toLowerCase()) inbound += n;
        }
      }
    }
    let outbound = 0;
    for (const i of inputs) {
      if (!i.repo.owner || i.repo.owner.team.toLowerCase() === team.toLowerCase()) continue;
      for (const [p, n] of i.active) if (people[p].team?.toLowerCase() === team.toLowerCase()) outbound += n;
    }
    const score = mean(list.map((i) => i.score.score));
    teams.push({
      team,
      repositories: list.map((i) => i.repo.name).sort(),
      score,
      level: levelOf(score),
      commits,
      contributors: contributors.size,
      inboundCommits: inbound,
      inboundShare: knownCommits > 0 && team !== '(no owner)' ? round(inbound / knownCommits, 4) : null,
      outboundCommits: outbound,
      activityScore: list.reduce((a, i) => a + i.activityScore, 0),
    });
  }
  teams.sort((a, b) => a.team.localeCompare(b.team, 'en'));

  const all = new Map<number, number>();
  const orgs = new Map<string, { commits: number; people: Set<number>; repos: Set<string> }>();
  let owned = 0;
  let outside = 0;
  for (const i of inputs) {
    for (const [p, n] of i.active) {
      all.set(p, (all.get(p) ?? 0) + n);
      const org =
        organisationOn(people[p], untilDay) ??
        (independentOn(people[p], untilDay) ? '(independent)' : '(unknown)');
      const o = orgs.get(org) ?? { commits: 0, people: new Set<number>(), repos: new Set<string>() };
      o.commits += n;
      o.people.add(p);
      o.repos.add(i.repo.name);
      orgs.set(org, o);
      if (i.repo.owner?.known) {
        owned += n;
        if (people[p].team?.toLowerCase() !== i.repo.owner.team.toLowerCase()) outside += n;
      }
    }
  }
  const score = mean(inputs.map((i) => i.score.score));
  const organisations = [...orgs]
    .map(([name, o]) => ({
      name,
      commits: o.commits,
      contributors: o.people.size,
      repositories: o.repos.size,
    }))
    .sort((a, b) => b.commits - a.commits || a.name.localeCompare(b.name, 'en'));
  return {
    teams,
    organisation: {
      repositories: inputs.length,
      score,
      level: levelOf(score),
      commits: [...all.values()].reduce((a, b) => a + b, 0),
      contributors: all.size,
      teams: teams.filter((t) => t.team !== '(no owner)').length,
      unowned: inputs.filter((i) => !i.repo.owner).length,
      crossTeamShare: owned > 0 ? round(outside / owned, 4) : null,
      elephantFactor: factorOf(
        organisations.filter((o) => !NOT_ORGANISATIONS.includes(o.name)).map((o) => o.commits),
      ),
      organisations,
    },
  };
}
