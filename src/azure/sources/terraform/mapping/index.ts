/**
 * The azurerm -> ARM provider mapping: the registry of mapped Terraform types (one file per
 * service area) and `mapInstances`, which turns the instances every Terraform reader yields
 * into the normalised Azure model. Managed instances of a mapped type become ARM resources,
 * split-out resources (`azurerm_storage_account_network_rules`, NSG associations) attach to
 * the parent ARM sees, data sources are context only, and an unmapped azurerm type is one
 * info note per type, never dropped silently. See docs/terraform.md.
 */
import { compareText } from '../../../../core/compare.ts';
import type { InputError, InputNote } from '../../../../core/model.ts';
import type { DeploymentScope } from '../../../expressions/context.ts';
import type { AzureResource } from '../../../resource.ts';
import type { SourceRead } from '../../source.ts';
import { withoutIndexes } from '../config.ts';
import type { TerraformInstance } from '../instance.ts';
import { azapiMappings } from './azapi.ts';
import { computeMappings } from './compute.ts';
import { containerMappings } from './containers.ts';
import { databaseMappings } from './databases.ts';
import { attr, type Draft, type MappingContext, type TypeMapping } from './draft.ts';
import { identityMappings } from './identity.ts';
import { keyVaultMappings } from './keyvault.ts';
import { messagingMappings } from './messaging.ts';
import { monitoringMappings } from './monitoring.ts';
import { networkMappings } from './network.ts';
import { sqlMappings } from './sql.ts';
import { storageMappings } from './storage.ts';
import { webMappings } from './web.ts';

/** Every mapped Terraform type, by service area. */
export const TYPE_MAPPINGS: readonly TypeMapping[] = [
  ...storageMappings,
  ...keyVaultMappings,
  ...sqlMappings,
  ...webMappings,
  ...computeMappings,
  ...networkMappings,
  ...containerMappings,
  ...databaseMappings,
  ...messagingMappings,
  ...monitoringMappings,
  ...identityMappings,
  ...azapiMappings,
];

const BY_TYPE = new Map(TYPE_MAPPINGS.map((m) => [m.tfType, m]));

/** Terraform's own resources with nothing to assess in Azure: not worth a note. */
const NOT_AZURE_RESOURCES = new Set(['azurerm_resource_group_template_deployment']);

export interface MapOptions {
  scope: DeploymentScope;
  /** The Terraform JSON file the instances came from (the resources' `file`). */
  file: string;
}

/** The mapping of one instance's index into its address, for the configuration's reference matching. */
function indexPart(address: string): string {
  const open = address.lastIndexOf('[');
  const dot = address.lastIndexOf('.');
  return open > dot ? address.slice(open) : '';
}

/** `module.net[0].azurerm_x.y[1]` -> `module.net[0]`: the module instance an address sits in. */
function moduleInstance(i: TerraformInstance): string {
  return i.module;
}

/** An id from its resource group on, lower-cased: ids in a plan may carry another subscription's stand-in. */
function resourceGroupTail(id: string): string | undefined {
  const lower = id.toLowerCase();
  const at = lower.indexOf('/resourcegroups/');
  return at < 0 ? undefined : lower.slice(at);
}

export function mapInstances(instances: readonly TerraformInstance[], options: MapOptions): SourceRead {
  const errors: InputError[] = [];
  const notes: InputNote[] = [];
  const managed = instances.filter((i) => i.mode === 'managed');
  /** Managed instances by configuration address (indexes dropped). */
  const byConfig = new Map<string, TerraformInstance[]>();
  for (const i of managed) {
    const key = withoutIndexes(i.address);
    const list = byConfig.get(key);
    if (list) list.push(i);
    else byConfig.set(key, [i]);
  }
  const byId = new Map<string, TerraformInstance>();
  for (const i of managed) {
    const id = attr(i, 'id');
    if (typeof id === 'string' && !byId.has(id.toLowerCase())) byId.set(id.toLowerCase(), i);
  }
  const drafts = new Map<TerraformInstance, Draft[]>();
  const inProgress = new Set<TerraformInstance>();
  const ordered: Draft[] = [];

  /**
   * Drafts by id (from the resource group on) and by type and name, built on first use after
   * mapping every instance. Instances being mapped at that moment (the asker's own chain) are
   * not in them, and an instance mapped while they are built finds nothing in them.
   */
  let built: { byTail: Map<string, TerraformInstance>; byName: Map<string, Draft> } | undefined;
  let building = false;
  const lookups = (): { byTail: Map<string, TerraformInstance>; byName: Map<string, Draft> } => {
    if (built) return built;
    // Asked again while mapping everything: answer nothing rather than recurse.
    if (building) return { byTail: new Map(), byName: new Map() };
    building = true;
    for (const i of managed) ctx.draftsOf(i);
    const byTail = new Map<string, TerraformInstance>();
    const byName = new Map<string, Draft>();
    for (const list of drafts.values()) {
      for (const d of list) {
        const tail = resourceGroupTail(d.id);
        if (tail !== undefined && !byTail.has(tail)) byTail.set(tail, d.from);
        const key = `${d.type.toLowerCase()}\u0000${typeof d.name === 'string' ? d.name.toLowerCase() : ''}`;
        if (typeof d.name === 'string' && !byName.has(key)) byName.set(key, d);
      }
    }
    built = { byTail, byName };
    return built;
  };

  const ctx: MappingContext = {
    scope: options.scope,
    draftsOf(i) {
      const done = drafts.get(i);
      if (done) return done;
      const mapping = BY_TYPE.get(i.type);
      if (!mapping?.map || inProgress.has(i)) return [];
      inProgress.add(i);
      const made = mapping.map(i, ctx);
      inProgress.delete(i);
      drafts.set(i, made);
      return made;
    },
    byReference(ref, i, types) {
      if (ref.endsWith(']')) {
        // `sa[0]`, `sa["a"]`: that instance, in the referring instance's module instance.
        const index = indexPart(ref);
        return (byConfig.get(withoutIndexes(ref)) ?? []).find(
          (c) =>
            types.includes(c.type) &&
            moduleInstance(c) === moduleInstance(i) &&
            indexPart(c.address) === index,
        );
      }
      const candidates = (byConfig.get(ref) ?? []).filter((c) => types.includes(c.type));
      if (candidates.length <= 1) return candidates[0];
      // count/for_each on both: the one in the same module instance with the same index.
      return candidates.find(
        (c) => moduleInstance(c) === moduleInstance(i) && indexPart(c.address) === indexPart(i.address),
      );
    },
    referenced(i, attribute, types) {
      for (const ref of i.references?.get(attribute) ?? []) {
        const found = ctx.byReference(ref, i, types);
        if (found) return found;
      }
      const value = attr(i, attribute);
      if (typeof value === 'string') {
        const target = byId.get(value.toLowerCase());
        if (target && types.includes(target.type)) return target;
        // Not created yet: the id names the resource group, type and name of a resource in the plan.
        const tail = resourceGroupTail(value);
        const candidate = tail === undefined ? undefined : lookups().byTail.get(tail);
        if (candidate && types.includes(candidate.type)) return candidate;
      }
      return undefined;
    },
    draftNamed(armType, name) {
      return lookups().byName.get(`${armType.toLowerCase()}\u0000${name.toLowerCase()}`);
    },
  };

  const unmapped = new Map<string, TerraformInstance[]>();
  // Resources first (in instance order), so that split-out settings find their parent.
  for (const i of managed) {
    const mapping = BY_TYPE.get(i.type);
    if (!mapping) {
      if (
        (i.type.startsWith('azurerm_') || i.type.startsWith('azapi_')) &&
        !NOT_AZURE_RESOURCES.has(i.type)
      ) {
        const list = unmapped.get(i.type);
        if (list) list.push(i);
        else unmapped.set(i.type, [i]);
      }
      continue;
    }
    if (mapping.map) for (const d of ctx.draftsOf(i)) ordered.push(d);
  }
  for (const i of managed) {
    const mapping = BY_TYPE.get(i.type);
    if (!mapping?.attach) continue;
    const reason = mapping.attach(i, ctx);
    if (reason !== undefined) {
      notes.push({
        file: i.location.file,
        line: i.location.line,
        level: 'warning',
        message: `${i.address}: ${reason}; its settings are not assessed`,
      });
    }
  }
  for (const [type, list] of [...unmapped].sort((a, b) => compareText(a[0], b[0]))) {
    const first = list[0] as TerraformInstance;
    notes.push({
      file: first.location.file,
      line: first.location.line,
      level: 'info',
      message: `${type} not mapped to Azure Resource Manager: ${list.length} instance${list.length === 1 ? '' : 's'} not assessed (first ${first.address})`,
    });
  }
  const resources = ordered.map((d) => toResource(d, options.file));
  return { resources, errors, notes };
}

function toResource(d: Draft, file: string): AzureResource {
  return {
    type: d.type,
    apiVersion: d.apiVersion,
    name: d.name,
    id: d.id,
    body: { type: d.type, apiVersion: d.apiVersion, ...d.body },
    // The Terraform address, shown by `assay expand` as a template's symbolic name is.
    symbolicName: d.from.address,
    deployments: [],
    file,
    tree: file,
    location: d.location,
    locate: (path) => d.locate(path),
  };
}
