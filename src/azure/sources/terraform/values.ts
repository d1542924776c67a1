/**
 * Terraform's JSON values with their masks: `after_unknown` marks what is known only after
 * apply, `after_sensitive` / `sensitive_values` what the provider or configuration marks
 * sensitive. Both masks mirror the value's shape with `true` at the marked parts. The result is
 * the instance's `values`, where a marked part is an `Unknown` (a sensitive one keeps no trace
 * of its value), so no check or report can print it.
 */
import type { JsonValue } from '../../../json/parse.ts';
import { Unknown, type Value, type ValueObject } from '../../expressions/value.ts';

export const KNOWN_AFTER_APPLY = 'known after apply';
export const SENSITIVE = '(sensitive)';

/** Deepest nesting read: Terraform attribute values are shallow; a deeper one is cut off as unknown. */
const MAX_DEPTH = 64;

/**
 * The value with the masks applied. `sensitive` wins over `unknown` (a sensitive value known
 * only after apply must not look different from one known now). Terraform null means "not
 * set" and stays null; the mapping treats it as absent.
 */
export function maskedValue(
  value: JsonValue | undefined,
  unknownMask: JsonValue | undefined,
  sensitiveMask: JsonValue | undefined,
  depth = 0,
): Value | undefined {
  if (sensitiveMask === true) return new Unknown(SENSITIVE);
  if (unknownMask === true) return new Unknown(KNOWN_AFTER_APPLY);
  if (depth > MAX_DEPTH) return new Unknown('nested too deeply to read');
  if (Array.isArray(value) || Array.isArray(unknownMask) || Array.isArray(sensitiveMask)) {
    const items = Array.isArray(value) ? value : [];
    const u = Array.isArray(unknownMask) ? unknownMask : [];
    const s = Array.isArray(sensitiveMask) ? sensitiveMask : [];
    // An element unknown after apply has no entry in the value, only in the mask.
    const length = Math.max(items.length, u.length, s.length);
    const out: Value[] = [];
    for (let i = 0; i < length; i++) out.push(maskedValue(items[i], u[i], s[i], depth + 1) ?? null);
    return out;
  }
  if (isJsonObject(value) || isJsonObject(unknownMask) || isJsonObject(sensitiveMask)) {
    const v = isJsonObject(value) ? value : {};
    const u = isJsonObject(unknownMask) ? unknownMask : {};
    const s = isJsonObject(sensitiveMask) ? sensitiveMask : {};
    const out: ValueObject = {};
    for (const key of new Set([...Object.keys(v), ...Object.keys(u), ...Object.keys(s)])) {
      const item = maskedValue(v[key], u[key], s[key], depth + 1);
      if (item !== undefined) out[key] = item;
    }
    return out;
  }
  return value;
}

export function isJsonObject(v: unknown): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object's values with the masks applied (an object always, for an instance's attributes). */
export function maskedAttributes(
  value: JsonValue | undefined,
  unknownMask: JsonValue | undefined,
  sensitiveMask: JsonValue | undefined,
): ValueObject {
  if (sensitiveMask === true) return {};
  const out = maskedValue(isJsonObject(value) ? value : {}, unknownMask, sensitiveMask);
  return out !== undefined &&
    typeof out === 'object' &&
    out !== null &&
    !Array.isArray(out) &&
    !(out instanceof Unknown)
    ? (out as ValueObject)
    : {};
}
