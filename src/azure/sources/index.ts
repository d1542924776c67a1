import type { JsonValue } from '../../json/parse.ts';
import { LIVE_READERS } from './live/index.ts';
import type { AzureSourceReader } from './source.ts';
import { TERRAFORM_CONFIG_KIND } from './terraform/hcl-source.ts';
import { terraformPlanReader } from './terraform/plan.ts';
import { terraformStateReader } from './terraform/state.ts';

/**
 * The Azure sources besides ARM templates, tried in order on every JSON file that is not a
 * template or a parameter file. Add a reader here (docs/ARCHITECTURE.md, "How to add a source").
 */
export const SOURCE_READERS: readonly AzureSourceReader[] = [
  terraformPlanReader,
  terraformStateReader,
  ...LIVE_READERS,
];

/** The reader that recognises this document, if any. */
export function readerFor(value: JsonValue): AzureSourceReader | undefined {
  return SOURCE_READERS.find((r) => r.detect(value));
}

/** Input kinds that are assessed evidence (not parameter files): templates and every reader's. */
export function assessedInputKinds(): Set<string> {
  return new Set(['arm-template', TERRAFORM_CONFIG_KIND, ...SOURCE_READERS.map((r) => r.kind)]);
}
