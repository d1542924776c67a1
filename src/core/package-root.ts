/**
 * The folder of assay's own package.json. Assets shipped beside the code (control mappings,
 * schemas, the dashboard bundle) are found from here, so the same code works when it runs
 * from the TypeScript sources (src/...) and when it runs bundled (dist/...), where
 * `import.meta.url` names a different depth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'assay') return dir;
      } catch {
        // An unreadable manifest is not ours; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`assay's package.json was not found above ${start}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, from its root. */
export const packagePath = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);

/** True when this code runs from the TypeScript sources (through tsx), false when bundled. */
export const RUNNING_FROM_SOURCE: boolean = import.meta.url.endsWith('.ts');
