/**
 * The YAML library, loaded on first use. Most runs have no config or waiver file, and loading
 * the library costs more than the rest of a small scan's start-up (docs/benchmarks.md,
 * "Start-up"); `require` keeps the callers synchronous.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return loaded;
}
