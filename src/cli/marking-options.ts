/**
 * The protective-marking flags (`--classification`, `--caveat`, `--marking-imm`) and their
 * config defaults (`report.classification`, `report.caveats`, `report.imm`), read the same way
 * by the assessing commands (shared flags) and by `assay report`. docs/formats/README.md, "Markings".
 */
import type { Command } from 'commander';
import { type Marking, MarkingError, parseMarking } from '../core/marking.ts';
import type { AssayConfig } from './config.ts';
import { UsageError } from './select-checks.ts';
import { collect } from './template-options.ts';

export interface MarkingFlags {
  classification?: string;
  caveat?: string[];
  markingImm?: string[];
}

export const CLASSIFICATION_HELP =
  'protective marking at the top and bottom of every page of every document: OFFICIAL, OFFICIAL: Sensitive, PROTECTED, SECRET, TOP SECRET (PSPF), UNCLASSIFIED, IN-CONFIDENCE, SENSITIVE, RESTRICTED, CONFIDENTIAL (NZ PSR), or free text (default: config report.classification, else none)';
export const CAVEAT_HELP = 'a caveat added to the marking, e.g. AUSTEO or "REL AUS/NZL"; repeatable';
export const IMM_HELP =
  'an information management marker added to the marking: Legal-Privilege, Legislative-Secrecy, Personal-Privacy; repeatable';

/**
 * The marking for this run: flags win over the config, part by part. Free text is kept with a
 * notice (`say`); text no page could show is a usage error naming where it came from.
 */
export function markingFrom(
  flags: MarkingFlags,
  config: AssayConfig,
  say: (line: string) => void,
): Marking | undefined {
  const report = config.report ?? {};
  const request = {
    classification: flags.classification ?? report.classification,
    caveats: flags.caveat ?? report.caveats,
    imms: flags.markingImm ?? report.imm,
  };
  try {
    const { marking, notices } = parseMarking(request);
    for (const n of notices) say(n);
    return marking;
  } catch (err) {
    if (!(err instanceof MarkingError)) throw err;
    const from =
      flags.classification || flags.caveat || flags.markingImm ? 'the marking flags' : 'config report';
    throw new UsageError(`${from}: ${err.message}`);
  }
}

/** The marking flags on a command outside the pipeline (`report`, `readiness brief`). */
export function addMarkingOptions(command: Command): Command {
  return command
    .option('--classification <marking>', CLASSIFICATION_HELP)
    .option('--caveat <text>', CAVEAT_HELP, collect)
    .option('--marking-imm <marker>', IMM_HELP, collect);
}
