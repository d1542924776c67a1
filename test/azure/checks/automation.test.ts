import { runCases } from '../../helpers/check-cases.ts';

const variable = (properties: Record<string, unknown>) => ({
  type: 'Microsoft.Automation/automationAccounts/variables',
  apiVersion: '2023-11-01',
  name: 'aa/sqlConnection',
  properties: { value: '"Server=tcp:sql.example;"', ...properties },
});

runCases('AZ-AUT-001', [
  {
    name: 'passes when the variable is encrypted',
    resources: [variable({ isEncrypted: true })],
    expect: [['pass', '"isEncrypted"']],
  },
  {
    name: 'fails when the variable is not encrypted',
    resources: [variable({ isEncrypted: false })],
    expect: [['fail', '"isEncrypted"']],
  },
  {
    name: 'fails when isEncrypted is not set (default false)',
    resources: [variable({})],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when isEncrypted comes from a parameter without a value',
    resources: [variable({ isEncrypted: "[parameters('p')]" })],
    parameters: { p: { type: 'bool' } },
    expect: [['unknown', '"isEncrypted"']],
  },
]);
