import type { CheckOutcome } from '../../core/model.ts';
import { isObject, Unknown, type Value } from '../expressions/value.ts';
import { type AzureCheckContext, type AzureResource, getPath } from '../resource.ts';
import {
  type AzureCheck,
  checkProperty,
  defineCheck,
  fail,
  notApplicable,
  type PropertyRule,
  pass,
  sameText,
  unknown,
} from './define.ts';
import { diagnosticSettingsOf } from './diagnostics.ts';
import { endpointCheck } from './endpoint-outcome.ts';
import { CALIBRATION_DOC, CALIBRATION_NOTE, checkWithPlatformDefault } from './platform-defaults.ts';
import { childrenOf, leafName } from './storage.ts';
import { credentialGate } from './workload-credentials.ts';

const SITE = 'Microsoft.Web/sites';
const SLOT = 'Microsoft.Web/sites/slots';
const TEMPLATE_REF = 'https://learn.microsoft.com/en-us/azure/templates/microsoft.web/sites';

/**
 * Where a `siteConfig` property is decided. A `config` child named `web` (a separate resource,
 * deployed after the site) overrides `properties.siteConfig`, so this looks for it among the
 * scan's resources. Config children whose name cannot be decided are ignored.
 */
function siteConfigSource(
  r: AzureResource,
  context: AzureCheckContext,
  prop: string,
): { resource: AzureResource; path: string } {
  const configType = r.type.toLowerCase() === SLOT.toLowerCase() ? `${SLOT}/config` : `${SITE}/config`;
  const { found } = childrenOf(context, r, configType);
  for (const cfg of found) {
    const leaf = leafName(cfg);
    if (typeof leaf === 'string' && leaf.toLowerCase() === 'web') {
      const path = `properties.${prop}`;
      if (getPath(cfg.body, path) !== undefined) return { resource: cfg, path };
    }
  }
  return { resource: r, path: `properties.siteConfig.${prop}` };
}

/** Tags that declare an app a mutual-TLS endpoint. */
const MUTUAL_TLS_TAGS = ['mutual-tls', 'mtls'];

/**
 * Whether client certificates are asked of this app: unknown when its kind is, not-applicable
 * unless it is an API app or declared a mutual-TLS endpoint; undefined when the check applies.
 */
function mutualTlsScope(r: AzureResource): CheckOutcome | undefined {
  if (isTrue(getPath(r.body, 'properties.clientCertEnabled') ?? false)) return undefined;
  const tags = getPath(r.body, 'tags');
  if (isObject(tags)) {
    for (const [k, v] of Object.entries(tags)) {
      if (
        MUTUAL_TLS_TAGS.includes(k.toLowerCase()) &&
        (v === true || (typeof v === 'string' && sameText(v, 'true')))
      )
        return undefined;
    }
  }
  const kind = getPath(r.body, 'kind');
  if (kind instanceof Unknown) {
    return unknown(
      r,
      `cannot decide whether the app is an API app: kind is unknown (${kind.reason})`,
      'kind',
      kind,
    );
  }
  if (typeof kind === 'string' && /api/i.test(kind)) return undefined;
  return notApplicable(
    r,
    `not an API app (kind ${typeof kind === 'string' ? JSON.stringify(kind) : 'not set'}) and not declared a mutual-TLS endpoint, so client certificates are not asked of it`,
  );
}

function checkSiteConfig(
  r: AzureResource,
  context: AzureCheckContext,
  prop: string,
  rule: Omit<PropertyRule, 'path'>,
): CheckOutcome {
  const { resource, path } = siteConfigSource(r, context, prop);
  return checkProperty(resource, { ...rule, path });
}

// End of support of language stacks (community end of life, which App Service follows).
const END_OF_SUPPORT: Record<string, Record<string, string>> = {
  node: {
    '10': '2021-04-30',
    '12': '2022-04-30',
    '14': '2023-04-30',
    '16': '2023-09-11',
    '18': '2025-04-30',
    '20': '2026-04-30',
    '22': '2027-04-30',
    '24': '2028-04-30',
  },
  python: {
    '3.6': '2021-12-23',
    '3.7': '2023-06-27',
    '3.8': '2024-10-07',
    '3.9': '2025-10-31',
    '3.10': '2026-10-31',
    '3.11': '2027-10-31',
    '3.12': '2028-10-31',
    '3.13': '2029-10-31',
  },
  php: {
    '7.2': '2020-11-30',
    '7.3': '2021-12-06',
    '7.4': '2022-11-28',
    '8.0': '2023-11-26',
    '8.1': '2025-12-31',
    '8.2': '2026-12-31',
    '8.3': '2027-12-31',
    '8.4': '2028-12-31',
  },
  dotnet: {
    '2.1': '2021-08-21',
    '2.2': '2019-12-23',
    '3.0': '2020-03-03',
    '3.1': '2022-12-13',
    '5.0': '2022-05-10',
    '6.0': '2024-11-12',
    '7.0': '2024-05-14',
    '8.0': '2026-11-10',
    '9.0': '2026-11-10',
    '10.0': '2028-11-14',
  },
  ruby: { '2.5': '2021-03-31', '2.6': '2022-04-12', '2.7': '2023-03-31' },
};

const STACK_ALIASES: Record<string, string> = {
  node: 'node',
  python: 'python',
  php: 'php',
  dotnetcore: 'dotnet',
  dotnet: 'dotnet',
  'dotnet-isolated': 'dotnet',
  ruby: 'ruby',
};

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** End-of-support verdict for a `linuxFxVersion` such as `NODE|18-lts` or `PYTHON|3.9`. */
function runtimeSupport(
  fx: string,
  today: string,
): { stack: string; version: string; endOfSupport?: string; ended: boolean } | undefined {
  const [stackRaw, versionRaw] = fx.split('|');
  const family = STACK_ALIASES[(stackRaw ?? '').trim().toLowerCase()];
  if (!family || versionRaw === undefined) return undefined;
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(versionRaw.trim());
  if (!m) return undefined;
  const table = END_OF_SUPPORT[family]!;
  const version = family === 'node' ? m[1]! : `${m[1]}.${m[2] ?? '0'}`;
  const known = table[version];
  if (known) return { stack: family, version, endOfSupport: known, ended: known <= today };
  const oldest = Object.keys(table).sort(compareVersions)[0]!;
  return { stack: family, version, ended: compareVersions(version, oldest) < 0 };
}

const isTrue = (v: Value): boolean => v === true;

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-APP-001',
    title: 'App Service apps redirect HTTP to HTTPS',
    severity: 'high',
    rationale:
      'Without HTTPS only, the app answers plain HTTP, so session cookies, credentials and content can be read or modified in transit. The ISM requires web application content to be offered exclusively over HTTPS.',
    remediation: 'Set `properties.httpsOnly` to `true` (the default is false).',
    references: ['https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings', TEMPLATE_REF],
    resourceTypes: [SITE, SLOT],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.httpsOnly',
        test: isTrue,
        whenMissing: 'fail',
        expectation: 'HTTPS only is enabled',
      }),
  }),

  defineCheck({
    id: 'AZ-APP-002',
    title: 'App Service apps require TLS 1.2 or later',
    severity: 'high',
    rationale:
      'Accepting TLS 1.0 or 1.1 lets clients use deprecated protocols with known weaknesses. The ISM requires only the latest TLS versions to be used. ' +
      `${CALIBRATION_NOTE} New apps default to TLS 1.2.`,
    remediation:
      "Set `properties.siteConfig.minTlsVersion` to `'1.2'` or `'1.3'` (1.2 is the default when absent).",
    references: [
      'https://learn.microsoft.com/en-us/azure/app-service/overview-tls',
      TEMPLATE_REF,
      CALIBRATION_DOC,
    ],
    resourceTypes: [SITE, SLOT],
    evaluate: (r, context) => {
      const { resource, path } = siteConfigSource(r, context, 'minTlsVersion');
      return checkWithPlatformDefault(resource, context, 'appServiceMinTls', {
        path,
        test: (v) => sameText(v, '1.2') || sameText(v, '1.3') || v === 1.2 || v === 1.3,
        expectation: 'minTlsVersion is 1.2 or later',
      });
    },
  }),

  defineCheck({
    id: 'AZ-APP-003',
    title: 'App Service apps disable plain FTP',
    severity: 'medium',
    rationale:
      'Plain FTP sends deployment credentials and application files unencrypted, letting an attacker on the path capture credentials and replace the application. Deployment should use FTPS or, better, no FTP at all.',
    remediation:
      'Set `properties.siteConfig.ftpsState` to `Disabled` (or `FtpsOnly`); absent means `AllAllowed`.',
    references: ['https://learn.microsoft.com/en-us/azure/app-service/deploy-ftp', TEMPLATE_REF],
    resourceTypes: [SITE, SLOT],
    evaluate: (r, context) =>
      checkSiteConfig(r, context, 'ftpsState', {
        test: (v) => sameText(v, 'Disabled') || sameText(v, 'FtpsOnly'),
        whenMissing: 'fail',
        expectation: 'ftpsState is Disabled or FtpsOnly',
      }),
  }),

  defineCheck({
    id: 'AZ-APP-004',
    title: 'App Service apps have remote debugging turned off',
    severity: 'medium',
    rationale:
      'Remote debugging opens additional inbound ports and lets a debugger attach to the running production process. It is development functionality that should not be enabled in production.',
    remediation:
      'Set `properties.siteConfig.remoteDebuggingEnabled` to `false` (or omit it; false is the default).',
    references: ['https://learn.microsoft.com/en-us/azure/app-service/configure-common', TEMPLATE_REF],
    resourceTypes: [SITE, SLOT],
    evaluate: (r, context) =>
      checkSiteConfig(r, context, 'remoteDebuggingEnabled', {
        test: (v) => v === false,
        whenMissing: 'pass',
        expectation: 'remote debugging is disabled',
      }),
  }),

  defineCheck({
    id: 'AZ-APP-005',
    title: 'App Service apps use a managed identity',
    severity: 'low',
    rationale:
      'Without a managed identity, apps reach databases, storage and Key Vault with secrets kept in settings or code, which leak and are rarely rotated. A managed identity gives the app a platform-managed credential that can be granted least-privilege roles. ' +
      'The mapped controls (ISM-1685: service account credentials are managed; ISM-1852: least privilege) concern credentials the app holds, so the check applies only where the template shows the app using one to reach Azure resources (a key, secret, SAS, connection string or Key Vault reference in its app settings or connection strings, or a key read with listKeys()); otherwise it is not-applicable (docs/calibration.md).',
    remediation:
      'Set `identity: { "type": "SystemAssigned" }` (or `UserAssigned` with `userAssignedIdentities`) and grant it roles instead of storing connection secrets.',
    references: [
      'https://learn.microsoft.com/en-us/azure/app-service/overview-managed-identity',
      TEMPLATE_REF,
    ],
    resourceTypes: [SITE, SLOT],
    evaluate: (r, context) => {
      const rule = {
        path: 'identity.type',
        test: (v: Value) => typeof v === 'string' && /systemassigned|userassigned/i.test(v),
        whenMissing: 'fail' as const,
        expectation: 'a system- or user-assigned managed identity is configured',
      };
      const outcome = checkProperty(r, rule);
      if (outcome.status !== 'fail') return outcome;
      const gate = credentialGate(r, context);
      if (gate === undefined) return outcome;
      if (!Array.isArray(gate)) return gate;
      return { ...outcome, message: `${outcome.message}, yet ${gate.map((u) => u.what).join('; ')}` };
    },
  }),

  defineCheck({
    id: 'AZ-APP-006',
    title: 'App Service apps require client certificates',
    severity: 'low',
    rationale:
      'Requiring client certificates (mutual TLS) stops unauthenticated clients at the TLS layer, before they reach application code. ' +
      'ISM-1817 asks that clients are authenticated when they call network APIs that give access to non-public data; a public website has no such callers. ' +
      'So the check applies to API apps (`kind` containing `api`) and to apps declared as mutual-TLS endpoints (a `mutual-tls` or `mtls` tag set to true, or `clientCertEnabled: true`); other apps are not-applicable (docs/calibration.md).',
    remediation:
      'Set `properties.clientCertEnabled` to `true` and `properties.clientCertMode` to `Required` (the default when enabled); validate the certificate in the app.',
    references: [
      'https://learn.microsoft.com/en-us/azure/app-service/app-service-web-configure-tls-mutual-auth',
      TEMPLATE_REF,
    ],
    resourceTypes: [SITE, SLOT],
    evaluate: (r) => {
      const scope = mutualTlsScope(r);
      if (scope) return scope;
      const enabled = checkProperty(r, {
        path: 'properties.clientCertEnabled',
        test: isTrue,
        whenMissing: 'fail',
        expectation: 'client certificates are enabled',
      });
      if (enabled.status !== 'pass') return enabled;
      return checkProperty(r, {
        path: 'properties.clientCertMode',
        test: (v) => sameText(v, 'Required'),
        whenMissing: 'pass',
        expectation: 'client certificates are required (clientCertMode Required)',
      });
    },
  }),

  defineCheck({
    id: 'AZ-APP-007',
    title: 'App Service apps restrict inbound network access',
    severity: 'low',
    rationale:
      'By default an app is reachable from the whole internet. Apps that serve internal users or other services should disable public network access or deny by default with access restrictions, so only intended networks can reach them; public sites can record the exposure with a waiver. Listed allow rules with the unmatched-rule action (`ipSecurityRestrictionsDefaultAction`) unset are `restricted` in the threat-and-risk assessment but fail this check: the template must state Deny (docs/tra.md).',
    remediation:
      'Set `properties.publicNetworkAccess` to `Disabled` and use a private endpoint, or set `properties.siteConfig.ipSecurityRestrictionsDefaultAction` to `Deny` with `ipSecurityRestrictions` for the allowed sources.',
    references: [
      'https://learn.microsoft.com/en-us/azure/app-service/app-service-ip-restrictions',
      TEMPLATE_REF,
    ],
    resourceTypes: [SITE, SLOT],
    // Stricter than the TRA on purpose: only Disabled or an explicit deny-by-default passes. Listed
    // allow rules with the default action unset are limited in the TRA but fail here, because the
    // unmatched-rule action is the control the template must state.
    evaluate: endpointCheck('app-service', { what: 'the app', acceptLimited: ['default-deny'] }),
  }),

  defineCheck({
    id: 'AZ-APP-008',
    title: 'App Service apps run a supported language runtime',
    severity: 'medium',
    rationale:
      'Language runtimes past end of support (for example Node.js 16, Python 3.8, PHP 7.4, .NET 6) no longer receive security fixes, so known vulnerabilities stay exploitable. Unsupported applications must be replaced or upgraded.',
    remediation:
      'Set `properties.siteConfig.linuxFxVersion` to a supported stack, e.g. `NODE|22-lts`, `PYTHON|3.12`, `PHP|8.3`, `DOTNETCORE|10.0`.',
    references: ['https://learn.microsoft.com/en-us/azure/app-service/language-support-policy', TEMPLATE_REF],
    resourceTypes: [SITE, SLOT],
    evaluate: (r, context) => {
      const { resource, path } = siteConfigSource(r, context, 'linuxFxVersion');
      const value = getPath(resource.body, path);
      if (value instanceof Unknown) {
        return unknown(
          resource,
          `cannot decide the runtime: ${path} is unknown (${value.reason})`,
          path,
          value,
        );
      }
      if (typeof value !== 'string' || value.trim() === '') {
        return notApplicable(r, 'no Linux runtime stack (linuxFxVersion) is declared');
      }
      // Compared with the scan's clock (--now): a stack passes until its end-of-support date, then fails.
      const today = context.now.slice(0, 10);
      const support = runtimeSupport(value, today);
      if (!support)
        return notApplicable(r, `runtime ${JSON.stringify(value)} is not a stack this check tracks`);
      const evidence = {
        path,
        value,
        ...(support.endOfSupport ? { endOfSupport: support.endOfSupport } : {}),
      };
      if (support.ended) {
        const when = support.endOfSupport ? ` on ${support.endOfSupport}` : '';
        return {
          ...fail(
            resource,
            `${value} reached end of support${when}; upgrade to a supported version`,
            path,
            evidence,
          ),
        };
      }
      const until = support.endOfSupport ? ` until ${support.endOfSupport}` : '';
      return pass(resource, `${value} is supported${until}`, path, evidence);
    },
  }),

  defineCheck({
    id: 'AZ-APP-009',
    title: 'App Service apps do not allow cross-origin requests from every origin',
    severity: 'medium',
    rationale:
      "A CORS allowed origin of `*` tells browsers that scripts on any website may call the app and read its responses. Any page a signed-in user visits can then use the app's API on their behalf with whatever the browser sends automatically. The OWASP Application Security Verification Standard (V14.5.3) requires CORS to use a strict allow list of trusted origins. With no CORS setting, App Service adds no CORS headers and browsers keep the same-origin policy, so an unset list passes (App Service CORS documentation, checked 2026-12-04).",
    remediation:
      'List the trusted origins in `properties.siteConfig.cors.allowedOrigins` (or `properties.cors.allowedOrigins` of the `config/web` child), e.g. `["https://portal.example.gov.au"]`, and remove `*`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/app-service/app-service-web-tutorial-rest-api#enable-cors',
      'https://owasp.org/www-project-application-security-verification-standard/',
      TEMPLATE_REF,
    ],
    resourceTypes: [SITE, SLOT],
    evaluate: (r, context) => {
      const { resource, path } = siteConfigSource(r, context, 'cors.allowedOrigins');
      const origins = getPath(resource.body, path);
      const evidence = { path, value: origins instanceof Unknown ? origins.toJSON() : (origins ?? null) };
      if (origins instanceof Unknown) {
        return unknown(
          resource,
          `cannot decide the allowed CORS origins: ${path} is unknown (${origins.reason})`,
          path,
          origins,
        );
      }
      if (origins === undefined || origins === null) {
        return pass(resource, `${path} is not set: no cross-origin access is granted`, path, evidence);
      }
      const list = Array.isArray(origins) ? origins : [origins];
      if (list.some((o) => typeof o === 'string' && o.trim() === '*')) {
        return fail(resource, `${path} allows every origin (*)`, path, evidence);
      }
      const undecided = list.find((o): o is Unknown => o instanceof Unknown);
      if (undecided) {
        return unknown(
          resource,
          `cannot decide whether every origin is allowed: an entry of ${path} is unknown (${undecided.reason})`,
          path,
          undecided,
        );
      }
      return pass(resource, `${path} lists specific origins only`, path, evidence);
    },
  }),

  defineCheck({
    id: 'AZ-APP-010',
    title: 'App Service apps keep HTTP logs or send diagnostics to a log destination',
    severity: 'low',
    rationale:
      "Web server logs record who requested what and when; without them an attack on the app cannot be investigated. App Service keeps no HTTP logs unless `httpLoggingEnabled` (or the `config/logs` child's `httpLogs`) turns them on (they are off for a new app: App Service diagnostic logging documentation, checked 2026-12-04), and sends nothing to a central workspace unless a diagnostic setting on the site does. The ISM requires security-relevant events of server applications to be centrally logged: a diagnostic setting does that; HTTP logs kept by the app itself (file system or a storage container) are accepted as the platform's built-in logging. Severity is low because many organisations attach diagnostic settings by Azure Policy, outside the template; record that with a waiver.",
    remediation:
      'Declare a `Microsoft.Insights/diagnosticSettings` resource with `scope` set to the site (e.g. `"scope": "Microsoft.Web/sites/<name>"`), the `AppServiceHTTPLogs` category enabled and a `workspaceId`; or at least set `properties.siteConfig.httpLoggingEnabled` to `true`.',
    references: [
      'https://learn.microsoft.com/en-us/azure/app-service/troubleshoot-diagnostic-logs',
      'https://learn.microsoft.com/en-us/azure/app-service/monitor-app-service',
      TEMPLATE_REF,
    ],
    resourceTypes: [SITE, SLOT],
    evaluate: (r, context) => {
      const diagnostics = diagnosticSettingsOf(context, r);
      if (diagnostics.found.length > 0) {
        const names = diagnostics.found.map((s) => String(s.name));
        return pass(r, `diagnostic settings watch the app: ${names.join(', ')}`, undefined, {
          diagnosticSettings: names,
        });
      }
      const http = httpLogging(r, context);
      if (http.status === 'pass') return http;
      if (diagnostics.undecided) {
        return unknown(
          r,
          `cannot decide whether a diagnostic setting watches the app (${diagnostics.undecided.reason})`,
          undefined,
          diagnostics.undecided,
        );
      }
      return http;
    },
  }),
];

/** `config` children of a site or slot named `leaf` (e.g. `logs`), declared beside it. */
function configChildren(r: AzureResource, context: AzureCheckContext, leaf: string): AzureResource[] {
  const configType = r.type.toLowerCase() === SLOT.toLowerCase() ? `${SLOT}/config` : `${SITE}/config`;
  return childrenOf(context, r, configType).found.filter((cfg) => {
    const name = leafName(cfg);
    return typeof name === 'string' && name.toLowerCase() === leaf;
  });
}

const HTTP_LOG_SINKS = [
  'properties.httpLogs.fileSystem.enabled',
  'properties.httpLogs.azureBlobStorage.enabled',
];

/**
 * HTTP logging kept by the app: `siteConfig.httpLoggingEnabled` (or the `config/web` child's), or
 * a `config/logs` child with a file-system or blob HTTP log switched on. Unset means off (the
 * App Service default).
 */
function httpLogging(r: AzureResource, context: AzureCheckContext): CheckOutcome {
  const { resource, path } = siteConfigSource(r, context, 'httpLoggingEnabled');
  const enabled = getPath(resource.body, path);
  if (enabled === true) return pass(resource, `HTTP logging is enabled (${path} = true)`, path, { path });
  let undecided: { resource: AzureResource; path: string; value: Unknown } | undefined;
  if (enabled instanceof Unknown) undecided = { resource, path, value: enabled };
  for (const logs of configChildren(r, context, 'logs')) {
    for (const sink of HTTP_LOG_SINKS) {
      const on = getPath(logs.body, sink);
      if (on === true) return pass(logs, `HTTP logging is enabled (${sink} = true)`, sink, { path: sink });
      if (on instanceof Unknown) undecided ??= { resource: logs, path: sink, value: on };
    }
  }
  if (undecided) {
    return unknown(
      undecided.resource,
      `cannot decide whether HTTP logging is on: ${undecided.path} is unknown (${undecided.value.reason})`,
      undecided.path,
      undecided.value,
    );
  }
  const message =
    'no diagnostic setting in the scan watches the app and HTTP logging is off, so its web server logs are not kept';
  return enabled === undefined ? fail(r, message) : fail(resource, message, path, { path, value: enabled });
}
