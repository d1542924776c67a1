/**
 * The evidence pack's manifest (`manifest.json`) and its verification (`assay pack verify`):
 * the SHA-256 of every file of the pack and of every input the assessment read. Verifying
 * recomputes the files' digests and names each file that changed, is missing, or is in the
 * folder without being listed. The manifest cannot list its own digest; a reader who needs the
 * pack sealed signs manifest.json (docs/pack.md).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export const MANIFEST = 'manifest.json';
export const MANIFEST_SCHEMA = 'assay-pack/1';

export interface ManifestFile {
  /** Path inside the pack, with `/` separators. */
  path: string;
  sha256: string;
  bytes: number;
  /** What the file is, e.g. `OSCAL assessment results`. */
  description: string;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  tool: { name: 'assay'; version: string };
  createdAt: string;
  assessment: { id: string; domain: string; finishedAt: string; root: string };
  baseline: { name: string; title: string };
  marking?: string;
  files: ManifestFile[];
  /** Files not written, each with why (the PDF without Chromium). */
  skipped: { path: string; reason: string }[];
  /** Every input assessed, with the digest read when it was assessed. */
  inputs: { file: string; kind: string; sha256: string }[];
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every file under `dir`, relative, with `/` separators, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

export interface VerifyResult {
  ok: boolean;
  changed: string[];
  missing: string[];
  extra: string[];
  /** A manifest that could not be read: nothing else was checked. */
  problem?: string;
}

function readManifest(dir: string): Manifest | string {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return `${file} is missing`;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return `${file}: ${err instanceof Error ? err.message : String(err)}`;
  }
  const m = value as Partial<Manifest> | null;
  if (m?.schema !== MANIFEST_SCHEMA || !Array.isArray(m.files))
    return `${file} is not an assay pack manifest (schema ${MANIFEST_SCHEMA})`;
  return m as Manifest;
}

/** A relative path that stays inside the pack: no leading `/`, no `..` or empty part, no backslash or NUL. */
function insidePack(path: unknown): path is string {
  if (typeof path !== 'string' || path === '' || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '..' && part !== '.');
}

/** Recomputes every listed file's digest; names the files that changed, are missing or are extra. */
export function verifyPack(dir: string): VerifyResult {
  const manifest = readManifest(dir);
  if (typeof manifest === 'string')
    return { ok: false, changed: [], missing: [], extra: [], problem: manifest };
  const changed: string[] = [];
  const missing: string[] = [];
  const listed = new Set<string>([MANIFEST]);
  for (const f of manifest.files) {
    // A manifest naming a path outside the pack is itself tampered with.
    if (!insidePack(f.path)) {
      changed.push(String(f.path));
      continue;
    }
    listed.add(f.path);
    const full = join(dir, f.path);
    if (!existsSync(full) || !statSync(full).isFile()) missing.push(f.path);
    else if (sha256File(full) !== f.sha256) changed.push(f.path);
  }
  const extra = listFiles(dir).filter((p) => !listed.has(p));
  return { ok: changed.length + missing.length + extra.length === 0, changed, missing, extra };
}
