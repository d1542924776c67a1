/**
 * Terraform's built-in functions that a configuration read without a plan can decide. A function
 * not in this table yields Unknown naming it (the resource is still assessed on its other
 * attributes). `try` and `can` are in the evaluator: they need their arguments unevaluated.
 *
 * Unknown arguments: most functions give the first Unknown found anywhere in their arguments;
 * those in `SHALLOW` look only at the top level, because they pass values through without reading
 * them (`length` of a list holding an Unknown is still known). `coalesce` returns the first
 * decided non-empty argument before any Unknown.
 */

import {
  findUnknown,
  isObject,
  isUnknown,
  Unknown,
  type Value,
  type ValueObject,
} from '../../../expressions/value.ts';
import type { HclRange } from '../hcl/ast.ts';
import { charge, checkText, deepEqual, describeType, HclEvalError, toText } from './evaluate.ts';

type Fn = (args: Value[], range: HclRange) => Value;

/** Largest list `range()` builds: a configuration is not allowed to exhaust memory. */
export const MAX_RANGE = 100_000;

const SHALLOW = new Set([
  'length',
  'concat',
  'merge',
  'tolist',
  'tomap',
  'element',
  'values',
  'keys',
  'lookup',
  'flatten',
  'zipmap',
  'one',
  'coalesce',
]);

function arity(name: string, args: Value[], min: number, max: number, range: HclRange): void {
  if (args.length < min || args.length > max) {
    const want =
      min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
    throw new HclEvalError(`${name}() takes ${want} argument(s), got ${args.length}`, range);
  }
}

function str(v: Value, range: HclRange): string {
  return toText(v, range);
}

function num(v: Value, range: HclRange): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new HclEvalError(`a number is required, got ${describeType(v)}`, range);
}

function list(v: Value, range: HclRange): Value[] {
  if (Array.isArray(v)) return v;
  throw new HclEvalError(`a list is required, got ${describeType(v)}`, range);
}

function map(v: Value, range: HclRange): ValueObject {
  if (isObject(v)) return v;
  throw new HclEvalError(`a map or object is required, got ${describeType(v)}`, range);
}

function distinct(values: Value[]): Value[] {
  const out: Value[] = [];
  for (const v of values) if (!out.some((o) => deepEqual(o, v))) out.push(v);
  return out;
}

/** A set: distinct values, strings in lexical order (the order Terraform iterates a set of strings). */
export function toSet(values: Value[]): Value[] {
  const out = distinct(values);
  return out.every((v) => typeof v === 'string') ? (out as string[]).sort() : out;
}

/** JSON text with object keys sorted, as Terraform's `jsonencode` writes it. */
function jsonEncode(v: Value): string {
  charge();
  if (typeof v === 'string') charge(v.length >> 4);
  if (Array.isArray(v)) return `[${v.map(jsonEncode).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${jsonEncode(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** `format`'s verbs: %s %d %f %v %q %t %%, with flags `-`, `0`, `+`, a width and a precision (at most 3 digits each). */
function format(spec: string, args: Value[], range: HclRange): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    let j = i + 1;
    let flag = '';
    while (spec[j] === '-' || spec[j] === '0' || spec[j] === '+') flag += spec[j++];
    let widthDigits = '';
    while (j < spec.length && spec[j] >= '0' && spec[j] <= '9' && widthDigits.length < 3)
      widthDigits += spec[j++];
    const width = Number(widthDigits || '0');
    let precision: number | undefined;
    if (spec[j] === '.') {
      let digits = '';
      j++;
      while (j < spec.length && spec[j] >= '0' && spec[j] <= '9' && digits.length < 3) digits += spec[j++];
      precision = Number(digits || '0');
    }
    const verb = spec[j];
    i = j;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) throw new HclEvalError('format() has too few arguments for its verbs', range);
    out += pad(formatVerb(verb, args[next++], precision, flag.includes('+'), range), width, flag);
  }
  return out;
}

/** Pads to `width`: on the right with `-`, with zeros after any sign with `0`, else with spaces. */
function pad(text: string, width: number, flag: string): string {
  if (text.length >= width) return text;
  const fill = width - text.length;
  if (flag.includes('-')) return text + ' '.repeat(fill);
  if (flag.includes('0')) {
    const sign = text.startsWith('-') || text.startsWith('+') ? text[0] : '';
    return sign + '0'.repeat(fill) + text.slice(sign.length);
  }
  return ' '.repeat(fill) + text;
}

function formatVerb(
  verb: string | undefined,
  arg: Value,
  precision: number | undefined,
  plus: boolean,
  range: HclRange,
): string {
  const signed = (n: number, text: string): string => (plus && n >= 0 ? `+${text}` : text);
  switch (verb) {
    case 's':
      return str(arg, range);
    case 'd': {
      const n = Math.trunc(num(arg, range));
      return signed(n, String(n));
    }
    case 'f': {
      const n = num(arg, range);
      return signed(n, n.toFixed(precision ?? 6));
    }
    case 't':
      return String(arg);
    case 'q':
      return JSON.stringify(str(arg, range));
    case 'v':
      return typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean'
        ? String(arg)
        : jsonEncode(arg);
    default:
      throw new HclEvalError(`format() verb %${verb ?? ''} is not supported`, range);
  }
}

/** IPv4 `cidrsubnet(prefix, newbits, netnum)`; IPv6 prefixes are left unknown. */
function cidrsubnet(prefix: string, newbits: number, netnum: number, range: HclRange): Value {
  const slash = prefix.indexOf('/');
  const octets = prefix.slice(0, slash).split('.');
  const bits = Number(prefix.slice(slash + 1));
  if (prefix.includes(':')) return new Unknown('cidrsubnet() of an IPv6 prefix is not evaluated');
  if (slash < 0 || octets.length !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    throw new HclEvalError(`"${prefix}" is not a CIDR prefix`, range);
  }
  let address = 0;
  for (const o of octets) {
    const n = Number(o);
    if (!Number.isInteger(n) || n < 0 || n > 255 || o === '')
      throw new HclEvalError(`"${prefix}" is not a CIDR prefix`, range);
    address = address * 256 + n;
  }
  const length = bits + newbits;
  if (!Number.isInteger(newbits) || newbits < 0 || length > 32) {
    throw new HclEvalError(`cidrsubnet(): ${newbits} new bits do not fit in /${bits}`, range);
  }
  if (!Number.isInteger(netnum) || netnum < 0 || netnum >= 2 ** newbits) {
    throw new HclEvalError(`cidrsubnet(): network number ${netnum} does not fit in ${newbits} bits`, range);
  }
  const size = 2 ** (32 - bits);
  const base = address - (address % size);
  const result = base + netnum * 2 ** (32 - length);
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(result / 2 ** shift) % 256);
  return `${parts.join('.')}/${length}`;
}

function flatten(v: Value[], depth = 0): Value[] {
  if (depth > 64) return v;
  const out: Value[] = [];
  for (const item of v) {
    charge();
    if (Array.isArray(item)) {
      for (const inner of flatten(item, depth + 1)) out.push(inner);
    } else out.push(item);
  }
  return out;
}

function fromJson(v: unknown): Value {
  return v as Value;
}

const FUNCTIONS: Record<string, { min: number; max: number; fn: Fn }> = {
  lower: { min: 1, max: 1, fn: ([s], r) => str(s, r).toLowerCase() },
  upper: { min: 1, max: 1, fn: ([s], r) => str(s, r).toUpperCase() },
  trimspace: { min: 1, max: 1, fn: ([s], r) => str(s, r).trim() },
  format: {
    min: 1,
    max: Number.POSITIVE_INFINITY,
    fn: ([spec, ...rest], r) => format(str(spec, r), rest, r),
  },
  join: {
    min: 2,
    max: Number.POSITIVE_INFINITY,
    fn: ([sep, ...lists], r) => {
      const parts = lists.flatMap((l) => list(l, r)).map((v) => str(v, r));
      const separator = str(sep, r);
      let length = separator.length * parts.length;
      for (const p of parts) length += p.length;
      checkText(length, r);
      return parts.join(separator);
    },
  },
  split: { min: 2, max: 2, fn: ([sep, s], r) => str(s, r).split(str(sep, r)) },
  replace: {
    min: 3,
    max: 3,
    fn: ([s, find, by], r) => {
      const f = str(find, r);
      if (f.length > 1 && f.startsWith('/') && f.endsWith('/')) {
        return new Unknown('replace() with a regular expression is not evaluated');
      }
      const parts = str(s, r).split(f);
      const replacement = str(by, r);
      checkText(str(s, r).length + (parts.length - 1) * replacement.length, r);
      return parts.join(replacement);
    },
  },
  substr: {
    min: 3,
    max: 3,
    fn: ([s, offset, length], r) => {
      const chars = Array.from(str(s, r));
      let start = num(offset, r);
      if (start < 0) start = Math.max(0, chars.length + start);
      const len = num(length, r);
      return chars.slice(start, len < 0 ? undefined : start + len).join('');
    },
  },
  startswith: { min: 2, max: 2, fn: ([s, p], r) => str(s, r).startsWith(str(p, r)) },
  endswith: { min: 2, max: 2, fn: ([s, p], r) => str(s, r).endsWith(str(p, r)) },
  concat: {
    min: 0,
    max: Number.POSITIVE_INFINITY,
    fn: (lists, r) => {
      const out: Value[] = [];
      for (const l of lists) {
        const items = list(l, r);
        charge(items.length);
        for (const item of items) out.push(item);
      }
      return out;
    },
  },
  merge: {
    min: 0,
    max: Number.POSITIVE_INFINITY,
    fn: (maps, r) => {
      const out: ValueObject = {};
      for (const m of maps) if (m !== null) Object.assign(out, map(m, r));
      return out;
    },
  },
  lookup: {
    min: 2,
    max: 3,
    fn: ([m, key, fallback], r) => {
      const obj = map(m, r);
      const k = str(key, r);
      if (Object.hasOwn(obj, k)) return obj[k];
      if (fallback === undefined) throw new HclEvalError(`lookup(): the map has no key "${k}"`, r);
      return fallback;
    },
  },
  coalesce: {
    min: 1,
    max: Number.POSITIVE_INFINITY,
    fn: (args, r) => {
      for (const a of args) {
        if (isUnknown(a)) return a;
        if (a !== null && a !== '') return a;
      }
      throw new HclEvalError('coalesce(): every argument is null or empty', r);
    },
  },
  length: {
    min: 1,
    max: 1,
    fn: ([v], r) => {
      if (typeof v === 'string') return Array.from(v).length;
      if (Array.isArray(v)) return v.length;
      if (isObject(v)) return Object.keys(v).length;
      throw new HclEvalError(`length() of a ${describeType(v)}`, r);
    },
  },
  contains: { min: 2, max: 2, fn: ([l, v], r) => list(l, r).some((item) => deepEqual(item, v)) },
  cidrsubnet: { min: 3, max: 3, fn: ([p, b, n], r) => cidrsubnet(str(p, r), num(b, r), num(n, r), r) },
  tolist: { min: 1, max: 1, fn: ([v], r) => [...list(v, r)] },
  toset: { min: 1, max: 1, fn: ([v], r) => toSet(list(v, r)) },
  tomap: { min: 1, max: 1, fn: ([v], r) => ({ ...map(v, r) }) },
  keys: { min: 1, max: 1, fn: ([v], r) => Object.keys(map(v, r)).sort() },
  values: {
    min: 1,
    max: 1,
    fn: ([v], r) => {
      const m = map(v, r);
      return Object.keys(m)
        .sort()
        .map((k) => m[k]);
    },
  },
  element: {
    min: 2,
    max: 2,
    fn: ([l, i], r) => {
      const items = list(l, r);
      if (items.length === 0) throw new HclEvalError('element() of an empty list', r);
      const n = Math.trunc(num(i, r));
      if (n < 0) throw new HclEvalError('element() index must not be negative', r);
      return items[n % items.length];
    },
  },
  flatten: { min: 1, max: 1, fn: ([l], r) => flatten(list(l, r)) },
  distinct: { min: 1, max: 1, fn: ([l], r) => distinct(list(l, r)) },
  compact: { min: 1, max: 1, fn: ([l], r) => list(l, r).filter((v) => v !== null && v !== '') },
  sort: {
    min: 1,
    max: 1,
    fn: ([l], r) =>
      list(l, r)
        .map((v) => str(v, r))
        .sort(),
  },
  jsonencode: { min: 1, max: 1, fn: ([v]) => jsonEncode(v) },
  jsondecode: {
    min: 1,
    max: 1,
    fn: ([s], r) => {
      try {
        return fromJson(JSON.parse(str(s, r)));
      } catch {
        throw new HclEvalError('jsondecode(): the text is not JSON', r);
      }
    },
  },
  tostring: { min: 1, max: 1, fn: ([v], r) => (v === null ? null : str(v, r)) },
  tonumber: { min: 1, max: 1, fn: ([v], r) => (v === null ? null : num(v, r)) },
  tobool: {
    min: 1,
    max: 1,
    fn: ([v], r) => {
      if (v === null || typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      throw new HclEvalError(`tobool() of ${describeType(v)}`, r);
    },
  },
  min: { min: 1, max: Number.POSITIVE_INFINITY, fn: (args, r) => Math.min(...args.map((a) => num(a, r))) },
  max: { min: 1, max: Number.POSITIVE_INFINITY, fn: (args, r) => Math.max(...args.map((a) => num(a, r))) },
  abs: { min: 1, max: 1, fn: ([v], r) => Math.abs(num(v, r)) },
  range: {
    min: 1,
    max: 3,
    fn: (args, r) => {
      const [start, limit, step] =
        args.length === 1
          ? [0, num(args[0], r), 1]
          : [num(args[0], r), num(args[1], r), args[2] === undefined ? 1 : num(args[2], r)];
      if (step === 0) throw new HclEvalError('range() step must not be zero', r);
      const out: number[] = [];
      for (let v = start; step > 0 ? v < limit : v > limit; v += step) {
        if (out.length >= MAX_RANGE) throw new HclEvalError(`range() of more than ${MAX_RANGE} elements`, r);
        out.push(v);
      }
      return out;
    },
  },
  zipmap: {
    min: 2,
    max: 2,
    fn: ([k, v], r) => {
      const ks = list(k, r);
      const vs = list(v, r);
      if (ks.length !== vs.length) throw new HclEvalError('zipmap(): the lists differ in length', r);
      const out: ValueObject = {};
      ks.forEach((key, i) => {
        out[str(key, r)] = vs[i];
      });
      return out;
    },
  },
  one: {
    min: 1,
    max: 1,
    fn: ([l], r) => {
      const items = list(l, r);
      if (items.length > 1) throw new HclEvalError(`one() of a list of ${items.length}`, r);
      return items.length === 0 ? null : items[0];
    },
  },
};

/** The names of the functions evaluated (for documentation and tests). */
export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS).concat(['try', 'can']).sort();

/** Calls Terraform function `name` on evaluated arguments. */
export function callFunction(name: string, args: Value[], range: HclRange): Value {
  const entry = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!entry) return new Unknown(`function ${name}() is not evaluated without a plan`);
  arity(name, args, entry.min, entry.max, range);
  if (SHALLOW.has(name)) {
    if (name !== 'coalesce') for (const a of args) if (isUnknown(a)) return a;
  } else {
    for (const a of args) {
      const u = findUnknown(a, 0, charge);
      if (u) return u;
    }
  }
  return entry.fn(args, range);
}
