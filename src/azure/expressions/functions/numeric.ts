import { extent } from '../../../core/extent.ts';
import { TemplateError } from '../context.ts';
import { typeName, type Value } from '../value.ts';
import { argError, asInt, type CallSite, define } from './registry.ts';

define('add', 2, 2, (args, site) => asInt(args, 0, site) + asInt(args, 1, site));
define('sub', 2, 2, (args, site) => asInt(args, 0, site) - asInt(args, 1, site));
define('mul', 2, 2, (args, site) => asInt(args, 0, site) * asInt(args, 1, site));

/** Both operands are known here: ARM fails the deployment, so this is a template fault. */
function divisionByZero(site: CallSite, dividend: number): TemplateError {
  return new TemplateError(
    'division-by-zero',
    `Unable to evaluate template language function '${site.name}': the divisor of ${site.name}(${dividend}, 0) is zero.`,
  );
}

// Integer division truncates toward zero, as in .NET.
define('div', 2, 2, (args, site) => {
  const a = asInt(args, 0, site);
  const b = asInt(args, 1, site);
  if (b === 0) throw divisionByZero(site, a);
  return Math.trunc(a / b);
});

// The remainder takes the dividend's sign, as in .NET (and JavaScript).
define('mod', 2, 2, (args, site) => {
  const a = asInt(args, 0, site);
  const b = asInt(args, 1, site);
  if (b === 0) throw divisionByZero(site, a);
  const r = a % b;
  return r === 0 ? 0 : r;
});

define('int', 1, 1, (args, site) => {
  const v = args[0];
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
  throw argError(
    site,
    `the value '${typeName(v) === 'string' ? v : typeName(v)}' can't be converted to an integer.`,
  );
});

define('float', 1, 1, (args, site) => {
  const v = args[0];
  if (typeof v === 'number') return v;
  // Linear: the digits after the integer part need the dot first, so no digit can be matched two ways.
  if (typeof v === 'string' && /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/.test(v))
    return Number.parseFloat(v);
  throw argError(
    site,
    `the value '${typeName(v) === 'string' ? v : typeName(v)}' can't be converted to a number.`,
  );
});

/** min/max take either one array of integers or several integers. */
function numbers(args: Value[], site: CallSite): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (list.length === 0) throw argError(site, 'at least one value is required.');
  return list.map((v) => {
    if (typeof v !== 'number') throw argError(site, `every value must be an integer, not '${typeName(v)}'.`);
    return v;
  });
}

// A loop, not a spread into Math.min: a template's array can be longer than V8's argument limit.
define('min', 1, Number.POSITIVE_INFINITY, (args, site) => extent(numbers(args, site)).min);
define('max', 1, Number.POSITIVE_INFINITY, (args, site) => extent(numbers(args, site)).max);
