/**
 * The shapes the dashboard API returns, shared by the server (src/server/app.ts), the
 * single-file report (src/report/html.ts) and the UI (web/). Types only: the browser
 * bundle imports this file, so it must stay free of Node imports.
 */
import type { Assessment, Finding, SourceLocation } from '../core/model.ts';
import type { FindingPage, FindingQuery, RunSummary } from '../store/store.ts';
import type { SeriesInfo, SeriesRuns } from './series-view.ts';

export type { FindingPage, FindingQuery, RunSummary, SeriesInfo };

/** `GET /api/runs`: the runs of one series (or of all, when asked), and the series there are. */
export type RunList = SeriesRuns;

/** A run's assessment without its (possibly 50,000) findings and subjects: what the UI needs up front. */
export type RunMeta = Omit<Assessment, 'findings' | 'subjects'> & {
  run: number;
  subjectCount: number;
};

/** A finding filter as the explorer sends it: the store's query without the run. */
export type FindingFilter = Omit<FindingQuery, 'run'>;

export interface SubjectRef {
  id: string;
  name: string;
  type: string;
  kind: string;
  location: SourceLocation;
}

/** The subject page: the subject and all of its findings in one run. */
export interface SubjectView {
  subject: SubjectRef;
  findings: Finding[];
}

/** Source lines around a line of one of the run's input files. */
export interface SourceSnippet {
  file: string;
  /** The line asked for (1-based). */
  line: number;
  /** Line number of `lines[0]`. */
  startLine: number;
  lines: string[];
  /** Why no lines are shown, or a caveat about them (e.g. the file changed since the run). */
  note?: string;
}

/** Error body of every non-2xx API answer. */
export interface ApiError {
  error: string;
}
