/**
 * The InnerSource subject: one repository with what its checks read (documents found,
 * tags, history metrics, responsiveness). Checks are pure functions of it.
 */
import type { SourceLocation, Subject } from '../core/model.ts';
import type { TagInfo } from './git/repo.ts';
import type { Owner } from './mapping.ts';
import type { HistoryMetrics } from './metrics.ts';
import type { RepoMeta } from './prs.ts';
import type { Responsiveness } from './responsiveness.ts';

export const REPOSITORY_KIND = 'innersource-repository';

/** A document found in the repository (path relative to the repository root). */
export interface DocFile {
  path: string;
  /** Its text, when the check needs to read it (truncated at 256 KB). */
  text?: string;
}

export interface RepoDocuments {
  readme?: DocFile;
  contributing?: DocFile;
  codeowners?: DocFile;
  trustedCommitters?: DocFile;
  issueTemplate?: DocFile;
  pullRequestTemplate?: DocFile;
  licence?: DocFile;
  changelog?: DocFile;
  codeOfConduct?: DocFile;
  portalMetadata?: DocFile;
}

export interface HistoryScanInfo {
  /** Commits `git log` printed in this run (0 when HEAD had not moved since the stored watermark). */
  commitsRead: number;
  mode: 'full' | 'incremental' | 'unchanged';
  /** Why a full scan was needed although state was stored (rewritten history, changed mailmap). */
  reason?: string;
  head: string;
  branch: string | null;
  bare: boolean;
  shallow: boolean;
  /** Commits in the stored aggregate after this scan (the whole reachable history). */
  totalCommits: number;
  ms: number;
}

export interface RepoData {
  name: string;
  /** The repository folder relative to the scan root (as reports show paths). */
  path: string;
  absolutePath: string;
  remote: string | null;
  documents: RepoDocuments;
  tags: TagInfo;
  owner: Owner | null;
  history: HistoryMetrics;
  responsiveness: Responsiveness | null;
  /** Portal fields read from `innersource.json` or the GitHub export's repo.json. */
  meta: RepoMeta & { title?: string; contributionGuide?: string; skills?: string[] };
  /** Most common languages by file count, most first. */
  languages: string[];
  scan: HistoryScanInfo;
}

export type RepositorySubject = Subject<RepoData>;

/** Where a file of a repository is, as a report shows it. */
export function fileLocation(repo: RepoData, path: string, line = 1): SourceLocation {
  const file = repo.path === '.' || repo.path === '' ? path : `${repo.path}/${path}`;
  return { file, line, column: 1 };
}

/** Thresholds the activity and responsiveness checks compare with (mapping file `thresholds:`, CLI). */
export interface Thresholds {
  /** IS-ACT-001: a tag or release within this many days. */
  releaseDays: number;
  /** IS-ACT-002: a commit by a person within this many days. */
  activityDays: number;
  /** IS-ACT-003: contributor absence factor at least this. */
  absenceFactor: number;
  /** IS-ACT-004 / IS-RSP-005: share of commits / change requests from outside the owning team, 0..1. */
  crossTeamShare: number;
  /** IS-ACT-005: new contributors in the window at least this. */
  newContributors: number;
  /** IS-RSP-001: median hours to first response at most this. */
  firstResponseHours: number;
  /** IS-RSP-002: median hours to merge at most this. */
  mergeHours: number;
  /** IS-RSP-003: merged / closed change requests at least this, 0..1. */
  acceptanceShare: number;
  /** IS-RSP-004: share of merged change requests reviewed by someone else, 0..1. */
  reviewCoverage: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  releaseDays: 180,
  activityDays: 90,
  absenceFactor: 2,
  crossTeamShare: 0.1,
  newContributors: 1,
  firstResponseHours: 48,
  mergeHours: 168,
  acceptanceShare: 0.5,
  reviewCoverage: 0.8,
};

export interface InnerSourceContext {
  thresholds: Thresholds;
  /** The end of the window as a UTC day number (days since 1970-01-01). */
  untilDay: number;
}
