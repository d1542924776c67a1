/**
 * The threat rule table: which threats apply to which elements, their STRIDE categories,
 * the checks whose findings make them more likely (failing) or less likely (passing), and
 * the consequence they carry. How a rule is rated is documented in docs/tra.md.
 */
import type { NodeKind } from '../architecture/model.ts';
import type { Level } from './matrix.ts';

export type Stride =
  | 'Spoofing'
  | 'Tampering'
  | 'Repudiation'
  | 'Information disclosure'
  | 'Denial of service'
  | 'Elevation of privilege';

export const STRIDE: readonly Stride[] = [
  'Spoofing',
  'Tampering',
  'Repudiation',
  'Information disclosure',
  'Denial of service',
  'Elevation of privilege',
];

/**
 * What drives the likelihood: the element's exposure on management ports, on any port or
 * endpoint, or (for residency) the residency findings that trigger the threat.
 */
export type Driver = 'management' | 'service' | 'residency' | 'global';

export interface ThreatRule {
  id: string;
  title: string;
  stride: Stride[];
  /** The threat in one sentence; `{element}` is replaced by the element's name. */
  statement: string;
  /** Node kinds it applies to; residency and global rules apply to any resource their triggers fire on. */
  kinds: NodeKind[];
  driver: Driver;
  /** Likelihood when a trigger fires (residency and global rules). */
  baseLikelihood?: Level;
  consequence: Level;
  /** A different consequence for some kinds (a Key Vault holds the keys to everything else). */
  consequenceByKind?: Partial<Record<NodeKind, Level>>;
  /** The consequence is at least the data classification's floor (confidentiality or integrity threats). */
  classified: boolean;
  /** Relevant checks: a failing one adds 1 to the inherent likelihood, a passing one takes 1 from the residual. */
  checks: string[];
  /** Checks that, passing, take 1 from the residual consequence (once). */
  consequenceChecks: string[];
  /** Residency and global rules: the checks whose failing (or unknown) findings raise the threat. */
  triggers?: string[];
  /**
   * Resource types a trigger rule is not about: network plumbing stores no data, so a NIC or an
   * NSG outside the boundary is a residency finding (AZ-RES-001 still reports it), not a threat
   * of data stored abroad.
   */
  notAbout?: readonly string[];
  controls: string[];
  treatment: string;
}

const DATA: NodeKind[] = [
  'storage',
  'sql-server',
  'cosmos-db',
  'postgresql',
  'mysql',
  'redis',
  'key-vault',
  'container-registry',
  'event-hubs',
  'service-bus',
  'log-analytics',
];

/** Types that hold no customer data: addresses, filters and routes, and the identities of workloads. */
const NO_DATA_TYPES: readonly string[] = [
  'Microsoft.Network/networkInterfaces',
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.Network/networkSecurityGroups/securityRules',
  'Microsoft.Network/virtualNetworks',
  'Microsoft.Network/virtualNetworks/subnets',
  'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
  'Microsoft.Network/publicIPAddresses',
  'Microsoft.Network/publicIPPrefixes',
  'Microsoft.Network/routeTables',
  'Microsoft.Network/routeTables/routes',
  'Microsoft.Network/natGateways',
  'Microsoft.Network/applicationSecurityGroups',
  'Microsoft.Network/ddosProtectionPlans',
  'Microsoft.ManagedIdentity/userAssignedIdentities',
  'Microsoft.Authorization/roleAssignments',
];

export const THREAT_RULES: readonly ThreatRule[] = [
  {
    id: 'AZ-TRA-001',
    title: 'Control of a virtual machine is taken through a remote management port',
    stride: ['Elevation of privilege', 'Tampering'],
    statement:
      'An attacker who reaches RDP, SSH or WinRM on {element} brute-forces or exploits it and takes administrative control of the machine.',
    kinds: ['virtual-machine', 'scale-set'],
    driver: 'management',
    consequence: 4,
    classified: true,
    checks: ['AZ-NET-001', 'AZ-VM-001'],
    consequenceChecks: [],
    controls: ['ism-1385', 'ism-1387'],
    treatment:
      'Remove internet access to management ports: allow RDP/SSH only from AzureBastionSubnet or administrative ranges, and use Azure Bastion or just-in-time access.',
  },
  {
    id: 'AZ-TRA-002',
    title: 'A service exposed by compute is exploited',
    stride: ['Tampering', 'Elevation of privilege'],
    statement:
      'An attacker sends crafted requests to a service {element} exposes and exploits a vulnerability or misconfiguration to run code or change data.',
    kinds: ['virtual-machine', 'scale-set', 'app-service', 'container-app', 'api-management'],
    driver: 'service',
    consequence: 3,
    classified: true,
    checks: [
      'AZ-NET-003',
      'AZ-VM-002',
      'AZ-VM-004',
      'AZ-VM-006',
      'AZ-APP-004',
      'AZ-APP-007',
      'AZ-APP-008',
      'AZ-AGW-001',
      'AZ-AGW-002',
      'AZ-AGW-004',
      'AZ-APIM-003',
    ],
    consequenceChecks: [],
    controls: ['ism-1182', 'ism-1526'],
    treatment:
      'Publish only what must be public, behind a web application firewall in prevention mode; keep runtimes and operating systems patched; restrict inbound access to known sources.',
  },
  {
    id: 'AZ-TRA-003',
    title: 'Data is read through the public endpoint of a data store',
    stride: ['Information disclosure'],
    statement:
      'An attacker with a leaked key, token or connection string, or an anonymous request, reads data from {element} through its public endpoint.',
    kinds: DATA,
    driver: 'service',
    consequence: 3,
    consequenceByKind: { 'key-vault': 4 },
    classified: true,
    checks: [
      'AZ-STORAGE-003',
      'AZ-STORAGE-004',
      'AZ-STORAGE-005',
      'AZ-STORAGE-010',
      'AZ-SQL-001',
      'AZ-SQL-003',
      'AZ-SQL-004',
      'AZ-SQL-005',
      'AZ-COSMOS-001',
      'AZ-COSMOS-002',
      'AZ-PG-001',
      'AZ-PG-005',
      'AZ-PG-007',
      'AZ-MYSQL-001',
      'AZ-MYSQL-006',
      'AZ-REDIS-003',
      'AZ-KV-003',
      'AZ-KV-004',
      'AZ-ACR-001',
      'AZ-ACR-002',
      'AZ-ACR-003',
      'AZ-EH-001',
      'AZ-EH-003',
      'AZ-SB-001',
      'AZ-SB-003',
      'AZ-LOG-002',
      'AZ-LOG-003',
    ],
    consequenceChecks: [],
    controls: ['ism-1182', 'ism-1271'],
    treatment:
      'Disable public network access (private endpoints), or deny by default and list the networks that need access; disable shared keys and local authentication in favour of Microsoft Entra ID.',
  },
  {
    id: 'AZ-TRA-004',
    title: 'Data is altered or destroyed without recovery or trace',
    stride: ['Tampering', 'Repudiation'],
    statement:
      'An attacker or a mistaken administrator deletes or encrypts data in {element}, and it cannot be recovered or the change attributed.',
    kinds: ['storage', 'sql-server', 'cosmos-db', 'postgresql', 'mysql', 'key-vault'],
    driver: 'service',
    consequence: 3,
    consequenceByKind: { 'key-vault': 4 },
    classified: true,
    checks: [
      'AZ-STORAGE-007',
      'AZ-STORAGE-008',
      'AZ-KV-001',
      'AZ-KV-002',
      'AZ-LOG-005',
      'AZ-SQL-006',
      'AZ-COSMOS-003',
      'AZ-COSMOS-005',
      'AZ-PG-002',
      'AZ-MYSQL-002',
    ],
    consequenceChecks: ['AZ-STORAGE-007', 'AZ-KV-002', 'AZ-COSMOS-005'],
    controls: ['ism-1511', 'ism-1811'],
    treatment:
      'Enable soft delete, purge protection and point-in-time restore; keep audit logs of data-plane changes in a central workspace.',
  },
  {
    id: 'AZ-TRA-005',
    title: 'Traffic is intercepted or downgraded in transit',
    stride: ['Information disclosure', 'Tampering'],
    statement:
      'An attacker on the network path reads or alters traffic to {element} over plain HTTP, FTP or a deprecated TLS version.',
    kinds: [
      'storage',
      'sql-server',
      'cosmos-db',
      'postgresql',
      'mysql',
      'redis',
      'event-hubs',
      'service-bus',
      'app-service',
      'api-management',
    ],
    driver: 'service',
    consequence: 3,
    classified: true,
    checks: [
      'AZ-STORAGE-001',
      'AZ-STORAGE-002',
      'AZ-SQL-002',
      'AZ-APP-001',
      'AZ-APP-002',
      'AZ-APP-003',
      'AZ-REDIS-001',
      'AZ-REDIS-002',
      'AZ-COSMOS-004',
      'AZ-EH-002',
      'AZ-SB-002',
      'AZ-PG-006',
      'AZ-MYSQL-005',
      'AZ-APIM-001',
      'AZ-AGW-003',
      'AZ-FD-005',
    ],
    consequenceChecks: [],
    controls: ['ism-0469', 'ism-1139'],
    treatment:
      'Require HTTPS only and TLS 1.2 or later on every endpoint; disable plain FTP and non-TLS ports.',
  },
  {
    id: 'AZ-TRA-006',
    title: 'An internet entry point is overwhelmed',
    stride: ['Denial of service'],
    statement:
      'An attacker floods {element} with traffic until the services behind it are unavailable to their users.',
    kinds: ['public-ip', 'application-gateway', 'front-door', 'load-balancer', 'firewall'],
    driver: 'service',
    consequence: 2,
    classified: false,
    checks: ['AZ-NET-006', 'AZ-NET-007', 'AZ-AGW-001', 'AZ-FD-001', 'AZ-FD-003'],
    consequenceChecks: [],
    controls: ['ism-1431', 'ism-1436'],
    treatment:
      'Protect public addresses with DDoS Network or IP Protection, put web front ends behind a WAF with rate limiting, and plan the response with the cloud provider.',
  },
  {
    id: 'AZ-TRA-007',
    title: 'The Kubernetes API server is reached and abused',
    stride: ['Spoofing', 'Elevation of privilege'],
    statement:
      'An attacker who reaches the API server of {element} uses stolen or local credentials to deploy workloads or read secrets.',
    kinds: ['kubernetes'],
    driver: 'service',
    consequence: 4,
    classified: true,
    checks: ['AZ-AKS-001', 'AZ-AKS-002', 'AZ-AKS-003', 'AZ-AKS-004', 'AZ-AKS-005'],
    consequenceChecks: [],
    controls: ['ism-1385', 'ism-1546'],
    treatment:
      'Make the API server private or limit it to authorised IP ranges; use Microsoft Entra ID with Kubernetes RBAC and disable local accounts.',
  },
  {
    id: 'AZ-TRA-008',
    title: 'Data is stored or replicated outside the sovereign boundary',
    stride: ['Information disclosure'],
    statement:
      'Data of {element} is stored, replicated or logged in a region outside the boundary, where foreign law or operators can compel or gain access to it.',
    kinds: [],
    driver: 'residency',
    // The data is there for certain; access under another jurisdiction is likely, not rare.
    baseLikelihood: 4,
    consequence: 3,
    classified: true,
    checks: [],
    consequenceChecks: ['AZ-STORAGE-006'],
    triggers: ['AZ-RES-001', 'AZ-RES-002', 'AZ-RES-003', 'AZ-RES-004', 'AZ-RES-005', 'AZ-RES-006'],
    notAbout: NO_DATA_TYPES,
    controls: ['ism-1572'],
    treatment:
      'Move the resource, its replicas, backups and log destinations to regions inside the boundary (see the AZ-RES findings), or record the exception and its approval.',
  },
  {
    id: 'AZ-TRA-009',
    title: 'A global service processes data outside any boundary',
    stride: ['Information disclosure'],
    statement:
      '{element} is a global service: requests, TLS sessions or directory data pass through Microsoft locations worldwide.',
    kinds: [],
    driver: 'global',
    baseLikelihood: 2,
    consequence: 2,
    classified: false,
    checks: [],
    consequenceChecks: [],
    triggers: ['AZ-RES-007'],
    controls: ['ism-1637', 'ism-1638'],
    treatment:
      'Record the service in the outsourced cloud service register with the data it handles; accept it, or replace it with a regional service.',
  },
  {
    id: 'AZ-TRA-010',
    title: 'Credentials kept in configuration are stolen and replayed',
    stride: ['Spoofing', 'Information disclosure'],
    statement:
      'Keys or passwords that {element} keeps in configuration because it has no managed identity are read and replayed against the services it uses.',
    kinds: ['app-service', 'virtual-machine', 'kubernetes', 'api-management'],
    driver: 'service',
    consequence: 3,
    classified: true,
    checks: ['AZ-ID-001', 'AZ-APP-005', 'AZ-APIM-004'],
    consequenceChecks: [],
    controls: ['ism-1685'],
    treatment: 'Give the workload a managed identity and grant it Microsoft Entra roles instead of keys.',
  },
];

/** Data classifications and the consequence each sets as a floor (docs/tra.md). */
export const CLASSIFICATION_FLOOR: Readonly<Record<string, Level>> = {
  UNOFFICIAL: 1,
  OFFICIAL: 2,
  OFFICIALSENSITIVE: 3,
  PROTECTED: 4,
  SECRET: 5,
  TOPSECRET: 5,
};

/** `OFFICIAL: Sensitive` -> `OFFICIALSENSITIVE`; undefined when not a known classification. */
export function normaliseClassification(text: string): string | undefined {
  const key = text.toUpperCase().replace(/[^A-Z]/g, '');
  return key in CLASSIFICATION_FLOOR ? key : undefined;
}
