/**
 * assay as a library: the same engine the CLI runs. Import from the package root:
 *
 *   import { scan, azureChecks, defineCheck, render } from 'assay';
 *   const { assessment } = await scan(['infra/'], { checks: [...azureChecks, myCheck] });
 *   process.stdout.write(render('sarif', assessment, { color: false }));
 *
 * Everything exported here is the supported surface (docs/library.md); deeper paths may
 * change between releases.
 */

export {
  type AzureCheck,
  type AzureCheckSpec,
  checkProperty,
  defineCheck,
  fail,
  notApplicable,
  pass,
  sameText,
  unknown,
} from './azure/checks/define.ts';
export { azureChecks } from './azure/checks/index.ts';
export { Unknown, type Value } from './azure/expressions/value.ts';
export { AZURE_MODEL_SCHEMA, type AzureModelJson, azureModelJson } from './azure/model-json.ts';
export type { AzureCheckContext, AzureResource, AzureSubject } from './azure/resource.ts';
export { getPath } from './azure/resource.ts';
export type { AzureScanOptions, AzureScanResult } from './azure/scan.ts';
export { scanAzure, scanAzure as scan } from './azure/scan.ts';
export { type AssessmentParts, buildAssessment } from './core/assessment.ts';
export { type CheckOptionsSpec, checkWithOptions } from './core/check-options.ts';
export { evaluate } from './core/evaluate.ts';
export type {
  Assessment,
  Check,
  CheckMeta,
  CheckOptionInfo,
  CheckOptionsDeclaration,
  CheckOutcome,
  Finding,
  InputError,
  InputNote,
  OptionsSchema,
  Severity,
  SourceLocation,
  Status,
  Subject,
  TemplateFault,
} from './core/model.ts';
export { SEVERITIES, STATUSES } from './core/model.ts';
export { checkSetDigest, type RunScope, runScope } from './core/run-scope.ts';
export { FORMATS, isReportFormat, type RenderOptions, type ReportFormat, render } from './report/index.ts';
export { openStore } from './store/duckdb.ts';
export { openStoreFor } from './store/open.ts';
export type { RunSummary, Store } from './store/store.ts';
export { VERSION } from './version.ts';

import type { Assessment } from './core/model.ts';
import type { RenderOptions, ReportFormat } from './report/index.ts';
import { FORMATS, render } from './report/index.ts';

/** Every built-in report format as a function of the assessment: `renderers.sarif(a)`. */
export const renderers = Object.fromEntries(
  FORMATS.map((f) => [
    f,
    (a: Assessment, options: RenderOptions = { color: false }) => render(f, a, options),
  ]),
) as Record<ReportFormat, (assessment: Assessment, options?: RenderOptions) => string>;
