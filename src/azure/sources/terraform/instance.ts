/**
 * One Terraform resource instance as every Terraform reader yields it (plan, state, HCL), before
 * the provider mapping (`mapping/`) turns it into the normalised Azure model. Readers differ in
 * where values come from; the mapping does not care which.
 */
import type { SourceLocation } from '../../../core/model.ts';
import type { ValueObject } from '../../expressions/value.ts';

export interface TerraformInstance {
  /** Full address, module path and index included: `module.net.azurerm_subnet.app[0]`, `azurerm_x.y["key"]`. */
  address: string;
  /** `managed` resources are assessed; `data` sources are context only. */
  mode: 'managed' | 'data';
  /** Resource type: `azurerm_storage_account`, `azapi_resource`. */
  type: string;
  /** The block's name label: `app`. */
  name: string;
  /** Module path of the instance: `module.net` (empty at the root). */
  module: string;
  /** Provider, e.g. `registry.terraform.io/hashicorp/azurerm`, when the source says. */
  provider?: string;
  /**
   * Attribute values. A value the source cannot decide is an `Unknown` with its reason:
   * "known after apply" (plan), or the HCL reason (a registry module, a data source...). A
   * sensitive value is an `Unknown` whose reason is "(sensitive)", so no report can print it.
   */
  values: ValueObject;
  /** The file the evidence came from (the plan or state JSON; `location` may point at a `.tf` file). */
  file: string;
  /** Where the instance is declared: the `.tf` block when known, else its place in the plan. */
  location: SourceLocation;
  /** Where an attribute is set (`network_rules.default_action`), else the nearest known ancestor. */
  locate(path: string): SourceLocation;
  /**
   * The top-level attributes the configuration sets, each with the resource addresses its
   * expression refers to (module path applied, index and attribute dropped:
   * `module.net.azurerm_network_security_group.web`). Absent when the source has no
   * configuration (a state), so the mapping cannot tell configured from computed attributes.
   */
  references?: ReadonlyMap<string, readonly string[]>;
}
