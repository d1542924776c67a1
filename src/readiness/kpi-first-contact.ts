/**
 * First-contact resolution: among cases done in the week with a verdict, the share resolved at
 * first contact. The verdict is the export's own (`first_contact_resolved`), else a case that
 * was never reassigned and never reopened (both counts known): resolved by the first team that
 * took it, and it stayed resolved.
 */
import type { RateMeasure } from './kpi-rate.ts';

export const FIRST_CONTACT: RateMeasure = {
  kpi: 'fcr_rate',
  cohort: 'done',
  hit: 'fcr_resolved',
  base: 'fcr_base',
  verdict:
    'coalesce(first_contact_resolved, CASE WHEN reassignment_count IS NOT NULL AND reopen_count IS NOT NULL THEN reassignment_count = 0 AND reopen_count = 0 END)',
};
