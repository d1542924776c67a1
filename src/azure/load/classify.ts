import type { JsonValue } from '../../json/parse.ts';

export type JsonFileKind = 'template' | 'parameters' | 'other';

/** Deployment template schemas for every scope (resource group, subscription, management group, tenant). */
const TEMPLATE_SCHEMA =
  /\/(deploymentTemplate|subscriptionDeploymentTemplate|managementGroupDeploymentTemplate|tenantDeploymentTemplate)\.json/i;
const PARAMETERS_SCHEMA = /\/deploymentParameters\.json/i;

/** Decides what a JSON file is by its `$schema`, as Azure tooling does. */
export function classify(value: JsonValue): JsonFileKind {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'other';
  const schema = value.$schema;
  if (typeof schema !== 'string') return 'other';
  if (TEMPLATE_SCHEMA.test(schema)) return 'template';
  if (PARAMETERS_SCHEMA.test(schema)) return 'parameters';
  return 'other';
}

/** Deployment scope implied by a template's schema. */
export function templateScopeLevel(
  schema: unknown,
): 'resourceGroup' | 'subscription' | 'managementGroup' | 'tenant' {
  const s = typeof schema === 'string' ? schema.toLowerCase() : '';
  if (s.includes('/subscriptiondeploymenttemplate')) return 'subscription';
  if (s.includes('/managementgroupdeploymenttemplate')) return 'managementGroup';
  if (s.includes('/tenantdeploymenttemplate')) return 'tenant';
  return 'resourceGroup';
}
