/**
 * The dashboard UI (web/) as one script and one stylesheet, bundled by esbuild on first
 * use and cached under dist/web/, so `npx assay serve` and `npx assay report --html` work
 * on a fresh clone after `npm ci` with no build step. The cache is valid while every file
 * the last build read (its metafile inputs) has the same size and modification time; an
 * unwritable install just rebuilds in memory each time (about a second).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-root.ts';

export interface WebAssets {
  js: string;
  css: string;
  /** Hex SHA-256 of js + css: names the build (cache busting, tests). */
  hash: string;
}

const ROOT = PACKAGE_ROOT;
export const WEB_ENTRY = join(ROOT, 'web', 'main.ts');
export const DEFAULT_CACHE_DIR = join(ROOT, 'dist', 'web');

interface Manifest {
  esbuild: string;
  /** Input path (relative to the repo) -> [size, mtimeMs] when it was read. */
  inputs: Record<string, [number, number]>;
  hash: string;
}

function signature(path: string): [number, number] | undefined {
  try {
    const s = statSync(join(ROOT, path));
    return [s.size, s.mtimeMs];
  } catch {
    return undefined;
  }
}

/** A cached build; `esbuildVersion` undefined means no esbuild to rebuild with, so no freshness check. */
function readCache(dir: string, esbuildVersion: string | undefined): WebAssets | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    if (esbuildVersion !== undefined && manifest.esbuild !== esbuildVersion) return undefined;
    for (const [path, [size, mtime]] of esbuildVersion === undefined ? [] : Object.entries(manifest.inputs)) {
      const now = signature(path);
      if (!now || now[0] !== size || now[1] !== mtime) return undefined;
    }
    const js = readFileSync(join(dir, 'app.js'), 'utf8');
    const css = readFileSync(join(dir, 'app.css'), 'utf8');
    return hashOf(js, css) === manifest.hash ? { js, css, hash: manifest.hash } : undefined;
  } catch {
    return undefined;
  }
}

const hashOf = (js: string, css: string) =>
  createHash('sha256').update(js).update('\0').update(css).digest('hex');

/** Writes each file beside its final name, then renames: parallel test processes may build at once. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Bundles web/ with esbuild (minified, one IIFE script and one stylesheet). */
export async function buildWebAssets(): Promise<{ assets: WebAssets; manifest: Manifest }> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [WEB_ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    minify: true,
    write: false,
    outdir: 'out',
    metafile: true,
    legalComments: 'eof',
    // ECharts and Preact keep development checks behind this.
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
    // Metafile input paths are then relative to the repo, as the cache manifest keeps them.
    absWorkingDir: ROOT,
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  if (!js) throw new Error('esbuild produced no script for web/main.ts');
  const inputs: Manifest['inputs'] = {};
  for (const path of Object.keys(result.metafile.inputs)) {
    const sig = signature(path);
    if (sig) inputs[path] = sig;
  }
  const hash = hashOf(js, css);
  return { assets: { js, css, hash }, manifest: { esbuild: esbuild.version, inputs, hash } };
}

/** Writes a build to the cache folder; false when it cannot be written (read-only install). */
export function writeWebAssets(dir: string, build: { assets: WebAssets; manifest: Manifest }): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    writeAtomic(join(dir, 'app.js'), build.assets.js);
    writeAtomic(join(dir, 'app.css'), build.assets.css);
    writeAtomic(join(dir, 'manifest.json'), `${JSON.stringify(build.manifest, null, 1)}\n`);
    return true;
  } catch {
    return false;
  }
}

let memo: Promise<WebAssets> | undefined;

/** esbuild's version, or undefined where it is not installed (a production install of the package). */
async function esbuildVersion(): Promise<string | undefined> {
  try {
    return (await import('esbuild')).version;
  } catch {
    return undefined;
  }
}

/**
 * The UI bundle: from the cache when current, else built (and cached). Memoised per process.
 * Without esbuild (a production install), the bundle that `npm run build` put in the package
 * is used as it is: its sources cannot change there.
 */
export function getWebAssets(cacheDir = DEFAULT_CACHE_DIR): Promise<WebAssets> {
  memo ??= (async () => {
    const version = await esbuildVersion();
    const cached = readCache(cacheDir, version);
    if (cached) return cached;
    if (version === undefined) {
      throw new Error(
        `the dashboard bundle is missing from ${cacheDir} and esbuild is not installed to build it (run \`npm run build\` in the package)`,
      );
    }
    const build = await buildWebAssets();
    writeWebAssets(cacheDir, build);
    return build.assets;
  })();
  memo.catch(() => {
    memo = undefined;
  });
  return memo;
}
