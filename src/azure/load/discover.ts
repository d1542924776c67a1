import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Folders never worth walking into. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.assay', 'bin', 'obj']);

export interface DiscoveredFile {
  /** Path relative to the root, with forward slashes: what reports show. */
  file: string;
  absolutePath: string;
  /** Named on the command line rather than found in a folder: a non-template is then an error, not a skip. */
  explicit: boolean;
  /** The folder its linked templates may not leave: `--root`, else the scanned folder (a file: its folder). */
  linkRoot: string;
  /** `json`, Bicep source (`bicep`, `bicepparam`) compiled before it is scanned, or Terraform (`.tf`, `.tf.json`). */
  source: SourceKind;
}

export type SourceKind = 'json' | 'bicep' | 'bicepparam' | 'terraform';

/** The kind of input a file name says it is, or undefined for files the scan does not read. */
export function sourceKindOf(name: string): SourceKind | undefined {
  const lower = name.toLowerCase();
  // Terraform's JSON configuration syntax is read with the `.tf` files of its folder.
  if (lower.endsWith('.tf.json')) return 'terraform';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.bicep')) return 'bicep';
  if (lower.endsWith('.bicepparam')) return 'bicepparam';
  if (lower.endsWith('.tf')) return 'terraform';
  return undefined;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Paths that do not exist. */
  missing: string[];
}

export function displayPath(root: string, absolutePath: string): string {
  const rel = relative(root, absolutePath);
  const shown = rel === '' || rel.startsWith('..') ? absolutePath : rel;
  return shown.split(sep).join('/');
}

/**
 * Finds `.json`, `.bicep`, `.bicepparam` and `.tf` files under the given paths (files are taken as
 * given), sorted for stable output. Paths shown are relative to `root`; links may not leave
 * `linkRoot` when given, else the scanned path they were found under.
 */
export async function discoverJsonFiles(
  paths: readonly string[],
  root: string,
  linkRoot?: string,
): Promise<Discovery> {
  const files: DiscoveredFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();

  async function walk(dir: string, scanned: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) await walk(full, scanned);
        continue;
      }
      const source = sourceKindOf(entry.name);
      if (entry.isFile() && source && !seen.has(full)) {
        seen.add(full);
        files.push({
          file: displayPath(root, full),
          absolutePath: full,
          explicit: false,
          linkRoot: scanned,
          source,
        });
      }
    }
  }

  for (const p of paths) {
    const full = resolve(p);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(full);
    } catch {
      missing.push(p);
      continue;
    }
    const scanned = linkRoot ?? (info.isDirectory() ? full : dirname(full));
    if (info.isDirectory()) await walk(full, scanned);
    else if (!seen.has(full)) {
      seen.add(full);
      files.push({
        file: displayPath(root, full),
        absolutePath: full,
        explicit: true,
        linkRoot: scanned,
        source: sourceKindOf(full) ?? 'json',
      });
    }
  }
  return { files, missing };
}
