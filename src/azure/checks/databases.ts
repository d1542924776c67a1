import type { CheckOutcome } from '../../core/model.ts';
import { Unknown, type Value } from '../expressions/value.ts';
import type { EndpointService } from '../facts/public-endpoint.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import {
  type AzureCheck,
  checkProperty,
  defineCheck,
  fail,
  pass,
  resourcesBeside,
  sameText,
  unknown,
  unlistedRelations,
} from './define.ts';
import { endpointCheck } from './endpoint-outcome.ts';

const PG = 'Microsoft.DBforPostgreSQL/flexibleServers';
const MYSQL = 'Microsoft.DBforMySQL/flexibleServers';
const PG_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.dbforpostgresql/flexibleservers';
const MYSQL_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.dbformysql/flexibleservers';

interface Engine {
  /** Check id prefix, e.g. `AZ-PG`. */
  prefix: string;
  /** Human name, e.g. `PostgreSQL flexible server`. */
  label: string;
  type: string;
  docs: string;
  /** The service in the public-endpoint facts. */
  endpoint: EndpointService;
}

const POSTGRES: Engine = {
  prefix: 'AZ-PG',
  label: 'PostgreSQL flexible server',
  type: PG,
  endpoint: 'postgresql',
  docs: PG_DOCS,
};
const MYSQL_ENGINE: Engine = {
  prefix: 'AZ-MYSQL',
  label: 'MySQL flexible server',
  type: MYSQL,
  endpoint: 'mysql',
  docs: MYSQL_DOCS,
};

function unknownAt(r: AzureResource, what: string, path: string, v: Unknown): CheckOutcome {
  return unknown(r, `cannot decide whether ${what}: ${path} is unknown (${v.reason})`, path, v);
}

/** The last segment of a child resource name (`server/require_secure_transport` -> `require_secure_transport`). */
function childName(r: AzureResource): string | Unknown {
  if (r.name instanceof Unknown) return r.name;
  const parts = r.name.split('/');
  return parts[parts.length - 1] ?? r.name;
}

function text(v: Value | undefined): string {
  return typeof v === 'string' ? v : JSON.stringify(v ?? null);
}

/** Public access is off when the server is VNet-integrated (delegated subnet) or public access is disabled. */
function networkCheck(e: Engine): AzureCheck {
  return defineCheck({
    id: `${e.prefix}-001`,
    title: `${e.label} is not reachable from public networks`,
    severity: 'high',
    rationale:
      'A database server with public access can be reached from the internet, protected only by its firewall ' +
      'rules and credentials, and is exposed to password guessing and to vulnerabilities in the database ' +
      'engine. Private access (a delegated subnet) or private endpoints keep it inside the application network. Firewall rules leave the endpoint limited (`restricted` in the threat-and-risk assessment) but still public, so they fail this check (docs/tra.md).',
    remediation:
      'Deploy with private access by setting `properties.network.delegatedSubnetResourceId` (and ' +
      "`privateDnsZoneArmResourceId`), or set `properties.network.publicNetworkAccess` to `'Disabled'` and use private endpoints.",
    references: [e.docs],
    resourceTypes: [e.type],
    // Stricter than the TRA on purpose: firewall rules leave the endpoint limited in the TRA but
    // fail here, because the control requires private access or public access Disabled.
    evaluate: endpointCheck(e.endpoint, {
      what: 'the server',
      acceptLimited: [],
    }),
  });
}

function geoBackupCheck(e: Engine): AzureCheck {
  return defineCheck({
    id: `${e.prefix}-002`,
    title: `${e.label} stores backups geo-redundantly`,
    severity: 'medium',
    rationale:
      'Locally redundant backups are lost together with the region that holds them. Geo-redundant backup ' +
      'storage keeps a copy in the paired region, so the database can be restored after a regional outage or ' +
      'disaster. It can only be chosen when the server is created.',
    remediation: "Set `properties.backup.geoRedundantBackup` to `'Enabled'` when creating the server.",
    references: [e.docs],
    resourceTypes: [e.type],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.backup.geoRedundantBackup',
        test: (v) => sameText(v, 'Enabled'),
        whenMissing: 'fail',
        expectation: 'geo-redundant backup is enabled',
      }),
  });
}

function highAvailabilityCheck(e: Engine): AzureCheck {
  return defineCheck({
    id: `${e.prefix}-003`,
    title: `${e.label} is zone-redundant highly available`,
    severity: 'low',
    rationale:
      'Without high availability, a host or availability zone failure takes the database offline until it is ' +
      'recovered. Zone-redundant high availability keeps a synchronous standby in another zone and fails over ' +
      'automatically, which services with availability requirements need.',
    remediation:
      "Set `properties.highAvailability.mode` to `'ZoneRedundant'` (General Purpose or higher tier).",
    references: [e.docs],
    resourceTypes: [e.type],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.highAvailability.mode',
        test: (v) => sameText(v, 'ZoneRedundant'),
        whenMissing: 'fail',
        expectation: 'zone-redundant high availability is enabled',
      }),
  });
}

/** Rules for server parameters (configurations children) that decide transport encryption. */
interface TlsParameter {
  name: string;
  ok(value: string): boolean;
  expectation: string;
}

const OLD_TLS = /^tlsv1(\.[01])?$/i;

function tlsConfigCheck(e: Engine, id: string, params: TlsParameter[], remediation: string): AzureCheck {
  const type = `${e.type}/configurations`;
  return defineCheck({
    id,
    title: `${e.label} parameters require TLS 1.2 or later for connections`,
    severity: 'high',
    rationale:
      'Server parameters can switch off the requirement for encrypted connections or allow old TLS versions. ' +
      'Clients could then send credentials and data in clear text or over TLS 1.0/1.1, which are not approved ' +
      'for protecting data in transit between applications and the database. ' +
      'A parameter the template does not set keeps the server default for a new flexible server (encrypted connections required, TLS 1.2 minimum), so only a parameter the template sets is judged (the policy in docs/calibration.md).',
    remediation,
    references: [
      `https://learn.microsoft.com/azure/templates/${type.toLowerCase()}`,
      e.type === PG
        ? 'https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-ssl-tls'
        : 'https://learn.microsoft.com/azure/mysql/flexible-server/concepts-networking#tls-and-ssl',
      'docs/calibration.md',
    ],
    resourceTypes: [type],
    evaluate: (r) => {
      const name = childName(r);
      if (name instanceof Unknown) {
        return unknown(
          r,
          `cannot tell which server parameter this is: its name is unknown (${name.reason})`,
          undefined,
          name,
        );
      }
      const rule = params.find((p) => sameText(name, p.name));
      // Other server parameters do not bear on transport security: no finding.
      if (!rule) return [];
      return checkProperty(r, {
        path: 'properties.value',
        test: (v) => typeof v === 'string' && rule.ok(v),
        whenMissing: 'pass',
        expectation: rule.expectation,
      });
    },
  });
}

function firewallCheck(e: Engine, id: string): AzureCheck {
  const type = `${e.type}/firewallRules`;
  return defineCheck({
    id,
    title: `${e.label} firewall rules do not allow all addresses or all of Azure`,
    severity: 'high',
    rationale:
      'A firewall rule from 0.0.0.0 to 255.255.255.255 opens the server to the whole internet; the special ' +
      'rule 0.0.0.0 to 0.0.0.0 admits every Azure-hosted client, including those of other tenants. Either ' +
      'leaves the database exposed to anyone who obtains or guesses a credential.',
    remediation:
      'Replace the rule with `startIpAddress`/`endIpAddress` ranges for the specific client networks, or use ' +
      'private access and remove public firewall rules.',
    references: [`https://learn.microsoft.com/azure/templates/${type.toLowerCase()}`],
    resourceTypes: [type],
    evaluate: (r) => {
      const startPath = 'properties.startIpAddress';
      const endPath = 'properties.endIpAddress';
      const start = getPath(r.body, startPath);
      const end = getPath(r.body, endPath);
      if (start instanceof Unknown) return unknownAt(r, 'the rule is narrow', startPath, start);
      if (end instanceof Unknown) return unknownAt(r, 'the rule is narrow', endPath, end);
      const evidence = { start: start ?? null, end: end ?? null };
      if (start === '0.0.0.0' && end === '255.255.255.255') {
        return fail(
          r,
          'the firewall rule allows every IPv4 address (0.0.0.0-255.255.255.255)',
          startPath,
          evidence,
        );
      }
      if (start === '0.0.0.0' && end === '0.0.0.0') {
        return fail(
          r,
          'the firewall rule allows access from all Azure services, including other tenants',
          startPath,
          evidence,
        );
      }
      return pass(r, `the firewall rule allows ${text(start)}-${text(end)}`, startPath, evidence);
    },
  });
}

/** MySQL flexible servers get an Entra administrator through an `administrators` child resource. */
function mysqlEntraAdmin(r: AzureResource, context: AzureCheckContext): CheckOutcome {
  if (r.name instanceof Unknown) {
    return unknown(
      r,
      `cannot match administrators to the server: its name is unknown (${r.name.reason})`,
      undefined,
      r.name,
    );
  }
  const prefix = `${r.name.toLowerCase()}/`;
  let undecided = unlistedRelations(r);
  // Children belong to the server declared beside them (same template and deployment).
  for (const admin of resourcesBeside(context, r, `${MYSQL}/administrators`)) {
    if (admin.name instanceof Unknown) {
      undecided ??= admin.name;
      continue;
    }
    if (!admin.name.toLowerCase().startsWith(prefix)) continue;
    const kind = getPath(admin.body, 'properties.administratorType');
    if (kind instanceof Unknown) undecided ??= kind;
    else if (typeof kind === 'string' && sameText(kind, 'ActiveDirectory')) {
      return pass(r, `a Microsoft Entra administrator is declared (${admin.name})`, undefined, {
        administrator: admin.name,
      });
    }
  }
  if (undecided) {
    return unknown(
      r,
      `cannot decide whether a Microsoft Entra administrator is declared (${undecided.reason})`,
      undefined,
      undecided,
    );
  }
  return fail(r, `no Microsoft Entra administrator (${MYSQL}/administrators) is declared for the server`);
}

export const checks: AzureCheck[] = [
  networkCheck(POSTGRES),
  geoBackupCheck(POSTGRES),
  highAvailabilityCheck(POSTGRES),
  defineCheck({
    id: 'AZ-PG-004',
    title: 'PostgreSQL flexible server has Microsoft Entra authentication enabled',
    severity: 'medium',
    rationale:
      'With only PostgreSQL password authentication, database logins are local accounts outside central ' +
      'identity management: they are not disabled when staff leave and cannot require multi-factor ' +
      'authentication. Entra authentication lets access be granted to, and removed from, managed identities and users.',
    remediation:
      "Set `properties.authConfig.activeDirectoryAuth` to `'Enabled'` and declare an Entra administrator.",
    references: [
      PG_DOCS,
      'https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-azure-ad-authentication',
    ],
    resourceTypes: [PG],
    evaluate: (r) => {
      // API versions before 2022-12-01 used a boolean `activeDirectoryAuthEnabled`.
      const legacy = getPath(r.body, 'properties.authConfig.activeDirectoryAuthEnabled');
      if (
        legacy !== undefined &&
        getPath(r.body, 'properties.authConfig.activeDirectoryAuth') === undefined
      ) {
        return checkProperty(r, {
          path: 'properties.authConfig.activeDirectoryAuthEnabled',
          test: (v) => v === true,
          whenMissing: 'fail',
          expectation: 'Microsoft Entra authentication is enabled',
        });
      }
      return checkProperty(r, {
        path: 'properties.authConfig.activeDirectoryAuth',
        test: (v) => sameText(v, 'Enabled'),
        whenMissing: 'fail',
        expectation: 'Microsoft Entra authentication is enabled',
      });
    },
  }),
  defineCheck({
    id: 'AZ-PG-005',
    title: 'PostgreSQL flexible server disables password authentication (Entra only)',
    severity: 'low',
    rationale:
      'While password authentication stays enabled, the administrator login and any local roles remain a way ' +
      'in that bypasses Entra ID and multi-factor authentication. Entra-only authentication removes that path.',
    remediation:
      "Set `properties.authConfig.passwordAuth` to `'Disabled'` together with `activeDirectoryAuth: 'Enabled'`.",
    references: [
      PG_DOCS,
      'https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-azure-ad-authentication',
    ],
    resourceTypes: [PG],
    evaluate: (r) => {
      const legacy = getPath(r.body, 'properties.authConfig.passwordAuthEnabled');
      if (legacy !== undefined && getPath(r.body, 'properties.authConfig.passwordAuth') === undefined) {
        return checkProperty(r, {
          path: 'properties.authConfig.passwordAuthEnabled',
          test: (v) => v === false,
          whenMissing: 'fail',
          expectation: 'password authentication is disabled',
        });
      }
      return checkProperty(r, {
        path: 'properties.authConfig.passwordAuth',
        test: (v) => sameText(v, 'Disabled'),
        whenMissing: 'fail',
        expectation: 'password authentication is disabled',
      });
    },
  }),
  tlsConfigCheck(
    POSTGRES,
    'AZ-PG-006',
    [
      {
        name: 'require_secure_transport',
        ok: (v) => sameText(v, 'on'),
        expectation: 'require_secure_transport is on',
      },
      {
        name: 'ssl_min_protocol_version',
        ok: (v) => sameText(v, 'TLSv1.2') || sameText(v, 'TLSv1.3'),
        expectation: 'ssl_min_protocol_version is TLSv1.2 or later',
      },
    ],
    "Leave `require_secure_transport` at `'on'` and `ssl_min_protocol_version` at `'TLSv1.2'` (or `'TLSv1.3'`) " +
      'in `Microsoft.DBforPostgreSQL/flexibleServers/configurations` resources.',
  ),
  firewallCheck(POSTGRES, 'AZ-PG-007'),
  networkCheck(MYSQL_ENGINE),
  geoBackupCheck(MYSQL_ENGINE),
  highAvailabilityCheck(MYSQL_ENGINE),
  defineCheck({
    id: 'AZ-MYSQL-004',
    title: 'MySQL flexible server has a Microsoft Entra administrator',
    severity: 'medium',
    rationale:
      'Without an Entra administrator, MySQL logins are local accounts outside central identity management: ' +
      'they are not disabled when staff leave and cannot require multi-factor authentication. An Entra ' +
      'administrator enables Entra authentication for users and managed identities.',
    remediation:
      'Declare a `Microsoft.DBforMySQL/flexibleServers/administrators` child named `ActiveDirectory` with ' +
      "`properties.administratorType: 'ActiveDirectory'`, the login, `sid`, `tenantId` and `identityResourceId`.",
    references: [
      'https://learn.microsoft.com/azure/templates/microsoft.dbformysql/flexibleservers/administrators',
      'https://learn.microsoft.com/azure/mysql/flexible-server/concepts-azure-ad-authentication',
    ],
    resourceTypes: [MYSQL],
    evaluate: mysqlEntraAdmin,
  }),
  tlsConfigCheck(
    MYSQL_ENGINE,
    'AZ-MYSQL-005',
    [
      {
        name: 'require_secure_transport',
        ok: (v) => sameText(v, 'ON'),
        expectation: 'require_secure_transport is ON',
      },
      {
        name: 'tls_version',
        ok: (v) =>
          v
            .split(',')
            .map((p) => p.trim())
            .filter((p) => p.length > 0)
            .every((p) => !OLD_TLS.test(p)),
        expectation: 'tls_version allows only TLSv1.2 or later',
      },
    ],
    "Leave `require_secure_transport` at `'ON'` and set `tls_version` to `'TLSv1.2'` (or `'TLSv1.2,TLSv1.3'`) " +
      'in `Microsoft.DBforMySQL/flexibleServers/configurations` resources.',
  ),
  firewallCheck(MYSQL_ENGINE, 'AZ-MYSQL-006'),
];
