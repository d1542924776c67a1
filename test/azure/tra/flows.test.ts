/** Data flows, trust boundaries and the flow threats on boundary-crossing flows (issue 17 item 3). */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArchitectureModel, DataFlow, FlowKind } from '../../../src/azure/architecture/model.ts';
import { resolveBoundary } from '../../../src/azure/residency/boundary.ts';
import { THREAT_RULES } from '../../../src/azure/tra/rules.ts';
import type { TraResult } from '../../../src/azure/tra/run.ts';
import { lineOf } from '../../helpers/arm.ts';
import { flowsTemplate } from './flow-templates.ts';
import { traOf } from './templates.ts';

const nameOf = (model: ArchitectureModel, id: string) => model.nodes.find((n) => n.id === id)?.name ?? id;

/** The one flow of `kind` from `from` to `to` (node names), failing the test when there is not exactly one. */
function flow(model: ArchitectureModel, kind: FlowKind, from: string, to: string): DataFlow {
  const found = model.flows.filter(
    (f) => f.kind === kind && nameOf(model, f.from) === from && nameOf(model, f.to) === to,
  );
  assert.equal(
    found.length,
    1,
    `flows: ${model.flows.map((f) => `${f.kind} ${nameOf(model, f.from)}->${nameOf(model, f.to)}`).join(', ')}`,
  );
  return found[0]!;
}

/** A boundary's id by kind and name. */
function boundaryId(model: ArchitectureModel, kind: string, name: string): string {
  const b = model.boundaries.find((x) => x.kind === kind && x.name === name);
  assert.ok(b, `no ${kind} boundary ${name}`);
  return b.id;
}

/** The flow template with extra resources and edits to its resources (by name). */
function variant(
  extra: unknown[],
  edit: (r: Record<string, unknown>) => void = () => {},
  options: Parameters<typeof flowsTemplate>[0] = {},
): string {
  const t = JSON.parse(flowsTemplate(options)) as { resources: Record<string, unknown>[] };
  for (const r of t.resources) edit(r);
  t.resources.push(...(extra as Record<string, unknown>[]));
  return JSON.stringify(t, null, 2);
}

const ruleIds = (result: TraResult, flowId: string) =>
  result.threats.filter((t) => t.element.flow === flowId).map((t) => t.ruleId);

describe('data flows derived from the template', async () => {
  const text = flowsTemplate();
  const result = await traOf(text);
  const model = result.model;

  it('reads a Key Vault reference in an app setting, through the vault private endpoint', () => {
    const f = flow(model, 'key-vault-reference', 'app-portal', 'kv-portal');
    assert.equal(f.channel, 'private-endpoint');
    assert.equal(nameOf(model, f.via ?? ''), 'pe-kv');
    assert.equal(nameOf(model, f.fromSubnet ?? ''), 'snet-app');
    assert.equal(f.label, 'VAULT_SECRET');
    assert.equal(f.evidence.property, 'properties.siteConfig.appSettings[0].value');
    assert.equal(f.evidence.location.line, lineOf(text, '"value": "@Microsoft.KeyVault'));
    assert.equal(f.carriesSecret, false, 'a Key Vault reference carries no secret itself');
  });

  it('reads a storage connection string in an app setting (AccountName=), with its account key, by the service endpoint', () => {
    const f = flow(model, 'connection-string', 'app-portal', 'stportal');
    assert.equal(f.channel, 'service-endpoint');
    assert.equal(f.via, undefined);
    assert.equal(f.label, 'STORAGE');
    assert.equal(f.evidence.property, 'properties.siteConfig.appSettings[1].value');
    assert.equal(
      f.evidence.location.line,
      lineOf(text, 'DefaultEndpointsProtocol=https;AccountName=stportal'),
    );
    assert.equal(f.carriesSecret, true);
  });

  it('reads a SQL connection string by host name, over the public endpoint', () => {
    const f = flow(model, 'connection-string', 'app-portal', 'sql-portal');
    assert.equal(f.channel, 'public-endpoint');
    assert.equal(f.label, 'Db');
    assert.equal(f.evidence.property, 'properties.siteConfig.connectionStrings[0].connectionString');
    assert.equal(f.evidence.location.line, lineOf(text, '"connectionString": "Server=tcp:sql-portal'));
    assert.equal(f.carriesSecret, true);
  });

  it('reads an app setting that names a resource by host name as an app-setting flow', async () => {
    const t = variant([], (r) => {
      if (r.name !== 'app-portal') return;
      const site = (r.properties as { siteConfig: { appSettings: unknown[] } }).siteConfig;
      site.appSettings.push({ name: 'QUEUE_HOST', value: 'https://stportal.queue.core.windows.net/' });
    });
    const m = (await traOf(t)).model;
    const kinds = m.flows
      .filter((f) => nameOf(m, f.from) === 'app-portal' && nameOf(m, f.to) === 'stportal')
      .map((f) => f.kind);
    assert.ok(kinds.includes('app-setting'), kinds.join(', '));
    const f = m.flows.find((x) => x.kind === 'app-setting');
    assert.equal(f?.evidence.property, 'properties.siteConfig.appSettings[2].value');
    assert.equal(f?.evidence.location.line, lineOf(t, 'https://stportal.queue.core.windows.net/'));
    assert.equal(f?.carriesSecret, false);
  });

  it('reads a private endpoint as subnet -> private endpoint -> resource', () => {
    const f = flow(model, 'private-endpoint', 'snet-pe', 'kv-portal');
    assert.equal(f.channel, 'private-endpoint');
    assert.equal(nameOf(model, f.via ?? ''), 'pe-kv');
    assert.equal(f.evidence.property, 'properties.privateLinkServiceConnections');
    assert.equal(f.evidence.location.line, lineOf(text, '"privateLinkServiceConnections"'));
    assert.equal(f.privateDns, false);
  });

  it('sees the private DNS zone group of a private endpoint', async () => {
    const m = (await traOf(flowsTemplate({ dnsZoneGroup: true }))).model;
    assert.equal(flow(m, 'private-endpoint', 'snet-pe', 'kv-portal').privateDns, true);
  });

  it('reads a service endpoint as subnet -> resource, from the resource network rules', () => {
    const f = flow(model, 'service-endpoint', 'snet-app', 'stportal');
    assert.equal(f.channel, 'service-endpoint');
    assert.equal(f.evidence.location.line, lineOf(text, '"networkAcls"'));
    assert.equal(f.endpointPolicy, false);
  });

  it('reads VNet integration as app -> subnet', () => {
    const f = flow(model, 'vnet-integration', 'app-portal', 'snet-app');
    assert.equal(f.channel, 'virtual-network');
    assert.equal(f.evidence.property, 'properties.virtualNetworkSubnetId');
    assert.equal(f.evidence.location.line, lineOf(text, '"virtualNetworkSubnetId"'));
    assert.equal(f.routeAll, false);
  });

  it('reads a role assignment as principal -> scope, with the role named and its privilege', () => {
    const f = flow(model, 'role-assignment', 'app-portal', 'stportal');
    assert.equal(f.label, 'Contributor');
    assert.equal(f.privileged, true);
    assert.equal(f.channel, 'service-endpoint', 'a role on a data store uses the caller channel to it');
    assert.equal(f.evidence.property, 'properties.principalId');
    assert.equal(f.evidence.location.line, lineOf(text, '"principalId"'));
  });

  it('reads a role assignment of a user-assigned identity as a flow from each workload carrying it', async () => {
    const uai = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-portal')]";
    const t = variant(
      [
        {
          type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
          apiVersion: '2023-01-31',
          name: 'id-portal',
          location: 'australiaeast',
        },
        {
          type: 'Microsoft.Authorization/roleAssignments',
          apiVersion: '2022-04-01',
          name: "[guid(resourceGroup().id, 'id-portal-kv')]",
          scope: "[resourceId('Microsoft.KeyVault/vaults', 'kv-portal')]",
          properties: {
            roleDefinitionId:
              "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')]",
            principalId: `[reference(${uai.slice(1, -1)}, '2023-01-31').principalId]`,
            principalType: 'ServicePrincipal',
          },
        },
      ],
      (r) => {
        if (r.name === 'app-portal')
          r.identity = { type: 'UserAssigned', userAssignedIdentities: { [uai]: {} } };
      },
    );
    const m = (await traOf(t)).model;
    const f = flow(m, 'role-assignment', 'app-portal', 'kv-portal');
    assert.equal(f.label, 'Key Vault Secrets User');
    assert.equal(f.privileged, false);
    assert.equal(f.evidence.location.line, lineOf(t, '"principalId"', "'id-portal-kv'"));
  });

  it('reads a diagnostic setting as resource -> log destination', () => {
    const f = flow(model, 'diagnostics', 'kv-portal', 'log-portal');
    assert.equal(f.channel, 'platform');
    assert.equal(f.evidence.property, 'properties.workspaceId');
    assert.equal(f.evidence.location.line, lineOf(text, '"workspaceId"'));
  });

  it('numbers the flows F1, F2, ... in order', () => {
    assert.deepEqual(
      model.flows.map((f) => f.id),
      model.flows.map((_, i) => `F${i + 1}`),
    );
  });
});

describe('trust boundaries', async () => {
  const result = await traOf(flowsTemplate());
  const model = result.model;
  const vnet = boundaryId(model, 'virtual-network', 'vnet-app');
  const app = boundaryId(model, 'subnet', 'snet-app');
  const peSubnet = boundaryId(model, 'subnet', 'snet-pe');
  const pe = boundaryId(model, 'private-endpoint', 'pe-kv');

  it('draws the internet, the VNet, its subnets and the private endpoint, nested', () => {
    assert.deepEqual(model.boundaries.map((b) => b.kind).sort(), [
      'internet',
      'private-endpoint',
      'subnet',
      'subnet',
      'virtual-network',
    ]);
    const byId = new Map(model.boundaries.map((b) => [b.id, b]));
    assert.equal(byId.get(app)?.parent, vnet);
    assert.equal(byId.get(peSubnet)?.parent, vnet);
    assert.equal(byId.get(pe)?.parent, peSubnet);
    assert.deepEqual(
      byId.get(app)?.members.map((m) => nameOf(model, m)),
      ['nic-spare'],
    );
    assert.deepEqual(
      byId.get(pe)?.members.map((m) => nameOf(model, m)),
      ['pe-kv'],
    );
  });

  it('has no sovereign boundary without --boundary', () => {
    assert.ok(!model.boundaries.some((b) => b.kind === 'sovereign'));
    assert.ok(!model.flows.some((f) => f.crosses.includes('sovereign')));
  });

  it('gives each flow the boundaries it crosses', () => {
    const crosses = (kind: FlowKind, from: string, to: string) =>
      [...flow(model, kind, from, to).crosses].sort();
    // From the app's integration subnet through the vault's private endpoint in the other subnet.
    assert.deepEqual(crosses('key-vault-reference', 'app-portal', 'kv-portal'), [app, peSubnet, pe].sort());
    // Out of the VNet to the storage account by the service endpoint: no internet.
    assert.deepEqual(crosses('connection-string', 'app-portal', 'stportal'), [app, vnet].sort());
    // Out of the VNet to a public endpoint: the internet as well.
    assert.deepEqual(
      crosses('connection-string', 'app-portal', 'sql-portal'),
      [app, 'internet', vnet].sort(),
    );
    assert.deepEqual(crosses('private-endpoint', 'snet-pe', 'kv-portal'), [pe]);
    assert.deepEqual(crosses('service-endpoint', 'snet-app', 'stportal'), [app, vnet].sort());
    assert.deepEqual(crosses('vnet-integration', 'app-portal', 'snet-app'), [app, vnet].sort());
    assert.deepEqual(crosses('role-assignment', 'app-portal', 'stportal'), [app, vnet].sort());
    // Between two platform resources outside every boundary: nothing.
    assert.deepEqual(crosses('diagnostics', 'kv-portal', 'log-portal'), []);
  });

  it('draws the sovereign boundary with --boundary, and a flow to a resource outside it crosses it', async () => {
    const t = variant([], (r) => {
      if (r.name === 'log-portal') r.location = 'eastus';
    });
    const sovereign = await traOf(t, { boundary: resolveBoundary('au') });
    const m = sovereign.model;
    const b = m.boundaries.find((x) => x.kind === 'sovereign');
    assert.ok(b, 'sovereign boundary drawn');
    const inside = b.members.map((id) => nameOf(m, id));
    assert.ok(inside.includes('kv-portal'));
    assert.ok(!inside.includes('log-portal'), 'the workspace in eastus is outside');
    const diag = flow(m, 'diagnostics', 'kv-portal', 'log-portal');
    assert.deepEqual(diag.crosses, ['sovereign']);
    assert.ok(!flow(m, 'connection-string', 'app-portal', 'stportal').crosses.includes('sovereign'));
    assert.ok(ruleIds(sovereign, diag.id).includes('AZ-TRA-022'), 'the sovereign flow rule fires');
  });
});

describe('threats on flows that cross a trust boundary', async () => {
  const result = await traOf(flowsTemplate());
  const model = result.model;

  it('raises the flow rules on crossing flows, named after the flow', () => {
    const sql = flow(model, 'connection-string', 'app-portal', 'sql-portal');
    const onSql = ruleIds(result, sql.id);
    assert.ok(onSql.includes('AZ-TRA-011'), 'secret in a connection string');
    assert.ok(onSql.includes('AZ-TRA-012'), 'public endpoint');
    const t = result.threats.find((x) => x.ruleId === 'AZ-TRA-012' && x.element.flow === sql.id);
    assert.equal(t?.element.name, `app-portal → sql-portal (${sql.id})`);
    assert.equal(t?.element.location.line, sql.evidence.location.line);
    // The storage connection string uses the service endpoint: no public-endpoint threat.
    const st = flow(model, 'connection-string', 'app-portal', 'stportal');
    assert.ok(!ruleIds(result, st.id).includes('AZ-TRA-012'));
    assert.ok(ruleIds(result, st.id).includes('AZ-TRA-011'));
    // The Key Vault reference carries no secret.
    assert.ok(
      !ruleIds(result, flow(model, 'key-vault-reference', 'app-portal', 'kv-portal').id).includes(
        'AZ-TRA-011',
      ),
    );
    assert.ok(
      ruleIds(result, flow(model, 'role-assignment', 'app-portal', 'stportal').id).includes('AZ-TRA-014'),
    );
    assert.ok(
      ruleIds(result, flow(model, 'private-endpoint', 'snet-pe', 'kv-portal').id).includes('AZ-TRA-016'),
    );
    assert.ok(
      ruleIds(result, flow(model, 'service-endpoint', 'snet-app', 'stportal').id).includes('AZ-TRA-017'),
    );
    assert.ok(
      ruleIds(result, flow(model, 'vnet-integration', 'app-portal', 'snet-app').id).includes('AZ-TRA-018'),
    );
  });

  it('raises a rule on a crossing flow and not on a flow of the same kind that crosses nothing', async () => {
    // kv-portal -> log-portal crosses nothing; the NIC in snet-app -> log-portal leaves the VNet.
    const t = variant([
      {
        type: 'Microsoft.Insights/diagnosticSettings',
        apiVersion: '2021-05-01-preview',
        name: 'nic-metrics',
        scope: "[resourceId('Microsoft.Network/networkInterfaces', 'nic-spare')]",
        properties: {
          workspaceId: "[resourceId('Microsoft.OperationalInsights/workspaces', 'log-portal')]",
          metrics: [{ category: 'AllMetrics', enabled: true }],
        },
      },
    ]);
    const r = await traOf(t);
    const quiet = flow(r.model, 'diagnostics', 'kv-portal', 'log-portal');
    const crossing = flow(r.model, 'diagnostics', 'nic-spare', 'log-portal');
    assert.deepEqual(quiet.crosses, []);
    assert.ok(crossing.crosses.length > 0, 'the NIC flow leaves its subnet and VNet');
    assert.deepEqual(ruleIds(r, quiet.id), []);
    assert.deepEqual(ruleIds(r, crossing.id), ['AZ-TRA-021']);
  });

  it('raises no data-stored or data-store threat on a NIC, an NSG or a VNet, also outside the boundary', async () => {
    // The plumbing in another region: the residency rules fire on it, but not those about stored data.
    const t = variant([], (r) => {
      if (r.name === 'nic-spare' || r.name === 'nsg-app' || r.name === 'vnet-app') r.location = 'eastus';
    });
    const checked = new Map<string, string[]>();
    for (const options of [{}, { boundary: resolveBoundary('au') }]) {
      const r = await traOf(t, options);
      const plumbing = new Set(['network-interface', 'network-security-group', 'virtual-network']);
      const kinds = new Set(r.model.nodes.map((n) => n.kind));
      for (const k of plumbing) assert.ok(kinds.has(k as never), `template has a ${k}`);
      const dataRules = new Set(
        THREAT_RULES.filter((x) => x.about === 'data' || x.about === 'any-data').map((x) => x.id),
      );
      for (const threat of r.threats) {
        const onPlumbing =
          (threat.element.kind !== undefined && plumbing.has(threat.element.kind)) ||
          /\/(networkinterfaces|networksecuritygroups|virtualnetworks)$/i.test(threat.element.type);
        if (!onPlumbing) continue;
        checked.set(threat.element.name, [...(checked.get(threat.element.name) ?? []), threat.ruleId]);
        assert.ok(
          !dataRules.has(threat.ruleId),
          `${threat.ruleId} (${threat.title}) on ${threat.element.name}`,
        );
        assert.doesNotMatch(threat.title, /stored|data store/i, `${threat.ruleId} on ${threat.element.name}`);
      }
    }
    assert.ok(checked.size > 0, 'some threat lands on the plumbing, so the assertion ran');
  });
});
