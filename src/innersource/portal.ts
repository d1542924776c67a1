/**
 * The InnerSource portal: a searchable catalog of the organisation's projects (name,
 * description, owning team, activity score, languages, contribution guide, health),
 * ranked by the Repository Activity Score. Rendered from a scan's report like any other
 * report: JSON for an existing portal, Markdown for a wiki, or one self-contained HTML page.
 */
import { markdownCell, markdownLink, markdownText } from '../report/markdown-escape.ts';
import type { InnerSourceReport, RepositoryReport } from './scan.ts';

export const PORTAL_FORMATS = ['html', 'json', 'markdown'] as const;
export type PortalFormat = (typeof PORTAL_FORMATS)[number];

export interface PortalEntry {
  name: string;
  title: string;
  description: string | null;
  owner: string | null;
  activityScore: number;
  languages: string[];
  /** Link to the contribution guide when the remote is a known host, else its path in the repository. */
  contributionGuide: string | null;
  health: string;
  score: number | null;
  url: string | null;
  lastActivity: string | null;
  contributors: number;
}

/**
 * `ssh://[user@]host[:port]/path` -> `https://host/path`, by splitting the authority. (The pattern it
 * replaces was quadratic on a long authority without a slash, and read `ssh://host/p` as host `t`.)
 */
function sshToHttps(url: string): string {
  if (!url.startsWith('ssh://')) return url;
  const slash = url.indexOf('/', 6);
  if (slash < 0) return url;
  const authority = url.slice(6, slash);
  let host = authority.slice(authority.lastIndexOf('@') + 1);
  const colon = host.indexOf(':');
  if (colon >= 0) {
    const port = host.slice(colon + 1);
    if (!/^\d*$/.test(port)) return url;
    host = host.slice(0, colon);
  }
  return host === '' ? url : `https://${host}${url.slice(slash)}`;
}

/** `git@github.com:o/r.git` and `https://github.com/o/r.git` -> `https://github.com/o/r`; other hosts kept as https when they are. */
export function webUrl(remote: string | null): string | null {
  if (!remote) return null;
  let url = remote.trim();
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(url);
  if (scp) url = `https://${scp[1]}/${scp[2]}`;
  url = sshToHttps(url);
  if (!/^https?:\/\//.test(url)) return null;
  return url.replace(/\.git$/, '');
}

function guideLink(repo: RepositoryReport): string | null {
  const path = repo.contributionGuide;
  if (!path) return null;
  const url = webUrl(repo.remote);
  const branch = repo.scan.branch ?? 'HEAD';
  if (url && /^https:\/\/(www\.)?github\.com\//.test(url)) return `${url}/blob/${branch}/${path}`;
  if (url && /dev\.azure\.com|visualstudio\.com/.test(url)) return `${url}?path=/${encodeURIComponent(path)}`;
  if (url && /gitlab/.test(url)) return `${url}/-/blob/${branch}/${path}`;
  return path;
}

export function portalEntries(report: InnerSourceReport): PortalEntry[] {
  return report.repositories
    .map((r) => ({
      name: r.name,
      title: r.name,
      description: r.description,
      owner: r.owner?.team ?? null,
      activityScore: r.activityScore,
      languages: r.languages,
      contributionGuide: guideLink(r),
      health: r.score.level,
      score: r.score.score,
      url: webUrl(r.remote),
      lastActivity: r.history.lastActivity,
      contributors: r.history.activeContributors,
    }))
    .sort((a, b) => b.activityScore - a.activityScore || a.name.localeCompare(b.name, 'en'));
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderMarkdown(entries: PortalEntry[], report: InnerSourceReport): string {
  const out = [
    '# InnerSource projects',
    '',
    `${entries.length} projects, ranked by Repository Activity Score (window ${markdownText(`${report.window.since ?? 'all history'} .. ${report.window.until}`)}).`,
    '',
    '| project | description | owning team | activity | health | languages | contribute |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const e of entries) {
    // Remote URLs and guide paths come from the repositories: only safe targets become links.
    const name = e.url ? markdownLink(e.title, e.url) : markdownCell(e.title);
    const guide = e.contributionGuide ? markdownLink('guide', e.contributionGuide) : '-';
    out.push(
      `| ${name} | ${markdownCell(e.description ?? '')} | ${markdownCell(e.owner ?? '-')} | ${e.activityScore} | ${markdownCell(e.health)} | ${markdownCell(e.languages.join(', '))} | ${guide} |`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** JSON inside a <script> element: `<` escaped so no string can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function card(e: PortalEntry): string {
  const title = e.url ? `<a href="${esc(e.url)}">${esc(e.title)}</a>` : esc(e.title);
  const guide = e.contributionGuide
    ? /^https?:\/\//.test(e.contributionGuide)
      ? `<a href="${esc(e.contributionGuide)}">How to contribute</a>`
      : `Contribute: <code>${esc(e.contributionGuide)}</code>`
    : '<span class="missing">No contribution guide</span>';
  const search = [e.title, e.description ?? '', e.owner ?? '', ...e.languages, e.health]
    .join(' ')
    .toLowerCase();
  return `<article class="card" data-search="${esc(search)}" data-score="${e.activityScore}">
<h2>${title}</h2>
<p class="desc">${esc(e.description ?? 'No description yet.')}</p>
<dl>
<dt>Owning team</dt><dd>${esc(e.owner ?? 'unknown')}</dd>
<dt>Activity score</dt><dd>${e.activityScore}</dd>
<dt>Health</dt><dd class="health ${esc(e.health)}">${esc(e.health)}${e.score === null ? '' : ` (${e.score})`}</dd>
<dt>Languages</dt><dd>${esc(e.languages.join(', ') || '-')}</dd>
<dt>Last commit</dt><dd>${esc(e.lastActivity ?? '-')}</dd>
</dl>
<p class="guide">${guide}</p>
</article>`;
}

function renderHtml(entries: PortalEntry[], report: InnerSourceReport): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>InnerSource projects</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2228}
header{padding:1rem 2rem;background:#1d2228;color:#fff}
header p{margin:.25rem 0 0;color:#c8ccd2}
#q{margin:1rem 2rem;padding:.5rem .75rem;width:min(40rem,80vw);font-size:1rem}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(19rem,1fr));gap:1rem;padding:0 2rem 2rem}
.card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:1rem}
.card h2{margin:0 0 .5rem;font-size:1.1rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.15rem .75rem;margin:.5rem 0}
dt{color:#5b636d}dd{margin:0}
.health.healthy{color:#1a7f37}.health.developing{color:#9a6700}.health.at-risk{color:#cf222e}
.missing{color:#8c959f}
</style>
</head>
<body>
<header><h1>InnerSource projects</h1><p>${entries.length} projects, ranked by Repository Activity Score; window ${esc(report.window.since ?? 'all history')} .. ${esc(report.window.until)}</p></header>
<input id="q" type="search" placeholder="Search by name, description, team, language" aria-label="Search projects">
<main id="projects">
${entries.map(card).join('\n')}
</main>
<script type="application/json" id="portal-data">${scriptJson(entries)}</script>
<script>
const q=document.getElementById('q');
q.addEventListener('input',()=>{const t=q.value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
for(const c of document.querySelectorAll('.card')){const s=c.dataset.search;c.hidden=!t.every(w=>s.includes(w));}});
</script>
</body>
</html>
`;
}

export function renderPortal(format: PortalFormat, report: InnerSourceReport): string {
  const entries = portalEntries(report);
  switch (format) {
    case 'json':
      return `${JSON.stringify({ generatedFrom: 'assay innersource portal', window: report.window, projects: entries }, null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(entries, report);
    case 'html':
      return renderHtml(entries, report);
  }
}
