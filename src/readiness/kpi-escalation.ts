/**
 * Escalation rate: among cases done in the week whose escalation level is known, the share
 * that were escalated (ServiceNow's `escalation` above 0, "Normal"). Reassignment between
 * groups is its own KPI (`reassignment_rate`).
 */
import type { RateMeasure } from './kpi-rate.ts';

export const ESCALATION: RateMeasure = {
  kpi: 'escalation_rate',
  cohort: 'done',
  hit: 'escalated_n',
  base: 'escalation_base',
  verdict: 'escalated',
};
