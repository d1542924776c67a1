import type { Command } from 'commander';
import { SEVERITIES } from '../core/model.ts';
import { addBaselineOptions, type BaselineFlags } from './baseline-options.ts';
import { CAVEAT_HELP, CLASSIFICATION_HELP, IMM_HELP, type MarkingFlags } from './marking-options.ts';
import { collect } from './template-options.ts';

/**
 * The flags every assessing command (`scan`, `tra`, `drift`, `innersource scan`, `readiness
 * assess`) shares, declared once so that each means the same thing everywhere (docs/cli.md,
 * "Shared flags"). A domain adds its own flags beside them; the pipeline (pipeline.ts) reads these.
 */
export interface SharedFlags extends BaselineFlags, MarkingFlags {
  config?: string;
  checks?: string[];
  skipChecks?: string[];
  ruleSet?: string;
  waivers?: string;
  format?: string;
  output?: string;
  report?: string[];
  failOn?: string;
  save?: boolean;
  store?: string;
  label?: string;
  push?: string;
  pushRequired?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  progress?: boolean;
  /** Not a flag: a queue job's key, so a retried job saves its run once (src/queue/run-job.ts). */
  idempotencyKey?: string;
  /** Declared by each domain with its own help (templates: the link root; others: the folder paths are shown from). */
  root?: string;
}

/** What a domain says about its own output and gate, for the help text. */
export interface SharedHelp {
  /** The names `--format` accepts, and its default. */
  formats: readonly string[];
  defaultFormat: string;
  /** The names `--report` accepts. */
  reportFormats: readonly string[];
  /** What `--fail-on` compares against, e.g. "a failed finding" and its values. */
  failOn: { subject: string; values: readonly string[]; default: string };
}

export const SEVERITY_GATE = { subject: 'a failed finding', values: [...SEVERITIES, 'none'] } as const;

/** The long name of an option spec: `-f, --format <format>` is `--format`. */
function longName(spec: string): string {
  const long = spec
    .replaceAll(',', ' ')
    .split(' ')
    .find((part) => part.startsWith('--'));
  return long ?? spec;
}

/**
 * Adds the shared flags to a command, except those it declares already (`--config` comes with
 * the template flags, `--save` with InnerSource's read flags): one definition either way.
 */
export function addSharedOptions(command: Command, help: SharedHelp): Command {
  const add = (spec: string, description: string, parse?: typeof collect): void => {
    if (command.options.some((o) => o.long === longName(spec))) return;
    if (parse) command.option(spec, description, parse);
    else command.option(spec, description);
  };
  add('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)');
  add('-f, --format <format>', `output format: ${help.formats.join(', ')} (default: ${help.defaultFormat})`);
  add('-o, --output <file>', 'write the output to a file instead of stdout');
  add(
    '-r, --report <format=file>',
    `also write a report: ${help.reportFormats.join(', ')}, or a format plugin's; repeatable`,
    collect,
  );
  add(
    '--fail-on <level>',
    `exit 1 when ${help.failOn.subject} is at or above: ${help.failOn.values.join(', ')} (default: ${help.failOn.default})`,
  );
  add('--checks <ids>', 'run only these check ids or globs (comma-separated, repeatable)', collect);
  add('--skip-checks <ids>', 'skip these check ids or globs (comma-separated, repeatable)', collect);
  add('--rule-set <id>', 'stop (exit 2) unless the built-in rule set is this one (assay checks --rule-set)');
  add('--waivers <file>', 'risk acceptances (default: ./assay.waivers.yaml when present)');
  add('--save', 'save the run in the history (default when a config file is in use)');
  add('--no-save', 'do not save the run');
  add('--store <file>', 'history database (default: config store.path, else .assay/assay.duckdb)');
  add('--label <text>', 'label the saved run, e.g. a release or commit');
  add('--push <url>', 'also send the assessment to assay server at this URL (token from ASSAY_TOKEN)');
  add('--push-required', 'exit 2 when the --push fails (by default a failed push only warns)');
  add('-q, --quiet', 'no progress and no notes on stderr; warnings and errors are still shown');
  add('-v, --verbose', 'also list passing findings (and, for templates, skipped files)');
  add('--no-progress', 'no progress line on stderr');
  add('--classification <marking>', CLASSIFICATION_HELP);
  add('--caveat <text>', CAVEAT_HELP, collect);
  add('--marking-imm <marker>', IMM_HELP, collect);
  return addBaselineOptions(command);
}
