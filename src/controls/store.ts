/**
 * Imported catalogs, kept in the project store folder (`.assay/`) as OSCAL JSON documents under
 * `.assay/catalogs/`, with `index.json` listing name, title, version, source, import time and
 * the SHA-256 of what was imported. Writes go to a temporary file renamed into place, so an
 * interrupted import leaves the earlier state intact.
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareText } from '../core/compare.ts';
import { type Catalog, CatalogError, catalogKind } from './catalog.ts';
import { fetchText, isUrl, type LoadedCatalog, loadCatalogText, readTextFile } from './load.ts';
import type { NzismOptions } from './nzism.ts';

export const STORE_DIR = '.assay';

export interface CatalogEntry {
  name: string;
  title: string;
  version: string;
  /** The path or URL it was imported from. */
  source: string;
  importedAt: string;
  /** SHA-256 of the imported bytes (before any conversion). */
  sha256: string;
  /** File under `.assay/catalogs/`. */
  file: string;
  kind: 'ism' | 'nzism' | 'oscal';
  format: LoadedCatalog['format'];
  controls: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'catalog'
  );
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export interface ImportOptions extends NzismOptions {
  /** Name in the store; default `ism`, `nzism` or a slug of the title. */
  name?: string;
  /** Import time (ISO 8601); default now. */
  now?: string;
  fetch?: typeof fetch;
}

export class CatalogStore {
  readonly dir: string;

  /** `root` is the folder holding `.assay/` (default: the working folder). */
  constructor(root = process.cwd()) {
    this.dir = join(root, STORE_DIR, 'catalogs');
  }

  private get indexFile(): string {
    return join(this.dir, 'index.json');
  }

  list(): CatalogEntry[] {
    if (!existsSync(this.indexFile)) return [];
    try {
      const parsed = JSON.parse(readFileSync(this.indexFile, 'utf8')) as { catalogs?: CatalogEntry[] };
      return Array.isArray(parsed.catalogs) ? parsed.catalogs : [];
    } catch (err) {
      throw new CatalogError(this.indexFile, `the catalog index is unreadable: ${(err as Error).message}`);
    }
  }

  get(name: string): CatalogEntry | undefined {
    return this.list().find((e) => e.name.toLowerCase() === name.toLowerCase());
  }

  /** The catalog built-in ISM baselines resolve against: the latest ISM import, else the latest import. */
  defaultEntry(): CatalogEntry | undefined {
    const all = [...this.list()].sort((a, b) => compareText(b.importedAt, a.importedAt));
    return all.find((e) => e.kind === 'ism') ?? all[0];
  }

  load(entry: CatalogEntry): Catalog {
    const path = join(this.dir, entry.file);
    const loaded = loadCatalogText(readTextFile(path), path, { source: entry.source });
    return loaded.catalog;
  }

  /** Reads a catalog from a path or URL, checks it, and stores it (replacing one of the same name). */
  async import(spec: string, options: ImportOptions = {}): Promise<CatalogEntry> {
    const text = isUrl(spec) ? await fetchText(spec, options.fetch) : readTextFile(spec);
    const loaded = loadCatalogText(text, spec, options);
    const kind = catalogKind(loaded.catalog);
    const name = options.name ?? (kind === 'oscal' ? slug(loaded.catalog.title) : kind);
    if (!NAME.test(name))
      throw new CatalogError(spec, `catalog name '${name}' may hold only letters, digits, '.', '_' and '-'`);
    mkdirSync(this.dir, { recursive: true });
    const file = `${name}.json`;
    writeAtomic(join(this.dir, file), loaded.document);
    const entry: CatalogEntry = {
      name,
      title: loaded.catalog.title,
      version: loaded.catalog.version,
      source: spec,
      importedAt: options.now ?? new Date().toISOString(),
      sha256: createHash('sha256').update(text).digest('hex'),
      file,
      kind,
      format: loaded.format,
      controls: loaded.catalog.controls.length,
    };
    const others = this.list().filter((e) => e.name.toLowerCase() !== name.toLowerCase());
    writeAtomic(this.indexFile, `${JSON.stringify({ catalogs: [...others, entry] }, null, 2)}\n`);
    return entry;
  }
}

/**
 * The catalog for a run: `--catalog` (a file, or the name of an imported
 * catalog), else the store's default. Undefined when there is none.
 */
export function catalogFor(spec: string | undefined, root = process.cwd()): Catalog | undefined {
  const store = new CatalogStore(root);
  if (spec !== undefined) {
    if (existsSync(spec)) return loadCatalogText(readTextFile(spec), spec).catalog;
    const entry = store.get(spec);
    if (entry) return store.load(entry);
    throw new CatalogError(
      spec,
      `no such file, and no imported catalog of that name${
        store.list().length
          ? ` (imported: ${store
              .list()
              .map((e) => e.name)
              .join(', ')})`
          : ''
      }`,
    );
  }
  const entry = store.defaultEntry();
  return entry ? store.load(entry) : undefined;
}

/** The one-line hint printed when a baseline or a check page would be richer with a catalog. */
export const CATALOG_HINT =
  "no control catalog loaded: statements are left out and built-in baselines cover only the controls checks cite; import the ISM with 'assay controls import ISM_catalog.json' (from https://github.com/AustralianCyberSecurityCentre/ism-oscal) or pass --catalog FILE";
