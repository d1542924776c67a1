/**
 * Which KPIs and breakdowns an export can give, from the columns the mapping bound: a KPI whose
 * inputs are missing is unavailable, with the reason naming the column it would need, so a
 * report says "unavailable" rather than showing 0 or an empty series without a word.
 */

import { OPTIONAL_DIMENSIONS, type OptionalDimension } from './kpi-dimensions.ts';
import { KPI_NAMES, type KpiName } from './kpi-names.ts';
import type { CanonicalField, CaseMapping } from './mapping.ts';

export type Availability = { available: true; basis: string } | { available: false; reason: string };

export interface KpiAvailability {
  kpis: Record<KpiName, Availability>;
  dimensions: Record<OptionalDimension, Availability>;
}

type Bound = Partial<Record<CanonicalField, string>>;

/** One way to compute a KPI: the fields it needs (all of them), or another condition. */
interface Basis {
  fields: CanonicalField[];
  /** A mapping setting the basis also needs, with its name for the reason. */
  setting?: { name: string; present: (m: CaseMapping) => boolean };
  /** A basis that is another KPI's basis too (first response, resolution, reassignment). */
  also?: () => Basis[];
  text: string;
}

const DONE: Basis[] = [
  { fields: ['resolved_at'], text: 'resolved_at' },
  { fields: ['closed_at'], text: 'closed_at' },
];
const FIRST_RESPONSE: Basis[] = [
  { fields: ['first_response_at'], text: 'first_response_at' },
  { fields: ['first_response_minutes'], text: 'first_response_minutes' },
  {
    fields: ['updated_at'],
    setting: { name: 'events (an event log)', present: (m) => m.events !== undefined },
    text: 'the event log (updated_at, state and assignee changes)',
  },
];
const REASSIGNMENT: Basis[] = [
  { fields: ['reassignment_count'], text: 'reassignment_count' },
  { fields: ['stations'], text: 'stations (group stations - 1)' },
];

const BASES: Record<KpiName, Basis[]> = {
  volume: [{ fields: ['opened_at'], text: 'opened_at' }],
  backlog: [{ fields: ['opened_at'], text: 'opened_at' }],
  backlog_age_mean_d: [{ fields: ['opened_at'], text: 'opened_at' }],
  backlog_8_30d: [{ fields: ['opened_at'], text: 'opened_at' }],
  backlog_over_30d: [{ fields: ['opened_at'], text: 'opened_at' }],
  first_response_median_min: FIRST_RESPONSE,
  first_response_p90_min: FIRST_RESPONSE,
  first_response_mean_min: FIRST_RESPONSE,
  resolve_median_h: DONE,
  resolve_p90_h: DONE,
  resolve_mean_h: DONE,
  sla_attainment: [
    { fields: ['sla_met'], text: 'sla_met' },
    { fields: ['sla_due_at'], also: () => DONE, text: 'sla_due_at against the resolution' },
    {
      fields: ['priority'],
      setting: { name: 'slaTargetsHours', present: (m) => m.slaTargetsHours !== undefined },
      also: () => DONE,
      text: 'slaTargetsHours by priority against the resolution',
    },
  ],
  response_sla_attainment: [
    { fields: ['response_sla_met'], text: 'response_sla_met' },
    {
      fields: ['response_due_at'],
      also: () => FIRST_RESPONSE,
      text: 'response_due_at against the first response',
    },
    {
      fields: ['priority'],
      setting: { name: 'responseTargetsMinutes', present: (m) => m.responseTargetsMinutes !== undefined },
      also: () => FIRST_RESPONSE,
      text: 'responseTargetsMinutes by priority against the first response',
    },
  ],
  reopen_rate: [{ fields: ['reopen_count'], text: 'reopen_count' }],
  reassignment_rate: REASSIGNMENT,
  fcr_rate: [
    { fields: ['first_contact_resolved'], text: 'first_contact_resolved' },
    {
      fields: ['reopen_count'],
      also: () => REASSIGNMENT,
      text: 'no reassignment and no reopen (reassignment and reopen counts)',
    },
  ],
  escalation_rate: [{ fields: ['escalation'], text: 'escalation' }],
  csat: [{ fields: ['csat'], text: 'csat' }],
};

/** `no column 'made_sla' (sla_met)`, or that the mapping names no column for the field. */
function missingField(field: CanonicalField, mapping: CaseMapping): string {
  const column = mapping.fields[field];
  return column === undefined ? `no column is mapped to ${field}` : `no column '${column}' (${field})`;
}

/** What a basis lacks, or nothing when it holds. */
function lacks(basis: Basis, mapping: CaseMapping, bound: Bound): string[] {
  const out = basis.fields.filter((f) => bound[f] === undefined).map((f) => missingField(f, mapping));
  if (basis.setting && !basis.setting.present(mapping)) out.push(`no ${basis.setting.name} in the mapping`);
  if (basis.also) {
    const others = basis.also();
    const reasons = others.map((o) => lacks(o, mapping, bound));
    if (!reasons.some((r) => r.length === 0)) out.push(reasons.map((r) => r.join(' and ')).join(' or '));
  }
  return out;
}

function judge(bases: Basis[], mapping: CaseMapping, bound: Bound): Availability {
  const reasons: string[] = [];
  for (const basis of bases) {
    const missing = lacks(basis, mapping, bound);
    if (missing.length === 0) return { available: true, basis: basis.text };
    reasons.push(missing.join(' and '));
  }
  if (reasons.length === 1) return { available: false, reason: reasons[0] };
  return { available: false, reason: reasons.map((r, i) => `(${i + 1}) ${r}`).join(', ') };
}

/** Every KPI's and every optional breakdown's availability for an export read with `mapping`. */
export function kpiAvailability(mapping: CaseMapping, bound: Bound): KpiAvailability {
  const kpis = Object.fromEntries(KPI_NAMES.map((k) => [k, judge(BASES[k], mapping, bound)])) as Record<
    KpiName,
    Availability
  >;
  const dimensions = Object.fromEntries(
    OPTIONAL_DIMENSIONS.map((d) => [d, judge([{ fields: [d], text: d }], mapping, bound)]),
  ) as Record<OptionalDimension, Availability>;
  return { kpis, dimensions };
}

/** The breakdowns the export has columns for. */
export function availableDimensions(a: KpiAvailability): OptionalDimension[] {
  return OPTIONAL_DIMENSIONS.filter((d) => a.dimensions[d].available);
}

/** `name: reason` of each unavailable KPI, in KPI order. */
export function unavailableKpis(a: KpiAvailability): { kpi: KpiName; reason: string }[] {
  return KPI_NAMES.flatMap((kpi) => {
    const v = a.kpis[kpi];
    return v.available ? [] : [{ kpi, reason: v.reason }];
  });
}
