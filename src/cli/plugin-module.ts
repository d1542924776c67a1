import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './select-checks.ts';

/**
 * The array a plugin module named in the config exports (`checks`, `formats`; or its default
 * export). Paths are relative to the config file. Any problem stops the run naming the file:
 * a plugin that silently failed to load would look like a clean result.
 */
export async function pluginExports(
  kind: 'check' | 'format',
  spec: string,
  configFile: string | undefined,
): Promise<unknown[]> {
  const file = resolve(configFile ? dirname(configFile) : process.cwd(), spec);
  if (!existsSync(file)) throw new UsageError(`${kind} plugin not found: ${spec} (looked for ${file})`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(
      `${kind} plugin ${spec} could not be loaded: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const name = `${kind}s`;
  const list = mod[name] ?? mod.default;
  if (!Array.isArray(list))
    throw new UsageError(`${kind} plugin ${spec} exports no \`${name}\` array (nor a default one)`);
  return list;
}
