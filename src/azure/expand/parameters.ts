import type { SourceLocation } from '../../core/model.ts';
import type { JsonValue } from '../../json/parse.ts';
import { TemplateError } from '../expressions/context.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';

/** A value supplied for a parameter, with where it came from (for messages). */
export interface SuppliedParameter {
  value: Value;
  source: string;
  location?: SourceLocation;
  /** Why the parameter-file entry is malformed; reported as an input error and the value is unknown. */
  fault?: string;
}

/**
 * Reads a deploymentParameters file into supplied values; Key Vault references are unknown until
 * deployment. A malformed entry costs only that parameter: it is kept with its fault, which the
 * template reports with the resources that read it, so the rest of the file still applies.
 */
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
    const e = isObject(entry as Value) ? (entry as Record<string, JsonValue>) : undefined;
    if (e && 'value' in e) out.set(name.toLowerCase(), { value: e.value as Value, source: file, location });
    else if (e && 'reference' in e) {
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
      const fault = e
        ? `parameter "${name}" has neither "value" nor "reference"`
        : `parameter "${name}" must be an object with "value" or "reference"`;
      out.set(name.toLowerCase(), { value: new Unknown(fault, location), source: file, location, fault });
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
  if (type === 'array' || type === 'object' || type === 'secureobject') {
    try {
      return JSON.parse(raw) as Value;
    } catch {
      throw new TemplateError(
        'parameter-invalid',
        `-p ${name}: "${raw}" is not valid JSON for ${type === 'array' ? 'an array' : 'an object'}`,
      );
    }
  }
  return raw;
}
