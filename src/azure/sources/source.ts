/**
 * The seam for Azure sources other than ARM templates (a Terraform plan or state, an export
 * of live resources): a reader recognises its JSON document and turns it into the normalised
 * model (`AzureResource`, docs/azure-model.md), which the checks, residency rules and the TRA
 * read unchanged. `scanAzure` offers every JSON file that is not a template or parameter file
 * to the readers in `index.ts`, in order; the first that recognises it reads it.
 */
import type { InputError, InputNote } from '../../core/model.ts';
import type { JsonValue } from '../../json/parse.ts';
import type { DeploymentScope } from '../expressions/context.ts';
import type { JsonDocument } from '../load/document.ts';
import type { AzureResource } from '../resource.ts';

export interface SourceContext {
  /** Folder reported paths are relative to. */
  root: string;
  /** The run's deployment scope (`--subscription-id`, ...), for sources whose rows lack one. */
  scope: DeploymentScope;
  /** The run's clock (ISO 8601). */
  now: string;
  /** `--terraform-config`: the configuration folder of a Terraform plan, instead of the plan's own folder. */
  terraformConfig?: string;
}

export interface SourceRead {
  resources: AzureResource[];
  /** Problems with parts of the input; each names what it affected, and the rest is read. */
  errors: InputError[];
  notes: InputNote[];
}

export interface AzureSourceReader {
  /** The input kind recorded in the assessment, e.g. `terraform-plan`, `azure-resource-graph`. */
  kind: string;
  /** Whether a parsed JSON document is in this reader's format (cheap: looks at the top level only). */
  detect(value: JsonValue): boolean;
  /** Reads the document; bad content becomes errors naming file and place, never a throw. */
  read(doc: JsonDocument, context: SourceContext): SourceRead | Promise<SourceRead>;
}
