import type { SourceLocation } from '../../core/model.ts';
import type { JsonValue } from '../../json/parse.ts';
import { TemplateError } from '../expressions/context.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';

/** A value supplied for a parameter, with where it came from (for messages). */
export interface SuppliedParameter {
  value: Value;
  source: string;
  location?: SourceLocation;
}

/** Reads a deploymentParameters file into supplied values; Key Vault references are unknown until deployment. */
export function readParameterFile(
  value: JsonValue,
  file: string,
  locate: (name: string) => SourceLocation,
): Map<string, SuppliedParameter> {
  const out = new Map<string, SuppliedParameter>();
  const params = isObject(value as Value) ? (value as { parameters?: JsonValue }).parameters : undefined;
  if (params === undefined) return out;
  if (!isObject(params as Value)) {
    throw new TemplateError(
      'parameter-file',
      'the "parameters" property of a parameter file must be an object',
      locate(''),
    );
  }
  for (const [name, entry] of Object.entries(params as Record<string, JsonValue>)) {
    const location = locate(name);
    if (!isObject(entry as Value)) {
      throw new TemplateError(
        'parameter-file',
        `parameter "${name}" must be an object with "value" or "reference"`,
        location,
      );
    }
    const e = entry as Record<string, JsonValue>;
    if ('value' in e) out.set(name.toLowerCase(), { value: e.value as Value, source: file, location });
    else if ('reference' in e) {
      const secret = (e.reference as Record<string, JsonValue> | null)?.secretName;
      out.set(name.toLowerCase(), {
        value: new Unknown(
          `parameter '${name}' is a Key Vault secret reference (${String(secret ?? 'secret')})`,
          location,
        ),
        source: file,
        location,
      });
    } else {
      throw new TemplateError(
        'parameter-file',
        `parameter "${name}" has neither "value" nor "reference"`,
        location,
      );
    }
  }
  return out;
}

/** Converts a `-p name=value` string to the declared parameter type. */
export function coerceCliValue(raw: string, declaredType: string, name: string): Value {
  const type = declaredType.toLowerCase();
  if (type === 'int') {
    const n = Number(raw);
    if (!Number.isInteger(n))
      throw new TemplateError('parameter-invalid', `-p ${name}: "${raw}" is not an integer`);
    return n;
  }
  if (type === 'bool') {
    if (/^true$/i.test(raw)) return true;
    if (/^false$/i.test(raw)) return false;
    throw new TemplateError('parameter-invalid', `-p ${name}: "${raw}" is not true or false`);
  }
  if (type === 'array' || type === 'object') {
    try {
      return JSON.parse(raw) as Value;
    } catch {
      throw new TemplateError('parameter-invalid', `-p ${name}: "${raw}" is not valid JSON for an ${type}`);
    }
  }
  return raw;
}

function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

/** JavaScript kinds of value each parameter type accepts. */
const EXPECTED_KINDS: Record<string, string[]> = {
  string: ['string'],
  securestring: ['string'],
  int: ['number'],
  bool: ['boolean'],
  object: ['object'],
  secureobject: ['object'],
  array: ['array'],
};

/** Module-level rather than a closure per call: every parameter a template reads is validated. */
function invalid(name: string, location: SourceLocation, message: string): TemplateError {
  return new TemplateError('parameter-invalid', `parameter '${name}': ${message}`, location);
}

/**
 * Validates a parameter value against its declaration as ARM does before deploying:
 * type, allowedValues, minValue/maxValue, minLength/maxLength. Unknown values pass through.
 */
export function validateParameter(
  name: string,
  decl: Record<string, Value>,
  value: Value,
  location: SourceLocation,
): void {
  if (value instanceof Unknown) return;
  const type = String(decl.type ?? '').toLowerCase();
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const expected = EXPECTED_KINDS;
  if (expected[type] && !expected[type].includes(kind))
    throw invalid(name, location, `expected a value of type ${decl.type}, got ${kind}`);
  const allowed = decl.allowedValues;
  if (Array.isArray(allowed)) {
    const items = Array.isArray(value) && type === 'array' ? value : [value];
    for (const item of items) {
      if (!allowed.some((a) => deepEqual(a, item))) {
        throw invalid(
          name,
          location,
          `value ${JSON.stringify(item)} is not one of the allowed values ${JSON.stringify(allowed)}`,
        );
      }
    }
  }
  if (typeof value === 'number') {
    if (typeof decl.minValue === 'number' && value < decl.minValue)
      throw invalid(name, location, `value ${value} is below minValue ${decl.minValue}`);
    if (typeof decl.maxValue === 'number' && value > decl.maxValue)
      throw invalid(name, location, `value ${value} is above maxValue ${decl.maxValue}`);
  }
  if (typeof value === 'string' || Array.isArray(value)) {
    if (typeof decl.minLength === 'number' && value.length < decl.minLength) {
      throw invalid(name, location, `length ${value.length} is below minLength ${decl.minLength}`);
    }
    if (typeof decl.maxLength === 'number' && value.length > decl.maxLength) {
      throw invalid(name, location, `length ${value.length} is above maxLength ${decl.maxLength}`);
    }
  }
}
