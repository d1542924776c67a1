/**
 * Deterministic generator of the ARM template benchmark corpus.
 *
 *   tsx bench/generate-arm-corpus.ts [--count N] [--out DIR] [--force] [--check]
 *
 * Writes N deployment templates (default 2,000; linked templates count towards N) with
 * parameter files beside some of them and a metadata.json per group of 100 into
 * bench/.corpus/arm/, plus a manifest (bench/.corpus/arm.manifest.json). The same
 * generator version and count reuse the corpus on disk. `--check` re-reads every file,
 * parses it (strict JSON, or JSONC for the few files with comments and trailing commas)
 * and prints what the corpus contains.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  buildEntry,
  GENERATOR_VERSION,
  type GeneratedFile,
  groupMetadata,
  stripJsonc,
} from './arm/compose.ts';
import { type BuildStats, emptyStats } from './arm/template.ts';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_CORPUS_DIR = join(BENCH_DIR, '.corpus', 'arm');
export const DEFAULT_COUNT = 2000;

export interface CorpusFile {
  path: string;
  bytes: number;
  kind: GeneratedFile['kind'];
  jsonc: boolean;
}

export interface CorpusManifest {
  generatorVersion: number;
  /** sha256 of the generator's source files: an edit without a version bump also regenerates. */
  generatorHash: string;
  /** Templates asked for; `templates` is what was written (equal). */
  count: number;
  templates: number;
  rootTemplates: number;
  linkedTemplates: number;
  parameterFiles: number;
  otherJsonFiles: number;
  bytes: number;
  /** sha256 over every path and content, to tell two corpora apart. */
  digest: string;
  /** Sizes of template files in bytes. */
  templateSizes: { min: number; median: number; p90: number; p99: number; max: number; mean: number };
  /** Features present, as counts of template files (textual) or of constructs (built). */
  features: Record<string, number>;
  built: BuildStats;
  files: CorpusFile[];
}

/** Hash of the generator sources (this file and bench/arm/*.ts). */
export function generatorHash(): string {
  const hash = createHash('sha256');
  const armDir = join(BENCH_DIR, 'arm');
  const sources = [
    fileURLToPath(import.meta.url),
    ...readdirSync(armDir)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => join(armDir, f)),
  ];
  for (const file of sources) hash.update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function manifestPath(dir: string): string {
  return `${dir.replace(/[\\/]+$/, '')}.manifest.json`;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const FEATURE_TESTS: readonly (readonly [string, RegExp])[] = [
  ['copy loops', /"copy":/],
  ['nested deployments (inline template)', /"template":\s*\{/],
  ['scope inner', /"scope":\s*"inner"/],
  ['scope outer', /"scope":\s*"outer"/],
  ['linked (templateLink.relativePath)', /"relativePath":/],
  ['reference()', /reference\(/i],
  ['list*()', /\blist[A-Za-z]*\(/i],
  ['condition', /"condition":/],
  ['languageVersion 2.0', /"languageVersion":\s*"2\.0"/],
  ['user-defined functions', /"functions":\s*\[/],
  ['// or /* */ comments', /^\s*(\/\/|\/\*)/m],
  ['mixed-case function names', /copyindex\(|listkeys\(|resourcegroup\(\)|uniquestring\(|resourceid\(/],
  ['parameters with allowedValues', /"allowedValues":/],
  ['securestring parameters', /"securestring"/],
];

/** Generates the corpus into `dir` (removing what is there). */
export function generateCorpus(dir: string, count: number): CorpusManifest {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const stats = emptyStats();
  const files: CorpusFile[] = [];
  const hash = createHash('sha256');
  const features: Record<string, number> = Object.fromEntries(FEATURE_TESTS.map(([name]) => [name, 0]));
  let templates = 0;
  let roots = 0;
  const groups = new Set<number>();
  const made = new Set<string>();
  const write = (f: GeneratedFile) => {
    const full = join(dir, f.path);
    const parent = dirname(full);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(full, f.text);
    hash.update(f.path).update('\0').update(f.text).update('\0');
    files.push({ path: f.path, bytes: Buffer.byteLength(f.text), kind: f.kind, jsonc: f.jsonc });
    if (f.kind === 'template') {
      for (const [name, re] of FEATURE_TESTS) if (re.test(f.text)) features[name]++;
      if (f.jsonc && /,\s*[}\]]/.test(f.text))
        features['trailing commas'] = (features['trailing commas'] ?? 0) + 1;
    }
  };
  for (let index = 0; templates < count; index++) {
    const entry = buildEntry(index, stats);
    let entryFiles = entry.files;
    if (templates + entry.templates > count) {
      // Keep the exact count: drop the linked deployment's files is not possible without
      // changing the root, so build the next entries until one fits.
      continue;
    }
    const group = Math.floor(index / 100);
    if (!groups.has(group)) {
      groups.add(group);
      entryFiles = [groupMetadata(group), ...entryFiles];
    }
    for (const f of entryFiles) write(f);
    templates += entry.templates;
    roots++;
  }
  const sizes = files
    .filter((f) => f.kind === 'template')
    .map((f) => f.bytes)
    .sort((a, b) => a - b);
  const bytes = files.reduce((s, f) => s + f.bytes, 0);
  const manifest: CorpusManifest = {
    generatorVersion: GENERATOR_VERSION,
    generatorHash: generatorHash(),
    count,
    templates,
    rootTemplates: roots,
    linkedTemplates: templates - roots,
    parameterFiles: files.filter((f) => f.kind === 'parameters').length,
    otherJsonFiles: files.filter((f) => f.kind === 'other').length,
    bytes,
    digest: hash.digest('hex'),
    templateSizes: {
      min: sizes[0] ?? 0,
      median: quantile(sizes, 0.5),
      p90: quantile(sizes, 0.9),
      p99: quantile(sizes, 0.99),
      max: sizes[sizes.length - 1] ?? 0,
      mean: Math.round(sizes.reduce((s, n) => s + n, 0) / Math.max(1, sizes.length)),
    },
    features,
    built: stats,
    files,
  };
  writeFileSync(manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Reads the manifest if it matches this generator and count and the files are on disk. */
export function readCorpus(dir: string, count: number): CorpusManifest | undefined {
  const path = manifestPath(dir);
  if (!existsSync(path)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as CorpusManifest;
    if (manifest.generatorVersion !== GENERATOR_VERSION || manifest.count !== count) return undefined;
    if (manifest.generatorHash !== generatorHash()) return undefined;
    const sample = [manifest.files[0], manifest.files[manifest.files.length - 1]];
    if (!sample.every((f) => f && existsSync(join(dir, f.path)))) return undefined;
    return manifest;
  } catch {
    return undefined;
  }
}

/** The corpus for `count` templates in `dir`: reused when it matches, generated otherwise. */
export function ensureCorpus(
  dir: string,
  count: number,
  force = false,
): { manifest: CorpusManifest; generated: boolean; ms: number } {
  const start = performance.now();
  const existing = force ? undefined : readCorpus(dir, count);
  if (existing) return { manifest: existing, generated: false, ms: performance.now() - start };
  const manifest = generateCorpus(dir, count);
  return { manifest, generated: true, ms: performance.now() - start };
}

/**
 * Parses every file of the corpus the way the floor does (JSON.parse, after stripJsonc()
 * for the files with comments or trailing commas); throws on the first that fails.
 * The generator has already checked that stripJsonc() gives the value the JSONC text means.
 */
export function checkCorpus(dir: string, manifest: CorpusManifest): { files: number; jsonc: number } {
  let jsonc = 0;
  for (const f of manifest.files) {
    const text = readFileSync(join(dir, f.path), 'utf8');
    if (f.jsonc) jsonc++;
    try {
      JSON.parse(f.jsonc ? stripJsonc(text) : text);
    } catch (e) {
      throw new Error(`${f.path}: ${(e as Error).message}`);
    }
  }
  return { files: manifest.files.length, jsonc };
}

export function describeCorpus(m: CorpusManifest): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const s = m.templateSizes;
  const lines = [
    `templates ${m.templates} (${m.rootTemplates} root, ${m.linkedTemplates} linked), parameter files ${m.parameterFiles}, other JSON ${m.otherJsonFiles}, ${(m.bytes / 1048576).toFixed(1)} MB`,
    `template size: min ${kb(s.min)}, median ${kb(s.median)}, mean ${kb(s.mean)}, p90 ${kb(s.p90)}, p99 ${kb(s.p99)}, max ${kb(s.max)}`,
    `templates with: ${Object.entries(m.features)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `constructs: ${Object.entries(m.built)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  return lines.join('\n');
}

function main(argv: string[]): void {
  let count = DEFAULT_COUNT;
  let out = DEFAULT_CORPUS_DIR;
  let force = false;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--count') count = Number(argv[++i]);
    else if (a === '--out') out = resolve(argv[++i]);
    else if (a === '--force') force = true;
    else if (a === '--check') check = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a positive integer');
  const { manifest, generated, ms } = ensureCorpus(out, count, force);
  console.log(
    `${generated ? 'generated' : 'reused'} ${out} in ${ms.toFixed(0)} ms (digest ${manifest.digest.slice(0, 12)})`,
  );
  console.log(describeCorpus(manifest));
  if (check) {
    const r = checkCorpus(out, manifest);
    console.log(
      `check: ${r.files} files parse (${r.jsonc} with comments or trailing commas, after the floor's strip)`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2));
}
