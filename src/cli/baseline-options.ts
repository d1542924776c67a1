import type { Command } from 'commander';
import type { Assessment, CheckMeta } from '../core/model.ts';
import { oneLine } from '../core/terminal-text.ts';
import { complianceFor, type PreparedBaselines, prepareBaselines } from './controls.ts';
import { collect } from './template-options.ts';

/**
 * `--baseline` and `--catalog`, the same on every command that assesses Azure templates:
 * read before the run (a bad name stops it at once), applied to the finished assessment.
 */

export interface BaselineFlags {
  baseline?: string[];
  catalog?: string;
}

export function addBaselineOptions(command: Command): Command {
  return command
    .option(
      '--baseline <name-or-profile>',
      'add a compliance matrix: ism-protected, e8-ml2, ... (assay baselines) or an OSCAL profile file; repeatable',
      collect,
    )
    .option(
      '--catalog <file-or-name>',
      'control catalog for this run (default: the one imported with assay controls import)',
    );
}

export function baselinesFromFlags(
  flags: BaselineFlags,
  cfg: { baselines?: string[]; catalog?: string },
  checks: readonly CheckMeta[],
): PreparedBaselines {
  return prepareBaselines(flags.baseline ?? cfg.baselines ?? [], flags.catalog ?? cfg.catalog, checks);
}

/** Adds the compliance matrices to the assessment and prints the baselines' messages; returns their names. */
export function applyBaselines(
  prepared: PreparedBaselines,
  assessment: Assessment,
  say: (line: string) => void = (line) => process.stderr.write(`assay: ${line}\n`),
): string[] {
  if (prepared.baselines.length > 0) assessment.compliance = complianceFor(prepared, assessment);
  for (const line of prepared.messages) say(oneLine(line));
  return (assessment.compliance ?? []).map((m) => m.baseline.name);
}
