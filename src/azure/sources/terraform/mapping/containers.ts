/** Containers: AKS clusters and container registries. */
import { Unknown } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  attr,
  block,
  type Draft,
  enabled,
  listOf,
  type MappingContext,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const AKS = 'Microsoft.ContainerService/managedClusters';
const ACR = 'Microsoft.ContainerRegistry/registries';

function mapCluster(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: AKS, apiVersion: '2024-05-01' });
  d.set('sku.name', 'Base');
  d.copy('sku.tier', 'sku_tier');
  d.copy('properties.kubernetesVersion', 'kubernetes_version');
  d.copy('properties.dnsPrefix', 'dns_prefix');
  d.copy('properties.nodeResourceGroup', 'node_resource_group');
  d.copy('properties.enableRBAC', 'role_based_access_control_enabled');
  d.copy('properties.disableLocalAccounts', 'local_account_disabled');
  d.copy('properties.supportPlan', 'support_plan');
  d.copy('properties.oidcIssuerProfile.enabled', 'oidc_issuer_enabled');
  d.copy('properties.securityProfile.workloadIdentity.enabled', 'workload_identity_enabled');
  const aad = block(i, 'azure_active_directory_role_based_access_control');
  if (aad instanceof Unknown)
    d.set('properties.aadProfile', aad, 'azure_active_directory_role_based_access_control');
  else if (aad) {
    const at = 'azure_active_directory_role_based_access_control.0.';
    // azurerm 4 has only the managed integration; 3.x says so with `managed`.
    const managed = attr(i, `${at}managed`);
    d.set(
      'properties.aadProfile.managed',
      managed ?? true,
      managed === undefined ? 'azure_active_directory_role_based_access_control' : `${at}managed`,
    );
    d.copy('properties.aadProfile.enableAzureRBAC', `${at}azure_rbac_enabled`);
    d.copy('properties.aadProfile.adminGroupObjectIDs', `${at}admin_group_object_ids`);
    d.copy('properties.aadProfile.tenantID', `${at}tenant_id`);
  }
  d.copy('properties.apiServerAccessProfile.enablePrivateCluster', 'private_cluster_enabled');
  d.copy('properties.apiServerAccessProfile.authorizedIPRanges', [
    'api_server_access_profile.0.authorized_ip_ranges',
    'api_server_authorized_ip_ranges',
  ]);
  const network = block(i, 'network_profile');
  if (network instanceof Unknown) d.set('properties.networkProfile', network, 'network_profile');
  else if (network) {
    d.copy('properties.networkProfile.networkPlugin', 'network_profile.0.network_plugin');
    d.copy('properties.networkProfile.networkPolicy', 'network_profile.0.network_policy');
    d.copy('properties.networkProfile.networkDataplane', [
      'network_profile.0.network_data_plane',
      'network_profile.0.ebpf_data_plane',
    ]);
    d.copy('properties.networkProfile.outboundType', 'network_profile.0.outbound_type');
    d.copy('properties.networkProfile.loadBalancerSku', 'network_profile.0.load_balancer_sku');
  }
  d.copy('properties.addonProfiles.azurepolicy.enabled', 'azure_policy_enabled');
  const oms = attr(i, 'oms_agent');
  if (oms instanceof Unknown) d.set('properties.addonProfiles.omsagent', oms, 'oms_agent');
  else if (Array.isArray(oms)) {
    d.set('properties.addonProfiles.omsagent.enabled', oms.length > 0, 'oms_agent');
    d.copy(
      'properties.addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID',
      'oms_agent.0.log_analytics_workspace_id',
    );
  }
  d.copy('properties.autoUpgradeProfile.upgradeChannel', [
    'automatic_upgrade_channel',
    'automatic_channel_upgrade',
  ]);
  d.copy('properties.autoUpgradeProfile.nodeOSUpgradeChannel', [
    'node_os_upgrade_channel',
    'node_os_channel_upgrade',
  ]);
  const defender = attr(i, 'microsoft_defender');
  if (defender instanceof Unknown)
    d.set('properties.securityProfile.defender', defender, 'microsoft_defender');
  else if (Array.isArray(defender) && defender.length > 0) {
    d.set('properties.securityProfile.defender.securityMonitoring.enabled', true, 'microsoft_defender');
    d.copy(
      'properties.securityProfile.defender.logAnalyticsWorkspaceResourceId',
      'microsoft_defender.0.log_analytics_workspace_id',
    );
  }
  const pool = block(i, 'default_node_pool');
  if (pool && !(pool instanceof Unknown)) {
    d.set(
      'properties.agentPoolProfiles',
      [
        {
          name: pool.name ?? null,
          mode: 'System',
          vmSize: pool.vm_size ?? null,
          count: pool.node_count ?? null,
          vnetSubnetID: pool.vnet_subnet_id ?? null,
        },
      ],
      'default_node_pool',
    );
  }
  return [d];
}

function mapRegistry(i: TerraformInstance, ctx: MappingContext): Draft[] {
  const d = standardDraft(ctx, i, { type: ACR, apiVersion: '2023-07-01' });
  d.copy('sku.name', 'sku');
  d.copy('properties.adminUserEnabled', 'admin_enabled');
  d.copy('properties.publicNetworkAccess', 'public_network_access_enabled', enabled);
  d.copy('properties.anonymousPullEnabled', 'anonymous_pull_enabled');
  d.copy('properties.dataEndpointEnabled', 'data_endpoint_enabled');
  d.copy('properties.zoneRedundancy', 'zone_redundancy_enabled', enabled);
  d.copy('properties.networkRuleBypassOptions', 'network_rule_bypass_option');
  const rules = block(i, 'network_rule_set');
  if (rules instanceof Unknown) d.set('properties.networkRuleSet', rules, 'network_rule_set');
  else if (rules) {
    d.copy('properties.networkRuleSet.defaultAction', 'network_rule_set.0.default_action');
    d.copy(
      'properties.networkRuleSet.ipRules',
      'network_rule_set.0.ip_rule',
      listOf((rule) =>
        rule !== null && typeof rule === 'object' && !Array.isArray(rule)
          ? { action: 'Allow', value: (rule as { ip_range?: string }).ip_range ?? null }
          : rule,
      ),
    );
  }
  return [d];
}

export const containerMappings: TypeMapping[] = [
  { tfType: 'azurerm_kubernetes_cluster', armType: AKS, map: mapCluster },
  { tfType: 'azurerm_container_registry', armType: ACR, map: mapRegistry },
];
