/**
 * Pull-request and issue data read from an export folder: GitHub REST API JSON as the API
 * returns it, or Azure DevOps pull-request JSON. Both become the same small model, from
 * which responsiveness is computed.
 *
 * Layout, per repository, in `<export>/<repository folder name>/`:
 *   GitHub:       pulls.json (GET /repos/{o}/{r}/pulls?state=all), issues.json, labels.json,
 *                 issue-comments.json (GET .../issues/comments), review-comments.json
 *                 (GET .../pulls/comments), reviews/<number>.json (GET .../pulls/{n}/reviews),
 *                 repo.json (GET /repos/{o}/{r})
 *   Azure DevOps: pullrequests.json (GET .../pullrequests?searchCriteria.status=all),
 *                 threads/<pullRequestId>.json (GET .../pullRequests/{id}/threads)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { InputError } from '../core/model.ts';

export interface Actor {
  /** GitHub login or Azure DevOps uniqueName, lower case. */
  login: string;
  name?: string;
  email?: string;
  /** The platform says so (GitHub `type: Bot`); name patterns are applied later. */
  bot: boolean;
}

export interface ResponseEvent {
  who: Actor;
  /** Epoch milliseconds. */
  at: number;
  kind: 'review' | 'comment';
}

export interface ChangeRequest {
  number: number;
  title: string;
  author: Actor;
  createdAt: number;
  closedAt: number | null;
  mergedAt: number | null;
  state: 'open' | 'merged' | 'declined';
  draft: boolean;
  events: ResponseEvent[];
  /** People who reviewed (approved, requested changes, commented in a review, voted). */
  reviewers: Actor[];
}

export interface IssueRecord {
  number: number;
  author: Actor;
  createdAt: number;
  closedAt: number | null;
  labels: string[];
  events: ResponseEvent[];
}

export interface RepoMeta {
  description?: string;
  stars?: number;
  forks?: number;
  watchers?: number;
  openIssues?: number;
  createdAt?: number;
  updatedAt?: number;
  topics?: string[];
  htmlUrl?: string;
}

export interface ActivityData {
  source: 'github' | 'azure-devops';
  /** The folder read, relative to the root where possible. */
  folder: string;
  changeRequests: ChangeRequest[];
  /** Undefined when the export has no issue data (Azure DevOps, or no issues.json). */
  issues?: IssueRecord[];
  /** Repository labels, when labels.json is present. */
  labels?: string[];
  meta?: RepoMeta;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: Json | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const time = (v: Json | undefined): number | null => {
  const s = str(v);
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
};

/** A problem with one export file; it becomes an InputError and the rest is still read. */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

function readJson(file: string): Json {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new ExportError(`invalid JSON: ${msg}`, file, line);
  }
}

function arrayIn(file: string, value: Json, what: string): Json[] {
  if (Array.isArray(value)) return value;
  // Azure DevOps wraps lists as {count, value: [...]}; some exporters do the same for GitHub.
  if (isObj(value) && Array.isArray(value.value)) return value.value;
  throw new ExportError(`expected ${what} (a JSON array)`, file, 1);
}

function githubActor(v: Json | undefined): Actor {
  if (!isObj(v)) return { login: '(ghost)', bot: false };
  const login = (str(v.login) ?? '(ghost)').toLowerCase();
  const actor: Actor = { login, bot: str(v.type) === 'Bot' };
  const name = str(v.name);
  if (name) actor.name = name;
  const email = str(v.email);
  if (email) actor.email = email;
  return actor;
}

/** The trailing number of an API URL (`.../issues/12` -> 12). */
function trailingNumber(url: string | undefined): number | undefined {
  const m = url ? /\/(\d+)$/.exec(url) : null;
  return m ? Number(m[1]) : undefined;
}

function readGithub(dir: string, root: string, errors: InputError[]): ActivityData {
  const folder = relative(root, dir) || '.';
  const guard = <T>(file: string, fallback: T, fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      const e = err instanceof ExportError ? err : new ExportError((err as Error).message, file);
      errors.push({
        file: relative(root, e.file) || e.file,
        ...(e.line ? { line: e.line } : {}),
        code: 'pr-export',
        message: e.message,
      });
      return fallback;
    }
  };
  const pullsFile = join(dir, 'pulls.json');
  const pulls = guard(pullsFile, [] as Json[], () =>
    arrayIn(pullsFile, readJson(pullsFile), 'a list of pull requests'),
  );
  const byNumber = new Map<number, ChangeRequest>();
  const changeRequests: ChangeRequest[] = [];
  for (const p of pulls) {
    if (!isObj(p)) continue;
    const number = num(p.number);
    const createdAt = time(p.created_at);
    if (number === undefined || createdAt === null) continue;
    const mergedAt = time(p.merged_at);
    const closedAt = time(p.closed_at);
    const cr: ChangeRequest = {
      number,
      title: str(p.title) ?? '',
      author: githubActor(p.user),
      createdAt,
      closedAt,
      mergedAt,
      state: mergedAt !== null ? 'merged' : str(p.state) === 'closed' ? 'declined' : 'open',
      draft: p.draft === true,
      events: [],
      reviewers: [],
    };
    byNumber.set(number, cr);
    changeRequests.push(cr);
  }

  const reviewFiles: [number, string][] = [];
  const reviewsDir = join(dir, 'reviews');
  if (existsSync(reviewsDir)) {
    for (const f of readdirSync(reviewsDir)) {
      const m = /^(\d+)\.json$/.exec(f);
      if (m) reviewFiles.push([Number(m[1]), join(reviewsDir, f)]);
    }
  }
  for (const [number, file] of reviewFiles.sort((a, b) => a[0] - b[0])) {
    const cr = byNumber.get(number);
    if (!cr) continue;
    const reviews = guard(file, [] as Json[], () => arrayIn(file, readJson(file), 'a list of reviews'));
    for (const r of reviews) {
      if (!isObj(r)) continue;
      const state = str(r.state);
      if (state === 'PENDING') continue; // not yet submitted: nobody has seen it
      const who = githubActor(r.user);
      cr.reviewers.push(who);
      const at = time(r.submitted_at);
      if (at !== null) cr.events.push({ who, at, kind: 'review' });
    }
  }

  let issues: IssueRecord[] | undefined;
  const issuesFile = join(dir, 'issues.json');
  const issueByNumber = new Map<number, IssueRecord>();
  if (existsSync(issuesFile)) {
    issues = [];
    const list = guard(issuesFile, [] as Json[], () =>
      arrayIn(issuesFile, readJson(issuesFile), 'a list of issues'),
    );
    for (const i of list) {
      if (!isObj(i) || i.pull_request !== undefined) continue; // the issues API lists pull requests too
      const number = num(i.number);
      const createdAt = time(i.created_at);
      if (number === undefined || createdAt === null) continue;
      const labels = Array.isArray(i.labels)
        ? i.labels.map((l) => (isObj(l) ? str(l.name) : str(l))).filter((l): l is string => Boolean(l))
        : [];
      const issue: IssueRecord = {
        number,
        author: githubActor(i.user),
        createdAt,
        closedAt: time(i.closed_at),
        labels,
        events: [],
      };
      issues.push(issue);
      issueByNumber.set(number, issue);
    }
  }

  const commentsFile = join(dir, 'issue-comments.json');
  if (existsSync(commentsFile)) {
    const list = guard(commentsFile, [] as Json[], () =>
      arrayIn(commentsFile, readJson(commentsFile), 'a list of issue comments'),
    );
    for (const c of list) {
      if (!isObj(c)) continue;
      const number = trailingNumber(str(c.issue_url));
      const at = time(c.created_at);
      if (number === undefined || at === null) continue;
      const event: ResponseEvent = { who: githubActor(c.user), at, kind: 'comment' };
      (byNumber.get(number) ?? issueByNumber.get(number))?.events.push(event);
    }
  }
  const reviewCommentsFile = join(dir, 'review-comments.json');
  if (existsSync(reviewCommentsFile)) {
    const list = guard(reviewCommentsFile, [] as Json[], () =>
      arrayIn(reviewCommentsFile, readJson(reviewCommentsFile), 'a list of review comments'),
    );
    for (const c of list) {
      if (!isObj(c)) continue;
      const number = trailingNumber(str(c.pull_request_url));
      const at = time(c.created_at);
      if (number === undefined || at === null) continue;
      byNumber.get(number)?.events.push({ who: githubActor(c.user), at, kind: 'comment' });
    }
  }

  const data: ActivityData = { source: 'github', folder, changeRequests };
  if (issues) data.issues = issues;
  const labelsFile = join(dir, 'labels.json');
  if (existsSync(labelsFile)) {
    const list = guard(labelsFile, [] as Json[], () =>
      arrayIn(labelsFile, readJson(labelsFile), 'a list of labels'),
    );
    data.labels = list
      .map((l) => (isObj(l) ? str(l.name) : undefined))
      .filter((l): l is string => Boolean(l));
  }
  const repoFile = join(dir, 'repo.json');
  if (existsSync(repoFile)) {
    const r = guard(repoFile, null as Json, () => readJson(repoFile));
    if (isObj(r)) {
      const meta: RepoMeta = {};
      const description = str(r.description);
      if (description) meta.description = description;
      if (num(r.stargazers_count) !== undefined) meta.stars = num(r.stargazers_count);
      if (num(r.forks_count) !== undefined) meta.forks = num(r.forks_count);
      // `watchers_count` mirrors stars in the REST API; `subscribers_count` is the real watchers.
      const watchers = num(r.subscribers_count) ?? num(r.watchers_count);
      if (watchers !== undefined) meta.watchers = watchers;
      if (num(r.open_issues_count) !== undefined) meta.openIssues = num(r.open_issues_count);
      const created = time(r.created_at);
      if (created !== null) meta.createdAt = created;
      const updated = time(r.pushed_at) ?? time(r.updated_at);
      if (updated !== null) meta.updatedAt = updated;
      if (Array.isArray(r.topics)) meta.topics = r.topics.filter((t): t is string => typeof t === 'string');
      const url = str(r.html_url);
      if (url) meta.htmlUrl = url;
      data.meta = meta;
    }
  }
  return data;
}

function adoActor(v: Json | undefined): Actor {
  if (!isObj(v)) return { login: '(unknown)', bot: false };
  const unique = str(v.uniqueName) ?? str(v.id) ?? str(v.displayName) ?? '(unknown)';
  const actor: Actor = { login: unique.toLowerCase(), bot: false };
  const name = str(v.displayName);
  if (name) actor.name = name;
  if (unique.includes('@')) actor.email = unique.toLowerCase();
  return actor;
}

function readAzureDevOps(dir: string, root: string, errors: InputError[]): ActivityData {
  const folder = relative(root, dir) || '.';
  const file = join(dir, 'pullrequests.json');
  const changeRequests: ChangeRequest[] = [];
  const report = (err: unknown, f: string): void => {
    const e = err instanceof ExportError ? err : new ExportError((err as Error).message, f);
    errors.push({
      file: relative(root, e.file) || e.file,
      ...(e.line ? { line: e.line } : {}),
      code: 'pr-export',
      message: e.message,
    });
  };
  let list: Json[] = [];
  try {
    list = arrayIn(file, readJson(file), 'a list of pull requests');
  } catch (err) {
    report(err, file);
  }
  for (const p of list) {
    if (!isObj(p)) continue;
    const number = num(p.pullRequestId);
    const createdAt = time(p.creationDate);
    if (number === undefined || createdAt === null) continue;
    const status = str(p.status);
    const closedAt = time(p.closedDate);
    const author = adoActor(p.createdBy);
    const cr: ChangeRequest = {
      number,
      title: str(p.title) ?? '',
      author,
      createdAt,
      closedAt,
      mergedAt: status === 'completed' ? closedAt : null,
      state: status === 'completed' ? 'merged' : status === 'abandoned' ? 'declined' : 'open',
      draft: p.isDraft === true,
      events: [],
      reviewers: [],
    };
    if (Array.isArray(p.reviewers)) {
      for (const r of p.reviewers) {
        // A vote (approve +10/+5, wait -5, reject -10) is a review; 0 is "no vote yet".
        if (isObj(r) && (num(r.vote) ?? 0) !== 0 && r.isContainer !== true) cr.reviewers.push(adoActor(r));
      }
    }
    let threads: Json[] | undefined = Array.isArray(p.threads) ? p.threads : undefined;
    const threadFile = join(dir, 'threads', `${number}.json`);
    if (!threads && existsSync(threadFile)) {
      try {
        threads = arrayIn(threadFile, readJson(threadFile), 'a list of threads');
      } catch (err) {
        report(err, threadFile);
      }
    }
    for (const t of threads ?? []) {
      if (!isObj(t) || !Array.isArray(t.comments)) continue;
      for (const c of t.comments) {
        if (!isObj(c) || str(c.commentType) === 'system' || c.isDeleted === true) continue;
        const at = time(c.publishedDate);
        if (at !== null) cr.events.push({ who: adoActor(c.author), at, kind: 'comment' });
      }
    }
    changeRequests.push(cr);
  }
  return { source: 'azure-devops', folder, changeRequests };
}

/**
 * The activity export for one repository, looked up by folder name in each export folder
 * given. Undefined when none has it; problems with its files are added to `errors`.
 */
export function readActivity(
  exportDirs: readonly string[],
  repoName: string,
  root: string,
  errors: InputError[],
): ActivityData | undefined {
  for (const base of exportDirs) {
    const dir = join(base, repoName);
    if (existsSync(join(dir, 'pulls.json'))) return readGithub(dir, root, errors);
    if (existsSync(join(dir, 'pullrequests.json'))) return readAzureDevOps(dir, root, errors);
  }
  return undefined;
}
