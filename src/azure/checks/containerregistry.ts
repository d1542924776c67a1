import { type AzureCheck, checkProperty, defineCheck, sameText } from './define.ts';
import { endpointCheck } from './endpoint-outcome.ts';
import { CALIBRATION_DOC, CALIBRATION_NOTE, checkWithPlatformDefault } from './platform-defaults.ts';

const ACR = 'Microsoft.ContainerRegistry/registries';
const ACR_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.containerregistry/registries';

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-ACR-001',
    title: 'Container registry admin user is disabled',
    severity: 'high',
    rationale:
      'The admin user is a single shared account with push and pull rights on every repository, whose ' +
      'passwords are long-lived and do not identify who used them. An attacker with those credentials can ' +
      'replace images that production systems run. Entra identities and scoped tokens should be used instead.',
    remediation: 'Set `properties.adminUserEnabled` to `false` (the default).',
    references: [
      ACR_DOCS,
      'https://learn.microsoft.com/azure/container-registry/container-registry-authentication#admin-account',
    ],
    resourceTypes: [ACR],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.adminUserEnabled',
        test: (v) => v === false,
        whenMissing: 'pass',
        expectation: 'the admin user is disabled',
      }),
  }),
  defineCheck({
    id: 'AZ-ACR-002',
    title: 'Container registry is not open to all public networks',
    severity: 'medium',
    rationale:
      'A registry reachable from any internet address can be probed for credentials and used to pull or push ' +
      'images from anywhere. Private endpoints, or a network rule set that denies by default, limit access to ' +
      'the build and runtime networks. The verdict is read from the same public-endpoint fact as the threat-and-risk assessment (docs/tra.md).',
    remediation:
      "Set `properties.publicNetworkAccess` to `'Disabled'` and use private endpoints, or set " +
      "`properties.networkRuleSet.defaultAction` to `'Deny'` with explicit `ipRules` (Premium SKU).",
    references: [
      ACR_DOCS,
      'https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks',
    ],
    resourceTypes: [ACR],
    // Any limit passes: Disabled or a network rule set that denies by default.
    evaluate: endpointCheck('container-registry', { what: 'the registry', acceptLimited: 'all' }),
  }),
  defineCheck({
    id: 'AZ-ACR-003',
    title: 'Container registry does not allow anonymous pull',
    severity: 'high',
    rationale:
      'Anonymous pull lets anyone on the internet download every image in the registry without signing in, ' +
      'exposing application code, configuration and any secrets baked into images. ' +
      CALIBRATION_NOTE,
    remediation: 'Set `properties.anonymousPullEnabled` to `false` (the default).',
    references: [
      ACR_DOCS,
      'https://learn.microsoft.com/azure/container-registry/anonymous-pull-access',
      CALIBRATION_DOC,
    ],
    resourceTypes: [ACR],
    evaluate: (r, context) =>
      checkWithPlatformDefault(r, context, 'acrAnonymousPull', {
        path: 'properties.anonymousPullEnabled',
        test: (v) => v === false,
        expectation: 'anonymous pull is disabled',
      }),
  }),
  defineCheck({
    id: 'AZ-ACR-004',
    title: 'Container registry uses the Premium SKU (private link, network rules, quarantine)',
    severity: 'low',
    rationale:
      'Private endpoints, network rule sets, customer-managed keys and the quarantine and retention policies ' +
      'are only available on the Premium SKU. Basic and Standard registries cannot be taken off the internet.',
    remediation: "Set `sku.name` to `'Premium'`.",
    references: [ACR_DOCS, 'https://learn.microsoft.com/azure/container-registry/container-registry-skus'],
    resourceTypes: [ACR],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'sku.name',
        test: (v) => sameText(v, 'Premium'),
        whenMissing: 'fail',
        expectation: 'the registry uses the Premium SKU',
      }),
  }),
];
