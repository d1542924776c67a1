/**
 * Loading a catalog from text, a file or a URL: OSCAL JSON as is, NZISM XML converted to an
 * OSCAL catalog first. Every failure is a CatalogError naming the file (and place).
 */
import { readFileSync } from 'node:fs';
import { LineIndex } from '../json/parse.ts';
import { type Catalog, CatalogError } from './catalog.ts';
import { type NzismOptions, nzismToOscal } from './nzism.ts';
import { catalogFromSource, parseJsonSource } from './oscal.ts';

export interface LoadedCatalog {
  catalog: Catalog;
  /** The catalog as an OSCAL JSON document: the input itself, or the converted NZISM. */
  document: string;
  format: 'oscal-json' | 'nzism-xml';
}

export function isUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec);
}

/** Reads a catalog from its text; `file` names it in errors, `source` is recorded on the catalog. */
export function loadCatalogText(
  text: string,
  file: string,
  options: NzismOptions & { source?: string } = {},
): LoadedCatalog {
  const source = options.source ?? file;
  if (
    text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('<')
  ) {
    const doc = nzismToOscal(text, file, options);
    const document = `${JSON.stringify(doc, null, 2)}\n`;
    // A generated document cannot point at lines of the XML; its own shape is ours to get right.
    const catalog = catalogFromSource(
      { file, value: JSON.parse(document), lines: new LineIndex(document) },
      source,
    );
    return { catalog, document, format: 'nzism-xml' };
  }
  const catalog = catalogFromSource(parseJsonSource(text, file), source);
  return { catalog, document: text, format: 'oscal-json' };
}

export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CatalogError(
      path,
      code === 'ENOENT' ? 'no such file' : `cannot read: ${(err as Error).message}`,
    );
  }
}

export function loadCatalogFile(path: string, options: NzismOptions = {}): LoadedCatalog {
  return loadCatalogText(readTextFile(path), path, options);
}

/** Fetches a catalog; a network failure or an HTTP error status is a CatalogError naming the URL. */
export async function fetchText(url: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(url, { redirect: 'follow', signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new CatalogError(url, `could not download: ${(err as Error).message}${cause ? ` (${cause})` : ''}`);
  }
  if (!response.ok)
    throw new CatalogError(url, `could not download: HTTP ${response.status} ${response.statusText}`);
  return response.text();
}
