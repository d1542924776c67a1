import type { JsonValue } from '../../json/parse.ts';
import { TemplateError } from '../expressions/context.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';

/**
 * ARM's type system for parameters, type definitions and their members: the classic
 * keywords (`type`, `allowedValues`, lengths, values) and the user-defined types of
 * languageVersion 2.0 templates (`$ref`, `items`, `prefixItems`, `properties`,
 * `additionalProperties`, `sealed`, `discriminator`, `nullable`).
 */
export type TypeSchema = { readonly [key: string]: JsonValue };

/** A resolved `$ref` chain longer than this is taken as a cycle the seen-list missed. */
const MAX_REF_CHAIN = 64;

function asSchema(node: JsonValue | undefined): TypeSchema | undefined {
  return isObject(node as Value) ? (node as TypeSchema) : undefined;
}

/** The `definitions` of one template, against which every `$ref` of the template resolves. */
export class TypeDefinitions {
  private readonly root: TypeSchema;
  private readonly resolved = new WeakMap<TypeSchema, TypeSchema>();

  constructor(definitions: JsonValue | undefined) {
    this.root = { definitions: definitions ?? {} };
  }

  /**
   * The schema with its `$ref` chain followed: the referenced schema's keywords, overridden
   * by the referring schema's own (Bicep writes `{"$ref": ..., "nullable": true}`).
   * A reference to nothing, or a chain of references that comes back on itself, is a
   * template error.
   */
  resolve(schema: TypeSchema): TypeSchema {
    if (typeof schema.$ref !== 'string') return schema;
    const cached = this.resolved.get(schema);
    if (cached) return cached;
    const layers: TypeSchema[] = [];
    const seen: string[] = [];
    let current = schema;
    while (typeof current.$ref === 'string') {
      const ref = current.$ref;
      if (seen.includes(ref) || seen.length > MAX_REF_CHAIN) {
        throw new TemplateError('type-ref', `type reference cycle: ${[...seen, ref].join(' -> ')}`);
      }
      seen.push(ref);
      layers.push(current);
      current = this.target(ref);
    }
    let merged: Record<string, JsonValue> = { ...current };
    for (let i = layers.length - 1; i >= 0; i--) {
      const { $ref: _ref, ...own } = layers[i] as Record<string, JsonValue>;
      merged = { ...merged, ...own };
    }
    this.resolved.set(schema, merged);
    return merged;
  }

  /** Follows a JSON pointer (`#/definitions/a/properties/b`) from the template's root. */
  private target(ref: string): TypeSchema {
    const missing = () =>
      new TemplateError('type-ref', `type reference '${ref}' names no definition in this template`);
    if (!ref.startsWith('#/definitions/')) throw missing();
    let node: JsonValue | undefined = this.root;
    for (const raw of ref.slice(2).split('/')) {
      const segment = decodePointerSegment(raw);
      if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
      else if (isObject(node as Value) && Object.hasOwn(node as object, segment))
        node = (node as TypeSchema)[segment];
      else throw missing();
    }
    const schema = asSchema(node);
    if (!schema) throw missing();
    return schema;
  }
}

function decodePointerSegment(raw: string): string {
  let segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
  try {
    segment = decodeURIComponent(segment);
  } catch {
    // Not percent-encoded: the segment is the name as written.
  }
  return segment;
}

/** The lower-case `type` of a resolved schema; no `type` (resource-derived types, `any` members) is `any`. */
export function typeOf(schema: TypeSchema): string {
  return typeof schema.type === 'string' ? schema.type.toLowerCase() : 'any';
}

/** A type Bicep derived from a resource's schema (`metadata.__bicep_resource_derived_type!`). */
export function isResourceDerived(schema: TypeSchema): boolean {
  const metadata = asSchema(schema.metadata);
  return metadata !== undefined && metadata['__bicep_resource_derived_type!'] !== undefined;
}

/** Whether a schema (after `$ref`) is `nullable`. */
export function isNullable(defs: TypeDefinitions, schema: TypeSchema): boolean {
  return defs.resolve(schema).nullable === true;
}

function kindOf(value: Value): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'number';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

const TYPE_NOUNS: Record<string, string> = {
  string: 'a string',
  securestring: 'a string',
  int: 'an int',
  bool: 'a bool',
  object: 'an object',
  secureobject: 'an object',
  array: 'an array',
};

function hasType(type: string, value: Value): boolean {
  switch (type) {
    case 'string':
    case 'securestring':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'object':
    case 'secureobject':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      // `any`, and type names ARM would reject at deployment: nothing to hold the value to.
      return true;
  }
}

/** ARM compares allowed values with strings case-insensitively, objects member by member. */
function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i] as Value));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => {
      const other = memberKey(b, k);
      return other !== undefined && sameValue(a[k] as Value, b[other] as Value);
    });
  }
  return false;
}

/** The key of an object member by name, case-insensitively (ARM object members are). */
function memberKey(obj: object, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  const lower = name.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return k;
  return undefined;
}

function propertyPath(path: string, name: string): string {
  const plain = /^[A-Za-z_$][\w$-]*$/.test(name);
  if (plain) return path === '' ? name : `${path}.${name}`;
  return `${path}[${JSON.stringify(name)}]`;
}

function problem(path: string, message: string): string {
  return path === '' ? message : `${path}: ${message}`;
}

/**
 * Checks a value against a schema as ARM does before deploying. Returns the first problem,
 * prefixed with its JSON path inside the value (`[1].name: expected a string, got int`), or
 * undefined when the value conforms. Unknown parts conform: only the deployment knows them.
 */
export function checkValue(
  defs: TypeDefinitions,
  schema: TypeSchema,
  value: Value,
  path = '',
): string | undefined {
  if (value instanceof Unknown) return undefined;
  const s = defs.resolve(schema);
  const type = typeOf(s);
  if (value === null) {
    if (s.nullable === true || type === 'any') return undefined;
    return problem(path, `expected ${TYPE_NOUNS[type] ?? type}, got null`);
  }
  if (!hasType(type, value))
    return problem(path, `expected ${TYPE_NOUNS[type] ?? type}, got ${kindOf(value)}`);
  return (
    checkAllowed(s, type, value, path) ??
    checkRange(s, value, path) ??
    (Array.isArray(value) ? checkItems(defs, s, value, path) : undefined) ??
    (isObject(value) ? checkMembers(defs, s, value, path) : undefined)
  );
}

function checkAllowed(s: TypeSchema, type: string, value: Value, path: string): string | undefined {
  const allowed = s.allowedValues;
  if (!Array.isArray(allowed)) return undefined;
  const listed = (v: Value) => allowed.some((a) => sameValue(a as Value, v));
  if (listed(value)) return undefined;
  const describe = `is not one of the allowed values ${JSON.stringify(allowed)}`;
  // An array conforms when each of its items is allowed (ARM's rule for array parameters).
  if (type === 'array' && Array.isArray(value)) {
    const i = value.findIndex((item) => !(item instanceof Unknown) && !listed(item));
    if (i < 0) return undefined;
    return problem(`${path}[${i}]`, `value ${JSON.stringify(value[i])} ${describe}`);
  }
  return problem(path, `value ${JSON.stringify(value)} ${describe}`);
}

function checkRange(s: TypeSchema, value: Value, path: string): string | undefined {
  if (typeof value === 'number') {
    if (typeof s.minValue === 'number' && value < s.minValue)
      return problem(path, `value ${value} is below minValue ${s.minValue}`);
    if (typeof s.maxValue === 'number' && value > s.maxValue)
      return problem(path, `value ${value} is above maxValue ${s.maxValue}`);
  }
  if (typeof value === 'string' || Array.isArray(value)) {
    if (typeof s.minLength === 'number' && value.length < s.minLength)
      return problem(path, `length ${value.length} is below minLength ${s.minLength}`);
    if (typeof s.maxLength === 'number' && value.length > s.maxLength)
      return problem(path, `length ${value.length} is above maxLength ${s.maxLength}`);
  }
  return undefined;
}

function checkItems(defs: TypeDefinitions, s: TypeSchema, value: Value[], path: string): string | undefined {
  const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
  for (let i = 0; i < prefix.length; i++) {
    const itemSchema = asSchema(prefix[i]) ?? {};
    const at = `${path}[${i}]`;
    if (i >= value.length) {
      if (isNullable(defs, itemSchema)) continue;
      return problem(at, `missing: the type has ${prefix.length} items`);
    }
    const found = checkValue(defs, itemSchema, value[i] as Value, at);
    if (found) return found;
  }
  if (s.items === false && value.length > prefix.length)
    return problem(path, `expected at most ${prefix.length} items, got ${value.length}`);
  const items = asSchema(s.items);
  if (!items) return undefined;
  for (let i = prefix.length; i < value.length; i++) {
    const found = checkValue(defs, items, value[i] as Value, `${path}[${i}]`);
    if (found) return found;
  }
  return undefined;
}

function checkMembers(
  defs: TypeDefinitions,
  s: TypeSchema,
  value: Record<string, Value>,
  path: string,
): string | undefined {
  const discriminated = checkDiscriminator(defs, s, value, path);
  if (discriminated !== null) return discriminated;
  const properties = asSchema(s.properties) ?? {};
  const declared = new Set<string>();
  for (const [name, member] of Object.entries(properties)) {
    declared.add(name.toLowerCase());
    const memberSchema = asSchema(member) ?? {};
    const key = memberKey(value, name);
    const at = propertyPath(path, name);
    if (key === undefined) {
      if (isNullable(defs, memberSchema)) continue;
      return problem(at, 'required property is missing');
    }
    const found = checkValue(defs, memberSchema, value[key] as Value, at);
    if (found) return found;
  }
  const additional = s.sealed === true ? false : s.additionalProperties;
  if (additional === undefined || additional === true) return undefined;
  const extraSchema = asSchema(additional);
  for (const key of Object.keys(value)) {
    if (declared.has(key.toLowerCase())) continue;
    const at = propertyPath(path, key);
    if (!extraSchema) return problem(at, 'property is not declared by the type');
    const found = checkValue(defs, extraSchema, value[key] as Value, at);
    if (found) return found;
  }
  return undefined;
}

/**
 * A discriminated union: the member named by `propertyName` picks the schema the object is
 * checked against. Returns null when the schema has no discriminator.
 */
function checkDiscriminator(
  defs: TypeDefinitions,
  s: TypeSchema,
  value: Record<string, Value>,
  path: string,
): string | undefined | null {
  const discriminator = asSchema(s.discriminator);
  if (!discriminator || typeof discriminator.propertyName !== 'string') return null;
  const mapping = asSchema(discriminator.mapping) ?? {};
  const name = discriminator.propertyName;
  const at = propertyPath(path, name);
  const key = memberKey(value, name);
  const tag = key === undefined ? undefined : value[key];
  if (tag instanceof Unknown) return undefined;
  const choices = Object.keys(mapping);
  if (typeof tag !== 'string')
    return problem(at, `required discriminator, one of ${JSON.stringify(choices)}`);
  const choice = memberKey(mapping, tag);
  if (choice === undefined)
    return problem(at, `value ${JSON.stringify(tag)} is not one of ${JSON.stringify(choices)}`);
  return checkValue(defs, asSchema(mapping[choice]) ?? {}, value, path) ?? undefined;
}
