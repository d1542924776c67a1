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
  resourcesBeside,
  sameText,
  unknown,
  unlistedRelations,
} from './define.ts';
import { judgeUnset } from './platform-defaults.ts';

const APP_GATEWAY = 'Microsoft.Network/applicationGateways';
const AGW_WAF_POLICY = 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies';
const FD_WAF_POLICY = 'Microsoft.Network/frontDoorWebApplicationFirewallPolicies';
const CDN_PROFILE = 'Microsoft.Cdn/profiles';
const CDN_SECURITY_POLICY = 'Microsoft.Cdn/profiles/securityPolicies';
const CDN_CUSTOM_DOMAIN = 'Microsoft.Cdn/profiles/customDomains';
const CLASSIC_FRONT_DOOR = 'Microsoft.Network/frontDoors';

const AGW_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.network/applicationgateways';
const AGW_WAF_DOCS =
  'https://learn.microsoft.com/azure/templates/microsoft.network/applicationgatewaywebapplicationfirewallpolicies';
const FD_WAF_DOCS =
  'https://learn.microsoft.com/azure/templates/microsoft.network/frontdoorwebapplicationfirewallpolicies';

/** Predefined Application Gateway TLS policies whose minimum protocol is TLS 1.2. */
const STRONG_AGW_POLICIES = ['AppGwSslPolicy20170401S', 'AppGwSslPolicy20220101', 'AppGwSslPolicy20220101S'];

function isSet(v: Value | undefined): boolean {
  return v !== undefined && v !== null && v !== '';
}

function unknownAt(r: AzureResource, what: string, path: string, v: Unknown): CheckOutcome {
  return unknown(r, `cannot decide whether ${what}: ${path} is unknown (${v.reason})`, path, v);
}

/** Reads a WAF policy's enabled state and mode; shared by Application Gateway and Front Door policies. */
function wafPolicyMode(r: AzureResource, statePath: string, stateOn: string): CheckOutcome {
  const state = getPath(r.body, statePath);
  if (state instanceof Unknown) return unknownAt(r, 'the WAF policy is enabled', statePath, state);
  if (state !== undefined && !sameText(state, stateOn)) {
    return fail(r, `the WAF policy is not enforced: ${statePath} = ${JSON.stringify(state)}`, statePath, {
      path: statePath,
      value: state,
    });
  }
  return checkProperty(r, {
    path: 'properties.policySettings.mode',
    test: (v) => sameText(v, 'Prevention'),
    whenMissing: 'fail',
    expectation: 'the WAF policy is enabled in Prevention mode',
  });
}

/** Whether a managed rule set list holds at least one known rule set; `unknown` when it cannot tell. */
function managedRuleSets(r: AzureResource, accept: (ruleSetType: string) => boolean): CheckOutcome {
  const path = 'properties.managedRules.managedRuleSets';
  const sets = getPath(r.body, path);
  if (sets instanceof Unknown) return unknownAt(r, 'a managed rule set is used', path, sets);
  if (!Array.isArray(sets) || sets.length === 0) {
    return fail(r, `the WAF policy has no managed rule set (${path} is empty or not set)`, path, {
      path,
      value: sets ?? null,
    });
  }
  const types: string[] = [];
  let unknownType: { at: string; value: Unknown } | undefined;
  sets.forEach((set, i) => {
    const type = getPath(set, 'ruleSetType');
    if (type instanceof Unknown) unknownType ??= { at: `${path}[${i}].ruleSetType`, value: type };
    else if (typeof type === 'string') types.push(type);
  });
  const good = types.find(accept);
  if (good) return pass(r, `the WAF policy uses the managed rule set ${good}`, path, { path, value: types });
  if (unknownType) return unknownAt(r, 'a managed rule set is used', unknownType.at, unknownType.value);
  return fail(
    r,
    `the WAF policy uses no recognised managed rule set (found ${types.join(', ') || 'none'})`,
    path,
    {
      path,
      value: types,
    },
  );
}

/**
 * Child resources of `parent` of the given full type, by the `parent/child` name convention,
 * among those its own template file and nested deployment declare.
 */
function childrenOf(
  context: AzureCheckContext,
  parent: AzureResource,
  parentName: string,
  type: string,
): { found: AzureResource[]; unknownName?: Unknown } {
  const prefix = `${parentName.toLowerCase()}/`;
  const found: AzureResource[] = [];
  let unknownName: Unknown | undefined;
  for (const child of resourcesBeside(context, parent, type)) {
    if (child.name instanceof Unknown) unknownName ??= child.name;
    else if (child.name.toLowerCase().startsWith(prefix)) found.push(child);
  }
  if (found.length === 0) unknownName ??= unlistedRelations(parent);
  return unknownName ? { found, unknownName } : { found };
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-AGW-001',
    title: 'Application Gateway uses the WAF tier with a web application firewall enabled',
    severity: 'high',
    rationale:
      'An Application Gateway without a web application firewall forwards every HTTP request to the back end ' +
      'unfiltered, so injection, cross-site scripting and other OWASP Top 10 attacks reach the application. ' +
      'Internet-facing government services should inspect and filter traffic at the application layer.',
    remediation:
      "Set `properties.sku.tier` to `'WAF_v2'` and associate a WAF policy with `properties.firewallPolicy.id` " +
      '(or set `properties.webApplicationFirewallConfiguration.enabled` to `true` on older gateways).',
    references: [AGW_DOCS, 'https://learn.microsoft.com/azure/web-application-firewall/ag/ag-overview'],
    resourceTypes: [APP_GATEWAY],
    evaluate: (r) => {
      const tierPath = 'properties.sku.tier';
      const tier = getPath(r.body, tierPath);
      if (tier instanceof Unknown) return unknownAt(r, 'the gateway uses the WAF tier', tierPath, tier);
      if (!(typeof tier === 'string' && (sameText(tier, 'WAF_v2') || sameText(tier, 'WAF')))) {
        return fail(
          r,
          `the gateway tier ${JSON.stringify(tier ?? null)} has no web application firewall`,
          tierPath,
          {
            path: tierPath,
            value: tier ?? null,
          },
        );
      }
      const policy = getPath(r.body, 'properties.firewallPolicy');
      if (policy instanceof Unknown) {
        return unknownAt(r, 'a WAF policy is associated', 'properties.firewallPolicy', policy);
      }
      const policyId = getPath(policy, 'id');
      if (policyId instanceof Unknown && isObject(policy)) {
        // The policy is associated; only its id is not known until deployment.
        return pass(r, 'a WAF policy is associated with the gateway', 'properties.firewallPolicy.id', {
          path: 'properties.firewallPolicy.id',
          value: policyId.toJSON(),
        });
      }
      if (typeof policyId === 'string' && policyId.length > 0) {
        return pass(r, 'a WAF policy is associated with the gateway', 'properties.firewallPolicy.id', {
          path: 'properties.firewallPolicy.id',
          value: policyId,
        });
      }
      return checkProperty(r, {
        path: 'properties.webApplicationFirewallConfiguration.enabled',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'a WAF policy is associated or the WAF configuration is enabled',
      });
    },
  }),
  defineCheck({
    id: 'AZ-AGW-002',
    title: 'Application Gateway inline WAF configuration runs in Prevention mode',
    severity: 'high',
    rationale:
      'In Detection mode the web application firewall only logs the attacks it recognises and still forwards ' +
      'them to the application. Prevention mode blocks them, which is the protection the WAF is deployed for.',
    remediation:
      "Set `properties.webApplicationFirewallConfiguration.firewallMode` to `'Prevention'`, or better, move to a " +
      "WAF policy (`properties.firewallPolicy.id`) whose `policySettings.mode` is `'Prevention'`.",
    references: [
      AGW_DOCS,
      'https://learn.microsoft.com/azure/web-application-firewall/ag/ag-overview#waf-modes',
    ],
    resourceTypes: [APP_GATEWAY],
    evaluate: (r) => {
      const policy = getPath(r.body, 'properties.firewallPolicy');
      if (isObject(policy) || policy instanceof Unknown) {
        return notApplicable(
          r,
          'the gateway uses a WAF policy; its mode is checked on the policy (AZ-AGW-004)',
        );
      }
      const configPath = 'properties.webApplicationFirewallConfiguration';
      const config = getPath(r.body, configPath);
      if (config === undefined || config === null) {
        return notApplicable(r, 'the gateway has no inline WAF configuration');
      }
      if (config instanceof Unknown)
        return unknownAt(r, 'the WAF runs in Prevention mode', configPath, config);
      const enabled = getPath(config, 'enabled');
      if (enabled === false)
        return notApplicable(r, 'the inline WAF configuration is disabled (see AZ-AGW-001)');
      return checkProperty(r, {
        path: `${configPath}.firewallMode`,
        test: (v) => sameText(v, 'Prevention'),
        whenMissing: 'fail',
        expectation: 'the WAF runs in Prevention mode',
      });
    },
  }),
  defineCheck({
    id: 'AZ-AGW-003',
    title: 'Application Gateway TLS policy requires TLS 1.2 or later',
    severity: 'high',
    rationale:
      'The TLS policy decides which protocol versions and cipher suites clients may negotiate with the gateway. ' +
      'Older predefined policies, and the default for gateways created with API versions before 2023-02-01, ' +
      'still allow TLS 1.0 and 1.1, which are not approved for protecting government data in transit. ' +
      'An unset policy is judged by the default of the API version used (the policy in docs/calibration.md).',
    remediation:
      "Set `properties.sslPolicy` to `{ policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' }`, or " +
      "a `CustomV2` policy with `minProtocolVersion: 'TLSv1_2'` and only AES-GCM ECDHE cipher suites.",
    references: [
      AGW_DOCS,
      'https://learn.microsoft.com/azure/application-gateway/application-gateway-ssl-policy-overview',
      'docs/calibration.md',
    ],
    resourceTypes: [APP_GATEWAY],
    evaluate: (r, context) => {
      const path = 'properties.sslPolicy';
      const policy = getPath(r.body, path);
      if (policy instanceof Unknown) return unknownAt(r, 'the TLS policy requires TLS 1.2', path, policy);
      const evidence = (value: Value | undefined) => ({
        path,
        value: value ?? null,
        apiVersion: r.apiVersion,
      });
      // Without a policy (or a policy type), the API version's default policy applies (platform-defaults.ts).
      const byDefault = () =>
        judgeUnset(r, context, 'appGatewaySslPolicy', {
          path,
          test: (v) => typeof v === 'string' && STRONG_AGW_POLICIES.some((p) => sameText(p, v)),
          expectation: 'the TLS policy requires TLS 1.2 or later',
        });
      if (!isObject(policy)) return byDefault();
      const type = getPath(policy, 'policyType');
      const name = getPath(policy, 'policyName');
      const min = getPath(policy, 'minProtocolVersion');
      const disabled = getPath(policy, 'disabledSslProtocols');
      if (type instanceof Unknown)
        return unknownAt(r, 'the TLS policy requires TLS 1.2', `${path}.policyType`, type);
      const custom = typeof type === 'string' && (sameText(type, 'Custom') || sameText(type, 'CustomV2'));
      if (!custom && name !== undefined) {
        const namePath = `${path}.policyName`;
        if (name instanceof Unknown) return unknownAt(r, 'the TLS policy requires TLS 1.2', namePath, name);
        const ok = typeof name === 'string' && STRONG_AGW_POLICIES.some((p) => sameText(name, p));
        return ok
          ? pass(r, `the predefined TLS policy ${name} requires TLS 1.2 or later`, namePath, evidence(name))
          : fail(
              r,
              `the predefined TLS policy ${JSON.stringify(name)} allows TLS versions before 1.2`,
              namePath,
              evidence(name),
            );
      }
      if (custom || min !== undefined) {
        const minPath = `${path}.minProtocolVersion`;
        if (min instanceof Unknown) return unknownAt(r, 'the TLS policy requires TLS 1.2', minPath, min);
        const ok = typeof min === 'string' && (sameText(min, 'TLSv1_2') || sameText(min, 'TLSv1_3'));
        return ok
          ? pass(r, `the custom TLS policy requires ${min} or later`, minPath, evidence(min))
          : fail(
              r,
              `the custom TLS policy allows protocol versions below TLS 1.2 (minProtocolVersion = ${JSON.stringify(min ?? null)})`,
              min === undefined ? path : minPath,
              evidence(min),
            );
      }
      if (disabled !== undefined) {
        const disabledPath = `${path}.disabledSslProtocols`;
        if (disabled instanceof Unknown)
          return unknownAt(r, 'the TLS policy requires TLS 1.2', disabledPath, disabled);
        const list = Array.isArray(disabled) ? disabled : [];
        const off = (v: string) => list.some((p) => sameText(p, v));
        return off('TLSv1_0') && off('TLSv1_1')
          ? pass(r, 'TLS 1.0 and 1.1 are disabled', disabledPath, evidence(disabled))
          : fail(
              r,
              'the TLS policy does not disable both TLS 1.0 and TLS 1.1',
              disabledPath,
              evidence(disabled),
            );
      }
      return byDefault();
    },
  }),
  defineCheck({
    id: 'AZ-AGW-004',
    title: 'Application Gateway WAF policy is enabled in Prevention mode',
    severity: 'high',
    rationale:
      'A WAF policy that is disabled, or in Detection mode, lets every attack it recognises through to the ' +
      'application and only records it. Prevention mode is needed for the firewall to protect the service.',
    remediation:
      "Set `properties.policySettings.state` to `'Enabled'` and `properties.policySettings.mode` to `'Prevention'`.",
    references: [
      AGW_WAF_DOCS,
      'https://learn.microsoft.com/azure/web-application-firewall/ag/policy-overview',
    ],
    resourceTypes: [AGW_WAF_POLICY],
    evaluate: (r) => wafPolicyMode(r, 'properties.policySettings.state', 'Enabled'),
  }),
  defineCheck({
    id: 'AZ-AGW-005',
    title: 'Application Gateway WAF policy uses a managed rule set',
    severity: 'medium',
    rationale:
      'Managed rule sets (the Microsoft default rule set or the OWASP core rule set) carry the signatures for ' +
      'common web attacks and are kept current by Microsoft. A policy with only custom rules protects against ' +
      'little more than what its authors thought of.',
    remediation:
      "Add an entry to `properties.managedRules.managedRuleSets`, e.g. `{ ruleSetType: 'Microsoft_DefaultRuleSet', " +
      "ruleSetVersion: '2.1' }` or `{ ruleSetType: 'OWASP', ruleSetVersion: '3.2' }`.",
    references: [
      AGW_WAF_DOCS,
      'https://learn.microsoft.com/azure/web-application-firewall/ag/application-gateway-crs-rulegroups-rules',
    ],
    resourceTypes: [AGW_WAF_POLICY],
    evaluate: (r) =>
      managedRuleSets(r, (t) => sameText(t, 'OWASP') || sameText(t, 'Microsoft_DefaultRuleSet')),
  }),
  defineCheck({
    id: 'AZ-FD-001',
    title: 'Front Door WAF policy is enabled in Prevention mode',
    severity: 'high',
    rationale:
      'Front Door is the internet edge of the applications behind it. A WAF policy that is disabled or only in ' +
      'Detection mode records attacks without stopping them, leaving origin applications exposed.',
    remediation:
      "Set `properties.policySettings.enabledState` to `'Enabled'` and `properties.policySettings.mode` to `'Prevention'`.",
    references: [
      FD_WAF_DOCS,
      'https://learn.microsoft.com/azure/web-application-firewall/afds/waf-front-door-policy-settings',
    ],
    resourceTypes: [FD_WAF_POLICY],
    evaluate: (r) => wafPolicyMode(r, 'properties.policySettings.enabledState', 'Enabled'),
  }),
  defineCheck({
    id: 'AZ-FD-002',
    title: 'Front Door WAF policy uses a managed rule set (Premium tier)',
    severity: 'medium',
    rationale:
      'Managed rule sets provide maintained protection against common web attacks and malicious bots. Front ' +
      'Door Standard policies cannot use them at all, so an internet-facing service relying on Standard has ' +
      'only its custom rules between attackers and the origin.',
    remediation:
      "Use `sku.name: 'Premium_AzureFrontDoor'` and add `properties.managedRules.managedRuleSets` entries, e.g. " +
      "`{ ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1', ruleSetAction: 'Block' }`.",
    references: [
      FD_WAF_DOCS,
      'https://learn.microsoft.com/azure/web-application-firewall/afds/waf-front-door-drs',
    ],
    resourceTypes: [FD_WAF_POLICY],
    evaluate: (r) => {
      const sku = getPath(r.body, 'sku.name');
      if (sku instanceof Unknown) return unknownAt(r, 'managed rule sets are available', 'sku.name', sku);
      if (typeof sku === 'string' && sameText(sku, 'Standard_AzureFrontDoor')) {
        return fail(
          r,
          'the Standard tier cannot use managed rule sets; use Premium_AzureFrontDoor',
          'sku.name',
          {
            path: 'sku.name',
            value: sku,
          },
        );
      }
      return managedRuleSets(
        r,
        (t) =>
          sameText(t, 'Microsoft_DefaultRuleSet') || sameText(t, 'DefaultRuleSet') || sameText(t, 'OWASP'),
      );
    },
  }),
  defineCheck({
    id: 'AZ-FD-003',
    title: 'Front Door (Standard/Premium) profile is protected by a WAF security policy',
    severity: 'high',
    rationale:
      'A Front Door profile only filters traffic when a security policy associates a WAF policy with its ' +
      'domains. Without one, every request is passed to the origins unchecked.',
    remediation:
      "Declare a `Microsoft.Cdn/profiles/securityPolicies` child with `properties.parameters.type: 'WebApplicationFirewall'`, " +
      '`wafPolicy.id` set to a Front Door WAF policy and `associations` covering the domains (`patternsToMatch: ["/*"]`).',
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.cdn/profiles/securitypolicies',
      'https://learn.microsoft.com/azure/web-application-firewall/afds/afds-overview',
    ],
    resourceTypes: [CDN_PROFILE],
    evaluate: (r, context) => {
      const sku = getPath(r.body, 'sku.name');
      if (sku instanceof Unknown) return unknownAt(r, 'the profile is a Front Door profile', 'sku.name', sku);
      if (!(typeof sku === 'string' && sku.toLowerCase().endsWith('_azurefrontdoor'))) {
        return notApplicable(
          r,
          `the profile is not a Front Door Standard/Premium profile (sku ${JSON.stringify(sku ?? null)})`,
        );
      }
      const name = r.name;
      if (name instanceof Unknown) {
        return unknown(
          r,
          `cannot match security policies to the profile: its name is unknown (${name.reason})`,
          undefined,
          name,
        );
      }
      const { found, unknownName } = childrenOf(context, r, name, CDN_SECURITY_POLICY);
      let undecided: { policy: AzureResource; value: Unknown } | undefined;
      for (const policy of found) {
        const type = getPath(policy.body, 'properties.parameters.type');
        const waf = getPath(policy.body, 'properties.parameters.wafPolicy.id');
        if (type instanceof Unknown || waf instanceof Unknown) {
          undecided ??= { policy, value: type instanceof Unknown ? type : (waf as Unknown) };
          continue;
        }
        if (typeof type === 'string' && sameText(type, 'WebApplicationFirewall') && isSet(waf)) {
          return pass(
            r,
            `the security policy ${String(policy.name)} associates a WAF policy with the profile`,
            undefined,
            {
              securityPolicy: String(policy.name),
              wafPolicy: waf,
            },
          );
        }
      }
      const why = undecided?.value ?? unknownName;
      if (why) {
        return unknown(
          r,
          `cannot decide whether a WAF security policy protects the profile (${why.reason})`,
          undefined,
          why,
        );
      }
      return fail(
        r,
        'no WAF security policy (Microsoft.Cdn/profiles/securityPolicies) is declared for the profile',
        undefined,
        {
          securityPolicies: found.map((p) => String(p.name)),
        },
      );
    },
  }),
  defineCheck({
    id: 'AZ-FD-004',
    title: 'Front Door (classic) frontend endpoints are linked to a WAF policy',
    severity: 'high',
    rationale:
      'Classic Front Door applies a web application firewall per frontend endpoint. An endpoint without a WAF ' +
      'policy link forwards every request to the back ends unfiltered. Classic Front Door is also being retired, ' +
      'so new deployments should use Front Door Standard/Premium.',
    remediation:
      'Set `properties.webApplicationFirewallPolicyLink.id` on each entry of `properties.frontendEndpoints` to a ' +
      'Front Door WAF policy, and plan migration to `Microsoft.Cdn/profiles` (Premium_AzureFrontDoor).',
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.network/frontdoors',
      'https://learn.microsoft.com/azure/frontdoor/tier-migration',
    ],
    resourceTypes: [CLASSIC_FRONT_DOOR],
    evaluate: (r) => {
      const path = 'properties.frontendEndpoints';
      const endpoints = getPath(r.body, path);
      if (endpoints instanceof Unknown)
        return unknownAt(r, 'frontend endpoints have a WAF policy', path, endpoints);
      if (!Array.isArray(endpoints) || endpoints.length === 0) {
        return notApplicable(r, 'the Front Door declares no frontend endpoints');
      }
      return endpoints.map((endpoint, i) => {
        const linkPath = `${path}[${i}].properties.webApplicationFirewallPolicyLink.id`;
        const label = getPath(endpoint, 'name');
        const shown = typeof label === 'string' ? label : `#${i}`;
        const link = getPath(endpoint, 'properties.webApplicationFirewallPolicyLink.id');
        if (link instanceof Unknown) {
          return getPath(endpoint, 'properties.webApplicationFirewallPolicyLink') instanceof Unknown
            ? unknownAt(r, `frontend endpoint ${shown} has a WAF policy`, linkPath, link)
            : pass(r, `frontend endpoint ${shown} is linked to a WAF policy`, linkPath, {
                path: linkPath,
                value: link.toJSON(),
              });
        }
        return isSet(link)
          ? pass(r, `frontend endpoint ${shown} is linked to a WAF policy`, linkPath, {
              path: linkPath,
              value: link ?? null,
            })
          : fail(r, `frontend endpoint ${shown} has no WAF policy link`, linkPath, {
              path: linkPath,
              value: null,
            });
      });
    },
  }),
  defineCheck({
    id: 'AZ-FD-005',
    title: 'Front Door custom domains require TLS 1.2 or later',
    severity: 'high',
    rationale:
      'The minimum TLS version of a Front Door custom domain decides what clients may negotiate at the edge. ' +
      'Allowing TLS 1.0 exposes the traffic of a government service to protocol downgrade and known weaknesses.',
    remediation: "Set `properties.tlsSettings.minimumTlsVersion` to `'TLS12'` (the default) or `'TLS13'`.",
    references: ['https://learn.microsoft.com/azure/templates/microsoft.cdn/profiles/customdomains'],
    resourceTypes: [CDN_CUSTOM_DOMAIN],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.tlsSettings.minimumTlsVersion',
        test: (v) => sameText(v, 'TLS12') || sameText(v, 'TLS13'),
        whenMissing: 'pass',
        expectation: 'the minimum TLS version is TLS 1.2 or later',
      }),
  }),
];
