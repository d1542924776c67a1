/**
 * Resource types as the checks spell them. Exports of deployed resources often write types in
 * lower case (Azure Resource Graph: `microsoft.storage/storageaccounts`). Checks, the index and
 * the architecture compare types ignoring case, so this is for people: findings and the model
 * show the same type for a live resource as for a template's.
 */
import { azureChecks } from '../../checks/index.ts';

interface Spellings {
  /** Lower-cased full type: the checks' spelling. */
  full: Map<string, string>;
  /** Lower-cased segment (namespace or type name): the checks' spelling. */
  segments: Map<string, string>;
}

let spellings: Spellings | undefined;

function known(): Spellings {
  if (spellings) return spellings;
  const full = new Map<string, string>();
  const segments = new Map<string, string>();
  for (const check of azureChecks) {
    for (const type of check.meta.subjectTypes) {
      full.set(type.toLowerCase(), type);
      for (const segment of type.split('/')) {
        const lower = segment.toLowerCase();
        if (!segments.has(lower)) segments.set(lower, segment);
      }
    }
  }
  spellings = { full, segments };
  return spellings;
}

/**
 * The type spelt as the checks spell it: the whole type when a check names it, else each
 * segment a check names (`Microsoft.Storage/storageAccounts/…`), others as written.
 */
export function canonicalType(type: string): string {
  const { full, segments } = known();
  const lower = type.toLowerCase();
  const whole = full.get(lower);
  if (whole !== undefined) return whole;
  return type
    .split('/')
    .map((segment) => segments.get(segment.toLowerCase()) ?? segment)
    .join('/');
}
