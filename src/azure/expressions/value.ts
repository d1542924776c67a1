import type { SourceLocation } from '../../core/model.ts';

/**
 * A value only the live deployment knows: the result of `reference()`, `list*()`, a
 * parameter with no value, or anything computed from one. It carries why it is unknown
 * and where that came from, so a check can report `unknown` with a reason a person can act on.
 */
export class Unknown {
  readonly reason: string;
  readonly location: SourceLocation | undefined;
  constructor(reason: string, location?: SourceLocation) {
    this.reason = reason;
    this.location = location;
  }
  toString(): string {
    return `<unknown: ${this.reason}>`;
  }
  toJSON(): { $unknown: string } {
    return { $unknown: this.reason };
  }
}

/** A lambda closure created by `lambda('x', body)`; only lambda functions accept it. */
export interface LambdaValue {
  readonly $lambda: true;
  readonly params: string[];
  invoke(args: Value[]): Value;
}

/** A JSON value after expansion, where any part may be Unknown. */
export type Value =
  | null
  | boolean
  | number
  | string
  | Value[]
  | { [key: string]: Value }
  | Unknown
  | LambdaValue;

export type ValueObject = { [key: string]: Value };

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isLambda(v: unknown): v is LambdaValue {
  return typeof v === 'object' && v !== null && (v as LambdaValue).$lambda === true;
}

export function isObject(v: unknown): v is ValueObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !isLambda(v);
}

/**
 * The first Unknown found anywhere inside a value, or undefined. `visit` is called for each
 * value looked at (the HCL reader charges its step budget there: values may share their parts).
 */
export function findUnknown(v: Value, depth = 0, visit?: () => void): Unknown | undefined {
  visit?.();
  if (v instanceof Unknown) return v;
  if (depth > 64) return undefined;
  if (Array.isArray(v)) {
    for (const item of v) {
      const u = findUnknown(item, depth + 1, visit);
      if (u) return u;
    }
  } else if (isObject(v)) {
    for (const key in v) {
      const u = findUnknown(v[key], depth + 1, visit);
      if (u) return u;
    }
  }
  return undefined;
}

/** ARM's type names, as used in error messages and by `type checks`. */
export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof Unknown) return 'unknown';
  if (Array.isArray(v)) return 'array';
  if (isLambda(v)) return 'lambda';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'number';
  return typeof v;
}
