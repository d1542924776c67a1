/**
 * `npm run build`: compiles the CLI into dist/ so `assay` starts without a TypeScript loader.
 *
 * - dist/cli.js and dist/worker.js (the scan's worker-thread entry), ES modules for Node
 *   20.19+, with code reached only through `import()` split into chunks that load when a
 *   command needs them; npm dependencies stay imports, resolved from node_modules.
 * - dist/web/: the dashboard bundle, so esbuild is not needed at run time.
 * - dist/build-info.json: the size and modification time of every source file the bundle was
 *   built from. bin/assay.js runs the bundle only while these still match in a git checkout,
 *   and the sources (through tsx) otherwise, so an edit is never hidden by a stale build.
 *
 * `prepare` runs it after `npm ci` (`--if-possible`), so a fresh clone gets the fast start too;
 * there a failed build (an install without dev dependencies, a read-only folder) is a note, not
 * a failed install: bin/assay.js then runs the sources.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { PACKAGE_ROOT } from '../src/core/package-root.ts';
import { buildWebAssets, writeWebAssets } from '../src/report/web-assets.ts';

const ifPossible = process.argv.includes('--if-possible');
process.on('uncaughtException', (err) => {
  const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
  console.error(`assay build: ${why}`);
  if (ifPossible)
    console.error('assay build: dist/ not built; bin/assay.js runs the TypeScript sources instead');
  process.exit(ifPossible ? 0 : 1);
});

const started = performance.now();
const dist = join(PACKAGE_ROOT, 'dist');
// Old chunks would otherwise pile up (their names carry content hashes); the web cache is rebuilt below.
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const result = await esbuild.build({
  absWorkingDir: PACKAGE_ROOT,
  entryPoints: { cli: 'src/cli/main.ts', worker: 'src/azure/parallel/worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const inputs: Record<string, [number, number]> = {};
for (const path of [...Object.keys(result.metafile.inputs), 'package.json']) {
  const s = statSync(join(PACKAGE_ROOT, path));
  inputs[path] = [s.size, s.mtimeMs];
}
writeFileSync(
  join(dist, 'build-info.json'),
  `${JSON.stringify({ esbuild: esbuild.version, inputs }, null, 1)}\n`,
);

const web = await buildWebAssets();
if (!writeWebAssets(join(dist, 'web'), web)) throw new Error(`could not write ${join(dist, 'web')}`);

let bytes = 0;
for (const [file, out] of Object.entries(result.metafile.outputs)) {
  bytes += out.bytes;
  void file;
}
const ms = (performance.now() - started).toFixed(0);
console.log(
  `built ${relative(process.cwd(), dist) || 'dist'}: CLI ${(bytes / 1024).toFixed(0)} KB in ${Object.keys(result.metafile.outputs).length} files, dashboard ${(Buffer.byteLength(web.assets.js) / 1024).toFixed(0)} KB (${ms} ms)`,
);
