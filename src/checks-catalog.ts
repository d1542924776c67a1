/**
 * Every built-in check of every domain, for the commands and docs that list them all
 * (`assay checks`, `assay explain`, docs/checks). Domains never import each other; this
 * module sits above them. Readiness criteria are declared per framework file, so only
 * the fixed support-KPI checks appear here; threat rules of the threat-and-risk
 * assessment are listed with their metadata.
 */
import { azureChecks } from './azure/checks/index.ts';
import { THREAT_CHECKS } from './azure/tra/findings.ts';
import type { CheckMeta } from './core/model.ts';
import { innerSourceChecks } from './innersource/checks/index.ts';
import { kpiChecks } from './readiness/checks.ts';

export function builtInCheckMetas(): CheckMeta[] {
  // Threat rules are not per-resource checks: `assay tra` and the scan's analysis emit them.
  return [
    ...azureChecks.map((c) => c.meta),
    ...THREAT_CHECKS,
    ...[...innerSourceChecks, ...kpiChecks()].map((c) => c.meta),
  ];
}
