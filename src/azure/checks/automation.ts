import { type AzureCheck, checkProperty, defineCheck } from './define.ts';

const VARIABLE = 'Microsoft.Automation/automationAccounts/variables';
const VARIABLE_DOCS =
  'https://learn.microsoft.com/azure/templates/microsoft.automation/automationaccounts/variables';

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-AUT-001',
    title: 'Automation account variables are encrypted',
    severity: 'low',
    rationale:
      'Automation variables often hold connection strings, keys or passwords that runbooks use. An unencrypted ' +
      "variable's value can be read back by anyone who can read the account (portal, API or exported templates); " +
      'an encrypted one is stored encrypted and only runbooks can read it. The ISM requires stored credentials ' +
      'to be protected. Encryption is opt-in: a variable is encrypted only when created with `isEncrypted: true`, and ' +
      'the setting cannot change afterwards (Automation variables documentation and REST reference, checked ' +
      '2026-12-04), so an unset value fails. ' +
      'Severity is low because a variable may hold nothing sensitive (a region, a name); such a variable can be ' +
      'accepted with a waiver.',
    remediation:
      'Set `properties.isEncrypted` to `true` when declaring the variable (recreate existing ones), and read it in ' +
      'runbooks with `Get-AutomationVariable`. Prefer Automation credentials or Key Vault for secrets.',
    references: [VARIABLE_DOCS, 'https://learn.microsoft.com/azure/automation/shared-resources/variables'],
    resourceTypes: [VARIABLE],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.isEncrypted',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'the variable is encrypted (isEncrypted true)',
      }),
  }),
];
