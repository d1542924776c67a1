/**
 * Customer satisfaction (CSAT): among cases done in the week with a satisfaction answer, the
 * share of satisfied answers (a numeric score at or above the mapping's `csatSatisfiedMin`,
 * default 4 of 5, or `good`). A survey offered and not answered is no answer.
 */
import type { RateMeasure } from './kpi-rate.ts';

export const CSAT: RateMeasure = {
  kpi: 'csat',
  cohort: 'done',
  hit: 'csat_satisfied_n',
  base: 'csat_responses',
  verdict: 'csat_satisfied',
};
