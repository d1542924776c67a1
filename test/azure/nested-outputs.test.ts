/**
 * `reference()` of a nested deployment declared in the same template reads its outputs, as
 * ARM does once that deployment has run: an output the nested template decides is known (a
 * published quickstart passes a subnet id this way). Other deployment state stays unknown.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Unknown } from '../../src/azure/expressions/value.ts';
import { DEPLOYMENT_SCHEMA, scanTemplate } from '../helpers/arm.ts';

/**
 * A deployment whose template declares nothing and outputs what it is given: inner scope with
 * a `prefix` parameter, or outer scope (the template reads the parent's scope).
 */
function producer(name: string, outputs: Record<string, unknown>, scope: 'inner' | 'outer' = 'inner') {
  const inner = scope === 'inner';
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name,
    properties: {
      mode: 'Incremental',
      ...(inner
        ? { expressionEvaluationOptions: { scope: 'inner' }, parameters: { prefix: { value: 'net' } } }
        : {}),
      template: {
        $schema: DEPLOYMENT_SCHEMA,
        contentVersion: '1.0.0.0',
        ...(inner ? { parameters: { prefix: { type: 'string' } } } : {}),
        resources: [],
        outputs,
      },
    },
  };
}

function nsg(name: string, description: string) {
  return {
    type: 'Microsoft.Network/networkSecurityGroups',
    apiVersion: '2023-04-01',
    name,
    location: 'australiaeast',
    properties: { securityRules: [], flushConnection: false },
    tags: { note: description },
  };
}

async function tagsOf(resources: unknown[]): Promise<unknown[]> {
  const text = JSON.stringify({ $schema: DEPLOYMENT_SCHEMA, contentVersion: '1.0.0.0', resources }, null, 2);
  const { errors, resources: expanded } = await scanTemplate(text, { checkIds: [] });
  assert.deepEqual(errors, []);
  return expanded
    .filter((r) => r.type === 'Microsoft.Network/networkSecurityGroups')
    .map((r) => (r.body.tags as Record<string, unknown>).note);
}

describe('reference() of a nested deployment in the same template', () => {
  const outputs = {
    vnetId: {
      type: 'string',
      value: "[resourceId('Microsoft.Network/virtualNetworks', format('{0}-vnet', parameters('prefix')))]",
    },
  };

  it('reads an output by resource id', async () => {
    const [note] = await tagsOf([
      producer('network', outputs),
      nsg(
        'consumer',
        "[format('{0}/subnets/Default', reference(resourceId('Microsoft.Resources/deployments', 'network'), '2022-09-01').outputs.vnetId.value)]",
      ),
    ]);
    assert.equal(
      note,
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/assay-rg/providers/Microsoft.Network/virtualNetworks/net-vnet/subnets/Default',
    );
  });

  it('reads an output by symbolic name in a languageVersion 2.0 template', async () => {
    const text = JSON.stringify(
      {
        $schema: DEPLOYMENT_SCHEMA,
        languageVersion: '2.0',
        contentVersion: '1.0.0.0',
        resources: {
          network: producer('network', outputs),
          consumer: {
            ...nsg('consumer', "[reference('network').outputs.vnetId.value]"),
            dependsOn: ['network'],
          },
        },
      },
      null,
      2,
    );
    const { errors, resources } = await scanTemplate(text, { checkIds: [] });
    assert.deepEqual(errors, []);
    const note = (resources[0].body.tags as Record<string, unknown>).note;
    assert.match(String(note), /virtualNetworks\/net-vnet$/);
  });

  it('keeps an output the nested template cannot decide, and other deployment state, unknown', async () => {
    const [fromReference, state] = await tagsOf([
      producer('network', {
        live: {
          type: 'string',
          value:
            "[reference(resourceId('Microsoft.Network/virtualNetworks', 'x'), '2023-04-01').resourceGuid]",
        },
      }),
      nsg(
        'a',
        "[reference(resourceId('Microsoft.Resources/deployments', 'network'), '2022-09-01').outputs.live.value]",
      ),
      nsg(
        'b',
        "[reference(resourceId('Microsoft.Resources/deployments', 'network'), '2022-09-01').provisioningState]",
      ),
    ]);
    assert.ok(fromReference instanceof Unknown);
    assert.match(fromReference.reason, /known only at deployment/);
    assert.ok(state instanceof Unknown);
    assert.match(state.reason, /deployment 'network'/);
  });
});

describe('reference() of a deployment from its own outputs', () => {
  it('is unknown, not a loop, for an outer-scope deployment that reads itself', async () => {
    const self =
      "[reference(resourceId('Microsoft.Resources/deployments', 'loop'), '2022-09-01').outputs.again.value]";
    const selfReading = producer('loop', { again: { type: 'string', value: self } }, 'outer');
    const [note] = await tagsOf([
      selfReading,
      nsg(
        'reader',
        "[reference(resourceId('Microsoft.Resources/deployments', 'loop'), '2022-09-01').outputs.again.value]",
      ),
    ]);
    assert.ok(note instanceof Unknown);
    assert.match(note.reason, /reference\('[^']*deployments\/loop'\) is known only at deployment/);
  });
});
