/**
 * Inline suppressions: a resource may accept a finding in its own declaration,
 *
 *   "metadata": { "assay": { "suppress": { "checks": ["AZ-STORAGE-001"], "reason": "..." } } }
 *
 * (or a list of such objects). The reason is mandatory; `expires` (YYYY-MM-DD), `approvedBy`
 * and `ticket` are optional. Each one becomes a waiver for that resource only, so it is
 * applied, reported and carried into the OSCAL POA&M the same way as a waiver-file entry.
 */
import type { InputError } from '../core/model.ts';
import type { Waiver } from '../core/waivers.ts';
import { isObject, isUnknown, type Value } from './expressions/value.ts';
import { type AzureSubject, getPath } from './resource.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(v: Value | undefined): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export function inlineSuppressions(subjects: readonly AzureSubject[]): {
  waivers: Waiver[];
  errors: InputError[];
} {
  const waivers: Waiver[] = [];
  const errors: InputError[] = [];
  for (const subject of subjects) {
    const resource = subject.data;
    const raw = getPath(resource.body, 'metadata.assay.suppress');
    if (raw === undefined) continue;
    const at = resource.locate('metadata.assay.suppress');
    const fail = (message: string, path = 'metadata.assay.suppress'): void => {
      const where = path === 'metadata.assay.suppress' ? at : resource.locate(path);
      errors.push({
        file: where.file,
        line: where.line,
        column: where.column,
        code: 'suppress-invalid',
        message,
      });
    };
    if (isUnknown(raw)) {
      fail('metadata.assay.suppress must be literal: an expression cannot be decided before deployment');
      continue;
    }
    const entries = Array.isArray(raw) ? raw : [raw];
    entries.forEach((entry, i) => {
      const path = Array.isArray(raw) ? `metadata.assay.suppress[${i}]` : 'metadata.assay.suppress';
      if (!isObject(entry)) {
        fail(`${path} must be an object with "checks" and "reason"`, path);
        return;
      }
      const checks = entry.checks;
      if (
        !Array.isArray(checks) ||
        checks.length === 0 ||
        !checks.every((c) => typeof c === 'string' && c !== '')
      ) {
        fail(`${path}.checks must be a non-empty list of check ids`, path);
        return;
      }
      const reason = text(entry.reason);
      if (!reason) {
        fail(`${path} needs a "reason": an inline suppression records why the risk is accepted`, path);
        return;
      }
      const expires = entry.expires;
      if (expires !== undefined && !(typeof expires === 'string' && ISO_DATE.test(expires))) {
        fail(`${path}.expires must be a date, YYYY-MM-DD`, path);
        return;
      }
      const loc = resource.locate(path);
      const id = `inline:${loc.file}:${loc.line}`;
      // Copies of one declaration share its suppression: one waiver over all of them.
      const same = waivers.find((w) => w.id === id);
      if (same) {
        same.subjects?.push({ id: subject.id });
        return;
      }
      const waiver: Waiver = {
        id,
        source: 'inline',
        checks: checks as string[],
        subjects: [{ id: subject.id }],
        justification: reason,
        location: loc,
      };
      if (typeof expires === 'string') waiver.expires = expires;
      const approvedBy = text(entry.approvedBy);
      if (approvedBy) waiver.approvedBy = approvedBy;
      const ticket = text(entry.ticket);
      if (ticket) waiver.ticket = ticket;
      waivers.push(waiver);
    });
  }
  return { waivers, errors };
}
