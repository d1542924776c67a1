import { Unknown } from './expressions/value.ts';
import type { AzureResource } from './resource.ts';

const EMPTY: readonly AzureResource[] = Object.freeze([]);

/** Child resources of one type declared in one template file and nested deployment. */
interface DeploymentTypeBucket {
  /** Every resource of the type there, in scan order. */
  all: AzureResource[];
  /** By the lower-cased name of the parent: `a/b/c` is filed under `a/b` (its parent) only. */
  byParent: Map<string, AzureResource[]>;
  /** The first resource (in scan order) whose name is unknown. */
  unknownName: Unknown | undefined;
}

/**
 * Lookups over the resources of one scan, built once, so a check that looks for related
 * resources (children, diagnostic settings, a parent) costs a map lookup rather than a pass
 * over the whole scan per resource. Every list keeps scan order, so results are the same as
 * filtering `resources` in order.
 */
export class ResourceIndex {
  readonly resources: readonly AzureResource[];
  private readonly types = new Map<string, AzureResource[]>();
  /** Lower-cased type, then lower-cased name: the first resource with that type and name. */
  private readonly byName = new Map<string, Map<string, AzureResource>>();
  /** Deployment key (see `deploymentKey`), then lower-cased type. */
  private readonly deployments = new Map<string, Map<string, DeploymentTypeBucket>>();
  private readonly keys = new Map<AzureResource, string>();
  /** Lower-cased id: the first resource with it; built on first use (only some checks ask). */
  private ids: Map<string, AzureResource> | undefined;

  constructor(resources: readonly AzureResource[]) {
    this.resources = resources;
    // A scan has a few dozen types and one deployment chain per nested deployment: both are
    // normalised once, not per resource.
    const lowerTypes = new Map<string, string>();
    const chains = new Map<readonly string[], Map<string, string>>();
    for (const r of resources) {
      let type = lowerTypes.get(r.type);
      if (type === undefined) {
        type = r.type.toLowerCase();
        lowerTypes.set(r.type, type);
      }
      let ofType = this.types.get(type);
      if (!ofType) {
        ofType = [];
        this.types.set(type, ofType);
      }
      ofType.push(r);

      const name = r.name instanceof Unknown ? undefined : r.name.toLowerCase();
      if (name !== undefined) {
        let names = this.byName.get(type);
        if (!names) {
          names = new Map();
          this.byName.set(type, names);
        }
        if (!names.has(name)) names.set(name, r);
      }

      let byFile = chains.get(r.deployments);
      if (!byFile) {
        byFile = new Map();
        chains.set(r.deployments, byFile);
      }
      let key = byFile.get(r.file);
      if (key === undefined) {
        key = deploymentKey(r);
        byFile.set(r.file, key);
      }
      this.keys.set(r, key);
      let byType = this.deployments.get(key);
      if (!byType) {
        byType = new Map();
        this.deployments.set(key, byType);
      }
      let bucket = byType.get(type);
      if (!bucket) {
        bucket = { all: [], byParent: new Map(), unknownName: undefined };
        byType.set(type, bucket);
      }
      bucket.all.push(r);
      if (r.name instanceof Unknown) bucket.unknownName ??= r.name;
      else if (name !== undefined) {
        const slash = name.lastIndexOf('/');
        if (slash >= 0) {
          const parent = name.slice(0, slash);
          const list = bucket.byParent.get(parent);
          if (list) list.push(r);
          else bucket.byParent.set(parent, [r]);
        }
      }
    }
  }

  /** Resources of a type (case-insensitive), in scan order. */
  ofType(type: string): readonly AzureResource[] {
    return this.types.get(type.toLowerCase()) ?? EMPTY;
  }

  /** The first resource (in scan order) of a type with a name, both case-insensitive. */
  named(type: string, name: string): AzureResource | undefined {
    return this.byName.get(type.toLowerCase())?.get(name.toLowerCase());
  }

  /** The first resource (in scan order) with an id, case-insensitive. */
  withId(id: string): AzureResource | undefined {
    if (!this.ids) {
      this.ids = new Map();
      for (const r of this.resources) {
        const key = r.id.toLowerCase();
        if (!this.ids.has(key)) this.ids.set(key, r);
      }
    }
    return this.ids.get(id.toLowerCase());
  }

  /** Resources of a type declared by the same template file and nested deployment as `beside`, in scan order. */
  inDeployment(beside: AzureResource, type: string): readonly AzureResource[] {
    return this.bucket(beside, type)?.all ?? EMPTY;
  }

  /**
   * Children of `type` named `<parentName>/<leaf>` declared beside `beside` (same template file
   * and nested deployment), in scan order, with the first unknown child name there.
   */
  childrenNamed(
    beside: AzureResource,
    type: string,
    parentName: string,
  ): { found: readonly AzureResource[]; anyOfType: boolean; unknownName: Unknown | undefined } {
    const bucket = this.bucket(beside, type);
    if (!bucket) return { found: EMPTY, anyOfType: false, unknownName: undefined };
    return {
      found: bucket.byParent.get(parentName.toLowerCase()) ?? EMPTY,
      anyOfType: bucket.all.length > 0,
      unknownName: bucket.unknownName,
    };
  }

  private bucket(beside: AzureResource, type: string): DeploymentTypeBucket | undefined {
    const key = this.keys.get(beside) ?? deploymentKey(beside);
    return this.deployments.get(key)?.get(type.toLowerCase());
  }
}

/** Template file and chain of nested deployment names: where a resource is declared. */
function deploymentKey(r: AzureResource): string {
  return r.deployments.length === 0 ? r.file : `${r.file}\u0000${r.deployments.join('\u0000')}`;
}

const built = new WeakMap<readonly AzureResource[], ResourceIndex>();

/** The index of a list of resources, built on first use and kept while the list lives. */
export function indexResources(resources: readonly AzureResource[]): ResourceIndex {
  let index = built.get(resources);
  if (!index) {
    index = new ResourceIndex(resources);
    built.set(resources, index);
  }
  return index;
}
