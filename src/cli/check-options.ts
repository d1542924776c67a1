import { optionInfos } from '../core/check-options.ts';
import type { Check } from '../core/model.ts';
import { UsageError } from './select-checks.ts';

/** `checks.options` of the config: values by check id, then by option name. */
export type CheckOptionsConfig = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

const PLACE = 'checks.options';

/** `minRetentionDays`, `a.b[2]`: a zod issue path as a person reads it. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** The values in effect for one check: validated, the defaults under the config's values. */
function resolveOptions(check: Check<never, never>, given: unknown): Record<string, unknown> {
  const id = check.meta.id;
  const declared = check.options;
  if (!declared) throw new UsageError(`${PLACE}.${id}: check '${id}' takes no options`);
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new UsageError(`${PLACE}.${id}: expected option names with values`);
  const names = Object.keys(declared.defaults);
  for (const name of Object.keys(given))
    if (!Object.hasOwn(declared.defaults, name))
      throw new UsageError(
        `${PLACE}.${id}: check '${id}' has no option '${name}' (options: ${names.join(', ')})`,
      );
  const result = declared.schema.safeParse({ ...declared.defaults, ...given });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const at = pathText(issue.path);
      return `${PLACE}.${id}${at ? `.${at}` : ''}: ${issue.message}`;
    });
    throw new UsageError(problems.join('\n'));
  }
  return result.data;
}

/**
 * The checks with the config's `checks.options` in effect: a check named there is replaced by
 * the same check running with those values (its `meta.options` records them); the others are
 * returned as they are. `others` are checks that exist but do not run this time (another
 * domain's, or ones `--skip-checks` left out): their options are validated and not applied, so
 * one config serves every command and a typo is still caught. An id that is no check, options
 * for a check that declares none, an unknown option name or an invalid value is a UsageError.
 */
export function withCheckOptions<C extends Check<never, never>>(
  checks: readonly C[],
  options: CheckOptionsConfig | undefined,
  others: readonly Check<never, never>[] = [],
): C[] {
  if (!options || Object.keys(options).length === 0) return [...checks];
  const running = new Map(checks.map((c) => [c.meta.id, c]));
  const resting = new Map(others.map((c) => [c.meta.id, c]));
  const configured = new Map<string, C>();
  for (const [id, given] of Object.entries(options)) {
    const check = running.get(id) ?? resting.get(id);
    if (!check) throw new UsageError(`${PLACE}: no check '${id}'`);
    const values = resolveOptions(check, given);
    const declared = check.options;
    if (!declared || !running.has(id)) continue;
    configured.set(id, {
      ...check,
      meta: { ...check.meta, options: optionInfos(declared, values) },
      run: declared.runWith(values),
    } as C);
  }
  return checks.map((c) => configured.get(c.meta.id) ?? c);
}
