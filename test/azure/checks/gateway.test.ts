import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const agw = (properties: unknown, apiVersion = '2023-09-01') => ({
  type: 'Microsoft.Network/applicationGateways',
  apiVersion,
  name: 'agw',
  location: 'australiaeast',
  properties,
});
const agwPolicy = (properties: unknown) => ({
  type: 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies',
  apiVersion: '2023-09-01',
  name: 'agw-waf',
  location: 'australiaeast',
  properties,
});
const fdPolicy = (properties: unknown, sku = 'Premium_AzureFrontDoor') => ({
  type: 'Microsoft.Network/frontDoorWebApplicationFirewallPolicies',
  apiVersion: '2022-05-01',
  name: 'fdwaf',
  location: 'Global',
  sku: { name: sku },
  properties,
});
const profile = (sku: unknown, resources: unknown[] = []) => ({
  type: 'Microsoft.Cdn/profiles',
  apiVersion: '2023-05-01',
  name: 'afd',
  location: 'Global',
  sku: { name: sku },
  resources,
});
const securityPolicy = (parameters: unknown) => ({
  type: 'securityPolicies',
  apiVersion: '2023-05-01',
  name: 'waf',
  dependsOn: ['afd'],
  properties: { parameters },
});
const WAF_ID = "[resourceId('Microsoft.Network/frontDoorWebApplicationFirewallPolicies', 'fdwaf')]";
const classic = (frontendEndpoints: unknown) => ({
  type: 'Microsoft.Network/frontDoors',
  apiVersion: '2021-06-01',
  name: 'fdclassic',
  location: 'Global',
  properties: { frontendEndpoints },
});
const customDomain = (properties: unknown) => ({
  type: 'Microsoft.Cdn/profiles/customDomains',
  apiVersion: '2023-05-01',
  name: 'afd/www',
  properties,
});

runCases('AZ-AGW-001', [
  {
    name: 'passes with WAF_v2 and an associated WAF policy',
    resources: [
      agw({
        sku: { name: 'WAF_v2', tier: 'WAF_v2' },
        firewallPolicy: {
          id: "[resourceId('Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', 'agw-waf')]",
        },
      }),
    ],
    expect: [['pass', '"id"']],
  },
  {
    name: 'passes with WAF_v2 and an enabled inline WAF configuration',
    resources: [
      agw({
        sku: { name: 'WAF_v2', tier: 'WAF_v2' },
        webApplicationFirewallConfiguration: { enabled: true, firewallMode: 'Prevention' },
      }),
    ],
    expect: [['pass', '"enabled"']],
  },
  {
    name: 'fails on the Standard_v2 tier',
    resources: [agw({ sku: { name: 'Standard_v2', tier: 'Standard_v2' } })],
    expect: [['fail', '"tier"']],
  },
  {
    name: 'fails on the WAF tier with the inline WAF disabled',
    resources: [
      agw({
        sku: { name: 'WAF_v2', tier: 'WAF_v2' },
        webApplicationFirewallConfiguration: { enabled: false, firewallMode: 'Prevention' },
      }),
    ],
    expect: [['fail', '"enabled"']],
  },
  {
    name: 'is unknown when the tier comes from a parameter without a value',
    resources: [agw({ sku: { name: 'WAF_v2', tier: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"tier"']],
  },
  {
    name: 'is unknown when the inline WAF switch comes from reference()',
    resources: [
      agw({ sku: { name: 'WAF_v2', tier: 'WAF_v2' }, webApplicationFirewallConfiguration: { enabled: REF } }),
    ],
    expect: [['unknown', '"enabled"']],
  },
]);

runCases('AZ-AGW-002', [
  {
    name: 'passes when the inline WAF runs in Prevention mode',
    resources: [
      agw({
        sku: { tier: 'WAF_v2' },
        webApplicationFirewallConfiguration: { enabled: true, firewallMode: 'Prevention' },
      }),
    ],
    expect: [['pass', '"firewallMode"']],
  },
  {
    name: 'fails when the inline WAF runs in Detection mode',
    resources: [
      agw({
        sku: { tier: 'WAF_v2' },
        webApplicationFirewallConfiguration: { enabled: true, firewallMode: 'Detection' },
      }),
    ],
    expect: [['fail', '"firewallMode"']],
  },
  {
    name: 'is unknown when the mode comes from a parameter without a value',
    resources: [
      agw({
        sku: { tier: 'WAF_v2' },
        webApplicationFirewallConfiguration: { enabled: true, firewallMode: P },
      }),
    ],
    parameters: noValue('string'),
    expect: [['unknown', '"firewallMode"']],
  },
  {
    name: 'is not applicable when a WAF policy is associated',
    resources: [agw({ sku: { tier: 'WAF_v2' }, firewallPolicy: { id: 'x' } })],
    expect: [['not-applicable', { resource: 'agw' }]],
  },
]);

runCases('AZ-AGW-003', [
  {
    name: 'passes with the predefined AppGwSslPolicy20220101S policy',
    resources: [agw({ sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' } })],
    expect: [['pass', '"policyName"']],
  },
  {
    name: 'passes with a CustomV2 policy at TLS 1.2',
    resources: [
      agw({ sslPolicy: { policyType: 'CustomV2', minProtocolVersion: 'TLSv1_2', cipherSuites: [] } }),
    ],
    expect: [['pass', '"minProtocolVersion"']],
  },
  {
    name: 'passes with no policy on API version 2023-02-01 or later (default AppGwSslPolicy20220101)',
    resources: [agw({ sku: { tier: 'WAF_v2' } }, '2023-02-01')],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails with no policy on an older API version (default allows TLS 1.0)',
    resources: [agw({ sku: { tier: 'WAF_v2' } }, '2022-09-01')],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'fails with the predefined AppGwSslPolicy20150501 policy',
    resources: [agw({ sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20150501' } })],
    expect: [['fail', '"policyName"']],
  },
  {
    name: 'fails with a Custom policy allowing TLS 1.0',
    resources: [agw({ sslPolicy: { policyType: 'Custom', minProtocolVersion: 'TLSv1_0' } })],
    expect: [['fail', '"minProtocolVersion"']],
  },
  {
    name: 'fails when legacy disabledSslProtocols leaves TLS 1.1 on',
    resources: [agw({ sslPolicy: { disabledSslProtocols: ['TLSv1_0'] } }, '2020-05-01')],
    expect: [['fail', '"disabledSslProtocols"']],
  },
  {
    name: 'is unknown when the policy name comes from a parameter without a value',
    resources: [agw({ sslPolicy: { policyType: 'Predefined', policyName: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"policyName"']],
  },
]);

runCases('AZ-AGW-004', [
  {
    name: 'passes when the policy is enabled in Prevention mode',
    resources: [agwPolicy({ policySettings: { state: 'Enabled', mode: 'Prevention' } })],
    expect: [['pass', '"mode"']],
  },
  {
    name: 'fails in Detection mode',
    resources: [agwPolicy({ policySettings: { state: 'Enabled', mode: 'Detection' } })],
    expect: [['fail', '"mode"']],
  },
  {
    name: 'fails when the policy is disabled',
    resources: [agwPolicy({ policySettings: { state: 'Disabled', mode: 'Prevention' } })],
    expect: [['fail', '"state"']],
  },
  {
    name: 'is unknown when the mode comes from a parameter without a value',
    resources: [agwPolicy({ policySettings: { state: 'Enabled', mode: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"mode"']],
  },
]);

runCases('AZ-AGW-005', [
  {
    name: 'passes with the OWASP 3.2 rule set',
    resources: [
      agwPolicy({ managedRules: { managedRuleSets: [{ ruleSetType: 'OWASP', ruleSetVersion: '3.2' }] } }),
    ],
    expect: [['pass', '"managedRuleSets"']],
  },
  {
    name: 'fails with no managed rule sets',
    resources: [agwPolicy({ managedRules: { managedRuleSets: [] } })],
    expect: [['fail', '"managedRuleSets"']],
  },
  {
    name: 'fails with only an unrecognised rule set',
    resources: [
      agwPolicy({
        managedRules: { managedRuleSets: [{ ruleSetType: 'Custom_Thing', ruleSetVersion: '1' }] },
      }),
    ],
    expect: [['fail', '"managedRuleSets"']],
  },
  {
    name: 'is unknown when the rule sets come from a parameter without a value',
    resources: [agwPolicy({ managedRules: { managedRuleSets: P } })],
    parameters: noValue('array'),
    expect: [['unknown', '"managedRuleSets"']],
  },
]);

runCases('AZ-FD-001', [
  {
    name: 'passes when enabled in Prevention mode',
    resources: [fdPolicy({ policySettings: { enabledState: 'Enabled', mode: 'Prevention' } })],
    expect: [['pass', '"mode"']],
  },
  {
    name: 'fails in Detection mode',
    resources: [fdPolicy({ policySettings: { enabledState: 'Enabled', mode: 'Detection' } })],
    expect: [['fail', '"mode"']],
  },
  {
    name: 'fails when disabled',
    resources: [fdPolicy({ policySettings: { enabledState: 'Disabled', mode: 'Prevention' } })],
    expect: [['fail', '"enabledState"']],
  },
  {
    name: 'is unknown when the state comes from a parameter without a value',
    resources: [fdPolicy({ policySettings: { enabledState: P, mode: 'Prevention' } })],
    parameters: noValue('string'),
    expect: [['unknown', '"enabledState"']],
  },
]);

runCases('AZ-FD-002', [
  {
    name: 'passes on Premium with the default rule set',
    resources: [
      fdPolicy({
        managedRules: {
          managedRuleSets: [
            { ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1', ruleSetAction: 'Block' },
          ],
        },
      }),
    ],
    expect: [['pass', '"managedRuleSets"']],
  },
  {
    name: 'fails on the Standard tier, which cannot use managed rules',
    resources: [fdPolicy({ customRules: { rules: [] } }, 'Standard_AzureFrontDoor')],
    expect: [['fail', { needle: '"name"', from: '"sku"' }]],
  },
  {
    name: 'fails on Premium with no managed rule set',
    resources: [fdPolicy({ policySettings: { mode: 'Prevention' } })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when the rule set type comes from a parameter without a value',
    resources: [fdPolicy({ managedRules: { managedRuleSets: [{ ruleSetType: P, ruleSetVersion: '2.1' }] } })],
    parameters: noValue('string'),
    expect: [['unknown', '"ruleSetType"']],
  },
]);

runCases('AZ-FD-003', [
  {
    name: 'passes when a WAF security policy is declared for the profile',
    resources: [
      profile('Premium_AzureFrontDoor', [
        securityPolicy({ type: 'WebApplicationFirewall', wafPolicy: { id: WAF_ID }, associations: [] }),
      ]),
    ],
    expect: [['pass', { resource: 'afd' }]],
  },
  {
    name: 'fails when the profile has no security policy',
    resources: [profile('Premium_AzureFrontDoor')],
    expect: [['fail', { resource: 'afd' }]],
  },
  {
    name: 'is not applicable to classic CDN profiles',
    resources: [profile('Standard_Microsoft')],
    expect: [['not-applicable', { resource: 'afd' }]],
  },
  {
    name: 'is unknown when the security policy type comes from a parameter without a value',
    resources: [profile('Standard_AzureFrontDoor', [securityPolicy({ type: P, wafPolicy: { id: WAF_ID } })])],
    parameters: noValue('string'),
    expect: [['unknown', { resource: 'afd' }]],
  },
]);

runCases('AZ-FD-004', [
  {
    name: 'reports each frontend endpoint: linked passes, unlinked fails',
    resources: [
      classic([
        {
          name: 'linked',
          properties: { hostName: 'a.azurefd.net', webApplicationFirewallPolicyLink: { id: WAF_ID } },
        },
        { name: 'bare', properties: { hostName: 'b.azurefd.net' } },
      ]),
    ],
    expect: [
      ['pass', { needle: '"id"', from: '"webApplicationFirewallPolicyLink"' }],
      ['fail', { needle: '"properties"', from: '"bare"' }],
    ],
  },
  {
    name: 'is unknown when the endpoints come from a parameter without a value',
    resources: [classic(P)],
    parameters: noValue('array'),
    expect: [['unknown', '"frontendEndpoints"']],
  },
]);

runCases('AZ-FD-005', [
  {
    name: 'passes with TLS12',
    resources: [
      customDomain({
        hostName: 'www.example.gov.au',
        tlsSettings: { certificateType: 'ManagedCertificate', minimumTlsVersion: 'TLS12' },
      }),
    ],
    expect: [['pass', '"minimumTlsVersion"']],
  },
  {
    name: 'passes when minimumTlsVersion is absent (default TLS12)',
    resources: [
      customDomain({
        hostName: 'www.example.gov.au',
        tlsSettings: { certificateType: 'ManagedCertificate' },
      }),
    ],
    expect: [['pass', '"tlsSettings"']],
  },
  {
    name: 'fails with TLS10',
    resources: [
      customDomain({ hostName: 'www.example.gov.au', tlsSettings: { minimumTlsVersion: 'TLS10' } }),
    ],
    expect: [['fail', '"minimumTlsVersion"']],
  },
  {
    name: 'is unknown when the version comes from a parameter without a value',
    resources: [customDomain({ hostName: 'www.example.gov.au', tlsSettings: { minimumTlsVersion: P } })],
    parameters: noValue('string'),
    expect: [['unknown', '"minimumTlsVersion"']],
  },
]);
