/**
 * The core model shared by every domain: subjects are assessed by checks, which
 * produce findings; one run of the engine is an assessment. Nothing here does I/O.
 */

import type { Marking } from './marking.ts';
import type { RunScope } from './series.ts';

/** The result of one check on one subject. `waived` keeps the original status beside it. */
export type Status = 'pass' | 'fail' | 'unknown' | 'error' | 'waived' | 'not-applicable';

export const STATUSES: readonly Status[] = ['pass', 'fail', 'unknown', 'error', 'waived', 'not-applicable'];

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Highest first; used for sorting and for `--fail-on`. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

/** A place a person can open: file path relative to the scan root where possible, 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** Something assessed: an Azure resource, a repository, a cloud launch. */
export interface Subject<TData = unknown> {
  /** The kind of subject, e.g. `azure-resource`; checks declare which kind they read. */
  kind: string;
  /** Stable identifier, unique within an assessment (e.g. an ARM resource id). */
  id: string;
  /** Human name, e.g. the resource name after expansion. */
  name: string;
  /** A finer type, e.g. `Microsoft.Storage/storageAccounts`. */
  type: string;
  location: SourceLocation;
  data: TData;
}

/** Descriptive metadata every check carries; rendered in docs, SARIF rules and `assay explain`. */
export interface CheckMeta {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  remediation: string;
  /** Control ids this check evidences, e.g. `ism-1139`. */
  controls: string[];
  /** Essential Eight mitigation strategies where one applies, e.g. `E8-RA` (restrict administrative privileges). */
  essentialEight?: string[];
  /** Subject kind the check reads. */
  subjectKind: string;
  /** Finer types it applies to (resource types for Azure); empty means every subject of the kind. */
  subjectTypes: string[];
  tags?: string[];
  /** Further reading, e.g. the Azure documentation of the property. */
  references?: string[];
  /** Options the check takes (config `checks.options`), with their defaults and the values in effect. */
  options?: CheckOptionInfo[];
}

/** One option of a check as docs and reports show it: JSON values, no code. */
export interface CheckOptionInfo {
  name: string;
  description: string;
  default: unknown;
  /** The value in effect in this run: the default unless the config set another. */
  value: unknown;
}

/** What a check says about one subject. `location` overrides the subject's location (e.g. the property's line). */
export interface CheckOutcome {
  status: 'pass' | 'fail' | 'unknown' | 'not-applicable';
  message: string;
  location?: SourceLocation;
  /** Small, JSON-serialisable facts behind the verdict (the value read, the property path). */
  evidence?: Record<string, unknown>;
}

/** A check: metadata plus a pure function. It may return several outcomes (e.g. one per NSG rule). */
export interface Check<TSubject extends Subject = Subject, TContext = unknown> {
  meta: CheckMeta;
  run(subject: TSubject, context: TContext): CheckOutcome | CheckOutcome[];
  /** Present when the check takes options (src/core/check-options.ts); `run` uses their defaults. */
  options?: CheckOptionsDeclaration<TSubject, TContext>;
}

/** Anything that validates like a zod schema's `safeParse` (a zod object schema is one). */
export interface OptionsSchema<T> {
  safeParse(
    input: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** A check's options: how values are validated, their defaults, and the check's run with given values. */
export interface CheckOptionsDeclaration<TSubject extends Subject = Subject, TContext = unknown> {
  /** Validates a complete set of values (the defaults with the config's values over them). */
  schema: OptionsSchema<Record<string, unknown>>;
  defaults: Readonly<Record<string, unknown>>;
  /** One sentence per option, for docs and `assay explain`. */
  descriptions: Readonly<Record<string, string>>;
  /** The check's run with these values in effect (validated, every option present). */
  runWith(values: Readonly<Record<string, unknown>>): Check<TSubject, TContext>['run'];
}

/** One check on one subject. */
export interface Finding {
  checkId: string;
  title: string;
  severity: Severity;
  status: Status;
  /** Status before a waiver was applied; present only when `status` is `waived`. */
  originalStatus?: Status;
  message: string;
  subject: { id: string; name: string; type: string; kind: string };
  location: SourceLocation;
  controls: string[];
  evidence?: Record<string, unknown>;
  /** The risk acceptance behind a `waived` finding (or an expired one that no longer waives it). */
  waiver?: WaiverRef;
}

/** A risk acceptance as recorded on a finding: from `assay.waivers.yaml` or an inline suppression. */
export interface WaiverRef {
  id: string;
  source: 'waiver-file' | 'inline';
  justification: string;
  approvedBy?: string;
  created?: string;
  /** ISO date; absent for inline suppressions without an expiry. */
  expires?: string;
  ticket?: string;
  /** True when the waiver has expired and so no longer waives (the finding keeps its own status). */
  expired?: boolean;
}

/** A problem with an input that stopped part of the run: malformed JSON, a limit exceeded. */
export interface InputError {
  file: string;
  line?: number;
  column?: number;
  /** Short machine-readable code, e.g. `json-syntax`, `copy-limit`, `variable-cycle`. */
  code: string;
  message: string;
}

/**
 * A template fault: an expression assay evaluated fully from known values and found that Azure
 * Resource Manager refuses at deployment (a division by zero, an array index out of range). Not
 * an input error: the evidence was read; the deployment it describes would fail. The value it
 * affects is unknown and the rest is still assessed; the message says what and how much.
 */
export interface TemplateFault {
  file: string;
  line?: number;
  column?: number;
  /** `division-by-zero` or `index-out-of-range`. */
  code: string;
  message: string;
}

/** A note that did not stop anything: a tolerated comment, a skipped file. */
export interface InputNote {
  file: string;
  line?: number;
  level: 'warning' | 'info';
  message: string;
}

export interface StatusCounts {
  pass: number;
  fail: number;
  unknown: number;
  error: number;
  waived: number;
  'not-applicable': number;
}

export interface Summary {
  subjects: number;
  findings: number;
  byStatus: StatusCounts;
  /** Failed findings by severity. */
  failedBySeverity: Record<Severity, number>;
  /** Percentage of decided findings (pass + fail + waived) that pass or are waived; null when nothing was decided. */
  score: number | null;
  /** The same score with waivers ignored (waived findings counted by their original status). */
  scoreBeforeWaivers: number | null;
}

/** Where a control stands in one assessment. `not-assessed`: no automated check evidences it. */
export type ControlStatus =
  | 'met'
  | 'not-met'
  | 'partially-met'
  | 'unknown'
  | 'waived'
  | 'not-assessed'
  | 'manual';

export interface ControlResult {
  /** Control id as in the catalog, e.g. `ism-1139`. */
  id: string;
  title?: string;
  /** The control statement, when a catalog is loaded. */
  statement?: string;
  /** Catalog class, e.g. `ISM-control` or `ISM-principle`. */
  class?: string;
  status: ControlStatus;
  /** Checks that evidence this control (whether or not they ran on any subject). */
  checks: string[];
  /** Findings that evidence it, by check and subject. */
  findings: { checkId: string; subjectId: string; status: Status }[];
}

/** A baseline evaluated against an assessment's findings: the compliance matrix. */
export interface ComplianceMatrix {
  baseline: { name: string; title: string; source?: string };
  catalog?: { title: string; version?: string; source?: string };
  controls: ControlResult[];
  coverage: {
    /** Controls in the baseline. */
    total: number;
    /** Controls with at least one automated check. */
    automated: number;
    /** Controls with at least one decided or unknown finding. */
    assessed: number;
    met: number;
    notMet: number;
    partiallyMet: number;
    unknown: number;
    waived: number;
    notAssessed: number;
  };
}

/** One run of the engine: what was read, what was found. This is what reports render and the store keeps. */
export interface Assessment {
  schemaVersion: 1;
  tool: { name: 'assay'; version: string };
  /** Deterministic id: a hash of inputs and findings, so identical runs have identical ids. */
  id: string;
  startedAt: string;
  finishedAt: string;
  domain: string;
  root: string;
  inputs: { file: string; kind: string; sha256: string }[];
  checks: CheckMeta[];
  subjects: { id: string; name: string; type: string; kind: string; location: SourceLocation }[];
  findings: Finding[];
  errors: InputError[];
  /** Template faults (ARM refuses the deployment); absent in assessments stored before they existed: read as none. */
  faults?: TemplateFault[];
  notes: InputNote[];
  summary: Summary;
  /** One matrix per baseline asked for (`--baseline`). */
  compliance?: ComplianceMatrix[];
  /** Waivers that had expired at scan time: reported so that someone renews or removes them. */
  expiredWaivers?: WaiverRef[];
  /** What the run was (command, targets, boundary, baselines): runs of one series are comparable. */
  scope?: RunScope;
  /** The protective marking every human-readable output of the run shows (`--classification`); none when absent. */
  marking?: Marking;
}
