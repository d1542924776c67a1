/**
 * The InnerSource source end to end: find the clones, read each one's history (one
 * streaming `git log`, incrementally from the stored watermark), its documents and tags,
 * its pull-request export; resolve people across all repositories; compute metrics; run
 * the checks; assemble the assessment and the roll-ups.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { buildAssessment } from '../core/assessment.ts';
import { evaluate } from '../core/evaluate.ts';
import type { Assessment, InputError, InputNote } from '../core/model.ts';
import { runScope } from '../core/run-scope.ts';
import { type Waiver, waiverStage } from '../core/waivers.ts';
import type { InnerSourceCheck } from './checks/define.ts';
import { innerSourceChecks } from './checks/index.ts';
import {
  CHANGELOG,
  CODE_OF_CONDUCT,
  CONTRIBUTING,
  findCodeOwners,
  findDoc,
  findIssueTemplate,
  findPortalMetadata,
  findPullRequestTemplate,
  LICENCE,
  purposeOf,
  README,
  TRUSTED_COMMITTERS,
} from './documents.ts';
import { readHistory } from './git/log.ts';
import {
  allReachable,
  branchTips,
  looksLikeRepository,
  mailmapFingerprint,
  probeRepository,
  readBlobs,
  readTags,
  remoteUrl,
  summariseTree,
  type TagInfo,
} from './git/repo.ts';
import { GitError } from './git/run.ts';
import { History } from './history.ts';
import { topLanguages } from './languages.ts';
import { emptyMapping, type Mapping, resolveOwner } from './mapping.ts';
import { type HistoryMetrics, historyMetrics, type Window, windowOf } from './metrics.ts';
import {
  DEFAULT_THRESHOLDS,
  type DocFile,
  type HistoryScanInfo,
  type InnerSourceContext,
  REPOSITORY_KIND,
  type RepoData,
  type RepoDocuments,
  type RepositorySubject,
  type Thresholds,
} from './model.ts';
import { botMatcher, type People, type Person, resolvePeople } from './people.ts';
import { readActivity } from './prs.ts';
import { responsiveness } from './responsiveness.ts';
import {
  activityInputs,
  type OrganisationRollup,
  type RepoScore,
  repositoryActivityScore,
  rollUp,
  scoreFindings,
  type TeamRollup,
} from './rollup.ts';
import type { HistoryStateStore } from './state.ts';

const DAY_MS = 86_400_000;

export interface ScanProgress {
  /** Repositories finished so far, of `total`. */
  done: number;
  total: number;
  repo: string;
  /** Commits read so far in `repo`'s history pass, when in it. */
  commits?: number;
}

export interface InnerSourceScanOptions {
  /** Folder reported paths are relative to. Default: cwd. */
  root?: string;
  /** Risk acceptances, applied as on every domain (core/waivers.ts waiverStage). */
  waivers?: readonly Waiver[];
  mapping?: Mapping;
  /** Folders holding `<repository>/pulls.json` (GitHub) or `<repository>/pullrequests.json` (Azure DevOps). */
  prExports?: string[];
  /** Start of the window; null for all history. Default: a year before `until`. */
  since?: Date | null;
  /** End of the window. Default: `now`. */
  until?: Date;
  /** The clock (tests fix it). Default: the start of the scan. */
  now?: Date;
  /** Incremental state; without it every scan reads the whole history. */
  state?: HistoryStateStore;
  /** Rename detection in `git log`, as git does by default. Default true. */
  renames?: boolean;
  /** Read every local and remote-tracking branch, each commit once, instead of HEAD only. */
  allBranches?: boolean;
  /** Repositories scanned at once. Default: os.availableParallelism(). */
  concurrency?: number;
  /** Per-person figures in the metrics (`--people`). */
  people?: boolean;
  checks?: InnerSourceCheck[];
  thresholds?: Partial<Thresholds>;
  onProgress?(progress: ScanProgress): void;
}

export interface RepositoryReport {
  name: string;
  path: string;
  owner: RepoData['owner'];
  remote: string | null;
  description: string | null;
  languages: string[];
  history: HistoryMetrics;
  responsiveness: RepoData['responsiveness'];
  tags: TagInfo;
  score: RepoScore;
  activityScore: number;
  scan: HistoryScanInfo;
  contributionGuide: string | null;
}

/** Everything `assay innersource scan` reports: the assessment plus the metrics and roll-ups. */
export interface InnerSourceReport {
  schemaVersion: 1;
  window: { since: string | null; until: string };
  repositories: RepositoryReport[];
  teams: TeamRollup[];
  organisation: OrganisationRollup;
  /** True when per-person figures are included (`--people`). */
  people: boolean;
  assessment: Assessment;
}

interface Candidate {
  dir: string;
  shown: string;
  /** Given explicitly (an error when it is not a repository) or found inside a given folder (a note). */
  explicit: boolean;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Each argument is a clone, or a folder whose immediate subfolders are clones. */
function discover(
  paths: readonly string[],
  root: string,
  errors: InputError[],
  notes: InputNote[],
): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const shown = (p: string) => relative(root, p) || '.';
  const add = (dir: string, explicit: boolean) => {
    let key = dir;
    try {
      key = realpathSync(dir);
    } catch {
      // keep the path as given
    }
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ dir, shown: shown(dir), explicit });
  };
  for (const p of paths) {
    const dir = resolve(root, p);
    if (!existsSync(dir)) {
      errors.push({ file: shown(dir), code: 'not-found', message: 'no such file or folder' });
      continue;
    }
    if (!isDir(dir)) {
      errors.push({
        file: shown(dir),
        code: 'not-a-folder',
        message: 'expected a git clone or a folder of clones',
      });
      continue;
    }
    if (looksLikeRepository(dir)) {
      add(dir, true);
      continue;
    }
    const children = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    let found = 0;
    for (const name of children) {
      const child = join(dir, name);
      if (looksLikeRepository(child)) {
        add(child, false);
        found++;
      } else notes.push({ file: shown(child), level: 'warning', message: 'not a git repository; skipped' });
    }
    if (found === 0 && children.length === 0)
      errors.push({
        file: shown(dir),
        code: 'no-repositories',
        message: 'not a git repository and holds no subfolders',
      });
  }
  return out;
}

/** A pool of at most `limit` tasks at once; results in input order. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

interface ScannedRepo {
  candidate: Candidate;
  name: string;
  absolutePath: string;
  history: History;
  scan: HistoryScanInfo;
  documents: RepoDocuments;
  tags: TagInfo;
  remote: string | null;
  languages: string[];
}

function repoName(dir: string): string {
  return basename(dir).replace(/\.git$/i, '');
}

/** The watermark's branch field when every branch was read rather than HEAD. */
export const ALL_BRANCHES = '(all branches)';

/**
 * Reads history: from the stored watermark when every commit it covers is still in the
 * history being read, else all of it. The watermark is HEAD, or with `allBranches` the
 * sorted tips of every branch (space-separated); git walks the tips once, so a commit on
 * several branches counts once.
 */
async function scanHistory(
  c: Candidate,
  key: string,
  probe: { bare: boolean; shallow: boolean; head: string; branch: string | null },
  options: InnerSourceScanOptions,
  onCommits: (n: number) => void,
  notes: InputNote[],
): Promise<{ history: History; info: HistoryScanInfo }> {
  const started = performance.now();
  const renames = options.renames !== false;
  const allBranches = options.allBranches === true;
  const tips = allBranches ? await branchTips(c.dir) : [probe.head];
  if (tips.length === 0) tips.push(probe.head);
  const watermark = tips.join(' ');
  const branch = allBranches ? ALL_BRANCHES : probe.branch;
  const mailmap = await mailmapFingerprint(c.dir, probe.bare);
  const stored = options.state ? await options.state.load(key) : undefined;
  let history: History | undefined;
  let mode: HistoryScanInfo['mode'] = 'full';
  let reason: string | undefined;
  let commitsRead = 0;
  if (stored) {
    const olds = stored.head.split(' ');
    if (stored.mailmap !== mailmap) reason = '.mailmap changed since the last scan';
    else if (stored.renames !== renames) reason = 'rename detection setting changed since the last scan';
    else if ((stored.branch === ALL_BRANCHES) !== allBranches)
      reason = allBranches
        ? 'every branch is read now, HEAD only before'
        : 'HEAD only is read now, every branch before';
    else if (stored.history.coauthored === undefined)
      reason = 'the stored aggregates predate co-author counting (Co-authored-by trailers)';
    else if (stored.head === watermark) {
      history = History.fromJSON(stored.history);
      mode = 'unchanged';
    } else if (await allReachable(c.dir, olds, tips)) {
      const added = await readHistory(c.dir, {
        range: [...tips, ...olds.map((t) => `^${t}`)],
        renames,
        bare: probe.bare,
        onProgress: onCommits,
      });
      history = History.fromJSON(stored.history);
      history.merge(added);
      commitsRead = added.commitsRead;
      mode = 'incremental';
    } else
      reason = allBranches
        ? 'a stored branch tip is no longer in any branch (rewritten or force-pushed, or the branch was deleted)'
        : `the stored watermark ${stored.head.slice(0, 12)} is no longer in HEAD's history (rewritten or force-pushed)`;
    if (reason) notes.push({ file: c.shown, level: 'info', message: `full rescan: ${reason}` });
  }
  if (!history) {
    history = await readHistory(c.dir, {
      range: tips,
      renames,
      bare: probe.bare,
      onProgress: onCommits,
    });
    commitsRead = history.commitsRead;
  }
  if (options.state && mode !== 'unchanged') {
    await options.state.save({
      key,
      head: watermark,
      branch,
      mailmap,
      renames,
      scannedAt: new Date().toISOString(),
      history: history.toJSON(),
    });
  }
  const info: HistoryScanInfo = {
    commitsRead,
    mode,
    head: probe.head,
    branch,
    bare: probe.bare,
    shallow: probe.shallow,
    totalCommits: history.commitsRead,
    ms: Math.round(performance.now() - started),
  };
  if (reason) info.reason = reason;
  return { history, info };
}

async function readDocuments(dir: string, paths: string[]): Promise<RepoDocuments> {
  const found: Partial<Record<keyof RepoDocuments, string>> = {
    readme: findDoc(paths, README),
    contributing: findDoc(paths, CONTRIBUTING),
    codeowners: findCodeOwners(paths),
    trustedCommitters: findDoc(paths, TRUSTED_COMMITTERS),
    issueTemplate: findIssueTemplate(paths),
    pullRequestTemplate: findPullRequestTemplate(paths),
    licence: findDoc(paths, LICENCE, ['']),
    changelog: findDoc(paths, CHANGELOG, ['', 'docs/']),
    codeOfConduct: findDoc(paths, CODE_OF_CONDUCT),
    portalMetadata: findPortalMetadata(paths),
  };
  const read: (keyof RepoDocuments)[] = ['readme', 'contributing', 'codeowners', 'portalMetadata'];
  const wanted = read
    .map((k) => found[k])
    .filter((p): p is string => Boolean(p) && !(p as string).includes('\n'));
  const texts = await readBlobs(dir, wanted);
  const docs: RepoDocuments = {};
  for (const [k, path] of Object.entries(found) as [keyof RepoDocuments, string | undefined][]) {
    if (!path) continue;
    const doc: DocFile = { path };
    if (read.includes(k)) doc.text = texts.get(path) ?? '';
    docs[k] = doc;
  }
  return docs;
}

async function scanRepository(
  c: Candidate,
  options: InnerSourceScanOptions,
  progress: (commits: number) => void,
  errors: InputError[],
  notes: InputNote[],
  tagsBefore: number,
): Promise<ScannedRepo | undefined> {
  const probe = await probeRepository(c.dir);
  if (probe.kind === 'not-a-repository') {
    if (c.explicit) errors.push({ file: c.shown, code: 'not-a-repository', message: 'not a git repository' });
    else notes.push({ file: c.shown, level: 'warning', message: 'not a git repository; skipped' });
    return undefined;
  }
  if (probe.kind === 'corrupt') {
    errors.push({
      file: c.shown,
      code: 'git-corrupt',
      message: `git cannot read this repository: ${probe.message}`,
    });
    return undefined;
  }
  if (probe.kind === 'empty') {
    notes.push({
      file: c.shown,
      level: 'warning',
      message: 'empty repository (no commits); nothing to assess',
    });
    return undefined;
  }
  if (probe.shallow)
    notes.push({
      file: c.shown,
      level: 'warning',
      message: 'shallow clone: history before the cut is missing; figures that need it are reported unknown',
    });
  let key = c.dir;
  try {
    key = realpathSync(c.dir);
  } catch {
    // keep the path as given
  }
  const { history, info } = await scanHistory(c, key, probe, options, progress, notes);
  const [tree, tags, remote] = await Promise.all([
    summariseTree(c.dir),
    readTags(c.dir, tagsBefore),
    remoteUrl(c.dir),
  ]);
  const documents = await readDocuments(c.dir, tree.paths);
  return {
    candidate: c,
    name: repoName(c.dir),
    absolutePath: key,
    history,
    scan: info,
    documents,
    tags,
    remote,
    languages: topLanguages(tree.extensions),
  };
}

/** Joins identities across every repository, so a person is one person organisation-wide. */
function resolveAcrossRepositories(
  repos: readonly ScannedRepo[],
  mapping: Mapping,
  isBot: ReturnType<typeof botMatcher>,
): { people: Person[]; views: People[] } {
  const index = new Map<string, number>();
  const identities: { name: string; email: string }[] = [];
  const weight: number[] = [];
  const local: Int32Array[] = [];
  for (const r of repos) {
    const perIdentity = new Float64Array(r.history.identities.length);
    r.history.forEachBucket((b) => {
      perIdentity[b.identity] += b.commits + b.merges + b.coauthored;
    });
    const map = new Int32Array(r.history.identities.length);
    r.history.identities.forEach((id, i) => {
      const k = `${id.name}\0${id.email}`;
      let g = index.get(k);
      if (g === undefined) {
        g = identities.length;
        index.set(k, g);
        identities.push(id);
        weight.push(0);
      }
      weight[g] += perIdentity[i];
      map[i] = g;
    });
    local.push(map);
  }
  const resolved = resolvePeople(identities, weight, mapping, isBot);
  const views = local.map((map) => ({
    people: resolved.people,
    personOf: Int32Array.from(map, (g) => resolved.personOf[g]),
  }));
  return { people: resolved.people, views };
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function portalMeta(docs: RepoDocuments): { title?: string; description?: string; skills?: string[] } {
  const text = docs.portalMetadata?.text;
  if (!text) return {};
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const inner = (v._InnerSourceMetadata ?? {}) as Record<string, unknown>;
    const out: { title?: string; description?: string; skills?: string[] } = {};
    if (typeof v.title === 'string') out.title = v.title;
    const description = v.description ?? inner.motivation;
    if (typeof description === 'string') out.description = description;
    const skills = v.skills ?? inner.skills;
    if (Array.isArray(skills)) out.skills = skills.filter((s): s is string => typeof s === 'string');
    return out;
  } catch {
    return {};
  }
}

export async function scanInnerSource(
  paths: readonly string[],
  options: InnerSourceScanOptions = {},
): Promise<InnerSourceReport> {
  const startedAt = new Date();
  const root = resolve(options.root ?? process.cwd());
  const now = options.now ?? startedAt;
  const until = options.until ?? now;
  const since = options.since === undefined ? new Date(until.getTime() - 365 * DAY_MS) : options.since;
  const window: Window = windowOf(since, until);
  // The window's last day is included whole: tags made after it are not counted.
  const tagsBefore = (window.untilDay + 1) * (DAY_MS / 1000);
  const mapping = options.mapping ?? emptyMapping();
  const isBot = botMatcher(mapping.bots);
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...mapping.thresholds, ...options.thresholds };
  const errors: InputError[] = [];
  const notes: InputNote[] = [];

  const candidates = discover(paths, root, errors, notes);
  let done = 0;
  const scanned = await pool(candidates, options.concurrency ?? os.availableParallelism(), async (c) => {
    const report = (commits?: number) =>
      options.onProgress?.({
        done,
        total: candidates.length,
        repo: c.shown,
        ...(commits !== undefined ? { commits } : {}),
      });
    report(0);
    try {
      return await scanRepository(c, options, report, errors, notes, tagsBefore);
    } catch (err) {
      const message =
        err instanceof GitError ? err.message : err instanceof Error ? err.message : String(err);
      errors.push({ file: c.shown, code: err instanceof GitError ? 'git-failed' : 'internal', message });
      return undefined;
    } finally {
      done++;
      report();
    }
  });
  const repos = scanned.filter((r): r is ScannedRepo => r !== undefined);

  const { people, views } = resolveAcrossRepositories(repos, mapping, isBot);
  const inputs: Assessment['inputs'] = [];
  const subjects: RepositorySubject[] = [];
  const actives: Map<number, number>[] = [];
  repos.forEach((r, i) => {
    const codeowners = r.documents.codeowners;
    const owner = resolveOwner(
      mapping,
      r.name,
      codeowners ? { file: codeowners.path, text: codeowners.text ?? '' } : undefined,
    );
    const active = new Map<number, number>();
    const history = historyMetrics(r.history, views[i], {
      window,
      ...(owner ? { owner } : {}),
      people: options.people === true,
      collect: active,
    });
    actives.push(active);
    const activity = options.prExports?.length
      ? readActivity(options.prExports, r.name, root, errors)
      : undefined;
    const rsp = activity
      ? responsiveness(activity, { window, mapping, isBot, ...(owner ? { owner } : {}) })
      : null;
    const portal = portalMeta(r.documents);
    const data: RepoData = {
      name: r.name,
      path: r.candidate.shown,
      absolutePath: r.absolutePath,
      remote: r.remote,
      documents: r.documents,
      tags: r.tags,
      owner: owner ?? null,
      history,
      responsiveness: rsp,
      meta: { ...(activity?.meta ?? {}), ...portal },
      languages: r.languages,
      scan: r.scan,
    };
    if (r.documents.contributing) data.meta.contributionGuide = r.documents.contributing.path;
    inputs.push({
      file: r.candidate.shown,
      kind: 'git-repository',
      sha256: sha256(`${r.scan.head}\0${r.scan.totalCommits}`),
    });
    if (activity) {
      const file = join(
        root,
        activity.folder,
        activity.source === 'github' ? 'pulls.json' : 'pullrequests.json',
      );
      try {
        inputs.push({
          file: relative(root, file),
          kind: `${activity.source}-pull-requests`,
          sha256: sha256(readFileSync(file)),
        });
      } catch {
        // unreadable: already reported as an input error
      }
    }
    subjects.push({
      kind: REPOSITORY_KIND,
      id: `innersource:${r.candidate.shown}`,
      name: r.name,
      type: r.scan.bare ? 'bare-clone' : 'clone',
      location: { file: r.candidate.shown, line: 1, column: 1 },
      data,
    });
  });

  const context: InnerSourceContext = { thresholds, untilDay: window.untilDay };
  const checks = options.checks ?? innerSourceChecks;
  const waived = waiverStage(
    evaluate(subjects, checks, context),
    options.waivers ?? [],
    (options.now ?? startedAt).toISOString().slice(0, 10),
  );
  const assessment = buildAssessment({
    domain: 'innersource',
    root,
    startedAt,
    inputs,
    checks: [...checks.map((c) => c.meta), ...waived.checks],
    subjects,
    findings: waived.findings,
    errors,
    notes: [...notes, ...waived.notes],
  });
  if (waived.expired.length > 0) assessment.expiredWaivers = waived.expired;
  assessment.scope = runScope(
    'innersource',
    paths.map((p) => relative(root, resolve(p)) || '.'),
  );

  const rollInputs = subjects.map((s, i) => {
    const mine = assessment.findings.filter((f) => f.subject.id === s.id);
    const description =
      s.data.meta.description ??
      (s.data.documents.readme?.text ? purposeOf(s.data.documents.readme.text)?.text : undefined);
    if (description && !s.data.meta.description) s.data.meta.description = description;
    return {
      repo: s.data,
      score: scoreFindings(mine),
      activityScore: repositoryActivityScore(activityInputs(s.data, window.untilDay, description)),
      active: actives[i],
    };
  });
  const { teams, organisation } = rollUp(rollInputs, people, window.untilDay);
  const repositories: RepositoryReport[] = rollInputs.map((ri) => ({
    name: ri.repo.name,
    path: ri.repo.path,
    owner: ri.repo.owner,
    remote: ri.repo.remote,
    description: ri.repo.meta.description ?? null,
    languages: ri.repo.languages,
    history: ri.repo.history,
    responsiveness: ri.repo.responsiveness,
    tags: ri.repo.tags,
    score: ri.score,
    activityScore: ri.activityScore,
    scan: ri.repo.scan,
    contributionGuide: ri.repo.meta.contributionGuide ?? null,
  }));
  return {
    schemaVersion: 1,
    window: {
      since: since ? since.toISOString().slice(0, 10) : null,
      until: until.toISOString().slice(0, 10),
    },
    repositories,
    teams,
    organisation,
    people: options.people === true,
    assessment,
  };
}
