import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Unknown } from '../../src/azure/expressions/value.ts';
import { scanAzure } from '../../src/azure/scan.ts';
import { scanTemplate } from '../helpers/arm.ts';

const SCHEMAS = {
  resourceGroup: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
  subscription: 'https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#',
  managementGroup:
    'https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#',
  tenant: 'https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#',
};

/** A template at the given scope whose one resource records `location` in its tags. */
function recorder(schema: string, location: string): string {
  return JSON.stringify(
    {
      $schema: schema,
      contentVersion: '1.0.0.0',
      resources: [
        {
          type: 'Microsoft.Resources/tags',
          apiVersion: '2021-04-01',
          name: 'default',
          properties: { tags: { where: location } },
        },
      ],
    },
    null,
    2,
  );
}

async function recorded(text: string, location?: string) {
  const scan = await scanTemplate(text, {
    checkIds: [],
    ...(location === undefined ? {} : { scan: { scope: { resourceGroupLocation: location } } }),
  });
  const tagged = scan.resources.filter((r) => r.type === 'Microsoft.Resources/tags');
  const where = tagged.map(
    (r) => ((r.body.properties as { tags: { where: unknown } }).tags.where ?? null) as unknown,
  );
  return { errors: scan.errors, where };
}

describe('deployment().location and resourceGroup().location', () => {
  for (const level of ['subscription', 'managementGroup', 'tenant'] as const) {
    it(`deployment().location at ${level} scope is unknown (pass --location) unless the run sets a location`, async () => {
      const text = recorder(SCHEMAS[level], '[deployment().location]');
      const unset = await recorded(text);
      assert.deepEqual(unset.errors, []);
      assert.equal(unset.where.length, 1);
      const value = unset.where[0];
      assert.ok(value instanceof Unknown, `expected unknown, got ${JSON.stringify(value)}`);
      assert.match(value.reason, /--location/);
      const set = await recorded(text, 'australiaeast');
      assert.deepEqual(set.errors, []);
      assert.deepEqual(set.where, ['australiaeast']);
    });
  }

  it('deployment().location stays an error at resource group scope, where ARM has none', async () => {
    const { errors } = await recorded(
      recorder(SCHEMAS.resourceGroup, '[deployment().location]'),
      'australiaeast',
    );
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /property 'location' doesn't exist/);
  });

  it("a nested subscription deployment's deployment().location is its own location", async () => {
    const text = JSON.stringify({
      $schema: SCHEMAS.subscription,
      contentVersion: '1.0.0.0',
      resources: [
        {
          type: 'Microsoft.Resources/deployments',
          apiVersion: '2022-09-01',
          name: 'inner',
          location: 'westeurope',
          properties: {
            mode: 'Incremental',
            expressionEvaluationOptions: { scope: 'inner' },
            template: JSON.parse(recorder(SCHEMAS.subscription, '[deployment().location]')),
          },
        },
      ],
    });
    const { errors, where } = await recorded(text, 'australiaeast');
    assert.deepEqual(errors, []);
    assert.deepEqual(where, ['westeurope']);
  });

  it('resourceGroup().location is unknown, never "", unless the run sets it', async () => {
    const text = recorder(SCHEMAS.resourceGroup, '[resourceGroup().location]');
    const unset = await recorded(text);
    assert.deepEqual(unset.errors, []);
    assert.ok(unset.where[0] instanceof Unknown, `expected unknown, got ${JSON.stringify(unset.where[0])}`);
    assert.match(unset.where[0].reason, /--location/);
    assert.deepEqual((await recorded(text, 'australiaeast')).where, ['australiaeast']);
  });

  it('a nested deployment into another resource group does not inherit the run location', async () => {
    const nested = (extra: Record<string, unknown>) => ({
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name: `to-${Object.values(extra).join('-') || 'same'}`,
      ...extra,
      properties: {
        mode: 'Incremental',
        expressionEvaluationOptions: { scope: 'inner' },
        template: JSON.parse(recorder(SCHEMAS.resourceGroup, '[resourceGroup().location]')),
      },
    });
    const text = JSON.stringify({
      $schema: SCHEMAS.resourceGroup,
      contentVersion: '1.0.0.0',
      resources: [
        nested({}),
        nested({ resourceGroup: 'ASSAY-RG' }),
        nested({ resourceGroup: 'other-rg' }),
        nested({ subscriptionId: '11111111-1111-1111-1111-111111111111' }),
      ],
    });
    const { errors, where } = await recorded(text, 'australiaeast');
    assert.deepEqual(errors, []);
    assert.equal(where.length, 4);
    // Same resource group (names compare case-insensitively): the run's location applies.
    assert.deepEqual(where.slice(0, 2), ['australiaeast', 'australiaeast']);
    for (const other of where.slice(2)) assert.ok(other instanceof Unknown, JSON.stringify(other));
  });
});

describe('bicep baselines that read deployment().location', () => {
  const root = join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'bicep-baselines');
  const files = [
    'ModulesWithScopes_LF/main.json',
    'ModulesWithScopes_LF/main.symbolicnames.json',
    'Registry_LF/main.json',
    'Registry_LF/main.symbolicnames.json',
  ];
  for (const file of files) {
    const path = join(root, file);
    it(`${file} expands with no input errors`, {
      skip: existsSync(path) ? false : `${path} is absent`,
    }, async () => {
      const result = await scanAzure([path], {
        root: join(path, '..'),
        now: '2026-01-01T00:00:00Z',
        checks: [],
      });
      assert.deepEqual(
        result.assessment.errors.map((e) => `${e.line}: ${e.message}`),
        [],
      );
      assert.ok(result.resources.length > 0);
    });
  }
});
