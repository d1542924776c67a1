/**
 * JSON text in pieces, byte for byte what `JSON.stringify(value, null, indent)` gives, for
 * documents too large to hold as one string (V8 caps a string near 512 MiB, which a report of
 * about 500,000 findings reaches). Large arrays and the objects that hold them are written an
 * element at a time; everything small is handed to JSON.stringify whole, which is fastest.
 */

/** Arrays longer than this are written element by element. */
const LARGE_ARRAY = 256;

/**
 * An array whose elements are made as they are written: a million OSCAL observations need
 * not all exist at once. JSON.stringify sees the whole array through toJSON.
 */
export class LazyJsonArray {
  constructor(
    readonly length: number,
    /** The element at `index`, made when it is written. */
    readonly at: (index: number) => unknown,
  ) {}
  toJSON(): unknown[] {
    return Array.from({ length: this.length }, (_, i) => this.at(i));
  }
}

/** A LazyJsonArray of `items`, each turned into JSON data by `element` as it is written. */
export function lazyJsonArray<T>(items: readonly T[], element: (item: T) => unknown): LazyJsonArray {
  return new LazyJsonArray(items.length, (i) => element(items[i] as T));
}

function isPlainContainer(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  // A toJSON method decides its own text: leave it (and its subtree) to JSON.stringify.
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** True when the value holds a large array somewhere (without walking large arrays themselves). */
function holdsLargeArray(value: unknown): boolean {
  if (value instanceof LazyJsonArray) return value.length > 0;
  if (!isPlainContainer(value)) return false;
  if (Array.isArray(value)) return value.length > LARGE_ARRAY || value.some(holdsLargeArray);
  for (const key in value) {
    if (Object.hasOwn(value, key) && holdsLargeArray((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** JSON.stringify of a small value, re-indented to sit at `pad` (JSON strings hold no raw newline). */
function small(value: unknown, indent: number, pad: string): string | undefined {
  const text = JSON.stringify(value, null, indent);
  if (text === undefined || pad === '' || indent === 0) return text;
  return text.replaceAll('\n', `\n${pad}`);
}

function* chunks(value: unknown, indent: number, pad: string): Generator<string> {
  if (!holdsLargeArray(value)) {
    yield small(value, indent, pad) ?? 'null';
    return;
  }
  const inner = pad + ' '.repeat(indent);
  const open = indent > 0 ? `\n${inner}` : '';
  const comma = indent > 0 ? `,\n${inner}` : ',';
  const close = indent > 0 ? `\n${pad}` : '';
  if (value instanceof LazyJsonArray) {
    yield `[${open}`;
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield comma;
      yield* chunks(value.at(i), indent, inner);
    }
    yield `${close}]`;
    return;
  }
  if (Array.isArray(value)) {
    // A non-empty array (it holds a large one); undefined, functions and symbols become null.
    yield `[${open}`;
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield comma;
      yield* chunks(value[i], indent, inner);
    }
    yield `${close}]`;
    return;
  }
  const record = value as Record<string, unknown>;
  const colon = indent > 0 ? ': ' : ':';
  let first = true;
  yield '{';
  for (const key of Object.keys(record)) {
    const v = record[key];
    // JSON.stringify leaves out keys whose value has no JSON text.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield `${first ? open : comma}${JSON.stringify(key)}${colon}`;
    first = false;
    yield* chunks(v, indent, inner);
  }
  yield first ? '}' : `${close}}`;
}

/** The JSON text of `value` in pieces; joined, they equal `JSON.stringify(value, null, indent)`. */
export function jsonChunks(value: unknown, indent = 2): Iterable<string> {
  return chunks(value, indent, '');
}
