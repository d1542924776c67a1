/**
 * OSCAL profile resolution, the part that decides which controls a baseline holds: each
 * import's `include-all` / `include-controls` (`with-ids`, `matching`, `with-child-controls`)
 * minus its `exclude-controls`. `modify` and `merge` change control text and structure, not
 * membership, so they are not applied.
 *
 * An import's `href` is read relative to the profile; a `#uuid` href goes through the
 * back-matter resource's `rlinks`. When the target is a URL or a missing file, the catalog the
 * caller supplies (`--catalog`, or the imported one) stands in for it.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import picomatch from 'picomatch';
import { type Catalog, type CatalogControl, CatalogError } from './catalog.ts';
import { isUrl, loadCatalogText, readTextFile } from './load.ts';
import {
  catalogFromSource,
  errorAt,
  type JsonSource,
  jsonPath,
  type OscalSelector,
  oscalModel,
  parseJsonSource,
  profileFromSource,
} from './oscal.ts';

export interface ResolvedProfile {
  file: string;
  title: string;
  version: string;
  /** The catalog the (first) import resolves to. */
  catalog: Catalog;
  controls: CatalogControl[];
  /** Ids the profile names that the catalog does not hold, and other things worth a line on stderr. */
  warnings: string[];
}

export interface ProfileOptions {
  /** Stands in for an import that is a URL or a missing file. */
  catalog?: Catalog;
}

interface Selection {
  catalog: Catalog;
  controls: CatalogControl[];
}

function descendants(of: Set<string>, pool: readonly CatalogControl[]): CatalogControl[] {
  const out: CatalogControl[] = [];
  const frontier = new Set(of);
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of pool) {
      if (
        c.parent !== undefined &&
        frontier.has(c.parent.toLowerCase()) &&
        !frontier.has(c.id.toLowerCase())
      ) {
        frontier.add(c.id.toLowerCase());
        out.push(c);
        grew = true;
      }
    }
  }
  return out;
}

function select(
  selectors: readonly OscalSelector[],
  pool: readonly CatalogControl[],
  path: (string | number)[],
  warn: ((message: string) => void) | undefined,
  catalogTitle: string,
): Set<string> {
  const byId = new Map(pool.map((c) => [c.id.toLowerCase(), c]));
  const chosen = new Set<string>();
  selectors.forEach((sel, j) => {
    const here = new Set<string>();
    (sel['with-ids'] ?? []).forEach((id, k) => {
      if (byId.has(id.toLowerCase())) here.add(id.toLowerCase());
      else warn?.(`${jsonPath([...path, j, 'with-ids', k])}: '${id}' is not in ${catalogTitle}`);
    });
    for (const m of sel.matching ?? []) {
      const isMatch = picomatch(m.pattern, { nocase: true });
      for (const c of pool) if (isMatch(c.id)) here.add(c.id.toLowerCase());
    }
    if (sel['with-child-controls'] === 'yes')
      for (const d of descendants(here, pool)) here.add(d.id.toLowerCase());
    for (const id of here) chosen.add(id);
  });
  return chosen;
}

/** Resolves the profile in `file` to the catalog controls it selects. */
export function resolveProfileFile(file: string, options: ProfileOptions = {}): ResolvedProfile {
  const warnings: string[] = [];
  const result = resolveSelection(file, options, new Set(), warnings);
  return { ...result, warnings };
}

function resolveSelection(
  file: string,
  options: ProfileOptions,
  chain: Set<string>,
  warnings: string[],
): Selection & { file: string; title: string; version: string } {
  const full = resolve(file);
  if (chain.has(full))
    throw new CatalogError(file, 'profile imports itself (directly or through another profile)');
  const src = parseJsonSource(readTextFile(file), file);
  const doc = profileFromSource(src);
  const profile = doc.profile;
  const nextChain = new Set(chain).add(full);
  const controls: CatalogControl[] = [];
  const taken = new Set<string>();
  let first: Catalog | undefined;
  profile.imports.forEach((imp, i) => {
    const base = ['profile', 'imports', i];
    const imported = importTarget(src, imp.href, base, options, nextChain, warnings);
    first ??= imported.catalog;
    const pool = imported.controls;
    let included: Set<string>;
    if (imp['include-all'] !== undefined) included = new Set(pool.map((c) => c.id.toLowerCase()));
    else if (imp['include-controls'] !== undefined)
      included = select(
        imp['include-controls'],
        pool,
        [...base, 'include-controls'],
        (w) => warnings.push(`${file}: ${w}`),
        imported.catalog.title,
      );
    else throw errorAt(src, base, 'an import needs include-all or include-controls');
    const excluded = select(
      imp['exclude-controls'] ?? [],
      pool,
      [...base, 'exclude-controls'],
      undefined,
      '',
    );
    for (const c of pool) {
      const k = c.id.toLowerCase();
      if (included.has(k) && !excluded.has(k) && !taken.has(k)) {
        taken.add(k);
        controls.push(c);
      }
    }
  });
  return {
    file,
    title: profile.metadata.title,
    version: profile.metadata.version,
    catalog: first as Catalog,
    controls,
  };
}

/** Candidate local paths for an href: itself, or a back-matter resource's rlinks. */
function candidates(src: JsonSource, href: string, path: (string | number)[]): string[] {
  if (!href.startsWith('#')) return [href];
  const uuid = href.slice(1);
  const profile = (
    src.value as {
      profile?: { 'back-matter'?: { resources?: { uuid?: string; rlinks?: { href?: string }[] }[] } };
    }
  ).profile;
  const resource = profile?.['back-matter']?.resources?.find((r) => r.uuid === uuid);
  if (!resource) throw errorAt(src, [...path, 'href'], `no back-matter resource with uuid ${uuid}`);
  const links = (resource.rlinks ?? []).map((l) => l.href).filter((h): h is string => typeof h === 'string');
  // JSON first: it is what assay reads.
  return [...links.filter((h) => /\.json$/i.test(h)), ...links.filter((h) => !/\.json$/i.test(h))];
}

function importTarget(
  src: JsonSource,
  href: string,
  path: (string | number)[],
  options: ProfileOptions,
  chain: Set<string>,
  warnings: string[],
): Selection {
  for (const candidate of candidates(src, href, path)) {
    if (isUrl(candidate)) continue;
    const target = resolve(
      dirname(src.file),
      decodeURI(withoutFragment(candidate.replace(/^file:\/\//, ''))),
    );
    if (!existsSync(target)) continue;
    const text = readTextFile(target);
    if (text.trimStart().startsWith('<')) {
      const catalog = loadCatalogText(text, target).catalog;
      return { catalog, controls: catalog.controls };
    }
    const targetSrc = parseJsonSource(text, target);
    if (oscalModel(targetSrc.value) === 'profile') return resolveSelection(target, options, chain, warnings);
    const catalog = catalogFromSource(targetSrc);
    return { catalog, controls: catalog.controls };
  }
  if (options.catalog) return { catalog: options.catalog, controls: options.catalog.controls };
  throw errorAt(
    src,
    [...path, 'href'],
    `cannot read the imported catalog '${href}' (a URL, or no such file beside the profile); pass the catalog with --catalog or import it with 'assay controls import'`,
  );
}

/** `href` without its `#fragment`, by index: `/#.*$/` retries from every '#' before a line break. */
function withoutFragment(href: string): string {
  const hash = href.indexOf('#');
  return hash < 0 ? href : href.slice(0, hash);
}
