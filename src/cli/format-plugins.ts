import type { Assessment } from '../core/model.ts';
import { FORMATS, isReportFormat, type RenderOptions, renderPieces } from '../report/index.ts';
import { pluginExports } from './plugin-module.ts';
import { UsageError } from './select-checks.ts';

/**
 * Report formats a project adds from its config (`formats.plugins`). A plugin is an ES module
 * exporting `formats`: `{ name, render(assessment, options) }`, where render returns the
 * document as a string or as pieces. A user format is then accepted by `-f` and `--report`
 * like a built-in one and written the same way (whole or not at all, on its own).
 */
export interface UserFormat {
  name: string;
  render(assessment: Assessment, options: RenderOptions): string | Iterable<string>;
}

export type UserFormats = ReadonlyMap<string, UserFormat>;

const NAME = /^[a-z][a-z0-9-]{0,39}$/;

export async function loadFormatPlugins(
  plugins: readonly string[],
  configFile: string | undefined,
): Promise<UserFormats> {
  const formats = new Map<string, UserFormat>();
  for (const spec of plugins) {
    const list = await pluginExports('format', spec, configFile);
    (list as (Partial<UserFormat> | undefined)[]).forEach((f, i) => {
      const where = `format plugin ${spec}, format ${i + 1}`;
      if (!f || typeof f.name !== 'string' || !NAME.test(f.name))
        throw new UsageError(`${where}: name must be lower-case letters, digits and dashes`);
      if (typeof f.render !== 'function')
        throw new UsageError(`${where} (${f.name}): render is not a function`);
      if (isReportFormat(f.name) || formats.has(f.name))
        throw new UsageError(`${where}: the format name ${f.name} is already taken`);
      formats.set(f.name, f as UserFormat);
    });
  }
  return formats;
}

/** Every format name a command accepts: the built-in ones, then the project's. */
export function formatNames(user: UserFormats): string[] {
  return [...FORMATS, ...user.keys()];
}

/** The pieces of a report in a built-in or user format. */
export function formatPieces(
  format: string,
  user: UserFormats,
  assessment: Assessment,
  options: RenderOptions,
): Iterable<string> {
  if (isReportFormat(format)) return renderPieces(format, assessment, options);
  const plugin = user.get(format);
  if (!plugin) throw new UsageError(`unknown format '${format}'`);
  const out = plugin.render(assessment, options);
  return typeof out === 'string' ? [out] : out;
}
