/** Messaging: Event Hubs and Service Bus namespaces, with their network rule sets as ARM's `networkRuleSets` child. */
import { isObject, Unknown, type Value } from '../../../expressions/value.ts';
import type { TerraformInstance } from '../instance.ts';
import {
  block,
  childIdOf,
  childName,
  Draft,
  enabled,
  type MappingContext,
  not,
  standardDraft,
  type TypeMapping,
} from './draft.ts';

const EVENT_HUB = 'Microsoft.EventHub/namespaces';
const SERVICE_BUS = 'Microsoft.ServiceBus/namespaces';

function namespaceMapping(tfType: string, type: string, apiVersion: string, rulesBlock: string): TypeMapping {
  return {
    tfType,
    armType: type,
    alsoArm: [`${type}/networkRuleSets`],
    map(i: TerraformInstance, ctx: MappingContext) {
      const d = standardDraft(ctx, i, { type, apiVersion });
      d.copy('sku.name', 'sku');
      d.copy('sku.tier', 'sku');
      d.copy('sku.capacity', 'capacity');
      d.copy('properties.disableLocalAuth', 'local_auth_enabled', not);
      d.copy('properties.disableLocalAuth', 'local_authentication_enabled', not);
      d.copy('properties.minimumTlsVersion', 'minimum_tls_version');
      d.copy('properties.publicNetworkAccess', 'public_network_access_enabled', enabled);
      d.copy('properties.zoneRedundant', 'zone_redundant');
      const rules = block(i, rulesBlock);
      if (rules === undefined) return [d];
      const name = childName(d.name, 'default');
      const r = new Draft(i, {
        type: `${type}/networkRuleSets`,
        apiVersion,
        name,
        id: childIdOf(d, `${type}/networkRuleSets`, 'default'),
        location: i.locate(rulesBlock),
      });
      if (rules instanceof Unknown) r.set('properties', rules, rulesBlock);
      else {
        const at = `${rulesBlock}.0.`;
        r.copy('properties.defaultAction', `${at}default_action`);
        r.copy('properties.publicNetworkAccess', `${at}public_network_access_enabled`, enabled);
        r.copy('properties.trustedServiceAccessEnabled', `${at}trusted_service_access_enabled`);
        r.copy('properties.ipRules', [`${at}ip_rule`, `${at}ip_rules`], (v) =>
          Array.isArray(v)
            ? v.map(
                (x): Value =>
                  isObject(x)
                    ? { ipMask: x.ip_mask ?? null, action: x.action ?? 'Allow' }
                    : { ipMask: x, action: 'Allow' },
              )
            : undefined,
        );
      }
      return [d, r];
    },
  };
}

export const messagingMappings: TypeMapping[] = [
  namespaceMapping('azurerm_eventhub_namespace', EVENT_HUB, '2024-01-01', 'network_rulesets'),
  namespaceMapping('azurerm_servicebus_namespace', SERVICE_BUS, '2022-10-01-preview', 'network_rule_set'),
];
