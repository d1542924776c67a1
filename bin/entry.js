// Which code `assay` runs: the compiled bundle (dist/, `npm run build`) or the TypeScript
// sources through tsx. Plain JavaScript, so it runs before any loader is registered.
import { existsSync, readFileSync, statSync } from 'node:fs';

/**
 * 'dist' when dist/ holds a build that matches the sources, else 'source'. In a git checkout
 * the sources can change under the build, so every file it was built from is compared by size
 * and modification time (a few milliseconds); an installed package has no .git, nothing
 * rebuilds it, and npm resets file times, so its build is trusted. ASSAY_FROM_SOURCE=1 forces
 * the sources.
 *
 * @param {URL} root the package folder, ending in '/'
 * @param {Record<string, string | undefined>} env
 * @returns {'dist' | 'source'}
 */
export function chooseEntry(root, env) {
  if (env.ASSAY_FROM_SOURCE === '1') return 'source';
  const info = new URL('dist/build-info.json', root);
  if (!existsSync(info) || !existsSync(new URL('dist/cli.js', root))) return 'source';
  if (!existsSync(new URL('.git', root))) return 'dist';
  try {
    const { inputs } = JSON.parse(readFileSync(info, 'utf8'));
    for (const [path, [size, mtime]] of Object.entries(inputs)) {
      const s = statSync(new URL(path, root));
      if (s.size !== size || s.mtimeMs !== mtime) return 'source';
    }
    return 'dist';
  } catch {
    return 'source';
  }
}
