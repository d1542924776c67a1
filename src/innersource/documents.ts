/**
 * Finding and reading a repository's standard documents, case-insensitively and with the
 * common variants (`Readme.md`, `README.rst`, `History.md` as a changelog), in the places
 * code hosts look: the root, `.github/`, `docs/`, `.gitlab/`, `.azuredevops/`.
 */

import { linksToText } from './markdown-links.ts';

/** Places searched, in the order hosts prefer them. */
const PLACES = ['', '.github/', 'docs/', '.gitlab/', '.azuredevops/'];

const DOC_EXT = /^(\.(md|markdown|mdown|rst|txt|adoc|asciidoc|org|textile))?$/i;

/** The first path (by place, then name) whose base name matches `base` (case-insensitive) plus a doc extension. */
export function findDoc(
  paths: readonly string[],
  bases: readonly string[],
  places = PLACES,
): string | undefined {
  const wanted = bases.map((b) => b.toLowerCase());
  for (const place of places) {
    const hits = paths
      .filter((p) => {
        if (!p.toLowerCase().startsWith(place.toLowerCase())) return false;
        const rest = p.slice(place.length);
        if (rest.includes('/')) return false;
        const lower = rest.toLowerCase();
        return wanted.some((w) => lower.startsWith(w) && DOC_EXT.test(rest.slice(w.length)));
      })
      .sort((a, b) => a.localeCompare(b, 'en'));
    if (hits.length > 0) return hits[0];
  }
  return undefined;
}

export const README = ['readme'];
export const CONTRIBUTING = ['contributing', 'contribute', 'contribution-guide', 'contribution_guide'];
export const CODE_OF_CONDUCT = ['code_of_conduct', 'code-of-conduct', 'codeofconduct'];
export const CHANGELOG = [
  'changelog',
  'change_log',
  'change-log',
  'changes',
  'history',
  'news',
  'releases',
  'release-notes',
  'release_notes',
];
export const LICENCE = [
  'license',
  'licence',
  'copying',
  'unlicense',
  'innersource-license',
  'innersource_license',
  'internal-use',
  'internal_use',
  'terms-of-use',
  'usage-policy',
];
export const TRUSTED_COMMITTERS = [
  'trusted-committers',
  'trusted_committers',
  'trustedcommitters',
  'maintainers',
  'owners',
  'committers',
];

/** CODEOWNERS lives in the root, `.github/`, `docs/` (GitHub) or `.gitlab/` and has no extension. */
export function findCodeOwners(paths: readonly string[]): string | undefined {
  for (const place of ['.github/', '', 'docs/', '.gitlab/']) {
    const hit = paths.find((p) => p.toLowerCase() === `${place}codeowners`);
    if (hit) return hit;
  }
  return undefined;
}

/** Issue templates: `.github/ISSUE_TEMPLATE/*`, `ISSUE_TEMPLATE.md` anywhere GitHub reads it, GitLab's issue_templates. */
export function findIssueTemplate(paths: readonly string[]): string | undefined {
  return paths
    .filter((p) => {
      const l = p.toLowerCase();
      return (
        /^(\.github\/|docs\/)?issue_template(\.md|\.yml|\.yaml)?$/.test(l) ||
        /^\.github\/issue_template\/[^/]+\.(md|yml|yaml)$/.test(l) ||
        /^\.gitlab\/issue_templates\/[^/]+\.md$/.test(l)
      );
    })
    .sort()[0];
}

/** Pull-request templates for GitHub, GitLab and Azure DevOps. */
export function findPullRequestTemplate(paths: readonly string[]): string | undefined {
  return paths
    .filter((p) => {
      const l = p.toLowerCase();
      return (
        /^(\.github\/|docs\/|\.azuredevops\/)?pull_request_template(\.md|\.txt)?$/.test(l) ||
        /^(\.github|\.azuredevops)\/pull_request_template\/[^/]+\.(md|txt)$/.test(l) ||
        /^\.gitlab\/merge_request_templates\/[^/]+\.md$/.test(l)
      );
    })
    .sort()[0];
}

export function findPortalMetadata(paths: readonly string[]): string | undefined {
  return paths.find((p) => p.toLowerCase() === 'innersource.json');
}

export interface Heading {
  text: string;
  line: number;
  level: number;
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/**
 * An ATX (`## Title ##`) or AsciiDoc (`== Title`) heading line: one to six `#` or `=`, white
 * space, then the title without closing `#`s. Parsed by hand: the pattern it replaces,
 * `^(#{1,6}|={1,6})\s+(.+?)\s*#*\s*$`, was cubic on a heading followed by many spaces.
 */
function atxHeading(line: string): { text: string; level: number } | undefined {
  const mark = line[0];
  if (mark !== '#' && mark !== '=') return undefined;
  let level = 0;
  while (line[level] === mark) level++;
  if (level > 6 || !isSpace(line[level])) return undefined;
  let start = level;
  while (isSpace(line[start])) start++;
  // The title, without trailing white space, closing '#'s and white space again (in that order from the end).
  let end = line.length;
  while (end > start && isSpace(line[end - 1])) end--;
  while (end > start && line[end - 1] === '#') end--;
  while (end > start && isSpace(line[end - 1])) end--;
  // A title of only '#'s keeps its first one, as the lazy pattern did.
  if (end === start) end = line[start] === '#' ? start + 1 : start;
  const text = line.slice(start, end);
  // '.' never matched a line terminator: such a title was no heading.
  if (text === '' || /[\r\u2028\u2029]/.test(text)) return undefined;
  return { text, level };
}

/** Markdown (ATX and setext), reStructuredText (underlined) and AsciiDoc (`==`) headings. */
export function headings(text: string): Heading[] {
  const lines = text.split(/\r?\n/);
  const out: Heading[] = [];
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const atx = atxHeading(line);
    if (atx) {
      out.push({ ...atx, line: i + 1 });
      continue;
    }
    const next = lines[i + 1];
    if (line.trim() && next && /^\s*([=\-~^*+#])\1{2,}\s*$/.test(next) && !/^\s*[-*+]\s/.test(line)) {
      out.push({ text: line.trim(), line: i + 1, level: next.trim()[0] === '=' ? 1 : 2 });
      i++;
    }
  }
  return out;
}

export function findHeading(text: string, pattern: RegExp): Heading | undefined {
  return headings(text).find((h) => pattern.test(h.text));
}

export const GETTING_STARTED =
  /getting[ -]started|get(ting)? started|quick[ -]?start|usage|how to use|install|set[ -]?up|prerequisites|building|how to build|running|first steps/i;
export const CONTRIBUTING_SECTION = /contribut/i;
export const TRUSTED_SECTION = /trusted[ -]committer|maintainer|who we are|core team|code owners|owners/i;
export const LICENCE_SECTION = /licen[cs]e|internal use|usage polic|terms of use|inner[ -]?source licen/i;

/** Words that show a document tells people how to propose a change. */
export const HOW_TO_CONTRIBUTE =
  /pull[ -]request|merge[ -]request|\bPRs?\b|\bfork\b|\bbranch\b|\bpatch\b|submit|open an issue|raise an issue|file an issue/i;

export interface Purpose {
  text: string;
  line: number;
}

/**
 * The README's first paragraph of prose: not a heading, badge, image, HTML or link list.
 * At least six words, so a bare title or a one-word tagline does not count as a purpose.
 */
export function purposeOf(text: string): Purpose | undefined {
  const lines = text.split(/\r?\n/);
  const heads = new Set(headings(text).flatMap((h) => [h.line, h.line + 1]));
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced || heads.has(i + 1)) continue;
    const line = raw.trim();
    if (!line || /^(\[!\[|!\[|<|\||[-*+] \[|\.\. |:|\[[^\]]*\]:)/.test(line)) continue;
    if (/^[=\-~^*+#]{3,}$/.test(line)) continue;
    const paragraph: string[] = [line];
    for (let j = i + 1; j < lines.length && lines[j].trim() && !heads.has(j + 1); j++)
      paragraph.push(lines[j].trim());
    // Images go, links keep their text.
    const prose = linksToText(paragraph.join(' ')).replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
    if (prose.split(' ').filter((w) => /\p{L}/u.test(w)).length >= 6) return { text: prose, line: i + 1 };
  }
  return undefined;
}
