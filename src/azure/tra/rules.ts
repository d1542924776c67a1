/**
 * The threat rule table: which threats apply to which elements, their STRIDE categories,
 * the checks whose findings make them more likely (failing) or less likely (passing), and
 * the consequence they carry. How a rule is rated is documented in docs/tra.md.
 */
import type { FlowChannel, FlowKind, NodeKind } from '../architecture/model.ts';
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
export type Driver = 'management' | 'service' | 'residency' | 'global' | 'flow';

/** What a rule is about: the class of element it can apply to (a data-store threat never lands on a NIC). */
export type About = 'compute' | 'data' | 'entry' | 'network' | 'flow' | 'any-data';

/**
 * A condition a flow must meet for a flow rule to apply, read from the flow's evidence:
 * a secret in the connection string, a privileged role, a private endpoint with no private DNS
 * zone group, a service endpoint with no policy, VNet integration not routing all traffic,
 * ends on both sides of the sovereign boundary, a data store at the far end.
 */
export type FlowCondition =
  | 'secret'
  | 'privileged'
  | 'no-private-dns'
  | 'no-endpoint-policy'
  | 'no-route-all'
  | 'sovereign'
  | 'to-data';

export interface FlowMatch {
  kinds: FlowKind[];
  channels?: FlowChannel[];
  when?: FlowCondition;
}

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
  /** Flow rules: the flows (crossing a trust boundary) they apply to. */
  flows?: FlowMatch;
  /** The class of element the rule is about. */
  about: About;
  /** What in the template raises the threat, in a few words (docs/tra.md's rule table). */
  evidence: string;
  /** Where the threat comes from: Microsoft cloud security benchmark controls, Threat Modeling Tool guidance. */
  sources: string[];
  controls: string[];
  treatment: string;
}

const MCSB_PAGES: Record<string, string> = {
  NS: 'network-security',
  IM: 'identity-management',
  PA: 'privileged-access',
  DP: 'data-protection',
  AM: 'asset-management',
  LT: 'logging-threat-detection',
  PV: 'posture-vulnerability-management',
  ES: 'endpoint-security',
  BR: 'backup-recovery',
  DS: 'devops-security',
};

/** `MCSB NS-2 (https://learn.microsoft.com/...)`: a Microsoft cloud security benchmark control. */
export function mcsb(id: string): string {
  const page = MCSB_PAGES[id.split('-')[0] ?? ''] ?? 'overview';
  return `Microsoft cloud security benchmark ${id} (https://learn.microsoft.com/en-us/security/benchmark/azure/mcsb-${page})`;
}

/** A security frame of the Microsoft Threat Modeling Tool's mitigations. */
export function tmt(frame: string): string {
  const slug = frame.toLowerCase().replace(/ /g, '-');
  return `Microsoft Threat Modeling Tool, ${frame} (https://learn.microsoft.com/en-us/azure/security/develop/threat-modeling-tool-${slug})`;
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

type RuleInput = Omit<ThreatRule, 'driver' | 'classified' | 'consequenceChecks' | 'kinds' | 'about'> & {
  classified?: boolean;
  consequenceChecks?: string[];
};

/** A rule on flows that cross a trust boundary. */
function flowRule(r: RuleInput): ThreatRule {
  return { classified: true, consequenceChecks: [], ...r, kinds: [], driver: 'flow', about: 'flow' };
}

/** A rule on elements of the given kinds, about one concern. */
function elementRule(r: RuleInput & { kinds: NodeKind[]; about: About }): ThreatRule {
  return { classified: true, consequenceChecks: [], ...r, driver: 'service' };
}

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
    about: 'compute',
    evidence: 'an internet path to RDP, SSH or WinRM; NSG rules that allow it',
    sources: [mcsb('NS-1'), mcsb('PA-2'), tmt('Authentication')],
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
    about: 'compute',
    evidence: 'an open or undecided internet path to the workload',
    sources: [mcsb('NS-6'), mcsb('PV-6'), tmt('Input Validation')],
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
    about: 'data',
    evidence: 'a public endpoint open to every network, shared keys, anonymous access',
    sources: [mcsb('NS-2'), mcsb('IM-1'), tmt('Authorization')],
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
    about: 'data',
    evidence: 'soft delete, purge protection, backups and audit logs off or absent',
    sources: [mcsb('BR-1'), mcsb('LT-3'), tmt('Auditing and Logging')],
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
    about: 'data',
    evidence: 'HTTPS not required, TLS below 1.2, plain FTP or non-TLS ports',
    sources: [mcsb('DP-3'), tmt('Communication Security')],
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
    about: 'entry',
    evidence: 'a public entry point without DDoS protection or WAF',
    sources: [mcsb('NS-5'), mcsb('NS-6')],
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
    about: 'compute',
    evidence: 'a public API server, local accounts, no Entra ID or RBAC',
    sources: [mcsb('NS-2'), mcsb('IM-1'), mcsb('PA-7')],
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
    about: 'any-data',
    evidence: 'a failing or unknown AZ-RES-001..006 finding on a resource that holds data',
    sources: [mcsb('DP-1'), mcsb('AM-2')],
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
    about: 'any-data',
    evidence: 'an AZ-RES-007 finding (a global service)',
    sources: [mcsb('AM-2')],
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
    about: 'compute',
    evidence: 'no managed identity on the workload',
    sources: [mcsb('IM-3'), mcsb('IM-8'), tmt('Sensitive Data')],
    controls: ['ism-1685'],
    treatment: 'Give the workload a managed identity and grant it Microsoft Entra roles instead of keys.',
  },
  // --- Flows that cross a trust boundary (flows.ts, boundaries.ts) --------------------------
  flowRule({
    id: 'AZ-TRA-011',
    title: 'A caller is impersonated with a secret carried in a connection string',
    stride: ['Spoofing', 'Information disclosure'],
    statement:
      'A password or key in the connection string of {element} is read from configuration, logs or a backup and replayed to reach the data store as the application.',
    flows: { kinds: ['connection-string', 'app-setting'], when: 'secret' },
    consequence: 3,
    checks: [
      'AZ-ID-001',
      'AZ-APP-005',
      'AZ-SQL-001',
      'AZ-STORAGE-004',
      'AZ-COSMOS-002',
      'AZ-SB-001',
      'AZ-EH-001',
      'AZ-PG-005',
    ],
    evidence:
      'Password=, AccountKey= or SharedAccessKey= in an app setting or connection string, or a listKeys() value',
    sources: [mcsb('IM-8'), mcsb('IM-3'), tmt('Sensitive Data')],
    controls: ['ism-1685', 'ism-1919'],
    treatment:
      "Connect with the workload's managed identity and Microsoft Entra authentication; if a secret cannot be avoided, keep it in Key Vault and reference it.",
  }),
  flowRule({
    id: 'AZ-TRA-012',
    title: 'Data in a flow is read at a public endpoint',
    stride: ['Information disclosure'],
    statement:
      'The flow {element} reaches its destination through a public endpoint, where anyone holding a credential can read the same data from anywhere.',
    flows: {
      kinds: ['connection-string', 'app-setting', 'key-vault-reference', 'role-assignment'],
      channels: ['public-endpoint'],
    },
    consequence: 3,
    checks: [
      'AZ-SQL-003',
      'AZ-SQL-004',
      'AZ-SQL-005',
      'AZ-STORAGE-005',
      'AZ-KV-004',
      'AZ-COSMOS-001',
      'AZ-SB-003',
      'AZ-EH-003',
      'AZ-REDIS-003',
      'AZ-PG-001',
      'AZ-MYSQL-001',
    ],
    evidence:
      'an app setting, connection string or role names a data store that no private or service endpoint of the caller reaches',
    sources: [mcsb('NS-2'), tmt('Communication Security')],
    controls: ['ism-1182', 'ism-1271'],
    treatment:
      "Reach the data store through a private endpoint in the caller's virtual network and disable its public network access.",
  }),
  flowRule({
    id: 'AZ-TRA-013',
    title: 'Data crossing a trust boundary is altered or read in transit',
    stride: ['Tampering', 'Information disclosure'],
    statement: 'An attacker on the path of the flow {element} downgrades or intercepts its connection.',
    flows: { kinds: ['connection-string', 'app-setting', 'key-vault-reference'] },
    consequence: 3,
    checks: [
      'AZ-STORAGE-001',
      'AZ-STORAGE-002',
      'AZ-SQL-002',
      'AZ-REDIS-001',
      'AZ-REDIS-002',
      'AZ-COSMOS-004',
      'AZ-SB-002',
      'AZ-EH-002',
      'AZ-PG-006',
      'AZ-MYSQL-005',
    ],
    evidence: 'a flow across a boundary to a store that accepts TLS below 1.2 or unencrypted connections',
    sources: [mcsb('DP-3'), tmt('Communication Security')],
    controls: ['ism-0469', 'ism-1139'],
    treatment:
      'Require TLS 1.2 or later and encrypted connections on the destination; use Encrypt=True in connection strings.',
  }),
  flowRule({
    id: 'AZ-TRA-014',
    title: 'A workload holds a privileged role over another resource',
    stride: ['Elevation of privilege'],
    statement:
      'Whoever compromises the workload in the flow {element} inherits a role that controls the scope (Owner, Contributor, User Access Administrator or a data owner role).',
    flows: { kinds: ['role-assignment'], when: 'privileged' },
    consequence: 4,
    checks: ['AZ-ID-002'],
    evidence: "a role assignment of a privileged built-in role to the workload's identity",
    sources: [mcsb('PA-7'), mcsb('PA-1'), tmt('Authorization')],
    controls: ['ism-1508', 'ism-1649'],
    treatment:
      'Grant the least data-plane role the workload needs (e.g. Storage Blob Data Reader) at the narrowest scope.',
  }),
  flowRule({
    id: 'AZ-TRA-015',
    title: 'A compromised workload uses its role on the data it is granted',
    stride: ['Information disclosure', 'Tampering'],
    statement:
      "An attacker who runs code in the source of {element} calls the destination with the workload's identity and role.",
    flows: { kinds: ['role-assignment'] },
    consequence: 3,
    checks: ['AZ-APP-004', 'AZ-APP-008', 'AZ-VM-002', 'AZ-AKS-005'],
    evidence:
      'a role assignment whose principal is a workload in the scan and whose scope is across a boundary',
    sources: [mcsb('IM-3'), mcsb('PA-7'), tmt('Authorization')],
    controls: ['ism-1508', 'ism-1685'],
    treatment:
      'Keep the workload patched and its debugging surfaces off; scope its role to the containers, queues or secrets it uses.',
  }),
  flowRule({
    id: 'AZ-TRA-016',
    title: 'A private endpoint name resolves to the public endpoint',
    stride: ['Spoofing', 'Information disclosure'],
    statement:
      "With no private DNS zone group on the private endpoint of {element}, clients may resolve the service's public address and leave the virtual network, or be pointed at an address an attacker controls.",
    flows: { kinds: ['private-endpoint'], when: 'no-private-dns' },
    consequence: 3,
    checks: ['AZ-STORAGE-005', 'AZ-KV-004', 'AZ-SQL-003', 'AZ-COSMOS-001'],
    evidence: 'a private endpoint with no privateDnsZoneGroups child',
    sources: [mcsb('NS-10'), mcsb('NS-2')],
    controls: ['ism-1182'],
    treatment:
      'Link the private endpoint to the privatelink DNS zone of the service with a private DNS zone group, and disable the public endpoint.',
  }),
  flowRule({
    id: 'AZ-TRA-017',
    title: "Data is exfiltrated through a service endpoint to another tenant's account",
    stride: ['Information disclosure'],
    statement:
      'The service endpoint in the flow {element} lets the subnet reach any account of the service, including one an attacker owns, since no service endpoint policy limits it.',
    flows: { kinds: ['service-endpoint'], when: 'no-endpoint-policy' },
    consequence: 3,
    checks: [],
    evidence: 'a subnet with a service endpoint and no serviceEndpointPolicies',
    sources: [mcsb('NS-2'), mcsb('DP-2')],
    controls: ['ism-1182'],
    treatment:
      'Attach a service endpoint policy that lists the storage accounts the subnet may use, or use private endpoints.',
  }),
  flowRule({
    id: 'AZ-TRA-018',
    title: "Outbound traffic of an integrated app bypasses the virtual network's controls",
    stride: ['Information disclosure', 'Tampering'],
    statement:
      'Only private traffic of {element} goes through the virtual network; calls to public addresses leave directly, outside its NSGs, routes and firewall.',
    flows: { kinds: ['vnet-integration'], when: 'no-route-all' },
    consequence: 2,
    checks: ['AZ-NET-004'],
    evidence: 'virtualNetworkSubnetId set without vnetRouteAllEnabled (or outboundVnetRouting.allTraffic)',
    sources: [mcsb('NS-1'), mcsb('NS-3')],
    controls: ['ism-1182'],
    treatment:
      'Route all outbound traffic through the virtual network (vnetRouteAllEnabled) and filter it with NSGs and a firewall.',
  }),
  flowRule({
    id: 'AZ-TRA-019',
    title: 'Access across a trust boundary cannot be traced',
    stride: ['Repudiation'],
    statement:
      'Requests in the flow {element} reach the data store without audit logs that tie them to an identity.',
    flows: {
      kinds: ['connection-string', 'app-setting', 'key-vault-reference', 'role-assignment'],
      when: 'to-data',
    },
    consequence: 2,
    checks: ['AZ-SQL-006', 'AZ-LOG-005', 'AZ-APP-010'],
    evidence: 'a flow to a data store with no auditing or diagnostic setting',
    sources: [mcsb('LT-3'), tmt('Auditing and Logging')],
    controls: ['ism-1405', 'ism-1537'],
    treatment:
      'Turn on auditing or diagnostic settings on the data store and send them to a central workspace.',
  }),
  flowRule({
    id: 'AZ-TRA-020',
    title: 'Secrets referenced from Key Vault are read by more principals than need them',
    stride: ['Information disclosure', 'Elevation of privilege'],
    statement:
      'The vault that {element} reads a secret from grants access through vault-wide access policies, so any principal with a policy reads every secret.',
    flows: { kinds: ['key-vault-reference'] },
    consequence: 4,
    checks: ['AZ-KV-003', 'AZ-KV-004', 'AZ-KV-006'],
    evidence: 'an @Microsoft.KeyVault(...) app setting naming a vault in the scan',
    sources: [mcsb('IM-8'), mcsb('DP-8')],
    controls: ['ism-1508', 'ism-0507'],
    treatment: 'Use Azure RBAC on the vault and grant Key Vault Secrets User on the secrets the app reads.',
  }),
  flowRule({
    id: 'AZ-TRA-021',
    title: 'Logs leave for a destination others can read',
    stride: ['Information disclosure'],
    statement:
      'The resource logs in the flow {element} carry identifiers and data to a destination that admits broader access.',
    flows: { kinds: ['diagnostics'] },
    consequence: 2,
    checks: ['AZ-LOG-002', 'AZ-LOG-003', 'AZ-STORAGE-005'],
    evidence: 'a diagnostic setting whose destination crosses a trust boundary',
    sources: [mcsb('LT-5'), mcsb('DP-2')],
    controls: ['ism-1405'],
    treatment: 'Keep log destinations inside the boundary, private and with local authentication disabled.',
  }),
  flowRule({
    id: 'AZ-TRA-022',
    title: 'A data flow carries data across the sovereign boundary',
    stride: ['Information disclosure'],
    statement:
      'The flow {element} moves data between a resource inside the sovereign boundary and one outside it.',
    flows: {
      kinds: [
        'connection-string',
        'app-setting',
        'key-vault-reference',
        'private-endpoint',
        'service-endpoint',
        'role-assignment',
        'diagnostics',
      ],
      when: 'sovereign',
    },
    consequence: 3,
    checks: [],
    evidence: 'a flow whose ends lie on both sides of the sovereign boundary (AZ-RES findings)',
    sources: [mcsb('DP-1'), mcsb('AM-2')],
    controls: ['ism-1572'],
    treatment: 'Keep both ends of the flow inside the boundary, or record the transfer and its approval.',
  }),
  flowRule({
    id: 'AZ-TRA-023',
    title: 'A dependency reached over a public endpoint is made unavailable',
    stride: ['Denial of service'],
    statement:
      'An attacker exhausts connections or throttling limits at the public endpoint used by {element}, and the caller fails.',
    flows: { kinds: ['connection-string', 'app-setting'], channels: ['public-endpoint'] },
    consequence: 2,
    classified: false,
    checks: ['AZ-SQL-004', 'AZ-SQL-005', 'AZ-STORAGE-005', 'AZ-REDIS-003'],
    evidence: 'a flow to a data store over its public endpoint',
    sources: [mcsb('NS-5'), mcsb('NS-2')],
    controls: ['ism-1431'],
    treatment: 'Reach the dependency privately and limit who can connect to its endpoint.',
  }),
  // --- Elements: one concern each --------------------------------------------------------------
  elementRule({
    id: 'AZ-TRA-024',
    title: 'Key Vault access is granted vault-wide through access policies',
    stride: ['Elevation of privilege'],
    statement:
      'A principal with an access policy on {element} reads or changes every secret, key and certificate in it.',
    kinds: ['key-vault'],
    about: 'data',
    consequence: 4,
    checks: ['AZ-KV-003'],
    evidence: 'enableRbacAuthorization not true',
    sources: [mcsb('PA-7'), mcsb('DP-8')],
    controls: ['ism-1508', 'ism-1852'],
    treatment:
      'Switch the vault to Azure RBAC and grant roles per secret or per vault as narrowly as needed.',
  }),
  elementRule({
    id: 'AZ-TRA-025',
    title: 'Keys and secrets stay valid forever once leaked',
    stride: ['Spoofing'],
    statement: 'A key or secret of {element} with no expiry keeps working for whoever copied it.',
    kinds: ['key-vault'],
    about: 'data',
    consequence: 3,
    checks: ['AZ-KV-005', 'AZ-KV-006'],
    evidence: 'keys and secrets declared without an expiry (exp)',
    sources: [mcsb('DP-6'), mcsb('IM-8')],
    controls: ['ism-0507'],
    treatment: 'Set expiry dates and rotation policies on keys and secrets.',
  }),
  elementRule({
    id: 'AZ-TRA-026',
    title: 'SQL logins are guessed or replayed',
    stride: ['Spoofing'],
    statement:
      'An attacker guesses or replays a SQL authentication password of {element}, which no second factor protects.',
    kinds: ['sql-server'],
    about: 'data',
    consequence: 3,
    checks: ['AZ-SQL-001'],
    evidence: 'azureADOnlyAuthentication not enabled (SQL logins allowed)',
    sources: [mcsb('IM-1'), tmt('Authentication')],
    controls: ['ism-1505', 'ism-1919'],
    treatment: 'Allow only Microsoft Entra authentication on the server.',
  }),
  elementRule({
    id: 'AZ-TRA-027',
    title: 'Attacks on a database go undetected',
    stride: ['Repudiation', 'Tampering'],
    statement:
      'SQL injection, brute force or unusual access to {element} is neither detected nor alerted on.',
    kinds: ['sql-server'],
    about: 'data',
    consequence: 3,
    checks: ['AZ-SQL-008', 'AZ-SQL-006', 'AZ-SQL-009'],
    evidence: 'Defender for SQL or auditing not enabled; audit retention short',
    sources: [mcsb('LT-1'), mcsb('LT-3')],
    controls: ['ism-1228', 'ism-1537'],
    treatment: 'Enable Microsoft Defender for SQL and auditing with at least 12 months of retention.',
  }),
  elementRule({
    id: 'AZ-TRA-028',
    title: 'Database files or backups are read at rest',
    stride: ['Information disclosure'],
    statement:
      'Someone who obtains the database files or backups of {element} reads them because they are not encrypted.',
    kinds: ['sql-server'],
    about: 'data',
    consequence: 3,
    checks: ['AZ-SQL-007'],
    evidence: 'transparent data encryption disabled on a database',
    sources: [mcsb('DP-4'), tmt('Cryptography')],
    controls: ['ism-0459', 'ism-1080'],
    treatment: 'Keep transparent data encryption enabled on every database.',
  }),
  elementRule({
    id: 'AZ-TRA-029',
    title: 'Storage is reached with a shared key or SAS token',
    stride: ['Spoofing'],
    statement:
      'An account key or SAS token of {element}, once leaked, gives full access with no identity behind it.',
    kinds: ['storage'],
    about: 'data',
    consequence: 3,
    checks: ['AZ-STORAGE-004'],
    evidence: 'allowSharedKeyAccess not false',
    sources: [mcsb('IM-1'), tmt('Authentication')],
    controls: ['ism-1508', 'ism-1852'],
    treatment: 'Disable shared key authorisation and use Microsoft Entra ID with data-plane roles.',
  }),
  elementRule({
    id: 'AZ-TRA-030',
    title: "Encryption keys of stored data are not under the owner's control",
    stride: ['Information disclosure'],
    statement:
      'Data at rest in {element} is protected by platform keys alone, which the owner cannot revoke or audit.',
    kinds: ['storage'],
    about: 'data',
    consequence: 2,
    checks: ['AZ-STORAGE-006'],
    evidence: 'no infrastructure encryption or customer-managed key',
    sources: [mcsb('DP-5')],
    controls: ['ism-0507'],
    treatment: 'Use a customer-managed key in Key Vault, or infrastructure encryption, for sensitive data.',
  }),
  elementRule({
    id: 'AZ-TRA-031',
    title: 'A Cosmos DB account is used or reconfigured with its keys',
    stride: ['Spoofing', 'Tampering'],
    statement: 'A leaked primary key of {element} reads and writes data, and can change the account itself.',
    kinds: ['cosmos-db'],
    about: 'data',
    consequence: 3,
    checks: ['AZ-COSMOS-002', 'AZ-COSMOS-003'],
    evidence: 'disableLocalAuth or disableKeyBasedMetadataWriteAccess not true',
    sources: [mcsb('IM-1'), mcsb('PA-7')],
    controls: ['ism-1919', 'ism-1508'],
    treatment:
      'Disable local (key) authentication and key-based metadata writes; use Microsoft Entra ID roles.',
  }),
  elementRule({
    id: 'AZ-TRA-032',
    title: 'Open-source database passwords are guessed or replayed',
    stride: ['Spoofing'],
    statement: 'An attacker authenticates to {element} with a guessed or stolen password.',
    kinds: ['postgresql', 'mysql'],
    about: 'data',
    consequence: 3,
    checks: ['AZ-PG-004', 'AZ-PG-005', 'AZ-MYSQL-004'],
    evidence: 'no Microsoft Entra administrator; password authentication enabled',
    sources: [mcsb('IM-1'), tmt('Authentication')],
    controls: ['ism-1505', 'ism-1919'],
    treatment: 'Use Microsoft Entra authentication and disable password authentication.',
  }),
  elementRule({
    id: 'AZ-TRA-033',
    title: 'A regional outage or ransomware leaves a database unrecoverable',
    stride: ['Denial of service', 'Tampering'],
    statement:
      'Backups of {element} are lost with its region or encrypted by an attacker, and the data cannot be restored.',
    kinds: ['postgresql', 'mysql', 'sql-server'],
    about: 'data',
    consequence: 3,
    classified: false,
    checks: ['AZ-PG-002', 'AZ-MYSQL-002', 'AZ-PG-003', 'AZ-MYSQL-003'],
    evidence: 'backups not geo-redundant; no zone-redundant high availability',
    sources: [mcsb('BR-1'), mcsb('BR-2')],
    controls: ['ism-1511', 'ism-1811'],
    treatment: 'Store backups geo-redundantly and enable zone-redundant high availability.',
  }),
  elementRule({
    id: 'AZ-TRA-034',
    title: 'Messaging is used with shared access keys',
    stride: ['Spoofing', 'Tampering'],
    statement:
      'A leaked shared access key of {element} sends, reads or deletes messages with no identity behind it.',
    kinds: ['service-bus', 'event-hubs'],
    about: 'data',
    consequence: 3,
    checks: ['AZ-SB-001', 'AZ-EH-001'],
    evidence: 'disableLocalAuth not true',
    sources: [mcsb('IM-1'), tmt('Authentication')],
    controls: ['ism-1919'],
    treatment: 'Disable local (SAS) authentication and grant Microsoft Entra data roles.',
  }),
  elementRule({
    id: 'AZ-TRA-035',
    title: 'Container images are replaced or pulled by the wrong party',
    stride: ['Tampering', 'Spoofing'],
    statement:
      'The shared admin credential or anonymous pull of {element} lets an attacker push a malicious image or copy private ones.',
    kinds: ['container-registry'],
    about: 'data',
    consequence: 3,
    checks: ['AZ-ACR-001', 'AZ-ACR-003', 'AZ-ACR-004'],
    evidence: 'adminUserEnabled, anonymousPullEnabled, a SKU without quarantine or network rules',
    sources: [mcsb('DS-6'), mcsb('IM-1')],
    controls: ['ism-1260', 'ism-1546'],
    treatment:
      'Disable the admin user and anonymous pull; use the Premium SKU with private access and content trust.',
  }),
  elementRule({
    id: 'AZ-TRA-036',
    title: 'Security logs are lost before an investigation needs them',
    stride: ['Repudiation'],
    statement:
      'Logs in {element} are deleted by retention or by a holder of the shared key before an incident is investigated.',
    kinds: ['log-analytics'],
    about: 'data',
    consequence: 2,
    checks: ['AZ-LOG-001', 'AZ-LOG-003'],
    evidence: 'retention under 12 months; local (shared key) authentication enabled',
    sources: [mcsb('LT-6'), mcsb('LT-5')],
    controls: ['ism-1405'],
    treatment: 'Keep logs for at least 12 months and disable local authentication on the workspace.',
  }),
  elementRule({
    id: 'AZ-TRA-037',
    title: 'A web app acts for its users on requests from other sites',
    stride: ['Spoofing', 'Elevation of privilege'],
    statement:
      "A malicious site makes the browsers of {element}'s users send authenticated cross-origin requests it accepts.",
    kinds: ['app-service'],
    about: 'compute',
    consequence: 3,
    checks: ['AZ-APP-009', 'AZ-APP-006'],
    evidence: 'CORS allowed origins include *; client certificates not required',
    sources: [mcsb('IM-4'), tmt('Session Management')],
    controls: ['ism-1817'],
    treatment:
      'List the origins that may call the app, and require client certificates where clients are known.',
  }),
  elementRule({
    id: 'AZ-TRA-038',
    title: 'Attacks on a web app leave no trace',
    stride: ['Repudiation'],
    statement: 'Requests to {element} are not logged, so an attack cannot be reconstructed or attributed.',
    kinds: ['app-service'],
    about: 'compute',
    consequence: 2,
    checks: ['AZ-APP-010'],
    evidence: 'no HTTP logs and no diagnostic setting',
    sources: [mcsb('LT-3'), tmt('Auditing and Logging')],
    controls: ['ism-1405'],
    treatment: 'Enable HTTP logging and send diagnostics to a central workspace.',
  }),
  elementRule({
    id: 'AZ-TRA-039',
    title: 'An API subscription key opens more APIs than it should',
    stride: ['Elevation of privilege'],
    statement:
      'A subscription key of {element} scoped to all APIs lets its holder call every API behind the gateway.',
    kinds: ['api-management'],
    about: 'compute',
    consequence: 3,
    checks: ['AZ-APIM-008'],
    evidence: 'subscriptions scoped to /apis',
    sources: [mcsb('PA-7'), tmt('Authorization')],
    controls: ['ism-1852'],
    treatment: 'Scope subscriptions to a product or a single API.',
  }),
  elementRule({
    id: 'AZ-TRA-040',
    title: 'Calls from the API gateway to its back ends are intercepted',
    stride: ['Tampering', 'Information disclosure'],
    statement:
      'The back-end connections of {element} accept any certificate, so a host on the path can impersonate the back end.',
    kinds: ['api-management'],
    about: 'compute',
    consequence: 3,
    checks: ['AZ-APIM-006', 'AZ-APIM-007'],
    evidence: 'back ends with certificate chain or name validation off; secrets in named values',
    sources: [mcsb('DP-3'), mcsb('IM-8')],
    controls: ['ism-0469', 'ism-1402'],
    treatment: 'Validate back-end certificates and keep secret named values in Key Vault.',
  }),
  elementRule({
    id: 'AZ-TRA-041',
    title: 'Known vulnerabilities in a cluster are exploited',
    stride: ['Elevation of privilege', 'Tampering'],
    statement: 'An attacker exploits an unpatched node image or Kubernetes version of {element}.',
    kinds: ['kubernetes'],
    about: 'compute',
    consequence: 4,
    checks: ['AZ-AKS-007', 'AZ-AKS-008', 'AZ-AKS-011'],
    evidence: 'no automatic upgrade channel; node OS not patched automatically; unsupported version',
    sources: [mcsb('PV-6'), mcsb('PV-5')],
    controls: ['ism-0298', 'ism-0304'],
    treatment:
      'Set an automatic upgrade channel and node OS upgrade channel, and stay on a supported version.',
  }),
  elementRule({
    id: 'AZ-TRA-042',
    title: 'A compromised pod moves laterally and goes unnoticed',
    stride: ['Elevation of privilege', 'Repudiation'],
    statement:
      'A compromised workload in {element} reaches other pods, and the cluster neither restricts nor detects it.',
    kinds: ['kubernetes'],
    about: 'compute',
    consequence: 3,
    checks: ['AZ-AKS-005', 'AZ-AKS-006', 'AZ-AKS-009', 'AZ-AKS-010'],
    evidence: 'no network policy, Azure Policy add-on, Defender for Containers or Container insights',
    sources: [mcsb('NS-1'), mcsb('LT-1')],
    controls: ['ism-1182', 'ism-1228'],
    treatment:
      'Enforce network policies, enable the Azure Policy add-on, Defender for Containers and Container insights.',
  }),
  elementRule({
    id: 'AZ-TRA-043',
    title: 'Disks of a virtual machine are read outside it',
    stride: ['Information disclosure'],
    statement: 'Temporary disks and caches of {element} are stored unencrypted on the host.',
    kinds: ['virtual-machine', 'scale-set'],
    about: 'compute',
    consequence: 3,
    checks: ['AZ-VM-003'],
    evidence: 'encryptionAtHost not enabled',
    sources: [mcsb('DP-4')],
    controls: ['ism-0459', 'ism-1080'],
    treatment: 'Enable encryption at host.',
  }),
  elementRule({
    id: 'AZ-TRA-044',
    title: 'Boot-level malware persists in a virtual machine',
    stride: ['Tampering', 'Elevation of privilege'],
    statement:
      'A rootkit or bootkit installed on {element} survives reboots because the boot chain is not verified.',
    kinds: ['virtual-machine', 'scale-set'],
    about: 'compute',
    consequence: 3,
    checks: ['AZ-VM-004'],
    evidence: 'securityType not TrustedLaunch, or Secure Boot or vTPM off',
    sources: [mcsb('ES-1'), mcsb('PV-4')],
    controls: ['ism-1745'],
    treatment: 'Use Trusted Launch with Secure Boot and vTPM.',
  }),
  elementRule({
    id: 'AZ-TRA-045',
    title: "Web attacks pass an entry point's firewall",
    stride: ['Tampering', 'Elevation of privilege'],
    statement:
      'Injection and other web attacks pass {element} because its WAF only detects, or lacks a managed rule set.',
    kinds: ['application-gateway', 'front-door'],
    about: 'entry',
    consequence: 3,
    classified: false,
    checks: [
      'AZ-AGW-001',
      'AZ-AGW-002',
      'AZ-AGW-004',
      'AZ-AGW-005',
      'AZ-FD-001',
      'AZ-FD-002',
      'AZ-FD-003',
      'AZ-FD-004',
    ],
    evidence: 'no WAF, WAF in Detection mode, or no managed rule set',
    sources: [mcsb('NS-6'), tmt('Input Validation')],
    controls: ['ism-1192'],
    treatment: 'Attach a WAF policy in Prevention mode with a managed rule set.',
  }),
  elementRule({
    id: 'AZ-TRA-046',
    title: 'An intruder moves freely between subnets',
    stride: ['Elevation of privilege'],
    statement:
      'Subnets of {element} without an NSG let a compromised host reach every other host in the network.',
    kinds: ['virtual-network'],
    about: 'network',
    consequence: 3,
    classified: false,
    checks: ['AZ-NET-004'],
    evidence: 'subnets with no network security group',
    sources: [mcsb('NS-1'), tmt('Configuration Management')],
    controls: ['ism-1182', 'ism-1181'],
    treatment: 'Give every subnet an NSG that allows only the traffic the tier needs.',
  }),
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
