import type { JsonValue } from '../../json/parse.ts';
import { LOCATOR_SOURCE, type LocatorSource, locator } from '../expand/resources.ts';
import { Unknown } from '../expressions/value.ts';
import type { JsonDocument } from '../load/document.ts';
import type { AzureResource } from '../resource.ts';

/** A step into a parsed JSON value: a member name or an array index. */
type Step = string | number;

/**
 * A resource as a worker posts it: no `locate` closure, but the declaration it reads, named
 * by its file and its path in that file's parse. Structured cloning keeps every plain value
 * and the sharing between them, but turns `Unknown`s into plain objects: `unknowns` lists
 * where they were, so the main thread makes them `Unknown`s again.
 */
export interface WireResource extends Omit<AzureResource, 'locate'> {
  declaration: { absolutePath: string; path: Step[] };
}

export interface WireResources {
  resources: WireResource[];
  /** Paths from `resources` to each `Unknown`, each reached once (shared values are cloned shared). */
  unknowns: Step[][];
}

/** Where each container of a parsed document sits in its parent, found by walking it once. */
type Parents = Map<object, { parent: object | undefined; step: Step }>;

function containerParents(root: JsonValue): Parents {
  const parents: Parents = new Map();
  const stack: [JsonValue, object | undefined, Step][] = [[root, undefined, '']];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, parent, step] = top;
    if (node === null || typeof node !== 'object' || parents.has(node)) continue;
    parents.set(node, { parent, step });
    if (Array.isArray(node))
      for (let i = 0; i < node.length; i++) stack.push([node[i] as JsonValue, node, i]);
    else for (const key of Object.keys(node)) stack.push([node[key] as JsonValue, node, key]);
  }
  return parents;
}

/** The steps from the document's root to a container of it; undefined when it is not one. */
function pathIn(parents: Parents, node: JsonValue): Step[] | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const path: Step[] = [];
  for (let at = parents.get(node); at !== undefined; at = at.parent && parents.get(at.parent)) {
    if (at.parent === undefined) return path.reverse();
    path.push(at.step);
  }
  return undefined;
}

/** Worker side: the resources in a form `postMessage` can send. Throws when one cannot be. */
export function toWire(resources: readonly AzureResource[]): WireResources {
  const byDoc = new Map<JsonDocument, Parents>();
  const unknowns: Step[][] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, path: Step[]): void => {
    if (value instanceof Unknown) {
      unknowns.push([...path]);
      return;
    }
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const node = value as Record<string, unknown>;
    for (const key of Object.keys(node)) {
      path.push(Array.isArray(node) ? Number(key) : key);
      visit(node[key], path);
      path.pop();
    }
  };
  const wired = resources.map((resource, i): WireResource => {
    const source = (resource.locate as { [LOCATOR_SOURCE]?: LocatorSource })[LOCATOR_SOURCE];
    if (!source) throw new Error(`resource ${resource.id} has no declaration to locate from`);
    let parents = byDoc.get(source.doc);
    if (!parents) {
      parents = containerParents(source.doc.value);
      byDoc.set(source.doc, parents);
    }
    const path = pathIn(parents, source.decl);
    if (!path) throw new Error(`the declaration of ${resource.id} is not in ${source.doc.file}`);
    visit(resource.name, [i, 'name']);
    visit(resource.body, [i, 'body']);
    const { locate: _, ...rest } = resource;
    return { ...rest, declaration: { absolutePath: source.doc.absolutePath, path } };
  });
  return { resources: wired, unknowns };
}

/** Main side: the resources a worker sent, with their `Unknown`s and `locate` back. */
export function fromWire(
  wire: WireResources,
  documentAt: (absolutePath: string) => JsonDocument,
): AzureResource[] {
  const made = new Map<object, Unknown>();
  for (const path of wire.unknowns) {
    let parent = wire.resources as unknown as Record<Step, unknown>;
    for (let i = 0; i < path.length - 1; i++) parent = parent[path[i] as Step] as Record<Step, unknown>;
    const last = path[path.length - 1] as Step;
    const plain = parent[last] as { reason: string; location?: Unknown['location'] };
    if (plain instanceof Unknown) continue;
    let unknown = made.get(plain);
    if (!unknown) {
      unknown = new Unknown(plain.reason, plain.location);
      made.set(plain, unknown);
    }
    parent[last] = unknown;
  }
  return wire.resources.map((w) => {
    const { declaration, ...rest } = w;
    const doc = documentAt(declaration.absolutePath);
    let decl = doc.value;
    for (const step of declaration.path) decl = (decl as Record<Step, JsonValue>)[step] as JsonValue;
    return { ...rest, locate: locator(doc, decl, rest.location) };
  });
}
