/**
 * Builds the dashboard UI bundle into dist/web/ now (`npx tsx scripts/build-web.ts`).
 * Optional: `assay serve` and `assay report` build it on first use and cache it there; this
 * is for warming the cache (a read-only install, a container image) or checking the size.
 *
 *   npx tsx scripts/build-web.ts [--out DIR]
 */
import { resolve } from 'node:path';
import { buildWebAssets, DEFAULT_CACHE_DIR, writeWebAssets } from '../src/report/web-assets.ts';

const at = process.argv.indexOf('--out');
const out = at > 0 ? resolve(process.argv[at + 1] ?? '') : DEFAULT_CACHE_DIR;
const start = performance.now();
const build = await buildWebAssets();
if (!writeWebAssets(out, build)) {
  console.error(`could not write ${out}`);
  process.exit(1);
}
const kb = (s: string) => `${(Buffer.byteLength(s) / 1024).toFixed(0)} KB`;
console.log(
  `web bundle: ${kb(build.assets.js)} script, ${kb(build.assets.css)} CSS, ${Object.keys(build.manifest.inputs).length} inputs, ${(performance.now() - start).toFixed(0)} ms -> ${out}`,
);
