/**
 * The Terraform state reader: the JSON of `terraform show -json` without a plan (a state,
 * `values.root_module`). Every managed instance is assessed as it stands; `sensitive_values`
 * marks what is sensitive, which becomes unknown with the reason "(sensitive)". A state has no
 * configuration, so locations point at the instance in the state JSON. See docs/terraform.md.
 */
import type { JsonValue } from '../../../json/parse.ts';
import type { JsonDocument } from '../../load/document.ts';
import type { AzureSourceReader, SourceContext, SourceRead } from '../source.ts';
import { TfBlocks } from './config.ts';
import { mapInstances } from './mapping/index.ts';
import { formatVersionError, moduleInstances, type Placement } from './plan.ts';
import { isJsonObject } from './values.ts';

export const terraformStateReader: AzureSourceReader = {
  kind: 'terraform-state',
  detect: (value) =>
    isJsonObject(value) &&
    typeof value.format_version === 'string' &&
    value.planned_values === undefined &&
    value.resource_changes === undefined &&
    isJsonObject(value.values) &&
    isJsonObject(value.values.root_module),
  read(doc: JsonDocument, context: SourceContext): SourceRead {
    const error = formatVersionError(doc);
    if (error) return { resources: [], errors: [error], notes: [] };
    const state = doc.value as { [key: string]: JsonValue };
    const p: Placement = {
      doc,
      config: { references: new Map(), moduleDirs: new Map() },
      blocks: new TfBlocks(context.root),
    };
    return mapInstances(moduleInstances(p, state.values, false), { scope: context.scope, file: doc.file });
  },
};
