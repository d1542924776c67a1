import { z } from 'zod';
import { appendAll } from '../../core/extent.ts';
import type { CheckOutcome } from '../../core/model.ts';
import { Unknown, type Value } from '../expressions/value.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import {
  type AzureCheck,
  checkProperty,
  defineCheck,
  fail,
  notApplicable,
  pass,
  sameText,
  unknown,
} from './define.ts';
import { endpointCheck } from './endpoint-outcome.ts';
import { CALIBRATION_DOC, CALIBRATION_NOTE, checkWithPlatformDefault } from './platform-defaults.ts';
import { childrenOf } from './storage.ts';

const SERVER = 'Microsoft.Sql/servers';
const FIREWALL_RULE = 'Microsoft.Sql/servers/firewallRules';
const AUDITING = ['Microsoft.Sql/servers/auditingSettings', 'Microsoft.Sql/servers/extendedAuditingSettings'];
const TEMPLATE_REF = 'https://learn.microsoft.com/en-us/azure/templates/microsoft.sql/servers';

/**
 * A server-level setting that lives on child resources (auditing, Defender): passes when one of
 * the server's children of `types` has `properties.state` Enabled. Looks the children up in the
 * scan's resources because ARM declares them as separate resources.
 */
function serverChildEnabled(
  server: AzureResource,
  context: AzureCheckContext,
  types: string[],
  what: string,
): CheckOutcome {
  const children: AzureResource[] = [];
  let undecidedName: Unknown | undefined;
  for (const type of types) {
    const { found, undecided } = childrenOf(context, server, type);
    appendAll(children, found);
    undecidedName ??= undecided;
  }
  let undecidedState: { child: AzureResource; value: Unknown } | undefined;
  let disabled: AzureResource | undefined;
  for (const child of children) {
    const state = getPath(child.body, 'properties.state');
    if (state instanceof Unknown) undecidedState ??= { child, value: state };
    else if (typeof state === 'string' && sameText(state, 'Enabled')) {
      return {
        status: 'pass',
        message: `${what} is enabled (${child.type} ${String(child.name)})`,
        location: child.locate('properties.state'),
        evidence: { resource: String(child.name), state },
      };
    } else disabled ??= child;
  }
  if (undecidedState) {
    const { child, value } = undecidedState;
    return {
      ...unknown(
        child,
        `cannot decide whether ${what} is enabled: properties.state is unknown (${value.reason})`,
        'properties.state',
        value,
      ),
    };
  }
  if (undecidedName) {
    return unknown(
      server,
      `cannot decide whether ${what} is enabled: the name of the server or of a candidate child resource is unknown (${undecidedName.reason})`,
      undefined,
      undecidedName,
    );
  }
  if (disabled) {
    return {
      status: 'fail',
      message: `${what} is not enabled (${disabled.type} ${String(disabled.name)} has state ${JSON.stringify(getPath(disabled.body, 'properties.state') ?? null)})`,
      location: disabled.locate('properties.state'),
      evidence: { resource: String(disabled.name) },
    };
  }
  const names = types.map((t) => t.split('/').pop()).join(' or ');
  return fail(server, `no ${names} resource enables ${what} for this server`);
}

/** IPv4 dotted quad to a number, or undefined when not an IPv4 address. */
function ipv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0]! * 256 + octets[1]!) * 256 + octets[2]!) * 256 + octets[3]!;
}

type FirewallRange = { start: number; end: number } | CheckOutcome;

/** Reads a firewall rule's start and end addresses, or the outcome that says why it cannot. */
function firewallRange(r: AzureResource): FirewallRange {
  const startPath = 'properties.startIpAddress';
  const endPath = 'properties.endIpAddress';
  const start = getPath(r.body, startPath);
  const end = getPath(r.body, endPath);
  if (start instanceof Unknown)
    return unknown(
      r,
      `cannot decide the rule's range: ${startPath} is unknown (${start.reason})`,
      startPath,
      start,
    );
  if (end instanceof Unknown)
    return unknown(r, `cannot decide the rule's range: ${endPath} is unknown (${end.reason})`, endPath, end);
  const s = typeof start === 'string' ? ipv4(start) : undefined;
  const e = typeof end === 'string' ? ipv4(end) : undefined;
  if (s === undefined || e === undefined) {
    return unknown(
      r,
      `cannot read the rule's range: start ${JSON.stringify(start ?? null)}, end ${JSON.stringify(end ?? null)} are not IPv4 addresses`,
      startPath,
    );
  }
  return { start: s, end: e };
}

const isTrue = (v: Value): boolean => v === true;

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-SQL-001',
    title: 'SQL servers allow only Microsoft Entra authentication',
    severity: 'high',
    rationale:
      'SQL authentication uses passwords stored in the server, which cannot enforce multi-factor authentication, conditional access or central account lifecycle. Entra-only authentication disables SQL logins (including the server admin login) so every user authenticates through the identity platform where MFA applies.',
    remediation:
      'Set `properties.administrators` with `azureADOnlyAuthentication: true` (plus `administratorType`, `login`, `sid`, `tenantId`), or declare `Microsoft.Sql/servers/azureADOnlyAuthentications` named `Default` with `properties.azureADOnlyAuthentication: true`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/azure-sql/database/authentication-azure-ad-only-authentication',
      TEMPLATE_REF,
    ],
    resourceTypes: [SERVER],
    evaluate: (r, context) => {
      const path = 'properties.administrators.azureADOnlyAuthentication';
      const value = getPath(r.body, path);
      if (value instanceof Unknown) {
        return unknown(
          r,
          `cannot decide whether only Entra authentication is allowed: ${path} is unknown (${value.reason})`,
          path,
          value,
        );
      }
      if (value === true)
        return pass(r, `only Microsoft Entra authentication is allowed (${path} = true)`, path);
      // Entra-only can also be set by a separate child resource; look for it among the scan's resources.
      const { found, undecided } = childrenOf(context, r, 'Microsoft.Sql/servers/azureADOnlyAuthentications');
      for (const child of found) {
        const outcome = checkProperty(child, {
          path: 'properties.azureADOnlyAuthentication',
          test: isTrue,
          whenMissing: 'fail',
          expectation: 'only Microsoft Entra authentication is allowed',
        });
        if (outcome.status !== 'fail') return outcome;
      }
      if (value === undefined && found.length === 0 && undecided) {
        return unknown(
          r,
          `cannot find the server's azureADOnlyAuthentications resource: a name is unknown (${undecided.reason})`,
          path,
          undecided,
        );
      }
      return fail(
        r,
        value === undefined
          ? 'SQL authentication stays enabled: azureADOnlyAuthentication is not set on the server or an azureADOnlyAuthentications resource'
          : `SQL authentication stays enabled (${path} = ${JSON.stringify(value)})`,
        path,
        { path, value: value ?? null },
      );
    },
  }),

  defineCheck({
    id: 'AZ-SQL-002',
    title: 'SQL servers require TLS 1.2 or later',
    severity: 'high',
    rationale:
      'A server that accepts TLS 1.0 or 1.1 lets clients connect with deprecated protocols that have known weaknesses, exposing credentials and query results in transit. The ISM requires only the latest TLS versions. ' +
      `${CALIBRATION_NOTE} An unset value used to accept every TLS version; since 31 August 2025 Azure SQL Database accepts only TLS 1.2 and later, so an unset value fails only in a scan dated before then.`,
    remediation: "Set `properties.minimalTlsVersion` to `'1.2'` (or `'1.3'`).",
    references: [
      'https://learn.microsoft.com/en-us/azure/azure-sql/database/connectivity-settings',
      TEMPLATE_REF,
      CALIBRATION_DOC,
      'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/mssql_server',
    ],
    resourceTypes: [SERVER],
    evaluate: (r, context) =>
      checkWithPlatformDefault(r, context, 'sqlMinimalTls', {
        path: 'properties.minimalTlsVersion',
        test: (v) => sameText(v, '1.2') || sameText(v, '1.3') || v === 1.2 || v === 1.3,
        expectation: 'minimalTlsVersion is 1.2 or later',
      }),
  }),

  defineCheck({
    id: 'AZ-SQL-003',
    title: 'SQL servers disable public network access',
    severity: 'medium',
    rationale:
      'With public network access enabled the server endpoint is reachable from the internet, guarded only by firewall rules and credentials. Database servers should only be reachable from the network resources that need them, typically through private endpoints. `SecuredByPerimeter` counts as off: a network security perimeter admits only its members and its own inbound access rules. Firewall rules do not, however narrow: the threat-and-risk assessment calls such a server `restricted`, and this check still fails it, because the control asks for public access off (docs/tra.md).',
    remediation:
      'Set `properties.publicNetworkAccess` to `Disabled` and connect through a private endpoint (`Microsoft.Network/privateEndpoints` with group id `sqlServer`).',
    references: [
      'https://learn.microsoft.com/en-us/azure/private-link/network-security-perimeter-concepts',
      'https://learn.microsoft.com/en-us/azure/azure-sql/database/connectivity-settings',
      TEMPLATE_REF,
    ],
    resourceTypes: [SERVER],
    // Stricter than the TRA on purpose: firewall rules leave the endpoint limited in the TRA but
    // fail here, because the control requires public access off (SecuredByPerimeter counts as off).
    evaluate: endpointCheck('sql-server', { what: 'the server', acceptLimited: ['perimeter'] }),
  }),

  defineCheck({
    id: 'AZ-SQL-004',
    title: 'SQL firewall rules do not open the server to the internet',
    severity: 'critical',
    rationale:
      'A firewall rule such as 0.0.0.0-255.255.255.255 lets any internet address reach the database endpoint, leaving only credentials between an attacker and the data, and exposing it to password spraying. Rules should name the specific addresses that need access.',
    remediation:
      'Replace the rule with rules for specific client addresses (`startIpAddress`/`endIpAddress` spanning only what is needed), or disable public network access and use a private endpoint.',
    references: [
      'https://learn.microsoft.com/en-us/azure/azure-sql/database/firewall-configure',
      TEMPLATE_REF,
    ],
    resourceTypes: [FIREWALL_RULE],
    evaluate: (r) => {
      const range = firewallRange(r);
      if ('status' in range) return range;
      const size = range.end - range.start + 1;
      const evidence = {
        startIpAddress: getPath(r.body, 'properties.startIpAddress'),
        endIpAddress: getPath(r.body, 'properties.endIpAddress'),
      };
      // More than a /8 of addresses is treated as "the internet": no legitimate client list is that wide.
      if (size > 2 ** 24) {
        return fail(
          r,
          `the rule allows ${evidence.startIpAddress}-${evidence.endIpAddress} (${size} addresses), effectively the whole internet`,
          'properties.startIpAddress',
          evidence,
        );
      }
      return pass(
        r,
        `the rule allows ${Math.max(size, 0)} address(es)`,
        'properties.startIpAddress',
        evidence,
      );
    },
  }),

  defineCheck({
    id: 'AZ-SQL-005',
    title: 'SQL servers do not allow access from all Azure services',
    severity: 'medium',
    rationale:
      "The special 0.0.0.0 rule ('Allow Azure services and resources to access this server') admits connections from any Azure address, including resources in other customers' subscriptions. It removes network-level isolation of the database from the rest of the cloud.",
    remediation:
      'Remove the firewall rule whose `startIpAddress` and `endIpAddress` are both `0.0.0.0` (often named `AllowAllWindowsAzureIps`); use private endpoints or virtual network rules for Azure clients.',
    references: [
      'https://learn.microsoft.com/en-us/azure/azure-sql/database/firewall-configure#connections-from-inside-azure',
      TEMPLATE_REF,
    ],
    resourceTypes: [FIREWALL_RULE],
    evaluate: (r) => {
      const range = firewallRange(r);
      if ('status' in range) return range;
      if (range.start === 0 && range.end === 0) {
        return fail(
          r,
          'the rule 0.0.0.0-0.0.0.0 allows every Azure service, from any tenant, to connect',
          'properties.startIpAddress',
        );
      }
      return pass(r, 'the rule is not the allow-all-Azure-services rule', 'properties.startIpAddress');
    },
  }),

  defineCheck({
    id: 'AZ-SQL-006',
    title: 'SQL server auditing is enabled',
    severity: 'medium',
    rationale:
      'Auditing records logins, permission changes and queries against the databases. Without it, misuse of database access or a data theft cannot be detected or investigated, and the ISM requires security-relevant database events to be centrally logged.',
    remediation:
      'Declare `Microsoft.Sql/servers/auditingSettings` named `default` with `properties.state: "Enabled"` and `isAzureMonitorTargetEnabled: true` (sending to a Log Analytics workspace) or a `storageEndpoint`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/azure-sql/database/auditing-overview',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.sql/servers/auditingsettings',
      'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/mssql_server_extended_auditing_policy',
    ],
    resourceTypes: [SERVER],
    evaluate: (r, context) => serverChildEnabled(r, context, AUDITING, 'server auditing'),
  }),

  defineCheck({
    id: 'AZ-SQL-007',
    title: 'SQL databases keep transparent data encryption enabled',
    severity: 'high',
    rationale:
      'Transparent data encryption encrypts database files, backups and logs at rest, so copies of storage media or backups do not disclose data. It is on by default; turning it off leaves government data unencrypted at rest.',
    remediation:
      'Set `properties.state` to `Enabled` on `Microsoft.Sql/servers/databases/transparentDataEncryption` (named `current`), or remove the resource to keep the default.',
    references: [
      'https://learn.microsoft.com/en-us/azure/azure-sql/database/transparent-data-encryption-tde-overview',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.sql/servers/databases/transparentdataencryption',
    ],
    resourceTypes: ['Microsoft.Sql/servers/databases/transparentDataEncryption'],
    evaluate: (r) => {
      // Older API versions (2014-04-01) name the property `status`; newer ones `state`.
      const path =
        getPath(r.body, 'properties.state') === undefined &&
        getPath(r.body, 'properties.status') !== undefined
          ? 'properties.status'
          : 'properties.state';
      return checkProperty(r, {
        path,
        test: (v) => sameText(v, 'Enabled'),
        whenMissing: 'pass',
        expectation: 'transparent data encryption is enabled',
      });
    },
  }),

  defineCheck({
    id: 'AZ-SQL-008',
    title: 'Microsoft Defender for SQL is enabled on SQL servers',
    severity: 'medium',
    rationale:
      'Defender for SQL analyses database activity for SQL injection, anomalous logins and data exfiltration and raises alerts, and runs vulnerability assessments. Without it, attacks against the database are unlikely to be noticed in time.',
    remediation:
      'Declare `Microsoft.Sql/servers/securityAlertPolicies` (or `advancedThreatProtectionSettings`) named `Default` with `properties.state: "Enabled"`, or enable the Defender for SQL plan on the subscription.',
    references: [
      'https://learn.microsoft.com/en-us/azure/azure-sql/database/azure-defender-for-sql',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.sql/servers/securityalertpolicies',
    ],
    resourceTypes: [SERVER],
    evaluate: (r, context) =>
      serverChildEnabled(
        r,
        context,
        [
          'Microsoft.Sql/servers/securityAlertPolicies',
          'Microsoft.Sql/servers/advancedThreatProtectionSettings',
        ],
        'Microsoft Defender for SQL',
      ),
  }),

  defineCheck({
    id: 'AZ-SQL-009',
    title: 'SQL audit logs in storage are kept for at least 12 months',
    severity: 'low',
    rationale:
      'Intrusions are often discovered months after they begin; audit records deleted after a few days or weeks cannot support the investigation. The ISM asks for event logs to be retained for at least 12 months.',
    remediation:
      'On the auditingSettings resource set `properties.retentionDays` to `0` (keep indefinitely) or at least `365`, or send audit logs to a Log Analytics workspace with 12 months retention.',
    references: [
      'https://learn.microsoft.com/en-us/azure/azure-sql/database/auditing-overview',
      'https://learn.microsoft.com/en-us/azure/templates/microsoft.sql/servers/auditingsettings',
    ],
    resourceTypes: AUDITING,
    options: {
      schema: z.object({ minRetentionDays: z.number().int().min(1) }),
      defaults: { minRetentionDays: 365 },
      descriptions: {
        minRetentionDays:
          'Fewest days an audit log in storage is kept (`properties.retentionDays` at or above it; 0, indefinitely, always passes); 365 is the ISM 12 months.',
      },
    },
    evaluate: (r, _context, { minRetentionDays }) => {
      const state = getPath(r.body, 'properties.state');
      if (state instanceof Unknown) {
        return unknown(
          r,
          `cannot decide whether auditing is on: properties.state is unknown (${state.reason})`,
          'properties.state',
          state,
        );
      }
      if (typeof state === 'string' && sameText(state, 'Disabled'))
        return notApplicable(r, 'auditing is disabled (see AZ-SQL-006)');
      const endpoint = getPath(r.body, 'properties.storageEndpoint');
      if (endpoint === undefined || endpoint === '') {
        return notApplicable(
          r,
          'audit logs are not written to a storage account; retention is set on the destination',
        );
      }
      return checkProperty(r, {
        path: 'properties.retentionDays',
        test: (v) => typeof v === 'number' && (v === 0 || v >= minRetentionDays),
        whenMissing: 'pass',
        expectation: `audit logs are kept for at least ${minRetentionDays} days (or indefinitely, 0)`,
      });
    },
  }),
];
