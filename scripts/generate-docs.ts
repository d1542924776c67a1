/**
 * Writes docs/checks/<ID>.md for every registered Azure check, plus docs/checks/README.md.
 * The folder is wholly generated: pages of checks no longer registered are removed.
 *
 * Usage: tsx scripts/generate-docs.ts [--check] [--out DIR]
 *   --check  write nothing; exit 1 (listing the differences) when the files on disk are
 *            missing, stale or differ from what would be generated. For CI.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { azureChecks } from '../src/azure/checks/index.ts';
import type { CheckMeta } from '../src/core/model.ts';
import { checkDocFileName, renderCheckDoc, renderCheckIndex } from '../src/report/check-docs.ts';

const INDEX = 'README.md';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: tsx scripts/generate-docs.ts [--check] [--out DIR]');
  process.exit(2);
}

function parseArgs(argv: string[]): { check: boolean; out: string } {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let check = false;
  let out = join(repoRoot, 'docs', 'checks');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') check = true;
    else if (arg === '--out') {
      const dir = argv[++i];
      if (!dir) usage('--out needs a directory');
      out = resolve(dir);
    } else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument: ${arg}`);
  }
  return { check, out };
}

/** File name -> content for the whole folder. Fails on duplicate ids or file names. */
function expectedFiles(metas: readonly CheckMeta[]): Map<string, string> {
  const files = new Map<string, string>();
  const ids = new Set<string>();
  for (const meta of metas) {
    if (ids.has(meta.id)) throw new Error(`duplicate check id: ${meta.id}`);
    ids.add(meta.id);
    const name = checkDocFileName(meta.id);
    if (files.has(name) || name === INDEX)
      throw new Error(`check ${meta.id} maps to a file name already used: ${name}`);
    files.set(name, renderCheckDoc(meta));
  }
  files.set(INDEX, renderCheckIndex(metas));
  return files;
}

function markdownFilesOnDisk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => e.name)
    .sort();
}

function main(): void {
  const { check, out } = parseArgs(process.argv.slice(2));
  const expected = expectedFiles(azureChecks.map((c) => c.meta));
  const onDisk = markdownFilesOnDisk(out);
  const shown = relative(process.cwd(), out) || '.';

  if (check) {
    const problems: string[] = [];
    for (const [name, content] of expected) {
      const path = join(out, name);
      if (!existsSync(path)) problems.push(`missing: ${join(shown, name)}`);
      else if (readFileSync(path, 'utf8') !== content) problems.push(`out of date: ${join(shown, name)}`);
    }
    for (const name of onDisk) if (!expected.has(name)) problems.push(`stale: ${join(shown, name)}`);
    if (problems.length > 0) {
      console.error(problems.join('\n'));
      console.error(`check docs differ from the check metadata; run: npm run docs`);
      process.exit(1);
    }
    console.log(`check docs up to date (${expected.size - 1} checks)`);
    return;
  }

  mkdirSync(out, { recursive: true });
  let written = 0;
  for (const [name, content] of expected) {
    const path = join(out, name);
    if (existsSync(path) && readFileSync(path, 'utf8') === content) continue;
    writeFileSync(path, content);
    written++;
  }
  let removed = 0;
  for (const name of onDisk) {
    if (expected.has(name)) continue;
    rmSync(join(out, name));
    removed++;
  }
  console.log(`${shown}: ${expected.size - 1} checks; ${written} file(s) written, ${removed} removed`);
}

main();
