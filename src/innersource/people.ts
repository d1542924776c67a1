/**
 * From raw author identities to people: git has already applied `.mailmap`; here the
 * same email (case-insensitive) or the same normalised name joins identities into one
 * person, bots are set apart, and each person gets a team and an organisation.
 */
import type { RawIdentity } from './history.ts';
import {
  type Affiliation,
  isIndependentDomain,
  type Mapping,
  mappedOrganisation,
  normaliseName,
  teamOf,
} from './mapping.ts';

/** Built-in bot patterns: substrings matched case-insensitively against name, email and login. */
export const DEFAULT_BOT_PATTERNS: readonly string[] = [
  '[bot]',
  'dependabot',
  'github-actions',
  'renovate',
  'greenkeeper',
  'snyk-bot',
  'azure-pipelines',
  'project collection build service',
];

export type BotMatcher = (text: string) => boolean;

/** `/regex/flags` is a regular expression; anything else a case-insensitive substring. */
export function botMatcher(extra: readonly string[] = []): BotMatcher {
  const subs: string[] = [];
  const regexps: RegExp[] = [];
  for (const p of [...DEFAULT_BOT_PATTERNS, ...extra]) {
    const m = /^\/(.+)\/([a-z]*)$/.exec(p);
    if (m) regexps.push(new RegExp(m[1], m[2].includes('i') ? m[2] : `${m[2]}i`));
    else subs.push(p.toLowerCase());
  }
  return (text) => {
    const lower = text.toLowerCase();
    return subs.some((s) => lower.includes(s)) || regexps.some((r) => r.test(text));
  };
}

/** Emails shared by unrelated people: never a reason to join two identities. */
function sharedEmail(email: string): boolean {
  return (
    email === '' ||
    !email.includes('@') ||
    /^(no-?reply|nobody|none|root|unknown|invalid)@/.test(email) ||
    email.endsWith('@localhost') ||
    email.endsWith('.(none)')
  );
}

/** Names too generic to join identities on. */
const GENERIC_NAMES = new Set([
  '',
  'unknown',
  'root',
  'admin',
  'administrator',
  'user',
  'git',
  'no author',
  'ubuntu',
]);

export interface Person {
  index: number;
  /** The name used most (by commits), for `--people` output only. */
  name: string;
  emails: string[];
  names: string[];
  bot: boolean;
  team: string | null;
  /** Outside any affiliation period: from the team, else the email domains; null when independent or unknown. */
  organisation: string | null;
  /** Known only by personal addresses (public email providers): no organisation of their own. */
  independent: boolean;
  /** The mapping's time-bounded affiliations of this person, in file order (the first that covers a day wins). */
  affiliations: Pick<Affiliation, 'organisation' | 'fromDay' | 'untilDay'>[];
}

/** The person's organisation on a day (days since 1970-01-01 UTC): an affiliation covering it, else their organisation. */
export function organisationOn(person: Person, day: number): string | null {
  for (const a of person.affiliations)
    if ((a.fromDay === null || day >= a.fromDay) && (a.untilDay === null || day <= a.untilDay))
      return a.organisation;
  return person.organisation;
}

/** Independent on a day: no affiliation covers it and their addresses are personal ones. */
export function independentOn(person: Person, day: number): boolean {
  return person.independent && organisationOn(person, day) === null;
}

export interface People {
  people: Person[];
  /** Raw identity index -> person index. */
  personOf: Int32Array;
}

function domainOf(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 0) return null;
  const d = email.slice(at + 1).toLowerCase();
  return d && d !== 'localhost' ? d : null;
}

/**
 * From email domains (most used address first): the first the mapping's `organisations:`
 * names, else the first that is not a personal provider (the domain itself), else
 * independent when any address is a personal one.
 */
function organisationOfEmails(
  mapping: Mapping,
  emails: readonly string[],
): { organisation: string | null; independent: boolean } {
  const domains = emails.map(domainOf).filter((d): d is string => d !== null);
  for (const d of domains) {
    const org = mappedOrganisation(mapping, d);
    if (org !== undefined) return { organisation: org, independent: false };
  }
  const own = domains.find((d) => !isIndependentDomain(mapping, d));
  if (own) return { organisation: own, independent: false };
  return { organisation: null, independent: domains.length > 0 };
}

function affiliationsOf(
  mapping: Mapping,
  who: { emails: readonly string[]; names: readonly string[]; logins: readonly string[] },
): Person['affiliations'] {
  if (mapping.affiliations.length === 0) return [];
  const names = new Set(who.names.map(normaliseName));
  return mapping.affiliations
    .filter(
      (a) =>
        (a.email !== undefined && who.emails.includes(a.email)) ||
        (a.login !== undefined && who.logins.includes(a.login)) ||
        (a.name !== undefined && names.has(a.name)),
    )
    .map((a) => ({ organisation: a.organisation, fromDay: a.fromDay, untilDay: a.untilDay }));
}

/** The GitHub login inside a private-email address (`123+login@users.noreply.github.com`). */
export function loginFromEmail(email: string): string | null {
  const m = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i.exec(email);
  return m ? m[1].toLowerCase() : null;
}

/**
 * Joins identities into people. `weight[i]` (commits of identity i) decides a person's
 * display name and, among several domains, their organisation.
 */
export function resolvePeople(
  identities: readonly RawIdentity[],
  weight: ArrayLike<number>,
  mapping: Mapping,
  isBot: BotMatcher,
): People {
  const n = identities.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const bot = identities.map((id) => isBot(id.name) || isBot(id.email));
  const byEmail = new Map<string, number>();
  const byName = new Map<string, number>();
  identities.forEach((id, i) => {
    // Bots stay apart: a bot sharing a name with a person must not make the person a bot.
    const prefix = bot[i] ? 'bot:' : '';
    const email = id.email.trim().toLowerCase();
    if (!sharedEmail(email)) {
      const seen = byEmail.get(prefix + email);
      if (seen === undefined) byEmail.set(prefix + email, i);
      else union(seen, i);
    }
    const name = normaliseName(id.name);
    if (!GENERIC_NAMES.has(name)) {
      const seen = byName.get(prefix + name);
      if (seen === undefined) byName.set(prefix + name, i);
      else union(seen, i);
    }
  });

  const rootToPerson = new Map<number, number>();
  const personOf = new Int32Array(n);
  const groups: number[][] = [];
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let p = rootToPerson.get(r);
    if (p === undefined) {
      p = groups.length;
      rootToPerson.set(r, p);
      groups.push([]);
    }
    groups[p].push(i);
    personOf[i] = p;
  }

  const people = groups.map((members, index): Person => {
    // Most commits first; on a tie a real address beats a GitHub private one, then first seen.
    const ranked = [...members].sort(
      (a, b) =>
        weight[b] - weight[a] ||
        Number(loginFromEmail(identities[a].email) !== null) -
          Number(loginFromEmail(identities[b].email) !== null) ||
        a - b,
    );
    const emails = [...new Set(ranked.map((i) => identities[i].email.toLowerCase()).filter(Boolean))];
    const names = [...new Set(ranked.map((i) => identities[i].name).filter(Boolean))];
    const logins = emails.map(loginFromEmail).filter((l): l is string => l !== null);
    const team = teamOf(mapping, { emails, names, logins });
    const fromEmails = team?.organisation
      ? { organisation: team.organisation, independent: false }
      : organisationOfEmails(mapping, emails);
    return {
      index,
      name: names[0] ?? emails[0] ?? '(unknown)',
      emails,
      names,
      bot: members.some((i) => bot[i]),
      team: team?.name ?? null,
      organisation: fromEmails.organisation,
      independent: fromEmails.independent,
      affiliations: affiliationsOf(mapping, { emails, names, logins }),
    };
  });
  return { people, personOf };
}
