import { existsSync, readFileSync } from 'node:fs';
import type { Assessment } from '../core/model.ts';
import { READINESS_DOMAIN } from '../readiness/assess.ts';
import { renderBrief, renderBriefHtml } from '../readiness/brief.ts';
import { ChromiumNotFoundError, chromiumProblem } from '../report/chromium.ts';
import { isPostgresSpec } from '../store/open.ts';
import type { SqlStore } from '../store/store.ts';
import { ConfigError, loadConfig } from './config.ts';
import { type MarkingFlags, markingFrom } from './marking-options.ts';
import { writeOutput } from './output.ts';
import { assessFramework, type CaseFlags, openSaveTarget, reportIngest, saveRun } from './readiness-input.ts';
import { openHistory } from './store-options.ts';
import { loadWaivers } from './waivers.ts';

export const BRIEF_FORMATS = ['markdown', 'html', 'pdf'] as const;

export interface BriefFlags extends CaseFlags, MarkingFlags {
  format?: string;
  output?: string;
  previous?: string;
  waivers?: string;
  config?: string;
  store?: string;
  save?: boolean;
  label?: string;
}

export async function runBrief(framework: string, flags: BriefFlags): Promise<number> {
  const format = flags.format ?? 'markdown';
  if (!(BRIEF_FORMATS as readonly string[]).includes(format))
    throw new ConfigError(`--format expects one of ${BRIEF_FORMATS.join(', ')}; got '${format}'`);
  if (format === 'pdf') {
    if (!flags.output) throw new ConfigError('--format pdf needs --output FILE');
    // Said before any work (and before anything is saved), not after the assessment.
    const chromium = chromiumProblem();
    if (chromium) {
      process.stderr.write(`assay: ${chromium}\n`);
      return 2;
    }
  }
  const { config, file: configFile } = loadConfig(flags.config);
  const marking = markingFrom(flags, config, (line) => process.stderr.write(`assay: ${line}\n`));
  let previous: Assessment | undefined;
  if (flags.previous) {
    try {
      previous = JSON.parse(readFileSync(flags.previous, 'utf8')) as Assessment;
    } catch (err) {
      throw new ConfigError(`cannot read previous assessment ${flags.previous}: ${(err as Error).message}`);
    }
  }
  const target = await openSaveTarget(flags, config, configFile);
  try {
    // Read before this run is saved; a store that could not be opened for saving is not retried.
    if (!flags.previous && !(target.save && !target.store))
      previous = target.store ? await lastRun(target.store) : await lastSavedRun(target.path);
    const { waivers } = loadWaivers(flags.waivers, flags.root ?? process.cwd());
    const result = await assessFramework(framework, flags, {
      ...(target.store ? { store: target.store } : {}),
      waivers,
    });
    if (marking) result.assessment.marking = marking;
    const options = { ...(previous ? { previous } : {}), ...(marking ? { marking: marking.text } : {}) };
    if (format === 'pdf') {
      const { writeDocumentPdf } = await import('../report/document.ts');
      try {
        await writeDocumentPdf(renderBriefHtml(result, options), flags.output as string, marking?.text);
      } catch (err) {
        if (!(err instanceof ChromiumNotFoundError)) throw err;
        process.stderr.write(`assay: ${err.message}\n`);
        return 2;
      }
      process.stderr.write(`assay: wrote ${flags.output}\n`);
    } else
      writeOutput(
        format === 'html' ? renderBriefHtml(result, options) : renderBrief(result, options),
        flags.output,
      );
    const inputError = result.ingest ? reportIngest(result.ingest) : 0;
    if (!(await saveRun(target, result.assessment, { ...flags, store: target.path }))) return 2;
    return inputError;
  } finally {
    await target.store?.close();
  }
}

/** The last readiness run in the store, when there is a store and such a run. */
async function lastSavedRun(path: string): Promise<Assessment | undefined> {
  if (!isPostgresSpec(path) && !existsSync(path)) return undefined;
  const store = await openHistory(path, true);
  try {
    return await lastRun(store);
  } finally {
    await store.close();
  }
}

async function lastRun(store: SqlStore): Promise<Assessment | undefined> {
  const [last] = await store.listRuns({ domain: READINESS_DOMAIN, limit: 1 });
  return last ? await store.getAssessment(last.run) : undefined;
}
