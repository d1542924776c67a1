import { asInt, asString, type CallSite, define, valueError } from './registry.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** .NET standard date formats in en-US, the culture ARM's outputs show (utcNow('d') is `3/5/2019`). */
const STANDARD: Record<string, string> = {
  d: 'M/d/yyyy',
  D: 'dddd, MMMM d, yyyy',
  f: 'dddd, MMMM d, yyyy h:mm tt',
  F: 'dddd, MMMM d, yyyy h:mm:ss tt',
  g: 'M/d/yyyy h:mm tt',
  G: 'M/d/yyyy h:mm:ss tt',
  m: 'MMMM d',
  M: 'MMMM d',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'h:mm tt',
  T: 'h:mm:ss tt',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  U: 'dddd, MMMM d, yyyy h:mm:ss tt',
  y: 'MMMM yyyy',
  Y: 'MMMM yyyy',
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Formats a UTC instant with a .NET standard or custom date format string. */
export function formatDate(date: Date, format: string): string {
  const fmt = format.length === 1 ? STANDARD[format] : format.startsWith('%') ? format.slice(1) : format;
  if (fmt === undefined) throw new Error(`the date format '${format}' is not supported`);
  const y = date.getUTCFullYear();
  const mo = date.getUTCMonth();
  const d = date.getUTCDate();
  const h = date.getUTCHours();
  const mi = date.getUTCMinutes();
  const s = date.getUTCSeconds();
  const ms = date.getUTCMilliseconds();
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i];
    if (c === "'" || c === '"') {
      const end = fmt.indexOf(c, i + 1);
      const stop = end < 0 ? fmt.length : end;
      out += fmt.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (c === '\\') {
      out += fmt[i + 1] ?? '';
      i += 2;
      continue;
    }
    let n = 1;
    while (fmt[i + n] === c) n++;
    switch (c) {
      case 'y':
        out += n === 2 ? pad(y % 100, 2) : n === 1 ? String(y % 100) : pad(y, n);
        break;
      case 'M':
        out += n >= 4 ? MONTHS[mo] : n === 3 ? MONTHS[mo].slice(0, 3) : pad(mo + 1, n);
        break;
      case 'd':
        out += n >= 4 ? DAYS[date.getUTCDay()] : n === 3 ? DAYS[date.getUTCDay()].slice(0, 3) : pad(d, n);
        break;
      case 'H':
        out += pad(h, Math.min(n, 2));
        break;
      case 'h':
        out += pad(h % 12 === 0 ? 12 : h % 12, Math.min(n, 2));
        break;
      case 'm':
        out += pad(mi, Math.min(n, 2));
        break;
      case 's':
        out += pad(s, Math.min(n, 2));
        break;
      case 'f':
      case 'F': {
        const digits = `${pad(ms, 3)}0000`.slice(0, Math.min(n, 7));
        out += c === 'F' ? digits.replace(/0+$/, '') : digits;
        break;
      }
      case 't':
        out += (h < 12 ? 'AM' : 'PM').slice(0, n === 1 ? 1 : 2);
        break;
      case 'K':
        out += 'Z';
        break;
      case 'z':
        out += n === 1 ? '+0' : n === 2 ? '+00' : '+00:00';
        break;
      default:
        out += c.repeat(n);
    }
    i += n;
  }
  return out;
}

/** Parses the date forms templates use: ISO 8601 (with `T` or a space), the compact utcNow() form. */
export function parseDate(text: string): Date | undefined {
  const s = text.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/i.exec(s);
  if (compact) {
    const [, y, mo, d, h, mi, sec] = compact.map(Number);
    return new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
  }
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      s,
    );
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = iso;
    let t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, Math.round(Number(`0.${frac || '0'}`) * 1000));
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
    const date = new Date(t);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  // Other forms (e.g. `4/7/2020 2:53:14 PM`) are read as UTC.
  const t = Date.parse(`${s} UTC`);
  if (!Number.isNaN(t)) return new Date(t);
  const u = Date.parse(s);
  return Number.isNaN(u) ? undefined : new Date(u);
}

const DAY_MS = 86_400_000;

/** ISO 8601 duration in milliseconds; ARM counts a year as 365 days and a month as 30. */
export function parseDuration(text: string): number | undefined {
  const m =
    /^([-+])?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
      text.trim(),
    );
  if (!m || text.trim().toUpperCase().endsWith('T') || /^[-+]?P$/i.test(text.trim())) return undefined;
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  const ms =
    n(2) * 365 * DAY_MS +
    n(3) * 30 * DAY_MS +
    n(4) * 7 * DAY_MS +
    n(5) * DAY_MS +
    n(6) * 3_600_000 +
    n(7) * 60_000 +
    n(8) * 1000;
  return m[1] === '-' ? -ms : ms;
}

function formatOrFail(date: Date, format: string, site: CallSite): string {
  try {
    return formatDate(date, format);
  } catch (e) {
    throw valueError(site, (e as Error).message);
  }
}

function nowOf(site: CallSite): Date {
  const d = parseDate(site.ctx.now);
  if (!d) throw valueError(site, `the configured clock '${site.ctx.now}' is not a valid date.`);
  return d;
}

const ISO_SECONDS = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

define('utcNow', 0, 1, (args, site) =>
  formatOrFail(nowOf(site), args.length > 0 ? asString(args, 0, site) : 'yyyyMMddTHHmmssZ', site),
);

define('dateTimeAdd', 2, 3, (args, site) => {
  const base = asString(args, 0, site);
  const date = parseDate(base);
  if (!date) throw valueError(site, `the value '${base}' is not a valid date and time.`);
  const duration = asString(args, 1, site);
  const ms = parseDuration(duration);
  if (ms === undefined) throw valueError(site, `the value '${duration}' is not a valid ISO 8601 duration.`);
  const result = new Date(date.getTime() + ms);
  if (args.length > 2) return formatOrFail(result, asString(args, 2, site), site);
  // Without a format ARM keeps the compact utcNow() form and otherwise writes ISO 8601.
  if (/^\d{8}T\d{6}Z$/i.test(base.trim())) return formatDate(result, 'yyyyMMddTHHmmssZ');
  return formatDate(result, ISO_SECONDS);
});

define('dateTimeFromEpoch', 1, 1, (args, site) => {
  const epoch = asInt(args, 0, site);
  const date = new Date(epoch * 1000);
  if (Number.isNaN(date.getTime())) throw valueError(site, `the epoch ${epoch} is out of range.`);
  return formatDate(date, ISO_SECONDS);
});

define('dateTimeToEpoch', 1, 1, (args, site) => {
  const text = asString(args, 0, site);
  const date = parseDate(text);
  if (!date) throw valueError(site, `the value '${text}' is not a valid date and time.`);
  return Math.floor(date.getTime() / 1000);
});
