import type { EndpointService } from '../facts/public-endpoint.ts';
import { type AzureCheck, checkProperty, defineCheck } from './define.ts';
import { endpointCheck } from './endpoint-outcome.ts';
import {
  CALIBRATION_DOC,
  CALIBRATION_NOTE,
  checkWithPlatformDefault,
  type PlatformDefaultKey,
} from './platform-defaults.ts';

interface Service {
  prefix: string;
  label: string;
  type: string;
  /** The service in the public-endpoint facts. */
  endpoint: EndpointService;
  docs: string;
  tlsDocs: string;
  /** The platform-default row for an unset minimumTlsVersion. */
  tlsDefault: PlatformDefaultKey;
  networkDocs: string;
}

const EVENT_HUBS: Service = {
  prefix: 'AZ-EH',
  label: 'Event Hubs namespace',
  type: 'Microsoft.EventHub/namespaces',
  endpoint: 'event-hubs',
  docs: 'https://learn.microsoft.com/azure/templates/microsoft.eventhub/namespaces',
  tlsDefault: 'eventHubsMinimumTls',
  tlsDocs: 'https://learn.microsoft.com/azure/event-hubs/transport-layer-security-configure-minimum-version',
  networkDocs: 'https://learn.microsoft.com/azure/event-hubs/network-security',
};

const SERVICE_BUS: Service = {
  prefix: 'AZ-SB',
  label: 'Service Bus namespace',
  type: 'Microsoft.ServiceBus/namespaces',
  endpoint: 'service-bus',
  docs: 'https://learn.microsoft.com/azure/templates/microsoft.servicebus/namespaces',
  tlsDefault: 'serviceBusMinimumTls',
  tlsDocs:
    'https://learn.microsoft.com/azure/service-bus-messaging/transport-layer-security-configure-minimum-version',
  networkDocs: 'https://learn.microsoft.com/azure/service-bus-messaging/network-security',
};

function localAuthCheck(s: Service): AzureCheck {
  return defineCheck({
    id: `${s.prefix}-001`,
    title: `${s.label} disables local (SAS key) authentication`,
    severity: 'medium',
    rationale:
      'Shared access signature keys are shared secrets that grant send, listen or manage rights to whoever holds ' +
      'them, do not identify the caller and are often copied into configuration. Requiring Microsoft Entra ID ' +
      'ties every client to an identity that can be governed and audited.',
    remediation:
      'Set `properties.disableLocalAuth` to `true` and grant data-plane roles to Entra identities.',
    references: [s.docs],
    resourceTypes: [s.type],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.disableLocalAuth',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'local (SAS key) authentication is disabled',
      }),
  });
}

function tlsCheck(s: Service): AzureCheck {
  return defineCheck({
    id: `${s.prefix}-002`,
    title: `${s.label} requires TLS 1.2 or later`,
    severity: 'high',
    rationale:
      'TLS 1.0 and 1.1 are not approved for protecting data in transit. A namespace that still accepts them ' +
      'lets clients, or an attacker forcing a downgrade, exchange messages over a weak protocol. ' +
      `${CALIBRATION_NOTE} Namespaces created with API version 2022-01-01-preview or later get TLS 1.2 when the property is unset; older API versions keep TLS 1.0.`,
    remediation: "Set `properties.minimumTlsVersion` to `'1.2'`.",
    references: [s.docs, s.tlsDocs, CALIBRATION_DOC],
    resourceTypes: [s.type],
    evaluate: (r, context) =>
      checkWithPlatformDefault(r, context, s.tlsDefault, {
        path: 'properties.minimumTlsVersion',
        test: (v) => (typeof v === 'string' || typeof v === 'number') && Number(v) >= 1.2,
        expectation: 'the minimum TLS version is 1.2 or later',
      }),
  });
}

function networkCheck(s: Service): AzureCheck {
  return defineCheck({
    id: `${s.prefix}-003`,
    title: `${s.label} is not open to all public networks`,
    severity: 'medium',
    rationale:
      'A namespace whose public endpoint accepts any address can be reached from anywhere on the internet with ' +
      'a leaked key or token. Disabling public access, or a network rule set that denies by default, keeps ' +
      'messaging traffic on the networks of the systems that use it. `SecuredByPerimeter` passes too. The verdict is read from the same public-endpoint fact as the threat-and-risk assessment (docs/tra.md).',
    remediation:
      "Set `properties.publicNetworkAccess` to `'Disabled'` and use private endpoints, or declare a `networkRuleSets` " +
      "child with `properties.defaultAction: 'Deny'` and the allowed IP and virtual network rules.",
    references: [s.docs, s.networkDocs],
    resourceTypes: [s.type],
    // Any limit passes: Disabled, SecuredByPerimeter, or a networkRuleSets child that denies by default.
    evaluate: endpointCheck(s.endpoint, {
      what: 'the namespace',
      acceptLimited: 'all',
    }),
  });
}

export const checks: AzureCheck[] = [
  localAuthCheck(EVENT_HUBS),
  tlsCheck(EVENT_HUBS),
  networkCheck(EVENT_HUBS),
  localAuthCheck(SERVICE_BUS),
  tlsCheck(SERVICE_BUS),
  networkCheck(SERVICE_BUS),
];
