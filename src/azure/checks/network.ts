import { appendAll } from '../../core/extent.ts';
import type { CheckOutcome } from '../../core/model.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import {
  type AzureCheck,
  checkProperty,
  defineCheck,
  fail,
  notApplicable,
  pass,
  resourceIndex,
  sameText,
  unknown,
} from './define.ts';
import { leafName } from './storage.ts';
import { attachmentsInSubnet, publicIpNetwork, vnetExposure } from './topology.ts';

const NSG = 'Microsoft.Network/networkSecurityGroups';
const NSG_RULE = 'Microsoft.Network/networkSecurityGroups/securityRules';
const VNET = 'Microsoft.Network/virtualNetworks';
const SUBNET = 'Microsoft.Network/virtualNetworks/subnets';
const PUBLIC_IP = 'Microsoft.Network/publicIPAddresses';
const NSG_REF = 'https://learn.microsoft.com/en-us/azure/templates/microsoft.network/networksecuritygroups';
const NSG_DOC = 'https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview';
/** Lists the resources DDoS Protection covers and those it does not (NAT gateway among them); read 5 December 2026. */
const DDOS_ARCHITECTURES =
  'https://learn.microsoft.com/en-us/azure/ddos-protection/ddos-protection-reference-architectures';

// ---------------------------------------------------------------------------------------------
// NSG rule analysis
// ---------------------------------------------------------------------------------------------

/** Source prefixes that mean "anywhere on the internet" (also read by the architecture model). */
export const INTERNET_SOURCES = new Set([
  '*',
  'internet',
  'any',
  '0.0.0.0/0',
  '0.0.0.0',
  '::/0',
  '0::0/0',
  '::',
]);

/** Protocols that carry no TCP/UDP ports. */
export const PORTLESS_PROTOCOLS = new Set(['icmp', 'esp', 'ah']);

/** One security rule: its properties, the path to them, and the path an outcome points at. */
interface RuleRef {
  name: string;
  props: Value | undefined;
  /** Path of the rule's properties object, relative to the resource. */
  propsPath: string;
  /** Path to locate outcomes at (the rule itself); undefined means the resource. */
  at: string | undefined;
}

/** Which of the watched ports a destination port range covers. */
type PortMatcher = (lo: number, hi: number) => string | undefined;

type Verdict =
  | { kind: 'match'; detail: string }
  | { kind: 'no' }
  | { kind: 'unknown'; path: string; value: Unknown };

/** `22`, `'22'`, `'20-25'`, `'*'` to an inclusive range, or an Unknown saying why it cannot be read. */
export function portRange(v: Value): [number, number] | Unknown {
  if (v instanceof Unknown) return v;
  if (typeof v === 'number' && Number.isInteger(v)) return [v, v];
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '*' || s.toLowerCase() === 'any') return [0, 65535];
    const single = /^(\d{1,5})$/.exec(s);
    if (single) return [Number(single[1]), Number(single[1])];
    const range = /^(\d{1,5})\s*-\s*(\d{1,5})$/.exec(s);
    if (range) return [Number(range[1]), Number(range[2])];
  }
  return new Unknown(`unrecognised port value ${JSON.stringify(v)}`);
}

/** The values of a single-or-list pair such as `sourceAddressPrefix` / `sourceAddressPrefixes`. */
export function listOf(
  props: Value | undefined,
  single: string,
  plural: string,
): { values: Value[]; unknown?: Unknown } {
  const values: Value[] = [];
  const one = getPath(props, single);
  if (one !== undefined && one !== null && one !== '') values.push(one);
  const many = getPath(props, plural);
  if (many instanceof Unknown) return { values, unknown: many };
  if (Array.isArray(many)) appendAll(values, many);
  return { values };
}

/** Does an allow rule admit internet traffic to the watched ports? Decides what it can, says unknown otherwise. */
function judgeRule(rule: RuleRef, ports: PortMatcher): Verdict {
  const { props, propsPath } = rule;
  if (props instanceof Unknown) return { kind: 'unknown', path: propsPath, value: props };
  // The first unknown met (inline rather than a closure: this runs for every rule of every NSG).
  let pending: { path: string; value: Unknown } | undefined;

  const direction = getPath(props, 'direction');
  if (direction instanceof Unknown) pending ??= { path: `${propsPath}.direction`, value: direction };
  else if (!(typeof direction === 'string' && sameText(direction, 'Inbound'))) return { kind: 'no' };

  const access = getPath(props, 'access');
  if (access instanceof Unknown) pending ??= { path: `${propsPath}.access`, value: access };
  else if (!(typeof access === 'string' && sameText(access, 'Allow'))) return { kind: 'no' };

  const protocol = getPath(props, 'protocol');
  if (protocol instanceof Unknown) pending ??= { path: `${propsPath}.protocol`, value: protocol };
  else if (typeof protocol === 'string' && PORTLESS_PROTOCOLS.has(protocol.toLowerCase()))
    return { kind: 'no' };

  const sources = listOf(props, 'sourceAddressPrefix', 'sourceAddressPrefixes');
  let source: string | undefined;
  let sourceUnknown = sources.unknown;
  for (const s of sources.values) {
    if (s instanceof Unknown) sourceUnknown ??= s;
    else if (typeof s === 'string' && INTERNET_SOURCES.has(s.trim().toLowerCase())) {
      source = s;
      break;
    }
  }
  if (source === undefined) {
    if (!sourceUnknown) return { kind: 'no' };
    pending ??= { path: `${propsPath}.sourceAddressPrefix`, value: sourceUnknown };
  }

  const destinations = listOf(props, 'destinationPortRange', 'destinationPortRanges');
  let matched: string | undefined;
  let portUnknown = destinations.unknown;
  for (const d of destinations.values) {
    const range = portRange(d);
    if (range instanceof Unknown) portUnknown ??= range;
    else {
      matched = ports(range[0], range[1]);
      if (matched) break;
    }
  }
  if (matched === undefined) {
    if (!portUnknown) return { kind: 'no' };
    pending ??= { path: `${propsPath}.destinationPortRange`, value: portUnknown };
  }

  if (pending) return { kind: 'unknown', ...pending };
  return { kind: 'match', detail: `${matched} from ${JSON.stringify(source)}` };
}

/** The rules of an NSG (inline `securityRules`) or the single standalone rule, or an outcome when unreadable. */
function rulesOf(r: AzureResource): RuleRef[] | CheckOutcome {
  if (r.type.toLowerCase() === NSG_RULE.toLowerCase()) {
    const leaf = leafName(r);
    return [
      {
        name: typeof leaf === 'string' ? leaf : '(unknown name)',
        props: getPath(r.body, 'properties'),
        propsPath: 'properties',
        at: undefined,
      },
    ];
  }
  const rules = getPath(r.body, 'properties.securityRules');
  if (rules instanceof Unknown) {
    return unknown(
      r,
      `cannot read the security rules: properties.securityRules is unknown (${rules.reason})`,
      'properties.securityRules',
      rules,
    );
  }
  if (!Array.isArray(rules)) return [];
  return rules.map((rule, i) => {
    const name = isObject(rule) && typeof rule.name === 'string' ? rule.name : `#${i}`;
    return {
      name,
      props: rule instanceof Unknown ? rule : getPath(rule, 'properties'),
      propsPath: `properties.securityRules[${i}].properties`,
      at: `properties.securityRules[${i}]`,
    };
  });
}

/**
 * One outcome per offending (fail) or undecidable (unknown) inbound allow rule; a single pass
 * when there is none. Rule priorities are not weighed: a higher-priority deny does not excuse
 * an allow rule that would open the port if the deny were removed.
 */
function inboundExposure(r: AzureResource, what: string, ports: PortMatcher): CheckOutcome | CheckOutcome[] {
  const rules = rulesOf(r);
  if (!Array.isArray(rules)) return rules;
  const outcomes: CheckOutcome[] = [];
  for (const rule of rules) {
    const verdict = judgeRule(rule, ports);
    if (verdict.kind === 'match') {
      outcomes.push(
        fail(r, `rule ${rule.name} allows inbound ${what}: ${verdict.detail}`, rule.at, { rule: rule.name }),
      );
    } else if (verdict.kind === 'unknown') {
      const outcome = unknown(
        r,
        `cannot decide whether rule ${rule.name} allows inbound ${what}: ${verdict.path} is unknown (${verdict.value.reason})`,
        rule.at,
        verdict.value,
      );
      outcomes.push({
        ...outcome,
        evidence: { ...outcome.evidence, rule: rule.name, property: verdict.path },
      });
    }
  }
  if (outcomes.length > 0) return outcomes;
  return pass(
    r,
    `no inbound rule allows ${what}`,
    rules.length > 0 && rules[0]!.at ? 'properties.securityRules' : undefined,
  );
}

/** Matcher for a fixed set of ports, named for messages. */
function watchPorts(named: Record<number, string>): PortMatcher {
  const list = Object.entries(named).map(([port, name]) => [Number(port), name] as const);
  return (lo, hi) => {
    const hits = list.filter(([port]) => port >= lo && port <= hi).map(([port, name]) => `${port} (${name})`);
    return hits.length > 0 ? `port ${hits.join(', ')}` : undefined;
  };
}

const MANAGEMENT_PORTS = watchPorts({ 22: 'SSH', 3389: 'RDP', 5985: 'WinRM', 5986: 'WinRM over HTTPS' });
const DATABASE_PORTS = watchPorts({
  1433: 'SQL Server',
  1521: 'Oracle',
  3306: 'MySQL',
  5432: 'PostgreSQL',
  6379: 'Redis',
  6380: 'Redis TLS',
  27017: 'MongoDB',
});
const ALL_PORTS: PortMatcher = (lo, hi) => (lo <= 1 && hi >= 65535 ? 'all ports' : undefined);

// ---------------------------------------------------------------------------------------------
// Subnets
// ---------------------------------------------------------------------------------------------

/** Subnets Azure reserves for gateways and firewalls, where an NSG is not supported or not required. */
const NSG_EXEMPT_SUBNETS = new Set([
  'gatewaysubnet',
  'azurefirewallsubnet',
  'azurefirewallmanagementsubnet',
  'routeserversubnet',
  'azurebastionsubnet',
]);

/**
 * A subnet with no NSG whose network interfaces all carry one still has its traffic filtered:
 * the compensating NSGs are reported as a pass. Gateways and private endpoints cannot carry a
 * NIC-level NSG, so a subnet holding one is not compensated.
 */
function compensated(
  r: AzureResource,
  context: AzureCheckContext,
  subnetId: string,
  label: string,
  at: string | undefined,
): CheckOutcome | undefined {
  const { found, unknownRef } = attachmentsInSubnet(context, subnetId);
  if (found.length === 0) return undefined;
  const bare = found.filter((a) => !a.nicLike || a.nsg === undefined);
  if (bare.length > 0) {
    return fail(
      r,
      `subnet ${label} has no network security group, and ${bare.map((a) => a.label).join(', ')} in it ${bare.length === 1 ? 'has' : 'have'} none either`,
      at,
      { subnet: label },
    );
  }
  const hidden = found.find((a) => a.nsg instanceof Unknown)?.nsg ?? unknownRef;
  if (hidden instanceof Unknown) {
    return unknown(
      r,
      `subnet ${label} has no NSG; its known network interfaces carry one, but a reference is unknown (${hidden.reason})`,
      at,
      hidden,
    );
  }
  const nsgs = [...new Set(found.map((a) => String(a.nsg).split('/').pop()))];
  return pass(
    r,
    `subnet ${label} has no network security group, but every network interface in it carries one (compensating control: ${nsgs.join(', ')})`,
    at,
    { subnet: label, compensatingNsgs: nsgs, interfaces: found.map((a) => a.label) },
  );
}

function subnetOutcome(
  r: AzureResource,
  context: AzureCheckContext,
  subnetId: string,
  name: Value | undefined,
  props: Value | undefined,
  at: string | undefined,
  propsPath: string,
): CheckOutcome {
  const label = typeof name === 'string' ? name : '(unnamed)';
  if (props instanceof Unknown) {
    return unknown(r, `cannot read subnet ${label}: its properties are unknown (${props.reason})`, at, props);
  }
  const nsg = getPath(props, 'networkSecurityGroup');
  if (nsg instanceof Unknown) {
    return unknown(
      r,
      `cannot decide whether subnet ${label} has an NSG: ${propsPath}.networkSecurityGroup is unknown (${nsg.reason})`,
      at,
      nsg,
    );
  }
  if (isObject(nsg) && getPath(nsg, 'id') !== undefined) {
    return pass(r, `subnet ${label} has a network security group`, at);
  }
  if (typeof name === 'string' && NSG_EXEMPT_SUBNETS.has(name.toLowerCase())) {
    return {
      ...notApplicable(r, `${name} is a reserved subnet where an NSG is not required`),
      location: at ? r.locate(at) : r.location,
    };
  }
  if (name instanceof Unknown) {
    return unknown(
      r,
      `subnet has no NSG, but its name is unknown so it may be a reserved subnet (${name.reason})`,
      at,
      name,
    );
  }
  return (
    compensated(r, context, subnetId, label, at) ??
    fail(r, `subnet ${label} has no network security group`, at, { subnet: label })
  );
}

/**
 * An address that inherits its DDoS protection takes it from the virtual network it is used in:
 * the template's topology says which (topology.ts), and that network's plan decides.
 */
function inheritedDdos(r: AzureResource, context: AzureCheckContext, at: string): CheckOutcome {
  const network = publicIpNetwork(context, r);
  if (network.kind === 'unknown') {
    return unknown(
      r,
      `DDoS protection is inherited from the virtual network the address is used in, and ${network.via} names an unknown subnet or address (${network.reason.reason})`,
      at,
      network.reason,
    );
  }
  if (network.kind === 'nat-gateway') {
    return notApplicable(
      r,
      `${network.via} uses this address for outbound traffic only, and Azure DDoS Protection does not cover NAT gateway addresses (${DDOS_ARCHITECTURES})`,
    );
  }
  if (network.kind === 'empty-pool') {
    return unknown(
      r,
      `DDoS protection is inherited from the virtual network of the back-end pool of ${network.via}, which uses this address, and nothing in the scanned templates joins that pool`,
      at,
    );
  }
  if (network.kind === 'unattached') {
    return unknown(
      r,
      'DDoS protection is inherited from the virtual network the address is used in, and nothing in the scanned templates uses this address; set protectionMode Enabled or confirm where it is attached',
      at,
    );
  }
  const vnet = resourceIndex(context).withId(network.vnetId);
  const name = network.vnetId.split('/').pop() ?? network.vnetId;
  if (!vnet) {
    return unknown(
      r,
      `DDoS protection is inherited from virtual network ${name} (through ${network.via}), which is not in the scanned templates`,
      at,
    );
  }
  const enabled = getPath(vnet.body, 'properties.enableDdosProtection');
  const plan = getPath(vnet.body, 'properties.ddosProtectionPlan.id');
  const hidden = [enabled, plan].find((v): v is Unknown => v instanceof Unknown);
  if (hidden) {
    return unknown(
      r,
      `DDoS protection is inherited from virtual network ${name}, whose plan is unknown (${hidden.reason})`,
      at,
      hidden,
    );
  }
  const evidence = { virtualNetwork: name, via: network.via };
  return enabled === true && typeof plan === 'string' && plan !== ''
    ? pass(
        r,
        `DDoS protection is inherited from virtual network ${name} (through ${network.via}), which has a protection plan`,
        at,
        evidence,
      )
    : fail(
        r,
        `DDoS protection is inherited from virtual network ${name} (through ${network.via}), which has no protection plan`,
        at,
        evidence,
      );
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-NET-001',
    title: 'NSG rules do not allow management ports from the internet',
    severity: 'critical',
    rationale:
      'SSH, RDP and WinRM exposed to the internet are scanned and brute-forced within minutes of deployment, and are a leading entry point for ransomware. Administrative interfaces must not be directly reachable from the internet; reach them through a bastion, VPN or just-in-time access from administrative networks.',
    remediation:
      'Change `sourceAddressPrefix` of the rule to the administrative network range (or remove the rule), and use Azure Bastion or just-in-time VM access for SSH (22), RDP (3389) and WinRM (5985/5986).',
    references: [NSG_DOC, 'https://learn.microsoft.com/en-us/azure/bastion/bastion-overview', NSG_REF],
    resourceTypes: [NSG, NSG_RULE],
    evaluate: (r) => inboundExposure(r, 'management ports from the internet', MANAGEMENT_PORTS),
  }),

  defineCheck({
    id: 'AZ-NET-002',
    title: 'NSG rules do not allow database ports from the internet',
    severity: 'high',
    rationale:
      'Database listeners (SQL Server, MySQL, PostgreSQL, Oracle, Redis, MongoDB) exposed to the internet invite credential attacks and exploitation of database vulnerabilities, and Redis or MongoDB often run without authentication. Database servers should only accept connections from the application tiers that need them.',
    remediation:
      "Restrict the rule's `sourceAddressPrefix` to the application subnet (or an application security group) and use private endpoints for PaaS databases.",
    references: [NSG_DOC, NSG_REF],
    resourceTypes: [NSG, NSG_RULE],
    evaluate: (r) => inboundExposure(r, 'database ports from the internet', DATABASE_PORTS),
  }),

  defineCheck({
    id: 'AZ-NET-003',
    title: 'NSG rules do not allow all ports from the internet',
    severity: 'high',
    rationale:
      'A rule allowing every port from the internet exposes every service listening on the protected hosts, including ones nobody intended to publish. Network access controls should only allow the traffic a service needs.',
    remediation:
      'Replace `destinationPortRange: "*"` (or 0-65535) with the specific ports the service needs, and restrict the source.',
    references: [NSG_DOC, NSG_REF],
    resourceTypes: [NSG, NSG_RULE],
    evaluate: (r) => inboundExposure(r, 'all ports from the internet', ALL_PORTS),
  }),

  defineCheck({
    id: 'AZ-NET-004',
    title: 'Subnets have a network security group',
    severity: 'medium',
    rationale:
      'A subnet without an NSG has no network filtering at the subnet boundary, so every host in it relies on its own configuration alone, and traffic between network zones is unrestricted. NSGs implement the access controls that segment networks. ' +
      'When every network interface in the subnet (standalone, or declared inline by a VM or scale set) carries its own NSG, traffic is still filtered: the check passes and names those compensating NSGs (docs/calibration.md). A subnet holding a gateway or private endpoint, which cannot carry a NIC-level NSG, is not compensated.',
    remediation:
      'Set `properties.networkSecurityGroup.id` on each subnet to an NSG (reserved subnets such as GatewaySubnet and AzureFirewallSubnet are exempt).',
    references: [
      NSG_DOC,
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.network/virtualnetworks',
    ],
    resourceTypes: [VNET, SUBNET],
    evaluate: (r, context) => {
      if (r.type.toLowerCase() === SUBNET.toLowerCase()) {
        return subnetOutcome(
          r,
          context,
          r.id,
          leafName(r),
          getPath(r.body, 'properties'),
          undefined,
          'properties',
        );
      }
      const subnets = getPath(r.body, 'properties.subnets');
      if (subnets instanceof Unknown) {
        return unknown(
          r,
          `cannot read the subnets: properties.subnets is unknown (${subnets.reason})`,
          'properties.subnets',
          subnets,
        );
      }
      if (!Array.isArray(subnets) || subnets.length === 0) {
        return notApplicable(r, 'no subnets declared inline (standalone subnets are checked on their own)');
      }
      return subnets.map((s, i) => {
        const at = `properties.subnets[${i}]`;
        if (s instanceof Unknown)
          return unknown(r, `cannot read subnet #${i}: it is unknown (${s.reason})`, at, s);
        const name = getPath(s, 'name');
        const id = `${r.id}/subnets/${typeof name === 'string' ? name : ''}`;
        return subnetOutcome(r, context, id, name, getPath(s, 'properties'), at, `${at}.properties`);
      });
    },
  }),

  defineCheck({
    id: 'AZ-NET-005',
    title: 'Public IP addresses use the Standard SKU',
    severity: 'medium',
    rationale:
      'Basic SKU public IP addresses are open to inbound traffic unless an NSG blocks it, lack availability zones and are retired. Standard SKU addresses are closed by default, so exposure only happens where a rule allows it.',
    remediation: 'Set `sku.name` to `Standard` (and `properties.publicIPAllocationMethod` to `Static`).',
    references: [
      'https://learn.microsoft.com/en-us/azure/virtual-network/ip-services/public-ip-addresses',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.network/publicipaddresses',
    ],
    resourceTypes: [PUBLIC_IP],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'sku.name',
        test: (v) => typeof v === 'string' && /^standard/i.test(v),
        whenMissing: 'fail',
        expectation: 'the SKU is Standard',
      }),
  }),

  defineCheck({
    id: 'AZ-NET-006',
    title: 'Virtual networks are covered by a DDoS protection plan',
    severity: 'low',
    rationale:
      'Azure DDoS Network Protection adds adaptive tuning, attack telemetry, rapid response support and cost protection above the default infrastructure protection. Critical online services need a planned mitigation for denial-of-service attacks. ' +
      "The plan protects public IP addresses, and ISM-1431 asks for denial-of-service mitigation of online services: a virtual network that the template's own topology connects to no public IP address (no NIC, VM, scale set, load balancer, application gateway, VPN or ExpressRoute gateway, firewall or Bastion host with one in its subnets) offers no such service and is not-applicable (docs/calibration.md).",
    remediation:
      'Set `properties.enableDdosProtection` to `true` and `properties.ddosProtectionPlan.id` to a `Microsoft.Network/ddosProtectionPlans` resource.',
    references: [
      'https://learn.microsoft.com/en-us/azure/ddos-protection/ddos-protection-overview',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.network/virtualnetworks',
    ],
    resourceTypes: [VNET],
    evaluate: (r, context) => {
      const enabled = checkProperty(r, {
        path: 'properties.enableDdosProtection',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'DDoS protection is enabled',
      });
      const outcome =
        enabled.status !== 'pass'
          ? enabled
          : checkProperty(r, {
              path: 'properties.ddosProtectionPlan.id',
              test: (v) => typeof v === 'string' && v !== '',
              whenMissing: 'fail',
              expectation: 'a DDoS protection plan is linked',
            });
      if (outcome.status === 'pass') return outcome;
      const exposure = vnetExposure(context, r);
      if (exposure.kind === 'private') {
        return notApplicable(
          r,
          'no public IP address is in this virtual network in the scanned templates, so there is nothing for a DDoS protection plan to protect',
        );
      }
      if (exposure.kind === 'unknown' && outcome.status === 'fail') {
        return unknown(
          r,
          `${outcome.message}; whether the network has a public IP address is unknown: ${exposure.via} in a subnet the template leaves unknown (${exposure.reason.reason})`,
          'properties',
          exposure.reason,
        );
      }
      if (exposure.kind === 'public' && outcome.status === 'fail')
        return {
          ...outcome,
          message: `${outcome.message}; the network is public: ${exposure.via.join('; ')}`,
        };
      return outcome;
    },
  }),

  defineCheck({
    id: 'AZ-NET-007',
    title: 'Public IP addresses have DDoS protection',
    severity: 'low',
    rationale:
      "Public IP addresses are the targets of volumetric denial-of-service attacks. DDoS IP Protection (or a protection plan on the virtual network the address is attached to) gives tuned mitigation and telemetry; a disabled setting removes it. An address that inherits its protection is judged by the virtual network the template's topology puts it in (the subnet of the NIC, application gateway, VPN or ExpressRoute gateway, firewall or Bastion host using it; for a load balancer frontend, the network of its back-end pool's members) and that network's plan; it is unknown only when that network is not in the scan, nothing in the scan uses the address or joins the load balancer's pool, or a reference is unknown. An address used by a NAT gateway is not-applicable: it carries outbound traffic only and Microsoft lists NAT Gateway among the resources DDoS Protection does not cover (DDoS Protection reference architectures, read 5 December 2026).",
    remediation:
      'Set `properties.ddosSettings.protectionMode` to `Enabled` (DDoS IP Protection), or keep `VirtualNetworkInherited` and attach the address to a virtual network with a DDoS protection plan (AZ-NET-006).',
    references: [
      'https://learn.microsoft.com/en-us/azure/ddos-protection/ddos-protection-sku-comparison',
      DDOS_ARCHITECTURES,
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.network/publicipaddresses',
    ],
    resourceTypes: [PUBLIC_IP],
    evaluate: (r, context) => {
      const modePath = 'properties.ddosSettings.protectionMode';
      const coveragePath = 'properties.ddosSettings.protectionCoverage';
      const mode = getPath(r.body, modePath);
      const coverage = getPath(r.body, coveragePath);
      if (mode instanceof Unknown) {
        return unknown(
          r,
          `cannot decide the DDoS protection: ${modePath} is unknown (${mode.reason})`,
          modePath,
          mode,
        );
      }
      if (typeof mode === 'string' && sameText(mode, 'Enabled'))
        return pass(r, 'DDoS IP Protection is enabled', modePath);
      if (typeof mode === 'string' && sameText(mode, 'Disabled'))
        return fail(r, 'DDoS protection is disabled for this address', modePath);
      // Older API versions express the plan as protectionCoverage Standard.
      if (coverage instanceof Unknown) {
        return unknown(
          r,
          `cannot decide the DDoS protection: ${coveragePath} is unknown (${coverage.reason})`,
          coveragePath,
          coverage,
        );
      }
      if (typeof coverage === 'string' && sameText(coverage, 'Standard')) {
        return pass(r, 'DDoS protection coverage is Standard', coveragePath);
      }
      return inheritedDdos(r, context, mode === undefined ? 'properties' : modePath);
    },
  }),
];
