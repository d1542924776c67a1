/**
 * The UI's one way to data. The live dashboard reads the JSON API (server-side filtering
 * and paging); the single-file report reads the JSON embedded in the page and filters in
 * the browser with the same predicate. Views never know which one they have.
 */
import type { Finding } from '../src/core/model.ts';
import type {
  FindingFilter,
  FindingPage,
  RunList,
  RunMeta,
  RunSummary,
  SourceSnippet,
  SubjectView,
} from '../src/server/api-types.ts';
import { ALL_SERIES, pickSeries } from '../src/server/series-view.ts';
import { type EmbeddedReport, type Unpacked, unpack } from './embedded.ts';
import { filterFindings } from './filter.ts';

export interface DataSource {
  readonly mode: 'live' | 'embedded';
  /** The one run whose findings this source holds (the single-file report); undefined for the live API. */
  readonly fixedRun?: number;
  /** Every run of every series, newest first (the run picker). */
  runs(): Promise<RunSummary[]>;
  /**
   * The runs of one series (by key; by default the newest run's; `all` mixes them), newest
   * first, optionally within one domain.
   */
  seriesRuns(series: string | undefined, domain?: string): Promise<RunList>;
  runMeta(run: number): Promise<RunMeta>;
  findings(run: number, filter: FindingFilter): Promise<FindingPage>;
  subject(run: number, id: string): Promise<SubjectView | undefined>;
  source(run: number, file: string, line: number): Promise<SourceSnippet>;
  /** Every finding of a run that matches (the print view); bounded by `limit`. */
  allFindings(run: number, filter: FindingFilter, limit: number): Promise<FindingPage>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const newestFirst = (runs: RunSummary[]) => [...runs].sort((a, b) => b.run - a.run);

function filterParams(filter: FindingFilter): URLSearchParams {
  const p = new URLSearchParams();
  if (filter.severity?.length) p.set('severity', filter.severity.join(','));
  if (filter.status?.length) p.set('status', filter.status.join(','));
  if (filter.checkId?.length) p.set('check', filter.checkId.join(','));
  if (filter.control) p.set('control', filter.control);
  if (filter.subject) p.set('subject', filter.subject);
  if (filter.file) p.set('file', filter.file);
  if (filter.text) p.set('text', filter.text);
  if (filter.type) p.set('type', filter.type);
  if (filter.sort) p.set('sort', filter.sort);
  if (filter.groupBy) p.set('group', filter.groupBy);
  if (filter.limit !== undefined) p.set('limit', String(filter.limit));
  if (filter.offset !== undefined) p.set('offset', String(filter.offset));
  return p;
}

/** A GET of the live API, the token in the Authorization header; an answer other than 2xx is an ApiError. */
export async function getJson<T>(path: string, token: string | undefined): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { headers, credentials: 'omit' });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: string };
      if (body.error) message = body.error;
    } catch {
      // Not JSON: keep the status line.
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

/** The live API of `assay serve`. A token (when the server needs one) rides in the Authorization header. */
export class ApiSource implements DataSource {
  readonly mode = 'live';
  private readonly metas = new Map<number, Promise<RunMeta>>();
  /** `base` prefixes every API path: assay server mounts a project's API under `/projects/<name>`. */
  constructor(
    private readonly token: string | undefined,
    private readonly base = '',
  ) {}

  private get<T>(path: string): Promise<T> {
    return getJson<T>(`${this.base}${path}`, this.token);
  }

  async runs(): Promise<RunSummary[]> {
    const { runs } = await this.get<RunList>(`/api/runs?${new URLSearchParams({ series: ALL_SERIES })}`);
    return newestFirst(runs);
  }
  async seriesRuns(series: string | undefined, domain?: string): Promise<RunList> {
    const params = new URLSearchParams();
    if (series) params.set('series', series);
    if (domain) params.set('domain', domain);
    const list = await this.get<RunList>(`/api/runs?${params}`);
    return { ...list, runs: newestFirst(list.runs) };
  }
  runMeta(run: number): Promise<RunMeta> {
    let meta = this.metas.get(run);
    if (!meta) {
      meta = this.get<RunMeta>(`/api/runs/${run}`);
      meta.catch(() => this.metas.delete(run));
      this.metas.set(run, meta);
    }
    return meta;
  }
  findings(run: number, filter: FindingFilter): Promise<FindingPage> {
    return this.get<FindingPage>(`/api/runs/${run}/findings?${filterParams(filter)}`);
  }
  async subject(run: number, id: string): Promise<SubjectView | undefined> {
    try {
      return await this.get<SubjectView>(`/api/runs/${run}/subject?${new URLSearchParams({ id })}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return undefined;
      throw err;
    }
  }
  source(run: number, file: string, line: number): Promise<SourceSnippet> {
    return this.get<SourceSnippet>(
      `/api/runs/${run}/source?${new URLSearchParams({ file, line: String(line) })}`,
    );
  }
  async allFindings(run: number, filter: FindingFilter, limit: number): Promise<FindingPage> {
    // limit 0 still answers the total.
    const first = await this.findings(run, { ...filter, limit: Math.min(limit, 1000), offset: 0 });
    const findings: Finding[] = [...first.findings];
    while (findings.length < Math.min(limit, first.total)) {
      const next = await this.findings(run, { ...filter, limit: 1000, offset: findings.length });
      if (next.findings.length === 0) break;
      findings.push(...next.findings.slice(0, limit - findings.length));
    }
    return { total: first.total, findings };
  }
}

/** The data embedded in a single-file report: one run, filtered in the browser. */
export class EmbeddedSource implements DataSource {
  readonly mode = 'embedded';
  readonly fixedRun: number;
  private readonly data: Unpacked;
  private last: { key: string; all: FindingPage } | undefined;
  constructor(report: EmbeddedReport) {
    this.data = unpack(report);
    this.fixedRun = this.data.meta.run;
  }
  private check(run: number): void {
    if (run !== this.data.meta.run) throw new ApiError(404, `run ${run} is not in this report`);
  }
  async runs(): Promise<RunSummary[]> {
    return newestFirst(this.data.runs);
  }
  async seriesRuns(series: string | undefined, domain?: string): Promise<RunList> {
    const runs = newestFirst(this.data.runs).filter((r) => !domain || r.domain === domain);
    const picked = pickSeries(runs, series);
    if ('error' in picked) throw new ApiError(404, picked.error);
    return picked;
  }
  async runMeta(run: number): Promise<RunMeta> {
    this.check(run);
    return this.data.meta;
  }
  async findings(run: number, filter: FindingFilter): Promise<FindingPage> {
    this.check(run);
    // Paging through one filter and order reuses its matches (50,000 findings sort in tens of ms, not nothing).
    const { limit, offset, ...rest } = filter;
    const key = JSON.stringify(rest);
    if (this.last?.key !== key) this.last = { key, all: filterFindings(this.data.findings, rest) };
    const { all } = this.last;
    const from = offset ?? 0;
    const page = all.findings.slice(from, limit === undefined ? undefined : from + limit);
    return { ...all, findings: page };
  }
  async subject(run: number, id: string): Promise<SubjectView | undefined> {
    this.check(run);
    const subject = this.data.subjects.find((s) => s.id === id);
    if (!subject) return undefined;
    return { subject, findings: this.data.findings.filter((f) => f.subject.id === id) };
  }
  async source(run: number, file: string, line: number): Promise<SourceSnippet> {
    this.check(run);
    const s = this.data.snippet(file, line);
    return 'note' in s ? { file, line, startLine: line, lines: [], note: s.note } : { file, line, ...s };
  }
  async allFindings(run: number, filter: FindingFilter, limit: number): Promise<FindingPage> {
    return this.findings(run, { ...filter, limit, offset: 0 });
  }
}
