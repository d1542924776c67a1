/**
 * The case columns behind the support KPIs beyond volume, times, SLA, reopen and reassignment
 * (docs/readiness.md, "KPI definitions"): the breakdown dimensions (category, configuration
 * item, channel), the response SLA's verdict and due time, first-contact resolution,
 * escalation and customer satisfaction, as SQL over one raw (typed, renamed) export row.
 * A field the export has no column for is NULL, so its KPI is unavailable, never 0.
 */
import { sqlIdent, sqlString } from './db.ts';
import { CANONICAL_FIELDS, type CanonicalField, type CaseMapping } from './mapping.ts';

/** Satisfaction answers read as words (Zendesk writes `good` and `bad`; `offered` is no answer). */
const SATISFIED_WORDS = ['good', 'satisfied', 'yes'];
const DISSATISFIED_WORDS = ['bad', 'dissatisfied', 'unsatisfied', 'no'];

/** The SELECT list of the support columns, in CASE_COLUMNS order. */
export function supportColumnsSql(
  bound: Partial<Record<CanonicalField, string>>,
  mapping: CaseMapping,
): string {
  const has = (f: CanonicalField) => bound[f] !== undefined;
  const col = (f: CanonicalField) => (has(f) ? sqlIdent(f) : `NULL::${CANONICAL_FIELDS[f]}`);
  // A dimension the export has is '(none)' on a case without a value, like priority and group.
  const dim = (f: CanonicalField) => (has(f) ? `coalesce(${col(f)}, '(none)')` : 'NULL::VARCHAR');

  let due = col('response_due_at');
  if (!has('response_due_at') && mapping.responseTargetsMinutes) {
    const arms = Object.entries(mapping.responseTargetsMinutes)
      .map(([p, m]) => `WHEN ${sqlString(p.toLowerCase())} THEN ${Number(m)}`)
      .join(' ');
    due = `${col('opened_at')} + to_seconds((CASE lower(${col('priority')}) ${arms} END) * 60)`;
  }

  const words = (list: string[]) => list.map(sqlString).join(', ');
  const answer = `lower(trim(${col('csat')}))`;
  const score = `try_cast(${col('csat')} AS DOUBLE)`;
  const csat = has('csat')
    ? `CASE WHEN ${answer} IN (${words(SATISFIED_WORDS)}) THEN true
        WHEN ${answer} IN (${words(DISSATISFIED_WORDS)}) THEN false
        WHEN ${score} IS NOT NULL THEN ${score} >= ${Number(mapping.csatSatisfiedMin)} END`
    : 'NULL::BOOLEAN';

  return [
    `${dim('category')} AS category`,
    `${dim('ci')} AS ci`,
    `${dim('channel')} AS channel`,
    `${col('response_sla_met')} AS response_sla_met`,
    `${due} AS response_due_at`,
    `${col('first_contact_resolved')} AS first_contact_resolved`,
    `${has('escalation') ? `${col('escalation')} > 0` : 'NULL::BOOLEAN'} AS escalated`,
    `${csat} AS csat_satisfied`,
  ].join(', ');
}
