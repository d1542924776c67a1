/**
 * The shape a pushed assessment must have before it is saved (the `Assessment` of
 * src/core/model.ts, schema version 1). Fields the store reads are checked strictly; extra
 * fields a newer assay adds are kept. Reports and the store trust these fields, so nothing
 * that fails here reaches them.
 */
import { z } from 'zod';
import type { Assessment, Severity, Status } from '../../core/model.ts';
import { SEVERITIES, STATUSES } from '../../core/model.ts';

const text = (max: number) => z.string().max(max);
const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);
const status = z.enum(STATUSES as [Status, ...Status[]]);
const count = z.number().int().nonnegative();
const location = z.looseObject({ file: text(4096), line: count, column: count });
const isoTime = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO date-time');
const score = z.number().min(0).max(100).nullable();

const finding = z.looseObject({
  checkId: text(200),
  title: text(2000),
  severity,
  status,
  originalStatus: status.optional(),
  message: text(100_000),
  subject: z.looseObject({ id: text(4096), name: text(4096), type: text(500), kind: text(200) }),
  location,
  controls: z.array(text(200)),
});

const coverage = z.looseObject({
  total: count,
  automated: count,
  assessed: count,
  met: count,
  notMet: count,
  partiallyMet: count,
  unknown: count,
  waived: count,
  notAssessed: count,
});

export const assessmentSchema = z.looseObject({
  schemaVersion: z.literal(1),
  tool: z.looseObject({ name: z.literal('assay'), version: text(100) }),
  id: z.string().min(1).max(200),
  startedAt: isoTime,
  finishedAt: isoTime,
  domain: text(100).min(1),
  root: text(4096),
  inputs: z.array(z.looseObject({ file: text(4096), kind: text(200), sha256: text(200) })),
  checks: z.array(z.looseObject({ id: text(200), title: text(2000), severity })),
  subjects: z.array(
    z.looseObject({ id: text(4096), name: text(4096), type: text(500), kind: text(200), location }),
  ),
  findings: z.array(finding),
  errors: z.array(z.looseObject({ file: text(4096), code: text(200), message: text(100_000) })),
  faults: z.array(z.looseObject({ file: text(4096), code: text(200), message: text(100_000) })).optional(),
  notes: z.array(z.looseObject({ file: text(4096), message: text(100_000) })),
  summary: z.looseObject({
    subjects: count,
    findings: count,
    byStatus: z.looseObject(Object.fromEntries(STATUSES.map((s) => [s, count]))),
    failedBySeverity: z.looseObject(Object.fromEntries(SEVERITIES.map((s) => [s, count]))),
    score,
    scoreBeforeWaivers: score,
  }),
  compliance: z
    .array(
      z.looseObject({
        baseline: z.looseObject({ name: text(200), title: text(2000) }),
        controls: z.array(z.looseObject({ id: text(200), status: text(50) })),
        coverage,
      }),
    )
    .optional(),
});

/** The assessment, or the first few problems as `path: message` lines. */
export function validateAssessment(value: unknown): { assessment: Assessment } | { problems: string[] } {
  const parsed = assessmentSchema.safeParse(value);
  if (parsed.success) return { assessment: value as Assessment };
  return {
    problems: parsed.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(the document)'}: ${i.message}`),
  };
}
