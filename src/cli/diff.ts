import type { Command } from 'commander';
import { type Finding, SEVERITIES, type Severity } from '../core/model.ts';
import { seriesLabel } from '../core/run-scope.ts';
import { markdownCell, markdownText } from '../report/markdown-escape.ts';
import { formatLocation, oneLine } from '../report/util.ts';
import {
  type AssessmentDiff,
  checkSetChanged,
  type DiffItem,
  diffAssessments,
  type FixedHow,
  newFailuresAtOrAbove,
} from '../store/diff.ts';
import { RUN_REF_HELP, resolveRunPair } from '../store/runs.ts';
import type { RunSummary, Store } from '../store/store.ts';
import { loadConfig } from './config.ts';
import { UsageError } from './select-checks.ts';
import { type SeriesFlags, seriesNote, seriesUsageError } from './series-options.ts';
import { addStoreOption, openHistory, type StoreFlags, storePath } from './store-options.ts';
import { shortTime } from './text-table.ts';

interface DiffFlags extends StoreFlags, Omit<SeriesFlags, 'seriesOf'> {
  format?: string;
  failOnNew?: string | boolean;
  verbose?: boolean;
  config?: string;
}

/** `--fail-on-new` with no severity: the same default as `scan --fail-on`. */
const DEFAULT_FAIL_ON_NEW: Severity = 'low';

export function registerDiff(program: Command): void {
  const command = program
    .command('diff')
    .description('compare two saved runs: new failures, fixed, still failing, newly unknown')
    .argument('[run-a]', `the earlier run: ${RUN_REF_HELP}`, 'previous')
    .argument('[run-b]', 'the later run', 'latest')
    .option('-f, --format <format>', 'table, json or markdown', 'table')
    .option(
      '--fail-on-new [severity]',
      `exit 1 when a new failure is at or above: ${SEVERITIES.join(', ')} (default: ${DEFAULT_FAIL_ON_NEW})`,
    )
    .option('--domain <domain>', 'resolve latest/previous/-N among runs of this domain')
    .option(
      '--any-series',
      'compare runs of different series (kind, targets, root or boundary); by default run-a is looked up in the series of run-b',
    )
    .option('-v, --verbose', 'also list every finding still failing (the table shows counts)')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)');
  addStoreOption(command).action(async (a: string, b: string, flags: DiffFlags) => {
    process.exitCode = await runDiff(a, b, flags);
  });
}

/**
 * Two run references resolved against the store, within the later run's series unless
 * `anySeries`; an unknown run, or one of another series, is a usage error (exit 2). The
 * later run plays the part `--series-of` plays for history and trend (series-options.ts).
 */
export async function resolveRuns(
  store: Store,
  refs: [string, string],
  domain: string | undefined,
  anySeries = false,
): Promise<[RunSummary, RunSummary]> {
  const runs = await store.listRuns(domain !== undefined ? { domain } : {});
  const r = resolveRunPair(runs, refs[0], refs[1], anySeries);
  if ('error' in r) throw seriesUsageError(r.error, domain);
  return [r.a, r.b];
}

async function runDiff(refA: string, refB: string, flags: DiffFlags): Promise<number> {
  const format = flags.format ?? 'table';
  if (!['table', 'json', 'markdown'].includes(format))
    throw new UsageError(`unknown format '${format}'; expected table, json or markdown`);
  let threshold: Severity | undefined;
  if (flags.failOnNew !== undefined && flags.failOnNew !== false) {
    const s = flags.failOnNew === true ? DEFAULT_FAIL_ON_NEW : flags.failOnNew;
    if (!(SEVERITIES as readonly string[]).includes(s))
      throw new UsageError(`--fail-on-new expects one of ${SEVERITIES.join(', ')}; got '${s}'`);
    threshold = s as Severity;
  }
  const { config } = loadConfig(flags.config);
  const store = await openHistory(storePath(flags, config), true);
  let diff: AssessmentDiff;
  let runA: RunSummary;
  let runB: RunSummary;
  try {
    [runA, runB] = await resolveRuns(store, [refA, refB], flags.domain, flags.anySeries === true);
    const [a, b] = await Promise.all([store.getAssessment(runA.run), store.getAssessment(runB.run)]);
    if (!a || !b) throw new UsageError(`run ${a ? runB.run : runA.run} has no saved assessment`);
    diff = diffAssessments(a, b);
  } finally {
    await store.close();
  }
  const notes: string[] = [];
  if (runA.series !== runB.series)
    notes.push(`runs of different series (${seriesLabel(runA.series)}; ${seriesLabel(runB.series)})`);
  // With --any-series given, runs that happen to share a series need no hint.
  else notes.push(seriesNote(runB.series, flags.anySeries === true ? '' : undefined));
  const rules = diff.checkSetChange;
  if (checkSetChanged(rules))
    notes.push(
      `the check set changed (${checkSetSummary(rules)}): findings of added or removed checks are listed apart, not counted as new or fixed`,
    );
  if (runA.run > runB.run)
    notes.push(`run ${runA.run} is newer than run ${runB.run}: the diff reads backwards`);
  for (const n of notes) process.stderr.write(`assay: note: ${n}\n`);

  if (format === 'json') process.stdout.write(`${JSON.stringify(diffJson(runA, runB, diff), null, 2)}\n`);
  else if (format === 'markdown') process.stdout.write(renderDiffMarkdown(runA, runB, diff));
  else process.stdout.write(renderDiffTable(runA, runB, diff, flags.verbose === true));
  if (threshold === undefined) return 0;
  return newFailuresAtOrAbove(diff, threshold).length > 0 ? 1 : 0;
}

const FIXED_HOW: Record<FixedHow, string> = {
  passes: 'now passes',
  'not-applicable': 'no longer applies',
  waived: 'now waived',
  'subject-removed': 'subject removed',
  'not-reported': 'no longer reported on this subject',
};

function shown(d: DiffItem): Finding {
  return (d.after ?? d.before)!;
}

function runLabel(r: RunSummary): string {
  return `run ${r.run} (${shortTime(r.startedAt)}${r.label ? `, ${r.label}` : ''})`;
}

function checkSetSummary(c: AssessmentDiff['checkSetChange']): string {
  const parts: string[] = [];
  if (c.added.length) parts.push(`${c.added.length} added`);
  if (c.removed.length) parts.push(`${c.removed.length} removed`);
  if (c.reseverity.length) parts.push(`${c.reseverity.length} with a new severity`);
  return parts.join(', ');
}

function counts(diff: AssessmentDiff): string {
  return `${diff.newFailures.length} new, ${diff.fixed.length} fixed, ${diff.stillFailing.length} still failing, ${diff.newlyUnknown.length} newly unknown`;
}

export function diffJson(a: RunSummary, b: RunSummary, diff: AssessmentDiff) {
  return {
    from: a,
    to: b,
    counts: {
      newFailures: diff.newFailures.length,
      fixed: diff.fixed.length,
      stillFailing: diff.stillFailing.length,
      newlyUnknown: diff.newlyUnknown.length,
      checkSetChange: diff.checkSetChange.findings.length,
    },
    ...diff,
  };
}

export function renderDiffTable(
  a: RunSummary,
  b: RunSummary,
  diff: AssessmentDiff,
  verbose: boolean,
): string {
  const out: string[] = [`${runLabel(a)} -> ${runLabel(b)}: ${counts(diff)}`];
  const line = (d: DiffItem, note: string) => {
    const f = shown(d);
    const label = (f.status === 'fail' || d.before?.status === 'fail' ? f.severity : f.status).toUpperCase();
    return `  ${formatLocation(f.location.file, f.location.line, f.location.column)}  ${label}  ${f.checkId}  ${f.subject.name}  ${note}`;
  };
  const section = <T extends DiffItem>(title: string, items: T[], note: (d: T) => string) => {
    if (items.length === 0) return;
    out.push('', `${title} (${items.length})`);
    for (const d of items) out.push(line(d, note(d)));
  };
  section('new failures', diff.newFailures, (d) => `${oneLine(shown(d).message)}${wasNote(d)}`);
  section('fixed', diff.fixed, (d) => FIXED_HOW[d.how]);
  section('newly unknown', diff.newlyUnknown, (d) => `${oneLine(shown(d).message)}${wasNote(d)}`);
  if (checkSetChanged(diff.checkSetChange)) {
    const c = diff.checkSetChange;
    out.push('', `check set changed: ${checkSetSummary(c)}; not counted above`);
    if (c.added.length) out.push(`  added: ${c.added.join(', ')}`);
    if (c.removed.length) out.push(`  removed: ${c.removed.join(', ')}`);
    for (const r of c.reseverity) out.push(`  severity ${r}`);
    const failing = c.findings.filter((d) => d.after?.status === 'fail').length;
    if (failing) out.push(`  ${failing} failure(s) from added checks${verbose ? ':' : ' (-v lists them)'}`);
    if (verbose)
      for (const d of c.findings.filter((x) => x.after?.status === 'fail'))
        out.push(line(d, oneLine(shown(d).message)));
  }
  if (verbose) section('still failing', diff.stillFailing, (d) => oneLine(shown(d).message));
  else if (diff.stillFailing.length > 0) {
    const bySeverity = SEVERITIES.map((s) => [
      s,
      diff.stillFailing.filter((d) => shown(d).severity === s).length,
    ])
      .filter(([, n]) => n)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
    out.push('', `still failing (${diff.stillFailing.length}): ${bySeverity} (-v lists them)`);
  }
  return `${out.join('\n')}\n`;
}

function wasNote(d: DiffItem): string {
  return d.before ? ` (was ${d.before.status})` : ' (new)';
}

export function renderDiffMarkdown(a: RunSummary, b: RunSummary, diff: AssessmentDiff): string {
  const out: string[] = [
    `## assay diff: ${markdownText(runLabel(a))} → ${markdownText(runLabel(b))}`,
    '',
    counts(diff),
  ];
  const table = <T extends DiffItem>(title: string, items: T[], note: (d: T) => string, open = true) => {
    if (items.length === 0) return;
    const rows = items.map((d) => {
      const f = shown(d);
      // Cells escaped as the Markdown report escapes them (src/report/markdown.ts): no code spans, which no escape can close safely.
      const cells = [f.checkId, f.subject.name, formatLocation(f.location.file, f.location.line), note(d)];
      return `| ${f.severity} | ${cells.map(markdownCell).join(' | ')} |`;
    });
    const body = [
      '| severity | check | subject | location | detail |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ];
    if (open) out.push('', `### ${title} (${items.length})`, '', ...body);
    else
      out.push('', `<details><summary>${title} (${items.length})</summary>`, '', ...body, '', '</details>');
  };
  table('New failures', diff.newFailures, (d) => `${shown(d).message}${wasNote(d)}`);
  table('Fixed', diff.fixed, (d) => FIXED_HOW[d.how]);
  table('Newly unknown', diff.newlyUnknown, (d) => `${shown(d).message}${wasNote(d)}`);
  table('Still failing', diff.stillFailing, (d) => shown(d).message, false);
  if (checkSetChanged(diff.checkSetChange)) {
    const c = diff.checkSetChange;
    out.push(
      '',
      `### Check set changed (${checkSetSummary(c)})`,
      '',
      'Findings of these checks are not counted above.',
    );
    if (c.added.length) out.push('', `Added: ${c.added.map(markdownText).join(', ')}`);
    if (c.removed.length) out.push('', `Removed: ${c.removed.map(markdownText).join(', ')}`);
    if (c.reseverity.length) out.push('', `New severity: ${c.reseverity.map(markdownText).join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}
