/**
 * Every built-in check of every domain, for the commands and docs that list them all
 * (`assay checks`, `assay explain`, docs/checks). Domains never import each other; this
 * module sits above them. Readiness criteria are declared per framework file, so only
 * the fixed support-KPI checks appear here; threat rules of the threat-and-risk
 * assessment are listed with their metadata, and so are the drift checks of `assay drift`.
 */
import { azureChecks } from './azure/checks/index.ts';
import { driftChecks } from './azure/drift/checks.ts';
import { THREAT_CHECKS } from './azure/tra/findings.ts';
import type { Check, CheckMeta } from './core/model.ts';
import { checkSetDigest } from './core/run-scope.ts';
import { innerSourceChecks } from './innersource/checks/index.ts';
import { kpiChecks } from './readiness/checks.ts';
import { VERSION } from './version.ts';

/** Every built-in check that is a check (threat rules are metadata only): config options are validated against them. */
export function builtInChecks(): Check<never, never>[] {
  return [...azureChecks, ...driftChecks, ...innerSourceChecks, ...kpiChecks()] as unknown as Check<
    never,
    never
  >[];
}

export function builtInCheckMetas(): CheckMeta[] {
  // Threat rules are not per-resource checks: `assay tra` and the scan's analysis emit them.
  return [
    ...azureChecks.map((c) => c.meta),
    ...THREAT_CHECKS,
    ...driftChecks.map((c) => c.meta),
    ...[...innerSourceChecks, ...kpiChecks()].map((c) => c.meta),
  ];
}

/**
 * The id of this release's built-in rule set: the version and a digest of every check's id,
 * severity and controls. A CI pipeline pins it (`scan --rule-set`) so that an upgrade that
 * changes the rules is a deliberate change of the pin, not a silent change of the score.
 */
export function ruleSetId(): string {
  return `${VERSION}+${checkSetDigest(builtInCheckMetas())}`;
}
