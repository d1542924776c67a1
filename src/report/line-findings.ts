/**
 * Which findings the one-line-per-finding formats (`compact`, `github`) list, in one place:
 * failures and errors always, unknown and waived ones with `--verbose` (a pass says nothing an
 * editor or a pull request should show), and the input errors, which are problems too.
 */
import type { Assessment, Finding } from '../core/model.ts';

export function listedFindings(assessment: Assessment, verbose: boolean): Finding[] {
  return assessment.findings.filter(
    (f) =>
      f.status === 'fail' ||
      f.status === 'error' ||
      (verbose && (f.status === 'unknown' || f.status === 'waived')),
  );
}
