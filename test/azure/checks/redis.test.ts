import { runCases } from '../../helpers/check-cases.ts';

/** A parameter with no default and no value: whatever reads it is unknown. */
const noValue = (type: string) => ({ p: { type } });
const P = "[parameters('p')]";
/** A value only known at deployment. */
const REF = "[reference(resourceId('Microsoft.Network/virtualNetworks', 'elsewhere')).flag]";

const redis = (properties: unknown) => ({
  type: 'Microsoft.Cache/redis',
  apiVersion: '2024-03-01',
  name: 'cache',
  location: 'australiaeast',
  properties,
});

runCases('AZ-REDIS-001', [
  {
    name: 'passes when enableNonSslPort is false',
    resources: [redis({ enableNonSslPort: false })],
    expect: [['pass', '"enableNonSslPort"']],
  },
  {
    name: 'passes when enableNonSslPort is absent (default false)',
    resources: [redis({ minimumTlsVersion: '1.2' })],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails when enableNonSslPort is true',
    resources: [redis({ enableNonSslPort: true })],
    expect: [['fail', '"enableNonSslPort"']],
  },
  {
    name: 'is unknown when enableNonSslPort comes from a parameter without a value',
    resources: [redis({ enableNonSslPort: P })],
    parameters: noValue('bool'),
    expect: [['unknown', '"enableNonSslPort"']],
  },
]);

runCases('AZ-REDIS-002', [
  {
    name: 'passes with minimumTlsVersion 1.2',
    resources: [redis({ minimumTlsVersion: '1.2' })],
    expect: [['pass', '"minimumTlsVersion"']],
  },
  {
    name: 'passes when minimumTlsVersion is absent (new caches accept only TLS 1.2+)',
    resources: [redis({ enableNonSslPort: false })],
    expect: [['pass', '"properties"']],
  },
  {
    name: 'fails with minimumTlsVersion 1.0',
    resources: [redis({ minimumTlsVersion: '1.0' })],
    expect: [['fail', '"minimumTlsVersion"']],
  },
  {
    name: 'fails with minimumTlsVersion 1.1',
    resources: [redis({ minimumTlsVersion: '1.1' })],
    expect: [['fail', '"minimumTlsVersion"']],
  },
  {
    name: 'is unknown when minimumTlsVersion comes from reference()',
    resources: [redis({ minimumTlsVersion: REF })],
    expect: [['unknown', '"minimumTlsVersion"']],
  },
]);

runCases('AZ-REDIS-003', [
  {
    name: 'passes when publicNetworkAccess is Disabled',
    resources: [redis({ publicNetworkAccess: 'Disabled' })],
    expect: [['pass', '"publicNetworkAccess"']],
  },
  {
    name: 'passes when the cache is injected into a subnet',
    resources: [
      redis({
        subnetId:
          '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s',
      }),
    ],
    expect: [['pass', '"subnetId"']],
  },
  {
    name: 'fails when publicNetworkAccess is Enabled',
    resources: [redis({ publicNetworkAccess: 'enabled' })],
    expect: [['fail', '"publicNetworkAccess"']],
  },
  {
    name: 'fails when publicNetworkAccess is absent (default Enabled)',
    resources: [redis({ minimumTlsVersion: '1.2' })],
    expect: [['fail', '"properties"']],
  },
  {
    name: 'is unknown when publicNetworkAccess comes from a parameter without a value',
    resources: [redis({ publicNetworkAccess: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"publicNetworkAccess"']],
  },
  {
    name: 'is unknown when the subnet comes from a parameter without a value',
    resources: [redis({ subnetId: P })],
    parameters: noValue('string'),
    expect: [['unknown', '"subnetId"']],
  },
]);
