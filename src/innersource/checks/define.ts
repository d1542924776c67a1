/**
 * How InnerSource checks are written: metadata, the pattern that fixes a failure, and a
 * function of one repository. Failing messages name that pattern.
 */
import type { Check, CheckMeta, CheckOutcome, SourceLocation } from '../../core/model.ts';
import type { Pattern } from '../catalog.ts';
import {
  fileLocation,
  type InnerSourceContext,
  REPOSITORY_KIND,
  type RepoData,
  type RepositorySubject,
} from '../model.ts';

export type InnerSourceCheck = Check<RepositorySubject, InnerSourceContext> & { pattern: Pattern };

export interface InnerSourceCheckSpec extends Omit<CheckMeta, 'subjectKind' | 'subjectTypes' | 'references'> {
  /** The InnerSource Commons pattern that addresses a failure. */
  pattern: Pattern;
  references?: string[];
  evaluate(repo: RepoData, context: InnerSourceContext): CheckOutcome | CheckOutcome[];
}

export function defineCheck(spec: InnerSourceCheckSpec): InnerSourceCheck {
  const { evaluate, pattern, references, ...meta } = spec;
  return {
    meta: {
      ...meta,
      subjectKind: REPOSITORY_KIND,
      subjectTypes: [],
      tags: [...(meta.tags ?? []), `pattern:${pattern.name}`],
      references: [pattern.url, ...(references ?? [])],
    },
    pattern,
    run: (subject, context) => {
      const outcomes = evaluate(subject.data, context);
      // A failure always says which pattern addresses it, so the reader knows where to go next.
      const withPattern = (o: CheckOutcome): CheckOutcome =>
        o.status === 'fail'
          ? {
              ...o,
              message: `${o.message} (pattern: ${pattern.name})`,
              evidence: { ...o.evidence, pattern: pattern.name, patternUrl: pattern.url },
            }
          : o;
      return Array.isArray(outcomes) ? outcomes.map(withPattern) : withPattern(outcomes);
    },
  };
}

export function at(repo: RepoData, path: string, line = 1): SourceLocation {
  return fileLocation(repo, path, line);
}

export function pass(
  location: SourceLocation,
  message: string,
  evidence?: Record<string, unknown>,
): CheckOutcome {
  return { status: 'pass', message, location, ...(evidence ? { evidence } : {}) };
}

export function fail(
  location: SourceLocation,
  message: string,
  evidence?: Record<string, unknown>,
): CheckOutcome {
  return { status: 'fail', message, location, ...(evidence ? { evidence } : {}) };
}

/** Unknown is a result: the reason says what evidence was missing. */
export function unknown(location: SourceLocation, message: string, reason: string): CheckOutcome {
  return { status: 'unknown', message, location, evidence: { reason } };
}
