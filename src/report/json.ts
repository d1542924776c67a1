/**
 * The JSON report: the Assessment itself, pretty-printed with a stable key order so two
 * renderings of equal assessments are byte-identical whatever order their objects were
 * built in. Shape: docs/formats/json.md.
 */
import type { Assessment } from '../core/model.ts';
import type { RenderOptions } from './index.ts';
import { jsonChunks } from './json-stream.ts';

/**
 * Key order per object kind, as the model declares them. Keys not listed (added to the
 * model later, or free-form) follow in code-unit order, so nothing is ever dropped.
 */
const ORDER = {
  assessment: [
    'schemaVersion',
    'tool',
    'id',
    'startedAt',
    'finishedAt',
    'domain',
    'root',
    'inputs',
    'checks',
    'subjects',
    'findings',
    'errors',
    'faults',
    'notes',
    'summary',
    'compliance',
    'expiredWaivers',
  ],
  tool: ['name', 'version'],
  input: ['file', 'kind', 'sha256'],
  check: [
    'id',
    'title',
    'severity',
    'rationale',
    'remediation',
    'controls',
    'essentialEight',
    'subjectKind',
    'subjectTypes',
    'tags',
    'references',
  ],
  subject: ['id', 'name', 'type', 'kind', 'location'],
  location: ['file', 'line', 'column'],
  finding: [
    'checkId',
    'title',
    'severity',
    'status',
    'originalStatus',
    'message',
    'subject',
    'location',
    'controls',
    'evidence',
    'waiver',
  ],
  error: ['file', 'line', 'column', 'code', 'message'],
  note: ['file', 'line', 'level', 'message'],
  summary: ['subjects', 'findings', 'byStatus', 'failedBySeverity', 'score', 'scoreBeforeWaivers'],
  byStatus: ['pass', 'fail', 'unknown', 'error', 'waived', 'not-applicable'],
  bySeverity: ['critical', 'high', 'medium', 'low', 'info'],
} as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Shape = (value: unknown) => Json;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Free-form data (evidence, unknown keys): every object's keys sorted, recursively. */
const sorted: Shape = (value) => {
  if (Array.isArray(value)) return value.map((v) => sorted(v === undefined ? null : v));
  if (isPlainObject(value)) {
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      return sorted((value as { toJSON(): unknown }).toJSON());
    }
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) out[key] = sorted(value[key]);
    }
    return out;
  }
  return value as Json;
};

/** An object with known keys in `order`, each shaped by `shapes[key]` (default: sorted). */
function object(order: readonly string[], shapes: Record<string, Shape> = {}): Shape {
  return (value) => {
    if (!isPlainObject(value)) return sorted(value);
    const out: { [key: string]: Json } = {};
    const rest = Object.keys(value)
      .filter((k) => !order.includes(k))
      .sort();
    for (const key of [...order, ...rest]) {
      const v = value[key];
      if (v === undefined) continue;
      out[key] = (shapes[key] ?? sorted)(v);
    }
    return out;
  };
}

function list(item: Shape): Shape {
  return (value) => (Array.isArray(value) ? value.map(item) : sorted(value));
}

const location = object(ORDER.location);
const shapeAssessment = object(ORDER.assessment, {
  tool: object(ORDER.tool),
  inputs: list(object(ORDER.input)),
  checks: list(object(ORDER.check)),
  subjects: list(object(ORDER.subject, { location })),
  findings: list(object(ORDER.finding, { subject: object(ORDER.subject), location })),
  errors: list(object(ORDER.error)),
  faults: list(object(ORDER.error)),
  notes: list(object(ORDER.note)),
  summary: object(ORDER.summary, {
    byStatus: object(ORDER.byStatus),
    failedBySeverity: object(ORDER.bySeverity),
  }),
});

/** The assessment as plain JSON data in canonical key order (array order is kept as is). */
export function canonicalAssessment(assessment: Assessment): Json {
  return shapeAssessment(assessment);
}

export function renderJson(assessment: Assessment, options: RenderOptions): string {
  return [...jsonPieces(assessment, options)].join('');
}

/** The JSON document as pieces, for writing a large one without one string. */
export function* jsonPieces(assessment: Assessment, _options: RenderOptions): Generator<string> {
  yield* jsonChunks(canonicalAssessment(assessment), 2);
  yield '\n';
}
