import { Unknown, type ValueObject } from '../value.ts';
import { asString, define } from './registry.ts';

define('resourceGroup', 0, 0, (_args, site) => {
  const s = site.ctx.scope;
  const out: ValueObject = {
    id: `/subscriptions/${s.subscriptionId}/resourceGroups/${s.resourceGroupName}`,
    name: s.resourceGroupName,
    type: 'Microsoft.Resources/resourceGroups',
    // Never '': a location the run does not set is for the deployment to decide.
    location:
      s.resourceGroupLocation ||
      new Unknown(
        'resourceGroup().location is the location of the resource group deployed to; pass --location to set it',
        site.ctx.location,
      ),
    tags: {},
    properties: { provisioningState: 'Succeeded' },
  };
  return out;
});

define('subscription', 0, 0, (_args, site) => {
  const s = site.ctx.scope;
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.subscriptionDisplayName,
  };
});

define('tenant', 0, 0, (_args, site) => {
  const s = site.ctx.scope;
  // The tenant's country and name are not part of the configured scope: only Azure knows them.
  return {
    countryCode: new Unknown('tenant().countryCode is known only at deployment', site.ctx.location),
    displayName: new Unknown('tenant().displayName is known only at deployment', site.ctx.location),
    id: `/tenants/${s.tenantId}`,
    tenantId: s.tenantId,
  };
});

define('managementGroup', 0, 1, (args, site) => {
  const s = site.ctx.scope;
  const name = args.length === 1 ? asString(args, 0, site) : s.managementGroupName;
  return {
    id: `/providers/Microsoft.Management/managementGroups/${name}`,
    name,
    type: '/providers/Microsoft.Management/managementGroups',
    properties: { tenantId: s.tenantId, displayName: name },
  };
});
