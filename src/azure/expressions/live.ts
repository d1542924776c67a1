import type { ValueObject } from './value.ts';

/**
 * An object only part of which the template decides (the outputs of a nested deployment read
 * through `reference()`): a property it lacks is live state, unknown with this reason rather
 * than a missing-property error. Kept under a symbol, invisible to keys and JSON.
 */
const LIVE_REST = Symbol('assay.liveRest');

export function withLiveRest(o: ValueObject, reason: string): ValueObject {
  Object.defineProperty(o, LIVE_REST, { value: reason, enumerable: false });
  return o;
}

/** Why the properties this object lacks are unknown, or undefined for an ordinary object. */
export function liveRest(o: ValueObject): string | undefined {
  return (o as { [LIVE_REST]?: string })[LIVE_REST];
}
