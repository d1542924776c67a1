import type { Check, CheckMeta, Severity } from '../core/model.ts';
import { SEVERITIES } from '../core/model.ts';
import { pluginExports } from './plugin-module.ts';
import { UsageError } from './select-checks.ts';

/**
 * Checks a project adds from its config (`checks.plugins`) and severities it overrides
 * (`checks.severity`); option values (`checks.options`) are applied by check-options.ts. A plugin is an ES module exporting `checks` (or a default export): an
 * array of checks written with the same `defineCheck` helpers as the built-in ones (import
 * them from 'assay'), so they run with the same status and unknown semantics. A problem with a
 * plugin stops the run (exit 2) naming the file: a silently missing check would pass unseen.
 */

const REQUIRED_META: (keyof CheckMeta)[] = [
  'id',
  'title',
  'severity',
  'rationale',
  'remediation',
  'subjectKind',
];

export async function loadCheckPlugins(
  plugins: readonly string[],
  configFile: string | undefined,
  builtIn: readonly { meta: Pick<CheckMeta, 'id'> }[],
): Promise<Check<never, never>[]> {
  const taken = new Map(builtIn.map((c) => [c.meta.id, 'built in']));
  const loaded: Check<never, never>[] = [];
  for (const spec of plugins) {
    const list = await pluginExports('check', spec, configFile);
    list.forEach((c: unknown, i) => {
      const where = `check plugin ${spec}, check ${i + 1}`;
      const check = c as Partial<Check<never, never>> | undefined;
      if (!check || typeof check.run !== 'function' || typeof check.meta !== 'object' || check.meta === null)
        throw new UsageError(`${where}: not a check (expected { meta, run }, as defineCheck returns)`);
      for (const key of REQUIRED_META)
        if (typeof check.meta[key] !== 'string' || check.meta[key] === '')
          throw new UsageError(`${where}: meta.${key} is missing`);
      if (!(SEVERITIES as readonly string[]).includes(check.meta.severity))
        throw new UsageError(
          `${where}: severity '${check.meta.severity}' is not one of ${SEVERITIES.join(', ')}`,
        );
      if (!Array.isArray(check.meta.controls))
        throw new UsageError(`${where}: meta.controls must be an array`);
      checkOptionsShape(check.options, where);
      const clash = taken.get(check.meta.id);
      if (clash) throw new UsageError(`${where}: id ${check.meta.id} is already taken (${clash})`);
      taken.set(check.meta.id, `by ${spec}`);
      loaded.push(check as Check<never, never>);
    });
  }
  return loaded;
}

/** A plugin's options declaration is checked here so that a config naming it fails on the config, not on the plugin. */
function checkOptionsShape(options: Check<never, never>['options'] | undefined, where: string): void {
  if (options === undefined) return;
  const o = options as Partial<NonNullable<typeof options>> | null;
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.schema?.safeParse !== 'function' ||
    typeof o.defaults !== 'object' ||
    o.defaults === null ||
    typeof o.runWith !== 'function'
  )
    throw new UsageError(
      `${where}: options must be { schema, defaults, descriptions, runWith }, as defineCheck builds them`,
    );
  if (!o.schema.safeParse(o.defaults).success)
    throw new UsageError(`${where}: options.defaults do not pass options.schema`);
}

/** The checks with the config's severity overrides applied; an override of an unknown id is an error. */
export function withSeverityOverrides<C extends Check<never, never>>(
  checks: readonly C[],
  overrides: Record<string, Severity> | undefined,
): C[] {
  if (!overrides || Object.keys(overrides).length === 0) return [...checks];
  const ids = new Set(checks.map((c) => c.meta.id));
  for (const id of Object.keys(overrides))
    if (!ids.has(id)) throw new UsageError(`checks.severity names ${id}, which is not a check of this run`);
  return checks.map((c) => {
    const severity = overrides[c.meta.id];
    return severity && severity !== c.meta.severity ? { ...c, meta: { ...c.meta, severity } } : c;
  });
}
