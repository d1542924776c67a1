/**
 * Which checks a run evaluates, the same way for every assessing command: the domain's own,
 * the project's plugins of the same subject kinds, `checks.severity` overrides, the project's
 * control mappings (`.assay/mappings/`), `--checks`/`--skip-checks`, then `checks.options`.
 */
import { builtInCheckMetas, builtInChecks } from '../checks-catalog.ts';
import { projectMappings, withMappings } from '../controls/mappings.ts';
import type { Check, Severity } from '../core/model.ts';
import { withCheckOptions } from './check-options.ts';
import { loadCheckPlugins, withSeverityOverrides } from './check-plugins.ts';
import type { AssayConfig } from './config.ts';
import { selectChecks, UsageError } from './select-checks.ts';

export type CheckSelector = <C extends Check<never, never>>(all: readonly C[]) => C[];

/** Loads the plugins and mappings once; the selector applies them to a domain's checks. */
export async function checkSelector(
  config: AssayConfig,
  configFile: string | undefined,
  only: readonly string[],
  skip: readonly string[],
): Promise<CheckSelector> {
  const plugins = await loadCheckPlugins(
    config.checks?.plugins ?? [],
    configFile,
    builtInCheckMetas().map((meta) => ({ meta })),
  );
  const mappings = projectMappings();
  return <C extends Check<never, never>>(all: readonly C[]): C[] => {
    const kinds = new Set(all.map((c) => c.meta.subjectKind));
    const mine = plugins.filter((p) => kinds.has(p.meta.subjectKind)) as unknown as C[];
    const present = [...all, ...mine];
    const checks = withSeverityOverrides(present, severityOverridesFor(config, present, plugins));
    const selected = selectChecks(withMappings(checks, mappings), only, skip);
    return withCheckOptions(selected, config.checks?.options, [...builtInChecks(), ...plugins]);
  };
}

/**
 * `checks.severity` names checks of every domain; each run applies the overrides of its own
 * checks, and only a name no domain knows is an error.
 */
function severityOverridesFor(
  config: AssayConfig,
  present: readonly Check<never, never>[],
  plugins: readonly Check<never, never>[],
): Record<string, Severity> | undefined {
  const overrides = config.checks?.severity;
  if (!overrides) return undefined;
  const known = new Set([...builtInCheckMetas().map((m) => m.id), ...plugins.map((c) => c.meta.id)]);
  for (const id of Object.keys(overrides))
    if (!known.has(id))
      throw new UsageError(`checks.severity names ${id}, which is neither a built-in check nor a plugin's`);
  const here = new Set(present.map((c) => c.meta.id));
  const mine = Object.entries(overrides).filter(([id]) => here.has(id));
  return Object.fromEntries(mine);
}
