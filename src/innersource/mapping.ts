/**
 * The organisation's mapping file: people to teams, email domains to organisations,
 * repositories to owning teams, extra bot patterns. YAML or JSON; errors name the file
 * and line.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { yaml } from '../core/lazy-yaml.ts';
import { matchesDomain, PUBLIC_EMAIL_PROVIDERS } from './email-providers.ts';

const member = z.string().min(1);

const teamSchema = z.union([
  z.array(member),
  z
    .object({
      members: z.array(member).default([]),
      organisation: z.string().optional(),
      description: z.string().optional(),
    })
    .strict(),
]);

/** A domain or a wildcard `name.*`: no `@`, `/`, spaces or control characters, `*` only as the last label. */
function validDomainPattern(d: string): boolean {
  for (const c of d) if (c <= ' ' || c === '@' || c === '/') return false;
  const star = d.indexOf('*');
  if (star >= 0 && (star !== d.length - 1 || !d.endsWith('.*') || d.length < 3)) return false;
  return !d.startsWith('.') && !d.includes('..');
}

const domainPattern = z.string().min(1).refine(validDomainPattern, {
  message: 'a domain (example.org, subdomains included) or name.* (any top-level part)',
});

const affiliationSchema = z
  .object({
    member: member.describe('Email, @login or name, as in teams.'),
    organisation: z.string().min(1),
    from: z.iso
      .date()
      .optional()
      .describe('First day (YYYY-MM-DD, UTC) of the affiliation; open when absent.'),
    until: z.iso.date().optional().describe('Last day (YYYY-MM-DD, UTC, included); open when absent.'),
  })
  .strict()
  .refine((a) => !a.from || !a.until || a.from <= a.until, {
    message: 'from must not be after until',
    path: ['until'],
  });

export const mappingSchema = z
  .object({
    teams: z
      .record(z.string(), teamSchema)
      .default({})
      .describe('Team name -> members (email, name, or @login), or {members, organisation}.'),
    organisations: z
      .record(z.string(), z.string())
      .default({})
      .describe('Email domain (subdomains included) -> organisation name.'),
    independentDomains: z
      .array(domainPattern)
      .default([])
      .describe(
        'Email domains of personal addresses, added to the built-in public providers: their people are independent, not an organisation.',
      ),
    affiliations: z
      .array(affiliationSchema)
      .default([])
      .describe(
        'A person’s organisation over a period (from/until): wins over teams and email domains for commits made in it.',
      ),
    repositories: z
      .record(z.string(), z.string())
      .default({})
      .describe('Repository folder name -> owning team; wins over CODEOWNERS.'),
    bots: z
      .array(z.string())
      .default([])
      .describe('Extra bot patterns: a case-insensitive substring of a name, email or login, or /regex/.'),
    thresholds: z
      .object({
        releaseDays: z.number().positive(),
        activityDays: z.number().positive(),
        absenceFactor: z.number().int().positive(),
        crossTeamShare: z.number().min(0).max(1),
        newContributors: z.number().int().min(0),
        firstResponseHours: z.number().positive(),
        mergeHours: z.number().positive(),
        acceptanceShare: z.number().min(0).max(1),
        reviewCoverage: z.number().min(0).max(1),
      })
      .partial()
      .strict()
      .optional()
      .describe('Check thresholds; see docs/innersource.md for defaults.'),
  })
  .strict();

export interface Team {
  name: string;
  /** Lower-cased emails, `@logins` and normalised names. */
  emails: Set<string>;
  logins: Set<string>;
  names: Set<string>;
  organisation?: string;
  description?: string;
}

/** A person's organisation over a period; days are counted from 1970-01-01 UTC, null is open. */
export interface Affiliation {
  /** Lower-cased email, `@login`, or normalised name. */
  email?: string;
  login?: string;
  name?: string;
  organisation: string;
  fromDay: number | null;
  untilDay: number | null;
}

export interface Mapping {
  teams: Team[];
  /** Extra personal-email domains (patterns as in email-providers.ts), lower case. */
  independentDomains: string[];
  /** In file order. */
  affiliations: Affiliation[];
  /** Lower-cased domain -> organisation, longest first so subdomains match their most specific entry. */
  domains: [string, string][];
  repositories: Map<string, string>;
  bots: string[];
  thresholds: Partial<Record<string, number>>;
  /** Where it came from, for messages. */
  file?: string;
}

export class MappingError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Lower case, accents removed, punctuation to spaces, spaces collapsed: `José  Núñez-Ruiz` -> `jose nunez ruiz`. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function emptyMapping(): Mapping {
  return {
    teams: [],
    independentDomains: [],
    affiliations: [],
    domains: [],
    repositories: new Map(),
    bots: [],
    thresholds: {},
  };
}

export function buildMapping(raw: z.input<typeof mappingSchema>, file?: string): Mapping {
  const parsed = mappingSchema.parse(raw);
  const teams: Team[] = [];
  for (const [name, spec] of Object.entries(parsed.teams)) {
    const members = Array.isArray(spec) ? spec : spec.members;
    const team: Team = { name, emails: new Set(), logins: new Set(), names: new Set() };
    if (!Array.isArray(spec)) {
      if (spec.organisation) team.organisation = spec.organisation;
      if (spec.description) team.description = spec.description;
    }
    for (const m of members) {
      const t = m.trim();
      if (t.startsWith('@')) team.logins.add(t.slice(1).toLowerCase());
      else if (t.includes('@')) team.emails.add(t.toLowerCase());
      else team.names.add(normaliseName(t));
    }
    teams.push(team);
  }
  const domains = Object.entries(parsed.organisations)
    .map(([d, org]): [string, string] => [d.toLowerCase().replace(/^@/, ''), org])
    .sort((a, b) => b[0].length - a[0].length);
  const repositories = new Map(Object.entries(parsed.repositories).map(([k, v]) => [k.toLowerCase(), v]));
  const dayOfIso = (d: string | undefined): number | null =>
    d === undefined ? null : Math.floor(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
  const affiliations = parsed.affiliations.map((a): Affiliation => {
    const t = a.member.trim();
    const who = t.startsWith('@')
      ? { login: t.slice(1).toLowerCase() }
      : t.includes('@')
        ? { email: t.toLowerCase() }
        : { name: normaliseName(t) };
    return { ...who, organisation: a.organisation, fromDay: dayOfIso(a.from), untilDay: dayOfIso(a.until) };
  });
  return {
    teams,
    independentDomains: parsed.independentDomains.map((d) => d.toLowerCase()),
    affiliations,
    domains,
    repositories,
    bots: parsed.bots,
    thresholds: parsed.thresholds ?? {},
    ...(file ? { file } : {}),
  };
}

/** Reads a mapping file; a syntax or shape error names the file and, where known, the line. */
export function loadMapping(file: string): Mapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new MappingError(`cannot read mapping file: ${(err as Error).message}`, file);
  }
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new MappingError(e.message.split('\n')[0], file, lines.linePos(e.pos[0]).line);
  }
  const result = mappingSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.map(String);
    let line: number | undefined;
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) line = lines.linePos(node.range[0]).line;
    throw new MappingError(`${path.join('.') || '(root)'}: ${issue.message}`, file, line);
  }
  return buildMapping(result.data, file);
}

/** The organisation the mapping's `organisations:` gives a domain (most specific entry), if any. */
export function mappedOrganisation(mapping: Mapping, domain: string): string | undefined {
  const d = domain.toLowerCase();
  for (const [suffix, org] of mapping.domains) if (d === suffix || d.endsWith(`.${suffix}`)) return org;
  return undefined;
}

/** The organisation of an email domain: the mapping's most specific entry, else the domain itself. */
export function organisationOfDomain(mapping: Mapping, domain: string): string {
  return mappedOrganisation(mapping, domain) ?? domain.toLowerCase();
}

/**
 * A personal-email domain: a built-in public provider (email-providers.ts) or one of the
 * mapping's `independentDomains`, unless `organisations:` claims it.
 */
export function isIndependentDomain(mapping: Mapping, domain: string): boolean {
  const d = domain.toLowerCase();
  if (mappedOrganisation(mapping, d) !== undefined) return false;
  return matchesDomain(PUBLIC_EMAIL_PROVIDERS, d) || matchesDomain(mapping.independentDomains, d);
}

export function teamByName(mapping: Mapping, name: string): Team | undefined {
  const lower = name.toLowerCase();
  return mapping.teams.find((t) => t.name.toLowerCase() === lower);
}

/** The team whose members include any of these emails, logins or names (first team in file order wins). */
export function teamOf(
  mapping: Mapping,
  who: { emails?: Iterable<string>; logins?: Iterable<string>; names?: Iterable<string> },
): Team | undefined {
  const emails = [...(who.emails ?? [])].map((e) => e.toLowerCase());
  const logins = [...(who.logins ?? [])].map((l) => l.toLowerCase());
  const names = [...(who.names ?? [])].map(normaliseName).filter(Boolean);
  return mapping.teams.find(
    (t) =>
      emails.some((e) => t.emails.has(e)) ||
      logins.some((l) => t.logins.has(l)) ||
      names.some((n) => t.names.has(n)),
  );
}

export interface CodeOwnersRule {
  pattern: string;
  owners: string[];
  line: number;
}

/** CODEOWNERS lines: `pattern owner...`, `#` comments; escaped spaces in patterns are kept. */
export function parseCodeOwners(text: string): CodeOwnersRule[] {
  const rules: CodeOwnersRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = withoutComment(raw).trim();
    if (!line || line.startsWith('[') || line.startsWith('^[')) return; // GitLab section headers
    const parts: string[] = line.match(/(?:\\ |\S)+/g) ?? [];
    if (parts.length === 0) return;
    rules.push({ pattern: parts[0], owners: parts.slice(1), line: i + 1 });
  });
  return rules;
}

export interface Owner {
  team: string;
  source: 'mapping' | 'codeowners';
  /** Set when read from CODEOWNERS. */
  file?: string;
  line?: number;
  /** True when the team has members in the mapping, so its members can be told from others. */
  known: boolean;
}

/**
 * The owning team of a repository: the mapping's `repositories` entry, else the owners of
 * the catch-all rule in CODEOWNERS (the last `*` line, as the last match wins), else of its
 * first rule. `@org/team` names the team `team`; a `@user` or email resolves through the
 * mapping's team members.
 */
export function resolveOwner(
  mapping: Mapping,
  repoName: string,
  codeOwners?: { file: string; text: string },
): Owner | undefined {
  const mapped = mapping.repositories.get(repoName.toLowerCase());
  if (mapped) {
    const team = teamByName(mapping, mapped);
    return { team: team?.name ?? mapped, source: 'mapping', known: Boolean(team) };
  }
  if (!codeOwners) return undefined;
  const rules = parseCodeOwners(codeOwners.text).filter((r) => r.owners.length > 0);
  const catchAll = rules.filter((r) => r.pattern === '*' || r.pattern === '/*' || r.pattern === '**');
  const rule = catchAll.at(-1) ?? rules[0];
  if (!rule) return undefined;
  for (const owner of rule.owners) {
    const team = ownerTeam(mapping, owner);
    if (team) return { ...team, source: 'codeowners', file: codeOwners.file, line: rule.line };
  }
  return undefined;
}

function ownerTeam(mapping: Mapping, owner: string): { team: string; known: boolean } | undefined {
  if (owner.startsWith('@') && owner.includes('/')) {
    const slug = owner.slice(owner.indexOf('/') + 1);
    const team = teamByName(mapping, slug) ?? teamByName(mapping, owner.slice(1));
    return { team: team?.name ?? slug, known: Boolean(team) };
  }
  const team = owner.startsWith('@')
    ? teamOf(mapping, { logins: [owner.slice(1)] })
    : owner.includes('@')
      ? teamOf(mapping, { emails: [owner] })
      : undefined;
  return team ? { team: team.name, known: true } : undefined;
}

/** A CODEOWNERS line up to its comment: a `#` at the start or after white space. Found by one scan. */
function withoutComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '#' && (i === 0 || /\s/.test(line[i - 1] as string)))
      return line.slice(0, i === 0 ? 0 : i - 1);
  }
  return line;
}
