/**
 * History metrics of one repository over a window, from the day buckets. Definitions
 * follow CHAOSS where CHAOSS defines the metric (see docs/innersource.md); bot commits are
 * counted apart and never in a person-based figure.
 */
import type { History } from './history.ts';
import type { Owner } from './mapping.ts';
import { independentOn, organisationOn, type People } from './people.ts';

const DAY = 86_400;

/** A window of whole UTC days, both ends included; null means open. */
export interface Window {
  sinceDay: number | null;
  untilDay: number;
}

export function windowOf(since: Date | null, until: Date): Window {
  return {
    sinceDay: since ? Math.floor(since.getTime() / 1000 / DAY) : null,
    untilDay: Math.floor(until.getTime() / 1000 / DAY),
  };
}

export const dayToIso = (day: number): string => new Date(day * DAY * 1000).toISOString().slice(0, 10);

export type Trend = 'rising' | 'steady' | 'falling' | 'inactive';

export interface Cadence {
  weeks: number;
  commitsPerWeek: number;
  /** Commits in the earlier and the later half of the window. */
  firstHalf: number;
  secondHalf: number;
  trend: Trend;
  /** Least-squares slope of weekly commits, commits per week per week. */
  slope: number;
}

export interface CrossTeam {
  owner: string;
  commits: number;
  /** Share of human commits in the window by people outside the owning team (0..1). */
  share: number | null;
  authors: number;
  /** Share of active human contributors from outside the owning team. */
  authorShare: number | null;
  /** Commits by people the mapping does not place in any team (counted as outside). */
  unmappedCommits: number;
}

export interface PersonFigures {
  name: string;
  team: string | null;
  organisation: string | null;
  commits: number;
  /** Commits that name this person in a `Co-authored-by:` trailer. */
  coAuthored: number;
  linesAdded: number;
  linesDeleted: number;
  firstCommit: string;
}

export interface HistoryMetrics {
  window: { since: string | null; until: string; days: number };
  /** Non-merge commits by people (bots excluded). */
  commits: number;
  merges: number;
  botCommits: number;
  /**
   * Contributions by people: each non-merge commit credits its author and every co-author
   * its `Co-authored-by:` trailers name (bots excluded).
   */
  contributions: { authored: number; coAuthored: number };
  /** People with at least one contribution (authored or co-authored) in the window. */
  activeContributors: number;
  /** Active contributors by kind of contribution; one person can be both. */
  contributorKinds: { author: number; coAuthor: number };
  /** People whose first contribution (authored or co-authored, whole history) falls in the window. */
  newContributors: number;
  /** CHAOSS Contributor Absence Factor: fewest people whose contributions exceed half of all. */
  absenceFactor: number | null;
  /**
   * CHAOSS Elephant Factor: fewest organisations whose contributions exceed half of the
   * contributions of people with an organisation (independents and unknowns left out).
   */
  elephantFactor: number | null;
  /** Organisations with contributions in the window (personal email providers are not organisations). */
  organisations: number;
  /** People contributing as independents (only personal addresses, no affiliation on that day), and their contributions. */
  independentContributors: number;
  independentContributions: number;
  linesAdded: number;
  linesDeleted: number;
  /** File changes: the sum over commits of files each touched. */
  filesChanged: number;
  cadence: Cadence;
  firstActivity: string | null;
  lastActivity: string | null;
  daysSinceLastActivity: number | null;
  crossTeam: CrossTeam | null;
  /** Why crossTeam is null. */
  crossTeamUnknown?: string;
  /** Average human commits per week over the 13 weeks ending at the window's end (Repository Activity Score input). */
  commitsPerWeekLast13: number;
  /** Only with `--people`: per-person figures, in name order (never ranked). */
  people?: PersonFigures[];
}

/** CHAOSS: sort descending, count until the running total exceeds half. Null when nothing to count. */
export function factorOf(counts: Iterable<number>): number | null {
  const sorted = [...counts].filter((c) => c > 0).sort((a, b) => b - a);
  const total = sorted.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let run = 0;
  for (let i = 0; i < sorted.length; i++) {
    run += sorted[i];
    if (run > total / 2) return i + 1;
  }
  return sorted.length;
}

function cadenceOf(weekly: number[]): Cadence {
  const weeks = weekly.length;
  const total = weekly.reduce((a, b) => a + b, 0);
  const half = Math.floor(weeks / 2);
  const firstHalf = weekly.slice(0, half).reduce((a, b) => a + b, 0);
  const secondHalf = weekly.slice(weeks - half).reduce((a, b) => a + b, 0);
  let slope = 0;
  if (weeks > 1) {
    const meanX = (weeks - 1) / 2;
    const meanY = total / weeks;
    let num = 0;
    let den = 0;
    weekly.forEach((y, x) => {
      num += (x - meanX) * (y - meanY);
      den += (x - meanX) ** 2;
    });
    slope = den === 0 ? 0 : num / den;
  }
  let trend: Trend = 'steady';
  if (total === 0) trend = 'inactive';
  else if (secondHalf > firstHalf * 1.25 && secondHalf - firstHalf >= 2) trend = 'rising';
  else if (secondHalf < firstHalf * 0.8 && firstHalf - secondHalf >= 2) trend = 'falling';
  return {
    weeks,
    commitsPerWeek: weeks > 0 ? round(total / weeks, 2) : 0,
    firstHalf,
    secondHalf,
    trend,
    slope: round(slope, 3),
  };
}

export const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export interface MetricOptions {
  window: Window;
  owner?: Owner;
  /** Include per-person figures (`--people`). */
  people?: boolean;
  /** Filled with person index -> human commits in the window, for team and organisation roll-ups. */
  collect?: Map<number, number>;
}

export function historyMetrics(history: History, who: People, options: MetricOptions): HistoryMetrics {
  const { sinceDay, untilDay } = options.window;
  const persons = who.people;
  const personCommits = new Float64Array(persons.length);
  const personCoauthored = new Float64Array(persons.length);
  const personAdded = new Float64Array(persons.length);
  const personDeleted = new Float64Array(persons.length);
  const firstDay = new Float64Array(persons.length).fill(Number.POSITIVE_INFINITY);
  let lastHumanDay = -1;
  let earliestDay = Number.POSITIVE_INFINITY;
  let commits = 0;
  let merges = 0;
  let botCommits = 0;
  let linesAdded = 0;
  let linesDeleted = 0;
  let filesChanged = 0;
  const orgContributions = new Map<string, number>();
  const independents = new Set<number>();
  let independentContributions = 0;

  history.forEachBucket((b) => {
    const p = who.personOf[b.identity];
    const bot = persons[p].bot;
    if (b.day > untilDay) return;
    if (!bot && b.commits + b.coauthored > 0) {
      if (b.day < firstDay[p]) firstDay[p] = b.day;
      if (b.day > lastHumanDay) lastHumanDay = b.day;
      if (b.day < earliestDay) earliestDay = b.day;
    }
    if (sinceDay !== null && b.day < sinceDay) return;
    if (bot) {
      botCommits += b.commits + b.merges;
      return;
    }
    commits += b.commits;
    merges += b.merges;
    linesAdded += b.added;
    linesDeleted += b.deleted;
    filesChanged += b.files;
    personCommits[p] += b.commits;
    personCoauthored[p] += b.coauthored;
    personAdded[p] += b.added;
    personDeleted[p] += b.deleted;
    // The organisation of the day the work was done: affiliations can change at a date.
    const work = b.commits + b.coauthored;
    if (work === 0) return;
    const org = organisationOn(persons[p], b.day);
    if (org !== null) orgContributions.set(org, (orgContributions.get(org) ?? 0) + work);
    else if (independentOn(persons[p], b.day)) {
      independents.add(p);
      independentContributions += work;
    }
  });
  const personContributions = personCommits.map((c, p) => c + personCoauthored[p]);

  const start = sinceDay ?? (Number.isFinite(earliestDay) ? earliestDay : untilDay);
  const days = Math.max(1, untilDay - start + 1);
  const weekCount = Math.max(1, Math.ceil(days / 7));
  const weekly = new Array<number>(weekCount).fill(0);
  const last13 = new Array<number>(13).fill(0);
  history.forEachBucket((b) => {
    if (b.commits === 0 || persons[who.personOf[b.identity]].bot || b.day > untilDay) return;
    // Cadence counts commits, not contributions: a co-authored commit is one commit.
    if (b.day >= start) weekly[Math.min(weekCount - 1, Math.floor((b.day - start) / 7))] += b.commits;
    const back = Math.floor((untilDay - b.day) / 7);
    if (back < 13) last13[back] += b.commits;
  });

  let active = 0;
  let authors = 0;
  let coAuthors = 0;
  let newcomers = 0;
  persons.forEach((person, p) => {
    if (person.bot) return;
    if (personContributions[p] > 0) active++;
    if (personCoauthored[p] > 0) coAuthors++;
    if (personCommits[p] > 0) {
      authors++;
      options.collect?.set(p, (options.collect.get(p) ?? 0) + personCommits[p]);
    }
    if (Number.isFinite(firstDay[p]) && (sinceDay === null || firstDay[p] >= sinceDay)) newcomers++;
  });

  let crossTeam: CrossTeam | null = null;
  let crossTeamUnknown: string | undefined;
  const owner = options.owner;
  if (!owner)
    crossTeamUnknown = 'no owning team: add the repository to the mapping file or a CODEOWNERS file';
  else if (!owner.known)
    crossTeamUnknown = `owning team '${owner.team}' has no members in the mapping file, so its members cannot be told from others`;
  else {
    let outside = 0;
    let outsideAuthors = 0;
    let unmapped = 0;
    persons.forEach((person, p) => {
      if (person.bot || personCommits[p] === 0) return;
      if (person.team?.toLowerCase() !== owner.team.toLowerCase()) {
        outside += personCommits[p];
        outsideAuthors++;
        if (person.team === null) unmapped += personCommits[p];
      }
    });
    crossTeam = {
      owner: owner.team,
      commits: outside,
      share: commits > 0 ? round(outside / commits, 4) : null,
      authors: outsideAuthors,
      authorShare: active > 0 ? round(outsideAuthors / active, 4) : null,
      unmappedCommits: unmapped,
    };
  }

  const metrics: HistoryMetrics = {
    window: { since: sinceDay === null ? null : dayToIso(sinceDay), until: dayToIso(untilDay), days },
    commits,
    merges,
    botCommits,
    contributions: {
      authored: commits,
      coAuthored: personCoauthored.reduce((a, b, p) => (persons[p].bot ? a : a + b), 0),
    },
    activeContributors: active,
    contributorKinds: { author: authors, coAuthor: coAuthors },
    newContributors: newcomers,
    absenceFactor: factorOf(personContributions.filter((_, p) => !persons[p].bot)),
    elephantFactor: factorOf(orgContributions.values()),
    organisations: orgContributions.size,
    independentContributors: independents.size,
    independentContributions,
    linesAdded,
    linesDeleted,
    filesChanged,
    cadence: cadenceOf(weekly),
    firstActivity: Number.isFinite(earliestDay) ? dayToIso(earliestDay) : null,
    lastActivity: lastHumanDay >= 0 ? dayToIso(lastHumanDay) : null,
    daysSinceLastActivity: lastHumanDay >= 0 ? untilDay - lastHumanDay : null,
    crossTeam,
    commitsPerWeekLast13: round(last13.reduce((a, b) => a + b, 0) / 13, 2),
  };
  if (crossTeamUnknown) metrics.crossTeamUnknown = crossTeamUnknown;
  if (options.people) {
    metrics.people = persons
      .filter((person, p) => !person.bot && personContributions[p] > 0)
      .map((person) => ({
        name: person.name,
        team: person.team,
        organisation: person.organisation,
        commits: personCommits[person.index],
        coAuthored: personCoauthored[person.index],
        linesAdded: personAdded[person.index],
        linesDeleted: personDeleted[person.index],
        firstCommit: dayToIso(firstDay[person.index]),
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  }
  return metrics;
}
