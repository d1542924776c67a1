/**
 * Response SLA attainment: among cases opened in the week with a response verdict, the share
 * that had their first response in time. The verdict is the export's own (`response_sla_met`),
 * else first response at or before the due time (`response_due_at`, or the opening plus the
 * mapping's `responseTargetsMinutes` for the case's priority). A case with no recorded first
 * response has no verdict: the export cannot tell a missed response from an unrecorded one.
 */
import type { RateMeasure } from './kpi-rate.ts';

export const RESPONSE_SLA: RateMeasure = {
  kpi: 'response_sla_attainment',
  cohort: 'opened',
  hit: 'response_met',
  base: 'response_total',
  verdict:
    'coalesce(response_sla_met, CASE WHEN first_response_at IS NOT NULL THEN first_response_at <= response_due_at END)',
};
