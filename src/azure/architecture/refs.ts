/**
 * Reading references out of resource bodies: the `{ "id": ... }` objects the architecture
 * graph follows, and the small name helpers every stage of the build shares. Kept apart so
 * each stage reads references the same way (lower-cased, trailing slash trimmed, Unknown kept).
 */

import { trimTrailing } from '../../core/trim-char.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import type { AzureResource } from '../resource.ts';

/** A reference read from `{ "id": ... }`: a lower-cased id, or the Unknown that hides it. */
export type Ref = { id: string; at: string } | { unknown: Unknown; at: string };

export function refAt(v: Value | undefined, at: string): Ref | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Unknown) return { unknown: v, at };
  const id = isObject(v) ? v.id : undefined;
  if (id instanceof Unknown) return { unknown: id, at: `${at}.id` };
  if (typeof id === 'string' && id !== '') return { id: trimTrailing(id.toLowerCase(), '/'), at: `${at}.id` };
  return undefined;
}

export function refList(v: Value | undefined, at: string): Ref[] {
  if (v instanceof Unknown) return [{ unknown: v, at }];
  if (!Array.isArray(v)) return [];
  const out: Ref[] = [];
  v.forEach((x, i) => {
    const r = refAt(x, `${at}[${i}]`);
    if (r) out.push(r);
  });
  return out;
}

export const arr = (v: Value | undefined): Value[] => (Array.isArray(v) ? v : []);
export const nameOf = (r: AzureResource) => (typeof r.name === 'string' ? r.name : '{unknown name}');
export const leaf = (id: string) => id.split('/').pop() ?? id;
