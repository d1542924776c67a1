import { Unknown } from './expressions/value.ts';
import type { AzureResource } from './resource.ts';

const EMPTY: readonly AzureResource[] = Object.freeze([]);

/** Resources of one type declared in one template file and nested deployment. */
interface DeploymentTypeBucket {
  /** Every resource of the type there, in scan order. */
  all: AzureResource[];
  /**
   * By the lower-cased name of the parent: `a/b/c` is filed under `a/b` (its parent) only.
   * Built on the first lookup: only the child types checks ask about need it.
   */
  byParent: Map<string, AzureResource[]> | undefined;
  /** The first resource (in scan order) whose name is unknown. */
  unknownName: Unknown | undefined;
}

/**
 * Lookups over the resources of one scan, built once, so a check that looks for related
 * resources (children, diagnostic settings, a parent) costs a map lookup rather than a pass
 * over the whole scan per resource. Every list keeps scan order, so results are the same as
 * filtering `resources` in order. Lookups only some checks make are built when first made.
 */
export class ResourceIndex {
  readonly resources: readonly AzureResource[];
  private readonly types = new Map<string, AzureResource[]>();
  /** Lower-cased type, then lower-cased name: the first resource with that type and name. */
  private byName: Map<string, Map<string, AzureResource>> | undefined;
  /** Deployment key (see `deploymentKey`), then lower-cased type. */
  private readonly deployments = new Map<string, Map<string, DeploymentTypeBucket>>();
  /** Deployment keys by chain of deployment names (the array a template's resources share) and file. */
  private readonly chains = new Map<readonly string[], Map<string, string>>();
  /** Lower-cased types by type as written: a scan has a few dozen. */
  private readonly lowerTypes = new Map<string, string>();
  /** Lower-cased id: the first resource with it; built on first use (only some checks ask). */
  private ids: Map<string, AzureResource> | undefined;
  /**
   * Tree, lower-cased type and lower-cased parent id: the children declared in a nested
   * deployment other than their parent's. Built on the first child lookup.
   */
  private byParentId: Map<string, AzureResource[]> | undefined;

  constructor(resources: readonly AzureResource[]) {
    this.resources = resources;
    for (const r of resources) {
      const type = this.lowerType(r.type);
      let ofType = this.types.get(type);
      if (!ofType) {
        ofType = [];
        this.types.set(type, ofType);
      }
      ofType.push(r);

      const key = this.deploymentKey(r);
      let byType = this.deployments.get(key);
      if (!byType) {
        byType = new Map();
        this.deployments.set(key, byType);
      }
      let bucket = byType.get(type);
      if (!bucket) {
        bucket = { all: [], byParent: undefined, unknownName: undefined };
        byType.set(type, bucket);
      }
      bucket.all.push(r);
      if (r.name instanceof Unknown) bucket.unknownName ??= r.name;
    }
  }

  /** Resources of a type (case-insensitive), in scan order. */
  ofType(type: string): readonly AzureResource[] {
    return this.types.get(type.toLowerCase()) ?? EMPTY;
  }

  /** The first resource (in scan order) of a type with a name, both case-insensitive. */
  named(type: string, name: string): AzureResource | undefined {
    if (!this.byName) {
      const byName = new Map<string, Map<string, AzureResource>>();
      for (const r of this.resources) {
        if (r.name instanceof Unknown) continue;
        const lowerType = this.lowerType(r.type);
        let names = byName.get(lowerType);
        if (!names) {
          names = new Map();
          byName.set(lowerType, names);
        }
        const lower = r.name.toLowerCase();
        if (!names.has(lower)) names.set(lower, r);
      }
      this.byName = byName;
    }
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
    const elsewhere = this.childrenById(beside, type);
    const bucket = this.bucket(beside, type);
    if (!bucket) return { found: elsewhere, anyOfType: elsewhere.length > 0, unknownName: undefined };
    bucket.byParent ??= byParentName(bucket.all);
    const here = bucket.byParent.get(parentName.toLowerCase()) ?? EMPTY;
    return {
      found: elsewhere.length === 0 ? here : [...here, ...elsewhere],
      anyOfType: bucket.all.length > 0,
      unknownName: bucket.unknownName,
    };
  }

  /**
   * Children of `type` whose parent is `parent` by resource id but which another nested
   * deployment of the same template tree declares (a `config/web` deployed by a module for a
   * site declared by the main template): ARM binds them by id, whichever deployment made them.
   */
  private childrenById(parent: AzureResource, type: string): readonly AzureResource[] {
    if (!this.byParentId) {
      this.byParentId = new Map();
      for (const r of this.resources) {
        if (r.name instanceof Unknown) continue;
        const slash = r.id.lastIndexOf('/', r.id.lastIndexOf('/') - 1);
        if (slash <= 0) continue;
        const key = `${treeOf(r)}\u0000${this.lowerType(r.type)}\u0000${r.id.slice(0, slash).toLowerCase()}`;
        const list = this.byParentId.get(key);
        if (list) list.push(r);
        else this.byParentId.set(key, [r]);
      }
    }
    const all = this.byParentId.get(
      `${treeOf(parent)}\u0000${type.toLowerCase()}\u0000${parent.id.toLowerCase()}`,
    );
    if (!all) return EMPTY;
    const own = this.deploymentKey(parent);
    return all.filter((r) => this.deploymentKey(r) !== own);
  }

  private bucket(beside: AzureResource, type: string): DeploymentTypeBucket | undefined {
    return this.deployments.get(this.deploymentKey(beside))?.get(type.toLowerCase());
  }

  private lowerType(type: string): string {
    let lower = this.lowerTypes.get(type);
    if (lower === undefined) {
      lower = type.toLowerCase();
      this.lowerTypes.set(type, lower);
    }
    return lower;
  }

  /** Template file and chain of nested deployment names: where a resource is declared. */
  private deploymentKey(r: AzureResource): string {
    let byFile = this.chains.get(r.deployments);
    if (!byFile) {
      byFile = new Map();
      this.chains.set(r.deployments, byFile);
    }
    let key = byFile.get(r.file);
    if (key === undefined) {
      key = r.deployments.length === 0 ? r.file : `${r.file}\u0000${r.deployments.join('\u0000')}`;
      byFile.set(r.file, key);
    }
    return key;
  }
}

/** The template tree a resource came from; a resource built by hand (tests) is its own file's. */
function treeOf(r: AzureResource): string {
  return r.tree ?? r.file;
}

/** Resources by the lower-cased name of their parent (`a/b/c` under `a/b`), in the order given. */
function byParentName(resources: readonly AzureResource[]): Map<string, AzureResource[]> {
  const byParent = new Map<string, AzureResource[]>();
  for (const r of resources) {
    if (r.name instanceof Unknown) continue;
    const slash = r.name.lastIndexOf('/');
    if (slash < 0) continue;
    const parent = r.name.slice(0, slash).toLowerCase();
    const list = byParent.get(parent);
    if (list) list.push(r);
    else byParent.set(parent, [r]);
  }
  return byParent;
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
