/**
 * Facts about Azure regions that data-residency checks need: where a region is, which
 * region it replicates to for geo-redundant services, whether access to it is restricted,
 * and which cloud it belongs to. Written for assay from Microsoft's public region and
 * region-pair documentation (see docs/residency.md for the sources and the date);
 * Azure adds regions often, so an unlisted name is reported as unknown, never guessed.
 */

export type AzureCloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud';

export interface RegionFact {
  /** Programmatic name, e.g. `australiaeast`. */
  name: string;
  /** Display name, e.g. `Australia East`. */
  displayName: string;
  cloud: AzureCloudName;
  /** ISO 3166-1 alpha-2 code of the country the datacentres are in (Hong Kong is `HK`). */
  country: string;
  /** Microsoft's geography (a data-residency area), e.g. `Australia`, `Asia Pacific`, `Europe`. */
  geography: string;
  /** City or state of the datacentres. */
  physicalLocation: string;
  /** The region geo-redundant services replicate to; absent for a region without a pair. */
  pair?: string;
  /** Access is restricted to customers with a business need (e.g. Australia Central 2). */
  restricted: boolean;
  availabilityZones: boolean;
}

// name | display name | country | geography | physical location | pair ('' none) | flags (z: zones, r: restricted)
type Row = [string, string, string, string, string, string, string];

const PUBLIC: Row[] = [
  ['australiacentral', 'Australia Central', 'AU', 'Australia', 'Canberra', 'australiacentral2', ''],
  ['australiacentral2', 'Australia Central 2', 'AU', 'Australia', 'Canberra', 'australiacentral', 'r'],
  ['australiaeast', 'Australia East', 'AU', 'Australia', 'New South Wales', 'australiasoutheast', 'z'],
  ['australiasoutheast', 'Australia Southeast', 'AU', 'Australia', 'Victoria', 'australiaeast', ''],
  ['austriaeast', 'Austria East', 'AT', 'Austria', 'Vienna', '', 'z'],
  ['belgiumcentral', 'Belgium Central', 'BE', 'Belgium', 'Brussels', '', 'z'],
  ['brazilsouth', 'Brazil South', 'BR', 'Brazil', 'Sao Paulo State', 'southcentralus', 'z'],
  ['brazilsoutheast', 'Brazil Southeast', 'BR', 'Brazil', 'Rio de Janeiro', 'brazilsouth', 'r'],
  ['canadacentral', 'Canada Central', 'CA', 'Canada', 'Toronto', 'canadaeast', 'z'],
  ['canadaeast', 'Canada East', 'CA', 'Canada', 'Quebec City', 'canadacentral', ''],
  ['centralindia', 'Central India', 'IN', 'India', 'Pune', 'southindia', 'z'],
  ['centralus', 'Central US', 'US', 'United States', 'Iowa', 'eastus2', 'z'],
  ['chilecentral', 'Chile Central', 'CL', 'Chile', 'Santiago', '', 'z'],
  ['denmarkeast', 'Denmark East', 'DK', 'Denmark', 'Copenhagen', '', 'z'],
  ['eastasia', 'East Asia', 'HK', 'Asia Pacific', 'Hong Kong', 'southeastasia', 'z'],
  ['eastus', 'East US', 'US', 'United States', 'Virginia', 'westus', 'z'],
  ['eastus2', 'East US 2', 'US', 'United States', 'Virginia', 'centralus', 'z'],
  ['francecentral', 'France Central', 'FR', 'France', 'Paris', 'francesouth', 'z'],
  ['francesouth', 'France South', 'FR', 'France', 'Marseille', 'francecentral', 'r'],
  ['germanynorth', 'Germany North', 'DE', 'Germany', 'Berlin', 'germanywestcentral', 'r'],
  ['germanywestcentral', 'Germany West Central', 'DE', 'Germany', 'Frankfurt', 'germanynorth', 'z'],
  ['indiasouthcentral', 'India South Central', 'IN', 'India', 'Hyderabad', 'centralindia', 'z'],
  ['indonesiacentral', 'Indonesia Central', 'ID', 'Indonesia', 'Jakarta', '', 'z'],
  ['israelcentral', 'Israel Central', 'IL', 'Israel', 'Israel', '', 'z'],
  ['italynorth', 'Italy North', 'IT', 'Italy', 'Milan', '', 'z'],
  ['japaneast', 'Japan East', 'JP', 'Japan', 'Tokyo, Saitama', 'japanwest', 'z'],
  ['japanwest', 'Japan West', 'JP', 'Japan', 'Osaka', 'japaneast', 'z'],
  ['jioindiacentral', 'Jio India Central', 'IN', 'India', 'Nagpur', 'jioindiawest', 'r'],
  ['jioindiawest', 'Jio India West', 'IN', 'India', 'Jamnagar', 'jioindiacentral', 'r'],
  ['koreacentral', 'Korea Central', 'KR', 'Korea', 'Seoul', 'koreasouth', 'z'],
  ['koreasouth', 'Korea South', 'KR', 'Korea', 'Busan', 'koreacentral', ''],
  ['malaysiawest', 'Malaysia West', 'MY', 'Malaysia', 'Kuala Lumpur', '', 'z'],
  ['mexicocentral', 'Mexico Central', 'MX', 'Mexico', 'Queretaro State', '', 'z'],
  ['newzealandnorth', 'New Zealand North', 'NZ', 'New Zealand', 'Auckland', '', 'z'],
  ['northcentralus', 'North Central US', 'US', 'United States', 'Illinois', 'southcentralus', ''],
  ['northeurope', 'North Europe', 'IE', 'Europe', 'Ireland', 'westeurope', 'z'],
  ['norwayeast', 'Norway East', 'NO', 'Norway', 'Oslo', 'norwaywest', 'z'],
  ['norwaywest', 'Norway West', 'NO', 'Norway', 'Stavanger', 'norwayeast', 'r'],
  ['polandcentral', 'Poland Central', 'PL', 'Poland', 'Warsaw', '', 'z'],
  ['qatarcentral', 'Qatar Central', 'QA', 'Qatar', 'Doha', '', 'z'],
  ['southafricanorth', 'South Africa North', 'ZA', 'South Africa', 'Johannesburg', 'southafricawest', 'z'],
  ['southafricawest', 'South Africa West', 'ZA', 'South Africa', 'Cape Town', 'southafricanorth', 'r'],
  ['southcentralus', 'South Central US', 'US', 'United States', 'Texas', 'northcentralus', 'z'],
  ['southeastasia', 'Southeast Asia', 'SG', 'Asia Pacific', 'Singapore', 'eastasia', 'z'],
  ['southindia', 'South India', 'IN', 'India', 'Chennai', 'centralindia', ''],
  ['spaincentral', 'Spain Central', 'ES', 'Spain', 'Madrid', '', 'z'],
  ['swedencentral', 'Sweden Central', 'SE', 'Sweden', 'Gavle', 'swedensouth', 'z'],
  ['swedensouth', 'Sweden South', 'SE', 'Sweden', 'Malmo', 'swedencentral', 'r'],
  ['switzerlandnorth', 'Switzerland North', 'CH', 'Switzerland', 'Zurich', 'switzerlandwest', 'z'],
  ['switzerlandwest', 'Switzerland West', 'CH', 'Switzerland', 'Geneva', 'switzerlandnorth', 'r'],
  ['uaecentral', 'UAE Central', 'AE', 'UAE', 'Abu Dhabi', 'uaenorth', 'r'],
  ['uaenorth', 'UAE North', 'AE', 'UAE', 'Dubai', 'uaecentral', 'z'],
  ['uksouth', 'UK South', 'GB', 'United Kingdom', 'London', 'ukwest', 'z'],
  ['ukwest', 'UK West', 'GB', 'United Kingdom', 'Cardiff', 'uksouth', ''],
  ['westcentralus', 'West Central US', 'US', 'United States', 'Wyoming', 'westus2', ''],
  ['westeurope', 'West Europe', 'NL', 'Europe', 'Netherlands', 'northeurope', 'z'],
  ['westindia', 'West India', 'IN', 'India', 'Mumbai', 'southindia', ''],
  ['westus', 'West US', 'US', 'United States', 'California', 'eastus', ''],
  ['westus2', 'West US 2', 'US', 'United States', 'Washington', 'westcentralus', 'z'],
  ['westus3', 'West US 3', 'US', 'United States', 'Arizona', 'eastus', 'z'],
];

// Azure Government: a separate cloud for US government, with its own regions and pairs.
const US_GOVERNMENT: Row[] = [
  ['usgovvirginia', 'US Gov Virginia', 'US', 'US Government', 'Virginia', 'usgovtexas', 'z'],
  ['usgovtexas', 'US Gov Texas', 'US', 'US Government', 'Texas', 'usgovvirginia', ''],
  ['usgovarizona', 'US Gov Arizona', 'US', 'US Government', 'Arizona', 'usgovtexas', ''],
  ['usdodeast', 'US DoD East', 'US', 'US Department of Defense', 'Virginia', 'usdodcentral', ''],
  ['usdodcentral', 'US DoD Central', 'US', 'US Department of Defense', 'Iowa', 'usdodeast', ''],
];

// Azure in China, operated by 21Vianet: a separate cloud.
const CHINA: Row[] = [
  ['chinanorth', 'China North', 'CN', 'China', 'Beijing', 'chinaeast', ''],
  ['chinaeast', 'China East', 'CN', 'China', 'Shanghai', 'chinanorth', ''],
  ['chinanorth2', 'China North 2', 'CN', 'China', 'Beijing', 'chinaeast2', ''],
  ['chinaeast2', 'China East 2', 'CN', 'China', 'Shanghai', 'chinanorth2', ''],
  ['chinanorth3', 'China North 3', 'CN', 'China', 'Hebei', 'chinaeast3', 'z'],
  ['chinaeast3', 'China East 3', 'CN', 'China', 'Shanghai', 'chinanorth3', ''],
];

function facts(rows: Row[], cloud: AzureCloudName): RegionFact[] {
  return rows.map(([name, displayName, country, geography, physicalLocation, pair, flags]) => ({
    name,
    displayName,
    cloud,
    country,
    geography,
    physicalLocation,
    ...(pair ? { pair } : {}),
    restricted: flags.includes('r'),
    availabilityZones: flags.includes('z'),
  }));
}

export const REGIONS: readonly RegionFact[] = [
  ...facts(PUBLIC, 'AzureCloud'),
  ...facts(US_GOVERNMENT, 'AzureUSGovernment'),
  ...facts(CHINA, 'AzureChinaCloud'),
];

const BY_NAME = new Map(REGIONS.map((r) => [r.name, r]));

/**
 * ARM accepts a location as its programmatic name or its display name, in any case
 * (`Australia East`, `australiaeast`): both normalise to the programmatic name.
 */
export function normaliseRegion(location: string): string {
  return location.replace(/[\s_-]+/g, '').toLowerCase();
}

/** The facts of a region by programmatic or display name; undefined when assay does not know it. */
export function regionFact(location: string): RegionFact | undefined {
  return BY_NAME.get(normaliseRegion(location));
}

/** `Australia East (australiaeast)`, or the name as given when the region is not known. */
export function describeRegion(location: string): string {
  const fact = regionFact(location);
  return fact ? `${fact.displayName} (${fact.name})` : location;
}

/** Location values that mean "no region": the resource is a global service. */
export function isGlobalLocation(location: string): boolean {
  return normaliseRegion(location) === 'global';
}

/**
 * Azure AD B2C directories take a data-residency geography rather than a region. Each maps
 * to the countries its data may be stored in (Europe and Asia Pacific span several).
 */
export const B2C_GEOGRAPHIES: Readonly<Record<string, readonly string[] | undefined>> = {
  australia: ['AU'],
  unitedstates: ['US'],
  japan: ['JP'],
  // Europe and Asia Pacific: the exact country is Microsoft's choice within the area.
  europe: undefined,
  asiapacific: undefined,
};
