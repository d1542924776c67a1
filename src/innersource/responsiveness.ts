/**
 * Responsiveness of a repository's maintainers from its pull requests and issues
 * (CHAOSS Time to First Response, Change Request Acceptance Ratio; review coverage and
 * the share of change requests from outside the owning team). Bots never count as a
 * response, and bot-authored change requests are counted apart.
 */
import { type Mapping, type Owner, teamOf } from './mapping.ts';
import { dayToIso, round, type Window } from './metrics.ts';
import type { BotMatcher } from './people.ts';
import type { ActivityData, Actor, ChangeRequest, IssueRecord } from './prs.ts';

const HOUR = 3_600_000;
const DAY_MS = 86_400_000;

export interface Responsiveness {
  source: ActivityData['source'];
  folder: string;
  window: { since: string | null; until: string };
  /** Change requests opened in the window by people (bot-authored ones are in `botChangeRequests`). */
  changeRequests: number;
  botChangeRequests: number;
  firstResponse: { responded: number; unanswered: number; medianHours: number | null };
  /** Change requests merged in the window. */
  merge: { merged: number; medianHours: number | null };
  /** Change requests closed in the window: merged vs declined. `ratio` is CHAOSS's merged:declined, `share` merged / closed. */
  acceptance: { merged: number; declined: number; ratio: number | null; share: number | null };
  /** Change requests merged in the window with a review by someone other than the author. */
  reviewCoverage: { merged: number; reviewed: number; share: number | null };
  outside: { owner: string; count: number; share: number | null } | null;
  outsideUnknown?: string;
  issues: {
    opened: number;
    responded: number;
    medianFirstResponseHours: number | null;
  } | null;
  /** The "good first issue" label: whether the repository has it and how many issues carry it. */
  goodFirstIssue: { label: string | null; issues: number; open: number } | null;
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const GOOD_FIRST =
  /^(good[ _-]?first[ _-]?(issue|bug|contribution)s?|first[ _-]?timers[ _-]?only|beginner[ _-]?friendly|starter)$/i;

export function isGoodFirstIssueLabel(label: string): boolean {
  return GOOD_FIRST.test(label.trim());
}

function isBotActor(a: Actor, isBot: BotMatcher): boolean {
  return a.bot || isBot(a.login) || (a.name !== undefined && isBot(a.name));
}

/** Someone other than the author, and not a bot. */
function firstResponseAt(
  item: { author: Actor; createdAt: number; events: ChangeRequest['events'] },
  isBot: BotMatcher,
): number | null {
  let first: number | null = null;
  for (const e of item.events) {
    if (e.who.login === item.author.login || isBotActor(e.who, isBot)) continue;
    if (e.at < item.createdAt) continue;
    if (first === null || e.at < first) first = e.at;
  }
  return first;
}

export interface ResponsivenessOptions {
  window: Window;
  mapping: Mapping;
  isBot: BotMatcher;
  owner?: Owner;
}

export function responsiveness(data: ActivityData, options: ResponsivenessOptions): Responsiveness {
  const { sinceDay, untilDay } = options.window;
  const inWindow = (t: number | null): t is number => {
    if (t === null) return false;
    const day = Math.floor(t / DAY_MS);
    return (sinceDay === null || day >= sinceDay) && day <= untilDay;
  };
  const human = data.changeRequests.filter((cr) => !isBotActor(cr.author, options.isBot));
  const opened = human.filter((cr) => inWindow(cr.createdAt));
  const responseHours: number[] = [];
  let unanswered = 0;
  for (const cr of opened) {
    const at = firstResponseAt(cr, options.isBot);
    if (at === null) unanswered++;
    else responseHours.push((at - cr.createdAt) / HOUR);
  }
  const merged = human.filter((cr) => cr.state === 'merged' && inWindow(cr.mergedAt));
  const mergeHours = merged.map((cr) => ((cr.mergedAt as number) - cr.createdAt) / HOUR);
  const declined = human.filter((cr) => cr.state === 'declined' && inWindow(cr.closedAt));
  const reviewed = merged.filter((cr) =>
    cr.reviewers.some((r) => r.login !== cr.author.login && !isBotActor(r, options.isBot)),
  );

  let outside: Responsiveness['outside'] = null;
  let outsideUnknown: string | undefined;
  const owner = options.owner;
  if (!owner) outsideUnknown = 'no owning team';
  else if (!owner.known) outsideUnknown = `owning team '${owner.team}' has no members in the mapping file`;
  else {
    const count = opened.filter((cr) => {
      const team = teamOf(options.mapping, {
        logins: [cr.author.login],
        emails: cr.author.email ? [cr.author.email] : [],
        names: cr.author.name ? [cr.author.name] : [],
      });
      return team?.name.toLowerCase() !== owner.team.toLowerCase();
    }).length;
    outside = { owner: owner.team, count, share: opened.length > 0 ? round(count / opened.length, 4) : null };
  }

  let issues: Responsiveness['issues'] = null;
  let goodFirstIssue: Responsiveness['goodFirstIssue'] = null;
  if (data.issues) {
    const openedIssues = data.issues.filter(
      (i) => !isBotActor(i.author, options.isBot) && inWindow(i.createdAt),
    );
    const hours = openedIssues
      .map((i: IssueRecord) => {
        const at = firstResponseAt(i, options.isBot);
        return at === null ? null : (at - i.createdAt) / HOUR;
      })
      .filter((h): h is number => h !== null);
    issues = {
      opened: openedIssues.length,
      responded: hours.length,
      medianFirstResponseHours: roundOrNull(median(hours)),
    };
    const carrying = data.issues.filter((i) => i.labels.some(isGoodFirstIssueLabel));
    const label =
      carrying[0]?.labels.find(isGoodFirstIssueLabel) ?? data.labels?.find(isGoodFirstIssueLabel) ?? null;
    goodFirstIssue = {
      label,
      issues: carrying.length,
      open: carrying.filter((i) => i.closedAt === null).length,
    };
  } else if (data.labels) {
    const label = data.labels.find(isGoodFirstIssueLabel) ?? null;
    goodFirstIssue = { label, issues: 0, open: 0 };
  }

  const result: Responsiveness = {
    source: data.source,
    folder: data.folder,
    window: { since: sinceDay === null ? null : dayToIso(sinceDay), until: dayToIso(untilDay) },
    changeRequests: opened.length,
    botChangeRequests: data.changeRequests.length - human.length,
    firstResponse: {
      responded: responseHours.length,
      unanswered,
      medianHours: roundOrNull(median(responseHours)),
    },
    merge: { merged: merged.length, medianHours: roundOrNull(median(mergeHours)) },
    acceptance: {
      merged: merged.length,
      declined: declined.length,
      ratio: declined.length > 0 ? round(merged.length / declined.length, 4) : null,
      share:
        merged.length + declined.length > 0
          ? round(merged.length / (merged.length + declined.length), 4)
          : null,
    },
    reviewCoverage: {
      merged: merged.length,
      reviewed: reviewed.length,
      share: merged.length > 0 ? round(reviewed.length / merged.length, 4) : null,
    },
    outside,
    issues,
    goodFirstIssue,
  };
  if (outsideUnknown) result.outsideUnknown = outsideUnknown;
  return result;
}

function roundOrNull(x: number | null): number | null {
  return x === null ? null : round(x, 2);
}
