/**
 * Networking: NSGs and their rules, virtual networks and subnets (with the split-out NSG
 * associations), public IPs, network interfaces, application gateways.
 */
import { isObject, Unknown, type Value, type ValueObject } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  attr,
  block,
  childDraft,
  type Draft,
  enabled,
  idAttr,
  inBlock,
  type MappingContext,
  parentDraft,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const N = 'Microsoft.Network';
const NSG = `${N}/networkSecurityGroups`;
const VNET = `${N}/virtualNetworks`;
const SUBNET = `${VNET}/subnets`;
const NIC = `${N}/networkInterfaces`;
const PIP = `${N}/publicIPAddresses`;
const AGW = `${N}/applicationGateways`;
const API = '2023-09-01';

const TF_NSG = ['azurerm_network_security_group'];
const TF_SUBNET = ['azurerm_subnet'];
const TF_PIP = ['azurerm_public_ip'];

function present(v: Value | undefined): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

/** A rule's fields: Terraform name -> ARM name (Terraform has both the single and list form of each). */
const RULE_FIELDS: readonly (readonly [string, string])[] = [
  ['priority', 'priority'],
  ['direction', 'direction'],
  ['access', 'access'],
  ['protocol', 'protocol'],
  ['description', 'description'],
  ['source_port_range', 'sourcePortRange'],
  ['source_port_ranges', 'sourcePortRanges'],
  ['destination_port_range', 'destinationPortRange'],
  ['destination_port_ranges', 'destinationPortRanges'],
  ['source_address_prefix', 'sourceAddressPrefix'],
  ['source_address_prefixes', 'sourceAddressPrefixes'],
  ['destination_address_prefix', 'destinationAddressPrefix'],
  ['destination_address_prefixes', 'destinationAddressPrefixes'],
];

/** A rule's fields in ARM's names; an empty single or list form is left out, as ARM takes only the one used. */
function ruleProperties(rule: ValueObject): ValueObject {
  const props: ValueObject = {};
  for (const [tf, arm] of RULE_FIELDS) {
    const v = rule[tf];
    if (v instanceof Unknown || present(v)) props[arm] = v as Value;
  }
  return props;
}

/** Remembers where each field of a rule is set (`prefix` is the rule's ARM properties path, `at` its Terraform path). */
function placeRule(d: Draft, prefix: string, at: string): void {
  for (const [tf, arm] of RULE_FIELDS) d.place(`${prefix}.${arm}`, `${at}${tf}`);
}

function mapNsg(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: NSG, apiVersion: API });
  // Known rules are kept even when the configuration does not write them (a `dynamic` block
  // may not be in it); computed ones known only after apply come from split-out rules and
  // read as absent (`attr`).
  const rules = attr(i, 'security_rule');
  if (rules instanceof Unknown) d.set('properties.securityRules', rules, 'security_rule');
  else if (Array.isArray(rules)) {
    const arm: Value[] = rules.map((rule) =>
      isObject(rule) ? { name: rule.name ?? null, properties: ruleProperties(rule) } : rule,
    );
    d.set('properties.securityRules', arm, 'security_rule');
    for (let k = 0; k < arm.length; k++) {
      d.place(`properties.securityRules[${k}]`, `security_rule.${k}`);
      placeRule(d, `properties.securityRules[${k}].properties`, `security_rule.${k}.`);
    }
  }
  return [d];
}

function mapNsgRule(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = childDraft(ctx, i, {
    type: `${NSG}/securityRules`,
    apiVersion: API,
    parentAttr: 'network_security_group_name',
    parentTypes: TF_NSG,
    parentArm: NSG,
  });
  d.set('properties', ruleProperties(i.values), 'name');
  placeRule(d, 'properties', '');
  return [d];
}

function mapVnet(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: VNET, apiVersion: API });
  d.copy('properties.addressSpace.addressPrefixes', 'address_space');
  d.copy('properties.dhcpOptions.dnsServers', 'dns_servers');
  const ddos = block(i, 'ddos_protection_plan');
  if (ddos instanceof Unknown) d.set('properties.ddosProtectionPlan', ddos, 'ddos_protection_plan');
  else if (ddos) {
    d.copy('properties.ddosProtectionPlan.id', 'ddos_protection_plan.0.id');
    d.copy('properties.enableDdosProtection', 'ddos_protection_plan.0.enable');
  }
  // As for NSG rules: known subnets are kept; ones known only after apply and not configured
  // come from azurerm_subnet resources and read as absent (`attr`).
  const subnets = attr(i, 'subnet');
  if (subnets instanceof Unknown) d.set('properties.subnets', subnets, 'subnet');
  else if (Array.isArray(subnets)) {
    const arm = subnets.map((s) => {
      if (!isObject(s)) return s;
      const props: ValueObject = {};
      const prefixes = s.address_prefixes ?? s.address_prefix;
      if (prefixes !== undefined && prefixes !== null) {
        props[Array.isArray(prefixes) ? 'addressPrefixes' : 'addressPrefix'] = prefixes;
      }
      const nsg = s.security_group;
      if (nsg instanceof Unknown || (typeof nsg === 'string' && nsg !== ''))
        props.networkSecurityGroup = { id: nsg };
      return { name: s.name ?? null, properties: props };
    });
    d.set('properties.subnets', arm, 'subnet');
    for (let k = 0; k < arm.length; k++) d.place(`properties.subnets[${k}]`, `subnet.${k}`);
  }
  return [d];
}

function mapSubnet(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = childDraft(ctx, i, {
    type: SUBNET,
    apiVersion: API,
    parentAttr: 'virtual_network_name',
    parentTypes: ['azurerm_virtual_network'],
    parentArm: VNET,
  });
  d.copy('properties.addressPrefixes', 'address_prefixes');
  d.copy('properties.serviceEndpoints', 'service_endpoints', (v) =>
    Array.isArray(v) ? v.map((service) => (service instanceof Unknown ? service : { service })) : undefined,
  );
  d.copy('properties.privateEndpointNetworkPolicies', 'private_endpoint_network_policies');
  d.copy('properties.privateEndpointNetworkPolicies', 'private_endpoint_network_policies_enabled', enabled);
  d.copy('properties.defaultOutboundAccess', 'default_outbound_access_enabled');
  d.copy('properties.delegations', 'delegation', (v) =>
    Array.isArray(v)
      ? v.map((x) =>
          isObject(x)
            ? {
                name: x.name ?? null,
                properties: { serviceName: inBlock(x, 'service_delegation.0.name') ?? null },
              }
            : x,
        )
      : undefined,
  );
  return [d];
}

/** A split-out NSG association: the NSG's id on the subnet or NIC it names. */
function association(
  parentAttr: string,
  parentTypes: readonly string[],
  parentArm: string,
): TypeMapping['attach'] {
  return (i, ctx) => {
    const parent = parentDraft(ctx, i, parentAttr, parentTypes, parentArm);
    if (!parent) return `the ${parentArm.split('/').pop()} it names is not in the plan`;
    parent.set(
      'properties.networkSecurityGroup.id',
      idAttr(ctx, i, 'network_security_group_id', TF_NSG),
      'network_security_group_id',
      i,
    );
    // A check that reads the whole reference points at the association too.
    parent.place('properties.networkSecurityGroup', 'network_security_group_id', i);
    return undefined;
  };
}

function mapPublicIp(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: PIP, apiVersion: API });
  d.copy('sku.name', 'sku');
  d.copy('sku.tier', 'sku_tier');
  d.copy('zones', 'zones');
  d.copy('properties.publicIPAllocationMethod', 'allocation_method');
  d.copy('properties.publicIPAddressVersion', 'ip_version');
  d.copy('properties.ddosSettings.protectionMode', 'ddos_protection_mode');
  d.copy('properties.ddosSettings.ddosProtectionPlan.id', 'ddos_protection_plan_id');
  d.copy('properties.dnsSettings.domainNameLabel', 'domain_name_label');
  return [d];
}

function mapNic(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: NIC, apiVersion: API });
  d.copy('properties.enableIPForwarding', ['ip_forwarding_enabled', 'enable_ip_forwarding']);
  d.copy('properties.enableAcceleratedNetworking', [
    'accelerated_networking_enabled',
    'enable_accelerated_networking',
  ]);
  const configs = attr(i, 'ip_configuration');
  if (configs instanceof Unknown) d.set('properties.ipConfigurations', configs, 'ip_configuration');
  else if (Array.isArray(configs)) {
    const arm = configs.map((c, k) => {
      if (!isObject(c)) return c;
      const props: ValueObject = {};
      const subnet = idIn(ctx, i, c.subnet_id, TF_SUBNET, 'ip_configuration');
      if (subnet !== undefined) props.subnet = { id: subnet };
      const pip = idIn(ctx, i, c.public_ip_address_id, TF_PIP, 'ip_configuration');
      if (pip !== undefined) props.publicIPAddress = { id: pip };
      if (present(c.private_ip_address_allocation))
        props.privateIPAllocationMethod = c.private_ip_address_allocation as Value;
      if (present(c.private_ip_address)) props.privateIPAddress = c.private_ip_address as Value;
      props.primary = c.primary ?? k === 0;
      return { name: c.name ?? null, properties: props };
    });
    d.set('properties.ipConfigurations', arm, 'ip_configuration');
  }
  return [d];
}

/**
 * An id inside a nested block: the value when known; when unknown, the stand-in id of the
 * first instance of `types` the block's expressions refer to (a block with several ids of one
 * type may get the wrong one: the references are per block, not per attribute), else the Unknown.
 */
function idIn(
  ctx: MappingContext,
  i: TerraformInstance,
  v: Value | undefined,
  types: readonly string[],
  blockName: string,
): Value | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (!(v instanceof Unknown)) return v;
  const refs = i.references?.get(blockName) ?? [];
  for (const ref of refs) {
    const target = ctx.byReference(ref, i, types);
    const draft = target ? ctx.draftsOf(target)[0] : undefined;
    if (draft) return draft.id;
  }
  return v;
}

function mapGateway(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: AGW, apiVersion: API });
  d.copy('zones', 'zones');
  d.copy('properties.sku.name', 'sku.0.name');
  d.copy('properties.sku.tier', 'sku.0.tier');
  d.copy('properties.sku.capacity', 'sku.0.capacity');
  d.copy('properties.enableHttp2', 'enable_http2');
  d.copy('properties.firewallPolicy.id', 'firewall_policy_id');
  const ssl = block(i, 'ssl_policy');
  if (ssl instanceof Unknown) d.set('properties.sslPolicy', ssl, 'ssl_policy');
  else if (ssl) {
    d.copy('properties.sslPolicy.policyType', 'ssl_policy.0.policy_type');
    d.copy('properties.sslPolicy.policyName', 'ssl_policy.0.policy_name');
    d.copy('properties.sslPolicy.minProtocolVersion', 'ssl_policy.0.min_protocol_version');
    d.copy('properties.sslPolicy.disabledSslProtocols', 'ssl_policy.0.disabled_protocols');
    d.copy('properties.sslPolicy.cipherSuites', 'ssl_policy.0.cipher_suites');
  }
  const waf = block(i, 'waf_configuration');
  if (waf instanceof Unknown)
    d.set('properties.webApplicationFirewallConfiguration', waf, 'waf_configuration');
  else if (waf) {
    d.copy('properties.webApplicationFirewallConfiguration.enabled', 'waf_configuration.0.enabled');
    d.copy(
      'properties.webApplicationFirewallConfiguration.firewallMode',
      'waf_configuration.0.firewall_mode',
    );
    d.copy('properties.webApplicationFirewallConfiguration.ruleSetType', 'waf_configuration.0.rule_set_type');
    d.copy(
      'properties.webApplicationFirewallConfiguration.ruleSetVersion',
      'waf_configuration.0.rule_set_version',
    );
  }
  const frontends = attr(i, 'frontend_ip_configuration');
  if (Array.isArray(frontends)) {
    d.set(
      'properties.frontendIPConfigurations',
      frontends.map((f) => {
        if (!isObject(f)) return f;
        const props: ValueObject = {};
        const pip = idIn(ctx, i, f.public_ip_address_id, TF_PIP, 'frontend_ip_configuration');
        if (pip !== undefined) props.publicIPAddress = { id: pip };
        if (present(f.subnet_id)) props.subnet = { id: f.subnet_id as Value };
        if (present(f.private_ip_address)) props.privateIPAddress = f.private_ip_address as Value;
        return { name: f.name ?? null, properties: props };
      }),
      'frontend_ip_configuration',
    );
  }
  const gateways = attr(i, 'gateway_ip_configuration');
  if (Array.isArray(gateways)) {
    d.set(
      'properties.gatewayIPConfigurations',
      gateways.map((g): Value => {
        if (!isObject(g)) return g;
        const props: ValueObject = {};
        if (present(g.subnet_id)) props.subnet = { id: g.subnet_id as Value };
        return { name: g.name ?? null, properties: props };
      }),
      'gateway_ip_configuration',
    );
  }
  return [d];
}

export const networkMappings: TypeMapping[] = [
  { tfType: 'azurerm_network_security_group', armType: NSG, map: mapNsg },
  { tfType: 'azurerm_network_security_rule', armType: `${NSG}/securityRules`, map: mapNsgRule },
  { tfType: 'azurerm_virtual_network', armType: VNET, map: mapVnet },
  { tfType: 'azurerm_subnet', armType: SUBNET, map: mapSubnet },
  {
    tfType: 'azurerm_subnet_network_security_group_association',
    armType: `${SUBNET} (properties.networkSecurityGroup)`,
    attach: association('subnet_id', TF_SUBNET, SUBNET),
  },
  {
    tfType: 'azurerm_network_interface_security_group_association',
    informs: ['AZ-NET-004', "the TRA's internet paths"],
    armType: `${NIC} (properties.networkSecurityGroup)`,
    attach: association('network_interface_id', ['azurerm_network_interface'], NIC),
  },
  { tfType: 'azurerm_public_ip', armType: PIP, map: mapPublicIp },
  { tfType: 'azurerm_network_interface', informs: ["the TRA's internet paths"], armType: NIC, map: mapNic },
  { tfType: 'azurerm_application_gateway', armType: AGW, map: mapGateway },
];
