import { trimLeading, trimTrailing } from '../../core/trim-char.ts';
import { Unknown } from '../expressions/value.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import { resourcesBeside, resourcesOfType, unlistedRelations } from './define.ts';

export const DIAGNOSTIC_SETTINGS = 'Microsoft.Insights/diagnosticSettings';

/** The scope-form diagnostic settings of a scan, by the lower-cased relative id their scope names. */
interface ScopedSettings {
  byTarget: Map<string, AzureResource[]>;
  /** The first setting (in scan order) whose scope is unknown. */
  unknownScope: Unknown | undefined;
}

const scopedSettings = new WeakMap<readonly AzureResource[], ScopedSettings>();

/**
 * `Microsoft.Web/sites/slots` named `app/blue` -> `microsoft.web/sites/app/slots/blue`: the
 * form a resource id takes after its last `/providers/`.
 */
function relativeId(type: string, name: string): string {
  const [namespace, ...types] = type.split('/');
  const names = name.split('/');
  const parts = [namespace];
  for (let i = 0; i < types.length; i++) parts.push(types[i]!, names[i] ?? '');
  return parts.join('/').toLowerCase();
}

/** A scope written relative (`Microsoft.Web/sites/app`) or as a full id: what follows its last `/providers/`. */
function scopeTarget(scope: string): string {
  const s = trimTrailing(scope, '/').toLowerCase();
  const at = s.lastIndexOf('/providers/');
  return at >= 0 ? s.slice(at + '/providers/'.length) : trimLeading(s, '/');
}

/** Built once per scan (keyed by the index's list of settings), so each resource costs a lookup. */
function settingsByTarget(context: AzureCheckContext): ScopedSettings {
  const settings = resourcesOfType(context, DIAGNOSTIC_SETTINGS);
  let built = scopedSettings.get(settings);
  if (built) return built;
  built = { byTarget: new Map(), unknownScope: undefined };
  for (const setting of settings) {
    const scope = getPath(setting.body, 'scope');
    if (scope instanceof Unknown) {
      built.unknownScope ??= scope;
      continue;
    }
    if (typeof scope !== 'string') continue;
    const target = scopeTarget(scope);
    const list = built.byTarget.get(target);
    if (list) list.push(setting);
    else built.byTarget.set(target, [setting]);
  }
  scopedSettings.set(settings, built);
  return built;
}

/**
 * Diagnostic settings attached to `target`, in the two ways a template can attach them: an
 * extension resource `Microsoft.Insights/diagnosticSettings` whose `scope` names the target
 * (relative, as ARM templates and Bicep write it, or as a full resource id; it may sit in any
 * template of the scan), or a child `<target type>/providers/diagnosticSettings` named
 * `<target name>/Microsoft.Insights/<setting>` declared beside the target (at top level, or nested
 * in the target and flattened by the expander to the same type and name). A setting without `scope`
 * applies to the deployment scope (e.g. the subscription activity log), not to a resource.
 * `undecided` is set when a setting's scope or name is unknown, so a match may be missing.
 */
export function diagnosticSettingsOf(
  context: AzureCheckContext,
  target: AzureResource,
): { found: AzureResource[]; undecided?: Unknown } {
  if (target.name instanceof Unknown) return { found: [], undecided: target.name };
  const scoped = settingsByTarget(context);
  const found: AzureResource[] = [...(scoped.byTarget.get(relativeId(target.type, target.name)) ?? [])];
  let undecided = scoped.unknownScope;
  const prefix = `${target.name.toLowerCase()}/`;
  for (const setting of resourcesBeside(context, target, `${target.type}/providers/diagnosticSettings`)) {
    if (setting.name instanceof Unknown) undecided ??= setting.name;
    else if (setting.name.toLowerCase().startsWith(prefix)) found.push(setting);
  }
  if (found.length === 0) undecided ??= unlistedRelations(target);
  return undecided ? { found, undecided } : { found };
}
