import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

/** Folders never worth walking into. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.assay', 'bin', 'obj']);

export interface DiscoveredFile {
  /** Path relative to the root, with forward slashes: what reports show. */
  file: string;
  absolutePath: string;
  /** Named on the command line rather than found in a folder: a non-template is then an error, not a skip. */
  explicit: boolean;
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

/** Finds `.json` files under the given paths (files are taken as given), sorted for stable output. */
export async function discoverJsonFiles(paths: readonly string[], root: string): Promise<Discovery> {
  const files: DiscoveredFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();

  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) await walk(full);
      } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json') && !seen.has(full)) {
        seen.add(full);
        files.push({ file: displayPath(root, full), absolutePath: full, explicit: false });
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
    if (info.isDirectory()) await walk(full);
    else if (!seen.has(full)) {
      seen.add(full);
      files.push({ file: displayPath(root, full), absolutePath: full, explicit: true });
    }
  }
  return { files, missing };
}
