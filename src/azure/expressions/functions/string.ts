import { isObject, typeName, type Value } from '../value.ts';
import { primitiveText } from './array.ts';
import { argError, asArray, asInt, asString, type CallSite, define, valueError } from './registry.ts';

/** ARM's `string()`: compact JSON for containers, .NET renderings for primitives. */
export function toArmString(v: Value): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return '';
  return JSON.stringify(v);
}

define('string', 1, 1, (args) => toArmString(args[0]));

define('toLower', 1, 1, (args, site) => asString(args, 0, site).toLowerCase());
define('toUpper', 1, 1, (args, site) => asString(args, 0, site).toUpperCase());
define('trim', 1, 1, (args, site) => asString(args, 0, site).trim());

// startsWith/endsWith compare case-insensitively in ARM.
define('startsWith', 2, 2, (args, site) =>
  asString(args, 0, site)
    .toLowerCase()
    .startsWith(asString(args, 1, site).toLowerCase()),
);
define('endsWith', 2, 2, (args, site) =>
  asString(args, 0, site)
    .toLowerCase()
    .endsWith(asString(args, 1, site).toLowerCase()),
);

define('replace', 3, 3, (args, site) => {
  const s = asString(args, 0, site);
  const from = asString(args, 1, site);
  const to = asString(args, 2, site);
  if (from === '') throw valueError(site, 'the string to replace must not be empty.');
  return s.split(from).join(to);
});

/** .NET String.Split(string[], None): at each position the first matching separator wins. */
function splitAll(s: string, seps: string[]): string[] {
  const usable = seps.filter((x) => x !== '');
  if (usable.length === 0) return [s];
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length) {
    const sep = usable.find((x) => s.startsWith(x, i));
    if (sep === undefined) {
      i++;
      continue;
    }
    out.push(s.slice(start, i));
    i += sep.length;
    start = i;
  }
  out.push(s.slice(start));
  return out;
}

define('split', 2, 2, (args, site) => {
  const s = asString(args, 0, site);
  const d = args[1];
  let seps: string[];
  if (typeof d === 'string') seps = [d];
  else if (Array.isArray(d)) seps = d.map((_x, i) => asString(d, i, site));
  else throw argError(site, `the delimiter must be a string or an array of strings, not '${typeName(d)}'.`);
  return splitAll(s, seps);
});

define('join', 2, 2, (args, site) => {
  const arr = asArray(args, 0, site);
  const delimiter = asString(args, 1, site);
  return arr
    .map((x, i) => {
      if (Array.isArray(x) || isObject(x)) throw argError(site, `element ${i} is of type '${typeName(x)}'.`);
      return primitiveText(x, site, i);
    })
    .join(delimiter);
});

define('substring', 1, 3, (args, site) => {
  const s = asString(args, 0, site);
  const start = args.length > 1 ? asInt(args, 1, site) : 0;
  const length = args.length > 2 ? asInt(args, 2, site) : s.length - start;
  if (start < 0 || length < 0 || start > s.length || start + length > s.length) {
    throw valueError(
      site,
      `the index and length parameters must refer to a location within the string. The index parameter: '${start}', the length parameter: '${length}', the length of the string parameter: '${s.length}'.`,
    );
  }
  return s.substr(start, length);
});

define('padLeft', 2, 3, (args, site) => {
  const v = args[0];
  if (typeof v !== 'string' && typeof v !== 'number') {
    throw argError(site, `the value to pad must be a string or an integer, not '${typeName(v)}'.`);
  }
  const total = asInt(args, 1, site);
  const pad = args.length > 2 ? asString(args, 2, site) : ' ';
  if (pad.length !== 1) throw argError(site, 'the padding character must be a single character.');
  if (total > 16_384) throw valueError(site, `the total length ${total} is too large.`);
  return String(v).padStart(total, pad);
});

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(s: string, site: CallSite): string {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 4 !== 0 || !BASE64.test(clean)) {
    throw valueError(site, `the value '${s.length > 40 ? `${s.slice(0, 40)}...` : s}' is not valid base64.`);
  }
  return Buffer.from(clean, 'base64').toString('utf8');
}

function parseJson(text: string, site: CallSite): Value {
  try {
    return JSON.parse(text) as Value;
  } catch (e) {
    throw valueError(site, `the value is not valid JSON: ${(e as Error).message}`);
  }
}

define('base64', 1, 1, (args, site) => Buffer.from(asString(args, 0, site), 'utf8').toString('base64'));
define('base64ToString', 1, 1, (args, site) => decodeBase64(asString(args, 0, site), site));
define('base64ToJson', 1, 1, (args, site) => parseJson(decodeBase64(asString(args, 0, site), site), site));

define('dataUri', 1, 1, (args, site) => {
  const v = args[0];
  const text = typeof v === 'string' ? v : toArmString(v);
  if (
    typeof v !== 'string' &&
    !Array.isArray(v) &&
    !isObject(v) &&
    typeof v !== 'number' &&
    typeof v !== 'boolean'
  ) {
    throw argError(site, `a value of type '${typeName(v)}' can't be converted to a data URI.`);
  }
  return `data:text/plain;charset=utf8;base64,${Buffer.from(text, 'utf8').toString('base64')}`;
});

define('dataUriToString', 1, 1, (args, site) => {
  const s = asString(args, 0, site);
  const m = /^data:([^,]*),(.*)$/s.exec(s);
  if (!m) throw valueError(site, `the value '${s}' is not a data URI.`);
  const meta = m[1].split(';').map((x) => x.trim().toLowerCase());
  if (meta.includes('base64')) return decodeBase64(m[2], site);
  try {
    return decodeURIComponent(m[2]);
  } catch {
    throw valueError(site, `the data URI '${s}' is not correctly encoded.`);
  }
});

/**
 * uri(base, relative) as documented: a base ending in '/' is followed by the relative part (one
 * slash kept); otherwise the base's last segment is dropped, unless the base has no path at all.
 */
export function combineUri(base: string, relative: string): string {
  if (base.endsWith('/')) return relative.startsWith('/') ? base + relative.slice(1) : base + relative;
  const schemeEnd = base.indexOf('//');
  const pathStart = schemeEnd >= 0 ? schemeEnd + 2 : 0;
  const lastSlash = base.lastIndexOf('/');
  if (lastSlash < pathStart) return relative.startsWith('/') ? base + relative : `${base}/${relative}`;
  const head = base.slice(0, lastSlash + 1);
  return relative.startsWith('/') ? head + relative.slice(1) : head + relative;
}

define('uri', 2, 2, (args, site) => combineUri(asString(args, 0, site), asString(args, 1, site)));

// Uri.EscapeDataString escapes everything but RFC 3986 unreserved characters.
define('uriComponent', 1, 1, (args, site) =>
  encodeURIComponent(asString(args, 0, site)).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  ),
);

define('uriComponentToString', 1, 1, (args, site) => {
  const s = asString(args, 0, site);
  try {
    return decodeURIComponent(s);
  } catch {
    throw valueError(site, `the value '${s}' is not a correctly encoded URI component.`);
  }
});

// ----- format(): .NET composite formatting -----

const EN_US_NUMBER = (min: number, max: number, grouping: boolean) =>
  new Intl.NumberFormat('en-US', {
    minimumFractionDigits: min,
    maximumFractionDigits: max,
    useGrouping: grouping,
  });

function exponential(n: number, digits: number, upper: boolean): string {
  const [mant, exp] = n.toExponential(digits).split('e');
  const sign = exp.startsWith('-') ? '-' : '+';
  const e = exp.replace(/^[-+]/, '').padStart(3, '0');
  return `${mant}${upper ? 'E' : 'e'}${sign}${e}`;
}

/** A custom numeric format such as `0.00`, `#,##0` or `000`. */
function customNumber(n: number, fmt: string): string {
  const [intPart, fracPart = ''] = fmt.split('.');
  const minInt = (intPart.match(/0/g) ?? []).length;
  const minFrac = (fracPart.match(/0/g) ?? []).length;
  const maxFrac = (fracPart.match(/[0#]/g) ?? []).length;
  const grouping = intPart.includes(',');
  const abs = Math.abs(n);
  let text = new Intl.NumberFormat('en-US', {
    minimumIntegerDigits: Math.max(1, minInt),
    minimumFractionDigits: minFrac,
    maximumFractionDigits: maxFrac,
    useGrouping: grouping,
  }).format(abs);
  if (minInt === 0 && text.startsWith('0') && abs < 1) text = text.slice(1);
  const prefix = fmt.match(/^[^0#,.]*/)?.[0] ?? '';
  let start = fmt.length;
  while (start > 0 && !'0#,.'.includes(fmt[start - 1] as string)) start--;
  const suffix = fmt.slice(start);
  return `${n < 0 ? '-' : ''}${prefix}${text}${suffix}`;
}

function formatNumber(n: number, spec: string, site: CallSite): string {
  const m = /^([A-Za-z])(\d{0,2})$/.exec(spec);
  if (!m) return customNumber(n, spec);
  const kind = m[1];
  const precision = m[2] === '' ? undefined : Number(m[2]);
  switch (kind.toUpperCase()) {
    case 'D': {
      if (!Number.isInteger(n)) throw valueError(site, `the format '${spec}' is valid only for integers.`);
      const digits = String(Math.abs(n)).padStart(precision ?? 0, '0');
      return n < 0 ? `-${digits}` : digits;
    }
    case 'X': {
      if (!Number.isInteger(n)) throw valueError(site, `the format '${spec}' is valid only for integers.`);
      const hex = (n < 0 ? BigInt.asUintN(64, BigInt(n)) : BigInt(n))
        .toString(16)
        .padStart(precision ?? 0, '0');
      return kind === 'X' ? hex.toUpperCase() : hex;
    }
    case 'N':
      return EN_US_NUMBER(precision ?? 2, precision ?? 2, true).format(n);
    case 'F':
      return EN_US_NUMBER(precision ?? 2, precision ?? 2, false).format(n);
    case 'P':
      return `${EN_US_NUMBER(precision ?? 2, precision ?? 2, true).format(n * 100)}%`;
    case 'C': {
      const text = EN_US_NUMBER(precision ?? 2, precision ?? 2, true).format(Math.abs(n));
      return n < 0 ? `($${text})` : `$${text}`;
    }
    case 'E':
      return exponential(n, precision ?? 6, kind === 'E');
    case 'G':
    case 'R':
      return String(n);
    default:
      throw valueError(site, `the format specifier '${spec}' is not supported.`);
  }
}

function formatItem(v: Value, spec: string | undefined, site: CallSite): string {
  if (typeof v === 'number' && spec) return formatNumber(v, spec, site);
  if (Array.isArray(v) || isObject(v)) return JSON.stringify(v, null, 2);
  return toArmString(v);
}

/** A module-level function, not a closure per call: format() runs for many properties of every template. */
function badFormat(site: CallSite, fmt: string): Error {
  return valueError(site, `the format string '${fmt}' is not in a correct format.`);
}

export function composite(fmt: string, values: Value[], site: CallSite): string {
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i];
    if (c === '{') {
      if (fmt[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      const close = fmt.indexOf('}', i);
      if (close < 0) throw badFormat(site, fmt);
      const m = /^\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?(?::(.*))?$/s.exec(fmt.slice(i + 1, close));
      if (!m) throw badFormat(site, fmt);
      const index = Number(m![1]);
      if (index >= values.length) {
        throw valueError(
          site,
          `the format item {${index}} refers to argument ${index + 1} but only ${values.length} were given.`,
        );
      }
      let text = formatItem(values[index], m![3], site);
      if (m![2] !== undefined) {
        const width = Number(m![2]);
        text = width >= 0 ? text.padStart(width) : text.padEnd(-width);
      }
      out += text;
      i = close + 1;
    } else if (c === '}') {
      if (fmt[i + 1] !== '}') throw badFormat(site, fmt);
      out += '}';
      i += 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

define('format', 1, Number.POSITIVE_INFINITY, (args, site) =>
  composite(asString(args, 0, site), args.slice(1), site),
);
