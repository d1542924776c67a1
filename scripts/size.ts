/**
 * `npm run size`: what assay weighs. The npm package (`npm pack --dry-run --json`: tarball size,
 * unpacked size, file count) and a production install (the packages `npm ls --omit=dev` resolves
 * in this checkout's node_modules, each counted once without its nested node_modules).
 *
 * A real `npm ci --omit=dev` into a temp folder would need the registry; this measures the tree
 * already installed, which holds this platform's native packages only (DuckDB, esbuild).
 *
 *   npm run size [-- --json]
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackSize {
  /** The .tgz npm would publish, in bytes. */
  size: number;
  unpackedSize: number;
  files: number;
}

export interface InstallSize {
  packages: number;
  bytes: number;
  files: number;
  /** The heaviest packages, by their own files (nested node_modules excluded). */
  largest: { name: string; bytes: number }[];
}

/** Bytes and files under `dir`, symlinks not followed, and any folder named `skip` left out. */
export function directorySize(dir: string, skip = 'node_modules'): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const pending = [dir];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const entry of readdirSync(next, { withFileTypes: true })) {
      const path = join(next, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== skip) pending.push(path);
      } else if (entry.isFile()) {
        bytes += lstatSync(path).size;
        files += 1;
      }
    }
  }
  return { bytes, files };
}

export function packSize(root: string): PackSize {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [pack] = JSON.parse(out) as { size: number; unpackedSize: number; entryCount: number }[];
  if (!pack) throw new Error('npm pack --dry-run printed no package');
  return { size: pack.size, unpackedSize: pack.unpackedSize, files: pack.entryCount };
}

/** The production dependency folders of `root` (npm ls lists the root first; it is not a dependency). */
export function productionFolders(root: string): string[] {
  let out: string;
  try {
    out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (err) {
    // npm ls exits 1 on a problem it still lists through (an extraneous or missing optional package).
    out = String((err as { stdout?: unknown }).stdout ?? '');
  }
  const self = realpathSync(root);
  const seen = new Set<string>();
  for (const line of out.split('\n')) {
    if (line.trim() === '') continue;
    const real = realpathSync(line.trim());
    if (real !== self) seen.add(real);
  }
  return [...seen].sort();
}

export function installSize(folders: string[], top = 10): InstallSize {
  let bytes = 0;
  let files = 0;
  const sizes: { name: string; bytes: number }[] = [];
  for (const folder of folders) {
    const size = directorySize(folder);
    bytes += size.bytes;
    files += size.files;
    const at = folder.indexOf('node_modules/');
    sizes.push({ name: at >= 0 ? folder.slice(at + 'node_modules/'.length) : folder, bytes: size.bytes });
  }
  sizes.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
  return { packages: folders.length, bytes, files, largest: sizes.slice(0, top) };
}

const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const pack = packSize(root);
  const install = installSize(productionFolders(root));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ pack, install }, null, 2));
  } else {
    console.log(
      `npm package:        ${mb(pack.size)} packed, ${mb(pack.unpackedSize)} unpacked, ${pack.files} files`,
    );
    console.log(
      `production install: ${mb(install.bytes)} in ${install.packages} packages (${install.files} files), from ${relative(process.cwd(), join(root, 'node_modules')) || 'node_modules'} (npm ls --omit=dev; this platform's native packages only)`,
    );
    console.log('largest packages:');
    for (const p of install.largest) console.log(`  ${mb(p.bytes).padStart(9)}  ${p.name}`);
  }
}
