/**
 * Sovereign boundaries: named sets of Azure regions that data may be stored, replicated and
 * processed in. Built-in profiles cover the common sovereignty requirements; a project can
 * define its own in `assay.config.yaml` (`boundaries:`).
 */
import { type AzureCloudName, normaliseRegion, REGIONS, type RegionFact, regionFact } from './regions.ts';

export interface Boundary {
  /** Profile name as given on the command line, e.g. `au`. */
  name: string;
  title: string;
  /** Programmatic names of the regions inside the boundary. */
  regions: ReadonlySet<string>;
  /** Countries (ISO 3166-1 alpha-2) of those regions, for services located by country or geography. */
  countries: ReadonlySet<string>;
}

/** How a profile is written: regions by name, and/or every region of some countries and clouds. */
export interface BoundarySpec {
  title?: string;
  /** Programmatic or display names of regions. */
  regions?: string[];
  /** ISO 3166-1 alpha-2 country codes: every known region in these countries (of `clouds`). */
  countries?: string[];
  /** Clouds the country selection is limited to (default: the public cloud). */
  clouds?: AzureCloudName[];
}

/** EU member states and the EFTA states, the area of Microsoft's EU Data Boundary. */
const EU_EFTA = [
  ...['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE'],
  ...['IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'],
  ...['IS', 'LI', 'NO', 'CH'],
];

export const BUILT_IN_BOUNDARIES: Readonly<Record<string, BoundarySpec>> = {
  au: { title: 'Australia (public cloud regions in Australia)', countries: ['AU'] },
  'au-canberra': {
    title: 'Australia Central and Central 2 (Canberra), for the most sensitive systems',
    regions: ['australiacentral', 'australiacentral2'],
  },
  nz: { title: 'New Zealand', countries: ['NZ'] },
  'eu-data-boundary': {
    title: 'EU Data Boundary (regions in EU and EFTA countries)',
    countries: EU_EFTA,
  },
  fr: { title: 'France', countries: ['FR'] },
  de: { title: 'Germany', countries: ['DE'] },
  sg: { title: 'Singapore', countries: ['SG'] },
  'us-gov': {
    title: 'Azure Government (US Gov and US DoD regions, a separate cloud)',
    countries: ['US'],
    clouds: ['AzureUSGovernment'],
  },
};

export class BoundaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoundaryError';
  }
}

/** Builds a boundary from its spec; names an unknown region or an empty result. */
export function buildBoundary(name: string, spec: BoundarySpec): Boundary {
  const regions = new Set<string>();
  const unknownRegions: string[] = [];
  for (const r of spec.regions ?? []) {
    const fact = regionFact(r);
    if (fact) regions.add(fact.name);
    else unknownRegions.push(r);
  }
  if (unknownRegions.length > 0)
    throw new BoundaryError(
      `boundary '${name}': unknown region(s) ${unknownRegions.join(', ')} (use programmatic names such as australiaeast)`,
    );
  const clouds = new Set<AzureCloudName>(spec.clouds ?? ['AzureCloud']);
  const countries = new Set((spec.countries ?? []).map((c) => c.toUpperCase()));
  for (const fact of REGIONS)
    if (countries.has(fact.country) && clouds.has(fact.cloud)) regions.add(fact.name);
  if (regions.size === 0) throw new BoundaryError(`boundary '${name}' contains no known region`);
  const inside = [...regions].map((r) => regionFact(r) as RegionFact);
  return {
    name,
    title: spec.title ?? name,
    regions,
    countries: new Set(inside.map((f) => f.country)),
  };
}

/** The boundary called `name`: a profile from the config first, else a built-in one. */
export function resolveBoundary(name: string, custom: Readonly<Record<string, BoundarySpec>> = {}): Boundary {
  const spec = custom[name] ?? BUILT_IN_BOUNDARIES[name];
  if (!spec) {
    const known = [...new Set([...Object.keys(BUILT_IN_BOUNDARIES), ...Object.keys(custom)])].sort();
    throw new BoundaryError(`unknown boundary '${name}'; expected one of ${known.join(', ')}`);
  }
  return buildBoundary(name, spec);
}

/** Is a location (programmatic or display name) inside the boundary? */
export function inBoundary(boundary: Boundary, location: string): boolean {
  return boundary.regions.has(normaliseRegion(location));
}

/** `Australia East, Australia Southeast, ...` for messages. */
export function boundaryRegionList(boundary: Boundary): string {
  return [...boundary.regions]
    .map((r) => regionFact(r)?.displayName ?? r)
    .sort()
    .join(', ');
}

/**
 * Says why a location is outside the boundary (`East US (eastus) is outside boundary au ...`),
 * or undefined when it is inside or is not a region assay knows.
 */
export function describeBoundaryLocation(boundary: Boundary, location: string): string | undefined {
  const fact = regionFact(location);
  if (!fact || boundary.regions.has(fact.name)) return undefined;
  return `${fact.displayName} (${fact.name}, ${fact.physicalLocation}) is outside boundary ${boundary.name}`;
}
