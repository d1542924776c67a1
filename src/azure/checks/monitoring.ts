import { z } from 'zod';
import { Unknown, type Value } from '../expressions/value.ts';
import { getPath } from '../resource.ts';
import { type AzureCheck, checkProperty, defineCheck, fail, pass, unknown } from './define.ts';
import { DIAGNOSTIC_SETTINGS, diagnosticSettingsOf } from './diagnostics.ts';
import { endpointCheck } from './endpoint-outcome.ts';

const WORKSPACE = 'Microsoft.OperationalInsights/workspaces';
const WORKSPACE_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.operationalinsights/workspaces';
const DIAGNOSTIC_DOCS = 'https://learn.microsoft.com/azure/templates/microsoft.insights/diagnosticsettings';
const KEY_VAULT = 'Microsoft.KeyVault/vaults';
/** The older form: a diagnostic setting declared as a `providers` child of the resource it watches. */
const KEY_VAULT_LEGACY_DIAGNOSTICS = 'Microsoft.KeyVault/vaults/providers/diagnosticSettings';

/** ISM-1988: event logs are retained in a searchable manner for at least 12 months. */
const MIN_RETENTION_DAYS = 365;

const DESTINATIONS = [
  'workspaceId',
  'storageAccountId',
  'eventHubAuthorizationRuleId',
  'marketplacePartnerId',
];

function isSet(v: Value | undefined): boolean {
  return v !== undefined && v !== null && v !== '';
}

export const checks: AzureCheck[] = [
  defineCheck({
    id: 'AZ-LOG-001',
    title: 'Log Analytics workspace retains logs for at least 12 months',
    severity: 'medium',
    rationale:
      'Intrusions are often found months after they began; investigating them needs the event logs of the ' +
      'whole period. The ISM requires event logs to be kept searchable for at least 12 months, while a ' +
      'workspace keeps data for 30 days unless told otherwise (90 days is a common but insufficient minimum).',
    remediation:
      `Set \`properties.retentionInDays\` to at least ${MIN_RETENTION_DAYS} (or keep longer-term copies in an archive ` +
      'tier or storage account and record that as the retention evidence).',
    references: [
      WORKSPACE_DOCS,
      'https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure',
    ],
    resourceTypes: [WORKSPACE],
    options: {
      schema: z.object({ minRetentionDays: z.number().int().min(1) }),
      defaults: { minRetentionDays: MIN_RETENTION_DAYS },
      descriptions: {
        minRetentionDays:
          'Fewest days of retention that pass (`properties.retentionInDays` at or above it); 365 is the ISM 12 months.',
      },
    },
    evaluate: (r, _context, { minRetentionDays }) =>
      checkProperty(r, {
        path: 'properties.retentionInDays',
        test: (v) => typeof v === 'number' && v >= minRetentionDays,
        whenMissing: 'fail',
        expectation: `logs are retained for at least ${minRetentionDays} days`,
      }),
  }),
  defineCheck({
    id: 'AZ-LOG-002',
    title: 'Log Analytics workspace disables public ingestion and query access',
    severity: 'low',
    rationale:
      'Event logs reveal how a system is built and defended, and their integrity is what investigations rely ' +
      'on. Public ingestion and query endpoints let anyone holding a key or token send or read logs from any ' +
      'network; Azure Monitor Private Link keeps both on private networks. `SecuredByPerimeter` limits the endpoints (`restricted` in the threat-and-risk assessment) but fails this check, which asks for Private Link (docs/tra.md).',
    remediation:
      "Set `properties.publicNetworkAccessForIngestion` and `properties.publicNetworkAccessForQuery` to `'Disabled'` " +
      'and connect through an Azure Monitor Private Link Scope.',
    references: [
      WORKSPACE_DOCS,
      'https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security',
    ],
    resourceTypes: [WORKSPACE],
    // Stricter than the TRA on purpose: a perimeter (SecuredByPerimeter) is limited in the TRA but
    // fails here, because the control requires both endpoints reached through Private Link only.
    evaluate: endpointCheck('log-analytics', { what: 'the workspace', acceptLimited: [] }),
  }),
  defineCheck({
    id: 'AZ-LOG-003',
    title: 'Log Analytics workspace disables local (shared key) authentication',
    severity: 'low',
    rationale:
      'Workspace shared keys let anyone who holds them write data into the workspace, so forged or noise ' +
      'events can be injected into the records investigators rely on. Requiring Entra authentication for ' +
      'ingestion ties every writer to an identity.',
    remediation:
      'Set `properties.features.disableLocalAuth` to `true` (use the Azure Monitor Agent with managed identities).',
    references: [
      WORKSPACE_DOCS,
      'https://learn.microsoft.com/azure/azure-monitor/logs/azure-ad-authentication-logs',
    ],
    resourceTypes: [WORKSPACE],
    evaluate: (r) =>
      checkProperty(r, {
        path: 'properties.features.disableLocalAuth',
        test: (v) => v === true,
        whenMissing: 'fail',
        expectation: 'local authentication is disabled',
      }),
  }),
  defineCheck({
    id: 'AZ-LOG-004',
    title: 'Diagnostic settings send resource logs to a destination',
    severity: 'medium',
    rationale:
      'A diagnostic setting only produces evidence if it enables log categories and names where they go. A ' +
      'setting with only metrics, disabled categories or no destination collects nothing an investigator ' +
      'could use.',
    remediation:
      "Enable at least one log category (e.g. `properties.logs: [{ categoryGroup: 'allLogs', enabled: true }]`) and " +
      'set `properties.workspaceId` (or `storageAccountId` / `eventHubAuthorizationRuleId`).',
    references: [
      DIAGNOSTIC_DOCS,
      'https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings',
    ],
    resourceTypes: [DIAGNOSTIC_SETTINGS, KEY_VAULT_LEGACY_DIAGNOSTICS],
    evaluate: (r) => {
      const logsPath = 'properties.logs';
      const logs = getPath(r.body, logsPath);
      if (logs instanceof Unknown) {
        return unknown(
          r,
          `cannot decide whether logs are enabled: ${logsPath} is unknown (${logs.reason})`,
          logsPath,
          logs,
        );
      }
      const entries = Array.isArray(logs) ? logs : [];
      let anyEnabled = false;
      let undecidedLog: Unknown | undefined;
      for (const entry of entries) {
        const enabled = getPath(entry, 'enabled');
        if (enabled === true) anyEnabled = true;
        else if (enabled instanceof Unknown) undecidedLog ??= enabled;
        else if (entry instanceof Unknown) undecidedLog ??= entry;
      }
      if (!anyEnabled) {
        if (undecidedLog) {
          return unknown(
            r,
            `cannot decide whether logs are enabled: a log entry is unknown (${undecidedLog.reason})`,
            logsPath,
            undecidedLog,
          );
        }
        return fail(r, 'the diagnostic setting enables no log category', logsPath, {
          path: logsPath,
          value: logs ?? null,
        });
      }
      let undecidedTarget: { path: string; value: Unknown } | undefined;
      for (const key of DESTINATIONS) {
        const path = `properties.${key}`;
        const target = getPath(r.body, path);
        if (target instanceof Unknown) undecidedTarget ??= { path, value: target };
        else if (isSet(target))
          return pass(r, `logs are sent to ${key}`, path, { path, value: target ?? null });
      }
      if (undecidedTarget) {
        return unknown(
          r,
          `cannot decide whether the logs have a destination: ${undecidedTarget.path} is unknown (${undecidedTarget.value.reason})`,
          undecidedTarget.path,
          undecidedTarget.value,
        );
      }
      return fail(
        r,
        'the diagnostic setting names no destination (workspace, storage account or event hub)',
        'properties',
        {
          destinations: DESTINATIONS,
        },
      );
    },
  }),
  defineCheck({
    id: 'AZ-LOG-005',
    title: 'Key Vault has a diagnostic setting collecting its audit logs',
    severity: 'medium',
    rationale:
      'Key Vault audit events record who read, changed or deleted keys, secrets and certificates. They are not ' +
      'kept anywhere unless a diagnostic setting sends them to a log destination, so misuse of privileged ' +
      'secrets would leave no trace to analyse.',
    remediation:
      'Declare a `Microsoft.Insights/diagnosticSettings` resource with `scope` set to the vault (e.g. ' +
      '`"scope": "Microsoft.KeyVault/vaults/<name>"`), `logs: [{ categoryGroup: \'audit\', enabled: true }]` and a `workspaceId`.',
    references: [
      DIAGNOSTIC_DOCS,
      'https://learn.microsoft.com/azure/key-vault/general/logging',
      'https://learn.microsoft.com/azure/azure-resource-manager/templates/scope-extension-resources',
    ],
    resourceTypes: [KEY_VAULT],
    evaluate: (r, context) => {
      if (r.name instanceof Unknown) {
        return unknown(
          r,
          `cannot match diagnostic settings to the vault: its name is unknown (${r.name.reason})`,
          undefined,
          r.name,
        );
      }
      const { found, undecided } = diagnosticSettingsOf(context, r);
      if (found.length > 0) {
        const names = found.map((s) => String(s.name));
        return pass(r, `diagnostic settings watch the vault: ${names.join(', ')}`, undefined, {
          diagnosticSettings: names,
        });
      }
      if (undecided) {
        return unknown(
          r,
          `cannot decide whether a diagnostic setting watches the vault (${undecided.reason})`,
          undefined,
          undecided,
        );
      }
      return fail(
        r,
        'no diagnostic setting in the scan is scoped to the vault, so its audit events are not collected',
      );
    },
  }),
];
