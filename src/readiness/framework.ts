/**
 * The readiness framework file: clouds, cumulative levels, criteria by pillar, named data
 * sets for automatic rules, and evidence per cloud and criterion. Validated with zod; every
 * problem names the file and line, like assay.config.yaml.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { z } from 'zod';
import { yaml } from '../core/lazy-yaml.ts';
import type { SourceLocation } from '../core/model.ts';
import { KPI_NAMES } from './kpi-names.ts';

export const PILLARS = ['people', 'process', 'technology'] as const;
export type Pillar = (typeof PILLARS)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a calendar date');

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case letters, digits, ".", "_" and "-"');

/** Row filter: every key must match; a list matches any of its values; comparison is case-insensitive text. */
const where = z
  .record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))]),
  )
  .describe('Column = value filters; every key must match; a list matches any of its values.');

const bounds = {
  min: z.number().optional().describe('Passes when the measured value is at least this.'),
  max: z.number().optional().describe('Passes when the measured value is at most this.'),
};

const countRule = z
  .object({
    type: z.literal('count'),
    dataset: z.string().describe('A data set declared under `data`.'),
    where: where.optional(),
    ...bounds,
  })
  .strict()
  .describe("Counts the cloud's rows of a data set that match `where`.");

const shareRule = z
  .object({
    type: z.literal('share'),
    dataset: z.string(),
    of: where.optional().describe('Rows that form the denominator (default: all rows of the cloud).'),
    where: where.describe('Rows of the denominator that count as meeting the criterion.'),
    ...bounds,
  })
  .strict()
  .describe('Share (0-1) of the denominator rows that match `where`, e.g. service parity.');

const filesRule = z
  .object({
    type: z.literal('files'),
    dataset: z.string(),
    of: where.optional().describe('Rows that each need a file, e.g. tier: 1.'),
    path: z
      .string()
      .describe('Path relative to the framework file; {cloud} and {column} are replaced from the row.'),
  })
  .strict()
  .describe('A file exists for every matching row (e.g. a runbook per tier-1 service).');

const kpiRule = z
  .object({
    type: z.literal('kpi'),
    kpi: z.enum(KPI_NAMES),
    weeks: z.number().int().positive().default(4).describe('Window: the last N weeks before the run date.'),
    priority: z.string().optional().describe('Only cases of this priority.'),
    ...bounds,
  })
  .strict()
  .describe("A support KPI over the cloud's cases in the last N weeks (pooled over the window).");

export const ruleSchema = z.discriminatedUnion('type', [countRule, shareRule, filesRule, kpiRule]);
export type Rule = z.infer<typeof ruleSchema>;

const attestation = z
  .object({
    owner: z.string().min(1),
    date: isoDate.describe('Day the attestation was made.'),
    link: z.string().min(1).describe('Where the evidence lives (document, ticket, URL).'),
    validUntil: isoDate.describe('Last day the attestation holds; after it the criterion fails.'),
    note: z.string().optional(),
  })
  .strict();
export type Attestation = z.infer<typeof attestation>;

const evidenceEntry = z.union([z.object({ attestation }).strict(), z.object({ rule: ruleSchema }).strict()]);

export const frameworkSchema = z
  .object({
    $schema: z.string().optional(),
    framework: z
      .object({ id, title: z.string(), version: z.string().optional(), description: z.string().optional() })
      .strict(),
    levels: z
      .array(
        z
          .object({
            level: z.number().int().positive(),
            name: z.string(),
            description: z.string().optional(),
          })
          .strict(),
      )
      .min(1)
      .describe('Cumulative levels: a cloud holds a level only when it and every lower level pass.'),
    clouds: z
      .array(
        z
          .object({
            id,
            name: z.string(),
            sovereignBoundary: z
              .string()
              .describe('Where data and operations must stay, e.g. "France (EU)".'),
            launchDate: isoDate,
            operatingPartner: z.string(),
            owner: z.string().optional().describe('Accountable for the launch; default owner of its risks.'),
            launchLevel: z
              .number()
              .int()
              .positive()
              .optional()
              .describe('Level the cloud must hold on launch day (default: the lowest level).'),
          })
          .strict(),
      )
      .min(1),
    data: z
      .record(
        z.string(),
        z
          .object({
            file: z.string().describe('CSV, JSON (array of objects) or YAML file, relative to this file.'),
            cloudColumn: z.string().default('cloud').describe('Column naming the cloud of each row.'),
          })
          .strict(),
      )
      .default({})
      .describe('Named data sets the automatic rules read.'),
    criteria: z
      .array(
        z
          .object({
            id,
            pillar: z.enum(PILLARS),
            level: z.number().int().positive(),
            title: z.string().describe('What good looks like, as a statement.'),
            control: z.string().describe('Control id in the readiness catalog, e.g. rdy-people-oncall.'),
            owner: z.string().optional().describe('Owns closing a gap on this criterion.'),
            impact: z
              .number()
              .int()
              .min(1)
              .max(5)
              .optional()
              .describe('Impact of a gap on the 1-5 scale (default by level: 1 -> 5, 2 -> 4, 3+ -> 3).'),
            rule: ruleSchema
              .optional()
              .describe('Automatic rule applied to every cloud without evidence of its own.'),
          })
          .strict(),
      )
      .min(1),
    evidence: z
      .record(z.string(), z.record(z.string(), evidenceEntry))
      .default({})
      .describe('Per cloud id, per criterion id: an attestation or an automatic rule.'),
  })
  .strict();

export type FrameworkFile = z.infer<typeof frameworkSchema>;
export type CloudDef = FrameworkFile['clouds'][number];
export type CriterionDef = FrameworkFile['criteria'][number];
export type EvidenceDef = z.infer<typeof evidenceEntry>;

export interface Framework {
  file: string;
  /** Folder rule paths and data files are relative to. */
  dir: string;
  text: string;
  spec: FrameworkFile;
  /** Line of `criteria[i]`. */
  criterionLocation(criterionId: string): SourceLocation;
  /** Line of `evidence[cloud][criterion]`, when declared. */
  evidenceLocation(cloudId: string, criterionId: string): SourceLocation | undefined;
  cloudLocation(cloudId: string): SourceLocation;
}

export class FrameworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameworkError';
  }
}

/** JSON Schema of the framework file, for editors (published as schemas/readiness-framework.schema.json). */
export function frameworkJsonSchema(): unknown {
  return {
    ...(z.toJSONSchema(frameworkSchema, { target: 'draft-7', io: 'input' }) as object),
    title: 'assay readiness framework',
  };
}

type Path = (string | number)[];
type Ranged = { range?: [number, number, number] };

function keyNode(doc: Document, path: Path): Ranged | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  const parent = (path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)) as unknown;
  const { isMap, isScalar } = yaml();
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((i) => isScalar(i.key) && String(i.key.value) === last);
  return pair && isScalar(pair.key) ? (pair.key as Ranged) : undefined;
}

function locator(doc: Document, lc: LineCounter, file: string) {
  return (path: Path): SourceLocation | undefined => {
    // Walk up to the nearest node that exists, so a missing key points at its parent.
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = (p.length === 0 ? doc.contents : doc.getIn(p, true)) as Ranged | null | undefined;
      // A keyed entry is shown at its key (`fr-partner:`), not at the first line of its value.
      const key = keyNode(doc, p);
      if (key?.range) {
        const { line, col } = lc.linePos(key.range[0]);
        return { file, line, column: col };
      }
      if (node?.range) {
        const { line, col } = lc.linePos(node.range[0]);
        return { file, line, column: col };
      }
      if (p.length === 0) return undefined;
    }
  };
}

/**
 * Loads and validates a framework file. `displayFile` is the path findings show (relative
 * to the run root). Throws FrameworkError with file:line for every problem found.
 */
export function loadFramework(path: string, displayFile = path, catalogIds?: ReadonlySet<string>): Framework {
  const full = resolve(path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (err) {
    throw new FrameworkError(`cannot read framework file ${path}: ${(err as Error).message}`);
  }
  const y = yaml();
  const lc = new y.LineCounter();
  const doc = y.parseDocument(text, { lineCounter: lc });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const { line, col } = lc.linePos(e.pos[0]);
    throw new FrameworkError(`${displayFile}:${line}:${col}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const locate = locator(doc, lc, displayFile);
  const at = (p: Path) => {
    const l = locate(p);
    return l ? `${displayFile}:${l.line}:${l.column}` : displayFile;
  };
  const parsed = frameworkSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new FrameworkError(
      parsed.error.issues
        .map((i) => `${at(i.path as Path)}: ${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('\n'),
    );
  }
  const spec = parsed.data;
  const problems: string[] = [];
  const dup = (list: { id: string }[], what: string, key: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.id)) problems.push(`${at([key, i, 'id'])}: duplicate ${what} id '${x.id}'`);
      seen.add(x.id);
    });
  };
  dup(spec.clouds, 'cloud', 'clouds');
  dup(spec.criteria, 'criterion', 'criteria');
  const levels = new Set(spec.levels.map((l) => l.level));
  const clouds = new Set(spec.clouds.map((c) => c.id));
  const criteria = new Set(spec.criteria.map((c) => c.id));
  const checkRule = (rule: Rule, path: Path) => {
    if (rule.type !== 'kpi' && !Object.hasOwn(spec.data, rule.dataset))
      problems.push(`${at([...path, 'dataset'])}: data set '${rule.dataset}' is not declared under data`);
    if (rule.type !== 'files' && rule.min === undefined && rule.max === undefined)
      problems.push(`${at(path)}: a ${rule.type} rule needs min or max`);
  };
  spec.criteria.forEach((c, i) => {
    if (!levels.has(c.level))
      problems.push(`${at(['criteria', i, 'level'])}: level ${c.level} is not declared under levels`);
    if (catalogIds && !catalogIds.has(c.control))
      problems.push(
        `${at(['criteria', i, 'control'])}: control '${c.control}' is not in the readiness catalog`,
      );
    if (c.rule) checkRule(c.rule, ['criteria', i, 'rule']);
  });
  for (const [cloud, entries] of Object.entries(spec.evidence)) {
    if (!clouds.has(cloud)) problems.push(`${at(['evidence', cloud])}: unknown cloud '${cloud}'`);
    for (const [criterion, entry] of Object.entries(entries)) {
      if (!criteria.has(criterion))
        problems.push(`${at(['evidence', cloud, criterion])}: unknown criterion '${criterion}'`);
      if ('rule' in entry) checkRule(entry.rule, ['evidence', cloud, criterion, 'rule']);
    }
  }
  if (problems.length > 0) throw new FrameworkError(problems.join('\n'));

  const fallback: SourceLocation = { file: displayFile, line: 1, column: 1 };
  const criterionIndex = new Map(spec.criteria.map((c, i) => [c.id, i]));
  const cloudIndex = new Map(spec.clouds.map((c, i) => [c.id, i]));
  return {
    file: displayFile,
    dir: dirname(full),
    text,
    spec,
    criterionLocation: (cid) => locate(['criteria', criterionIndex.get(cid) ?? -1]) ?? fallback,
    evidenceLocation: (cloud, cid) =>
      spec.evidence[cloud]?.[cid] ? locate(['evidence', cloud, cid]) : undefined,
    cloudLocation: (cloud) => locate(['clouds', cloudIndex.get(cloud) ?? -1]) ?? fallback,
  };
}
