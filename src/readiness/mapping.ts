/**
 * Field mappings from a case or incident export to assay's canonical case columns, and the
 * built-in presets (ServiceNow incident export and event log, Zendesk tickets, generic).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { yaml } from '../core/lazy-yaml.ts';

/** Canonical fields and the SQL type each is read as. */
export const CANONICAL_FIELDS = {
  id: 'VARCHAR',
  cloud: 'VARCHAR',
  priority: 'VARCHAR',
  group: 'VARCHAR',
  state: 'VARCHAR',
  assignee: 'VARCHAR',
  opened_at: 'TIMESTAMP',
  updated_at: 'TIMESTAMP',
  first_response_at: 'TIMESTAMP',
  first_response_minutes: 'DOUBLE',
  resolved_at: 'TIMESTAMP',
  closed_at: 'TIMESTAMP',
  sla_met: 'BOOLEAN',
  sla_due_at: 'TIMESTAMP',
  reopen_count: 'INTEGER',
  reassignment_count: 'INTEGER',
  stations: 'INTEGER',
  mod_count: 'INTEGER',
  category: 'VARCHAR',
  ci: 'VARCHAR',
  channel: 'VARCHAR',
  response_sla_met: 'BOOLEAN',
  response_due_at: 'TIMESTAMP',
  first_contact_resolved: 'BOOLEAN',
  escalation: 'INTEGER',
  csat: 'VARCHAR',
} as const;

export type CanonicalField = keyof typeof CANONICAL_FIELDS;
/** A numeric satisfaction score at or above this counts as satisfied (the top two of 1-5). */
export const DEFAULT_CSAT_SATISFIED_MIN = 4;
export const REQUIRED_FIELDS: readonly CanonicalField[] = ['id', 'opened_at'];

const fieldsShape = Object.fromEntries(
  Object.keys(CANONICAL_FIELDS).map((k) => [k, z.string().min(1).optional()]),
) as Record<CanonicalField, z.ZodOptional<z.ZodString>>;

export const PRESETS = ['servicenow', 'zendesk', 'generic'] as const;
export type PresetName = (typeof PRESETS)[number];

export const mappingSchema = z
  .object({
    $schema: z.string().optional(),
    preset: z.enum(PRESETS).optional().describe('Start from a built-in preset; the keys below override it.'),
    timestampFormat: z
      .string()
      .optional()
      .describe('strptime format of every timestamp column, e.g. "%d-%m-%Y %H:%M"; default ISO 8601.'),
    nullValues: z.array(z.string()).optional().describe('Values read as missing (default: empty).'),
    delimiter: z.string().length(1).optional(),
    fields: z
      .object(fieldsShape)
      .strict()
      .optional()
      .describe('Canonical field -> column name in the export (JSON: a dotted path).'),
    defaultCloud: z.string().optional().describe('Cloud of every case when the export has no cloud column.'),
    slaTargetsHours: z
      .record(z.string(), z.number().positive())
      .optional()
      .describe('Resolution target in hours per priority value, when the export has no SLA verdict.'),
    responseTargetsMinutes: z
      .record(z.string(), z.number().positive())
      .optional()
      .describe(
        'First-response target in minutes per priority value, when the export has no response SLA verdict or due time.',
      ),
    csatSatisfiedMin: z
      .number()
      .optional()
      .describe(
        'A numeric satisfaction score at or above this is satisfied (default 4, the top two of a 1-5 scale).',
      ),
    events: z
      .object({
        initialStates: z
          .array(z.string())
          .default(['New'])
          .describe(
            'States before anyone responded; the first event in another state is the first response.',
          ),
      })
      .strict()
      .optional()
      .describe('The export is an event log (one row per change): keep the last event per id.'),
  })
  .strict();

export type MappingFile = z.infer<typeof mappingSchema>;

/** A resolved mapping. `optional` fields are bound only when the export has the column. */
export interface CaseMapping {
  preset: PresetName | 'custom';
  fields: Partial<Record<CanonicalField, string>>;
  /** Fields from a preset that may be absent from a given export. */
  optional: ReadonlySet<CanonicalField>;
  timestampFormat?: string;
  nullValues: string[];
  delimiter: string;
  defaultCloud?: string;
  slaTargetsHours?: Record<string, number>;
  responseTargetsMinutes?: Record<string, number>;
  /** A numeric CSAT score at or above this is satisfied. */
  csatSatisfiedMin: number;
  events?: { initialStates: string[] };
}

const SERVICENOW: Omit<CaseMapping, 'optional' | 'csatSatisfiedMin'> = {
  preset: 'servicenow',
  fields: {
    id: 'number',
    state: 'incident_state',
    opened_at: 'opened_at',
    updated_at: 'sys_updated_at',
    mod_count: 'sys_mod_count',
    priority: 'priority',
    group: 'assignment_group',
    assignee: 'assigned_to',
    resolved_at: 'resolved_at',
    closed_at: 'closed_at',
    sla_met: 'made_sla',
    reopen_count: 'reopen_count',
    reassignment_count: 'reassignment_count',
    cloud: 'u_cloud',
    category: 'category',
    ci: 'cmdb_ci',
    channel: 'contact_type',
    escalation: 'escalation',
  },
  timestampFormat: '%d-%m-%Y %H:%M',
  nullValues: ['?', ''],
  delimiter: ',',
  // The event-log form lists an incident once per update; a plain export has one row each,
  // which the same consolidation leaves as it is.
  events: { initialStates: ['New'] },
};

/** Zendesk's CSV ticket export (column titles as Zendesk writes them). */
const ZENDESK_CSV: Omit<CaseMapping, 'optional' | 'csatSatisfiedMin'> = {
  preset: 'zendesk',
  fields: {
    id: 'Id',
    state: 'Status',
    priority: 'Priority',
    group: 'Group',
    assignee: 'Assignee',
    opened_at: 'Created at',
    updated_at: 'Updated at',
    resolved_at: 'Solved at',
    first_response_minutes: 'First reply time in minutes',
    reopen_count: 'Reopens',
    stations: 'Group stations',
    cloud: 'Cloud',
    channel: 'Via',
    csat: 'Satisfaction Score',
  },
  nullValues: [''],
  delimiter: ',',
  slaTargetsHours: { urgent: 4, high: 8, normal: 24, low: 72 },
};

/** Zendesk's JSON ticket export with ticket metrics side-loaded (`metric_set`). */
const ZENDESK_JSON: Omit<CaseMapping, 'optional' | 'csatSatisfiedMin'> = {
  preset: 'zendesk',
  fields: {
    id: 'id',
    state: 'status',
    priority: 'priority',
    group: 'group_id',
    assignee: 'assignee_id',
    opened_at: 'created_at',
    updated_at: 'updated_at',
    resolved_at: 'metric_set.solved_at',
    first_response_minutes: 'metric_set.reply_time_in_minutes.calendar',
    reopen_count: 'metric_set.reopens',
    stations: 'metric_set.group_stations',
    cloud: 'cloud',
    channel: 'via.channel',
    csat: 'satisfaction_rating.score',
  },
  nullValues: [''],
  delimiter: ',',
  slaTargetsHours: { urgent: 4, high: 8, normal: 24, low: 72 },
};

/** Column names equal to the canonical names, with `assignment_group` for the group. */
const GENERIC: Omit<CaseMapping, 'optional' | 'csatSatisfiedMin'> = {
  preset: 'generic',
  fields: {
    ...(Object.fromEntries(Object.keys(CANONICAL_FIELDS).map((k) => [k, k])) as Record<
      CanonicalField,
      string
    >),
    group: 'assignment_group',
  },
  nullValues: [''],
  delimiter: ',',
};

function preset(
  name: PresetName,
  format: 'csv' | 'json',
): Omit<CaseMapping, 'optional' | 'csatSatisfiedMin'> {
  if (name === 'servicenow') return SERVICENOW;
  if (name === 'zendesk') return format === 'json' ? ZENDESK_JSON : ZENDESK_CSV;
  return GENERIC;
}

export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

export function mappingJsonSchema(): unknown {
  return {
    ...(z.toJSONSchema(mappingSchema, { target: 'draft-7', io: 'input' }) as object),
    title: 'assay readiness case mapping',
  };
}

/**
 * Resolves a mapping: a preset (default generic), then a mapping file's settings over it.
 * Fields named by a preset are optional (bound when the column exists); fields a mapping
 * file names are required, since someone asked for them.
 */
export function resolveMapping(options: {
  preset?: PresetName;
  mappingFile?: string;
  format: 'csv' | 'json';
}): CaseMapping {
  let file: MappingFile = {};
  if (options.mappingFile) file = readMappingFile(options.mappingFile);
  const base = preset(options.preset ?? file.preset ?? 'generic', options.format);
  const fields = { ...base.fields, ...(file.fields ?? {}) };
  const optional = new Set<CanonicalField>();
  for (const key of Object.keys(base.fields) as CanonicalField[]) {
    if (!REQUIRED_FIELDS.includes(key) && file.fields?.[key] === undefined) optional.add(key);
  }
  const mapping: CaseMapping = {
    preset: options.mappingFile ? 'custom' : base.preset,
    fields,
    optional,
    nullValues: file.nullValues ?? base.nullValues,
    delimiter: file.delimiter ?? base.delimiter,
    csatSatisfiedMin: file.csatSatisfiedMin ?? DEFAULT_CSAT_SATISFIED_MIN,
  };
  const ts = file.timestampFormat ?? base.timestampFormat;
  if (ts) mapping.timestampFormat = ts;
  const cloud = file.defaultCloud ?? base.defaultCloud;
  if (cloud) mapping.defaultCloud = cloud;
  const sla = file.slaTargetsHours ?? base.slaTargetsHours;
  if (sla) mapping.slaTargetsHours = sla;
  if (file.responseTargetsMinutes) mapping.responseTargetsMinutes = file.responseTargetsMinutes;
  const events = file.events ?? base.events;
  if (events) mapping.events = { initialStates: events.initialStates ?? ['New'] };
  return mapping;
}

function readMappingFile(path: string): MappingFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new MappingError(`cannot read mapping file ${path}: ${(err as Error).message}`);
  }
  const { LineCounter, parseDocument } = yaml();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length > 0) {
    const { line, col } = lc.linePos(doc.errors[0].pos[0]);
    throw new MappingError(`${path}:${line}:${col}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  }
  const parsed = mappingSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new MappingError(
      parsed.error.issues
        .map((i) => {
          const node = doc.getIn(i.path as (string | number)[], true) as
            | { range?: [number, number] }
            | undefined;
          const at = node?.range ? lc.linePos(node.range[0]) : undefined;
          return `${at ? `${path}:${at.line}:${at.col}` : path}: ${i.path.join('.') || '(root)'}: ${i.message}`;
        })
        .join('\n'),
    );
  }
  return parsed.data;
}
