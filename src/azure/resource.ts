import type { SourceLocation, Subject } from '../core/model.ts';
import { isObject, Unknown, type Value, type ValueObject } from './expressions/value.ts';
import type { Boundary } from './residency/boundary.ts';
import type { ResourceIndex } from './resource-index.ts';

/** An Azure resource after template expansion: real values where the template decides them, Unknown elsewhere. */
export interface AzureResource {
  /** Full type, e.g. `Microsoft.Storage/storageAccounts/blobServices` (child types are joined). */
  type: string;
  apiVersion: string;
  /** Full name, e.g. `account/default`; an Unknown when the template cannot decide it. */
  name: string | Unknown;
  /** Resource id as ARM would compute it (or a readable stand-in when parts are unknown). */
  id: string;
  /** The whole expanded declaration: location, sku, kind, identity, tags, properties, ... */
  body: ValueObject;
  /** Symbolic name in a languageVersion 2.0 template. */
  symbolicName?: string;
  /** Copy loop and iteration this instance came from. */
  copy?: { name: string; index: number };
  /** Names of the nested deployments that contain this resource, outermost first. */
  deployments: string[];
  /** Template file the declaration is in. */
  file: string;
  /**
   * Absolute path of the top-level template whose expansion produced this resource (itself
   * for a top-level resource; the parent for one from an inline or linked deployment). ARM
   * binds a child to its parent by resource id across the deployments of one tree.
   */
  tree?: string;
  /** Location of the declaration. */
  location: SourceLocation;
  /**
   * Why resources related to this one (its children, extension resources such as diagnostic
   * settings) may exist without being in the evidence: set by sources that list resources one
   * by one (a live export). A check that finds no related resource is then unknown, not fail.
   */
  unlistedRelations?: string;
  /**
   * Source location of a property given by a dotted path relative to the resource
   * (e.g. `properties.networkAcls.defaultAction`); falls back to the nearest declared
   * ancestor, then the resource itself.
   */
  locate(path: string): SourceLocation;
}

export type AzureSubject = Subject<AzureResource>;

export const AZURE_RESOURCE_KIND = 'azure-resource';

/** Every resource of the scan, so a check can look at related resources (e.g. diagnostic settings of a vault). */
export interface AzureCheckContext {
  resources: readonly AzureResource[];
  /**
   * Lookups over `resources` (by type, by name, children within a deployment), built once per
   * scan. Optional for contexts made by hand: checks build it from `resources` when absent.
   */
  index?: ResourceIndex;
  /** The scan's clock (ISO 8601), so date-dependent checks give the same answer for the same `--now`. */
  now: string;
  /** The sovereign boundary of the run (`--boundary`); residency checks run only when it is set. */
  boundary?: Boundary;
}

/** Splits `a.b[0].c` into `['a','b','0','c']`. */
export function splitPath(path: string): string[] {
  return [...pathParts(path)];
}

/** Split paths by text: checks read the same few dozen paths for every resource. */
const splitCache = new Map<string, readonly string[]>();
const SPLIT_CACHE_LIMIT = 4096;

/** `splitPath`, shared and read-only, for the hot paths that only read the parts. */
export function pathParts(path: string): readonly string[] {
  let parts = splitCache.get(path);
  if (parts === undefined) {
    parts = Object.freeze(
      path
        .replace(/\[(\d+)\]/g, '.$1')
        .split('.')
        .filter((p) => p.length > 0),
    );
    // Paths built from data (rare) must not grow the cache without bound.
    if (splitCache.size >= SPLIT_CACHE_LIMIT) splitCache.clear();
    splitCache.set(path, parts);
  }
  return parts;
}

/**
 * Reads a property by dotted path. Object keys are matched case-insensitively, as ARM does.
 * Returns undefined when absent, or the Unknown met on the way (an unknown parent makes the child unknown).
 */
export function getPath(root: Value | undefined, path: string | readonly string[]): Value | undefined {
  const parts = typeof path === 'string' ? pathParts(path) : path;
  let cur: Value | undefined = root;
  // Indexed loops and for...in: this runs for every property every check reads, so it allocates nothing.
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as string;
    if (cur === undefined || cur === null) return undefined;
    if (cur instanceof Unknown) return cur;
    if (Array.isArray(cur)) {
      const i = Number(part);
      cur = Number.isInteger(i) ? cur[i] : undefined;
    } else if (isObject(cur)) {
      if (Object.hasOwn(cur, part)) cur = cur[part];
      else {
        // The first own key equal ignoring case, in Object.keys order.
        const lower = part.toLowerCase();
        let found: Value | undefined;
        for (const k in cur) {
          if (k.toLowerCase() === lower && Object.hasOwn(cur, k)) {
            found = cur[k];
            break;
          }
        }
        cur = found;
      }
    } else return undefined;
  }
  return cur;
}
