import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Unknown } from '../../src/azure/expressions/value.ts';
import type { AzureResource } from '../../src/azure/resource.ts';
import { indexResources, ResourceIndex } from '../../src/azure/resource-index.ts';

function resource(type: string, name: string | Unknown, file = 'a.json', deployments: string[] = []) {
  const location = { file, line: 1, column: 1 };
  const r: AzureResource = {
    type,
    apiVersion: '2023-01-01',
    name,
    id: `/x/${type}/${String(name)}`,
    body: {},
    deployments,
    file,
    location,
    locate: () => location,
  };
  return r;
}

const ACCOUNT = 'Microsoft.Storage/storageAccounts';
const BLOB = 'Microsoft.Storage/storageAccounts/blobServices';

describe('ResourceIndex', () => {
  const account = resource(ACCOUNT, 'st');
  const blob = resource(BLOB, 'ST/default');
  const otherFile = resource(BLOB, 'st/default', 'b.json');
  const nested = resource(BLOB, 'st/default', 'a.json', ['inner']);
  const grandchild = resource(`${BLOB}/containers`, 'st/default/data');
  const unknownName = resource(BLOB, new Unknown('no name'));
  const second = resource(ACCOUNT, 'ST', 'b.json');
  const all = [account, blob, otherFile, nested, grandchild, unknownName, second];
  const index = new ResourceIndex(all);

  it('lists resources of a type case-insensitively, in scan order', () => {
    assert.deepEqual(index.ofType(BLOB.toUpperCase()), [blob, otherFile, nested, unknownName]);
    assert.deepEqual(index.ofType('Microsoft.None/none'), []);
  });

  it('finds the first resource of a type and name', () => {
    assert.equal(index.named(ACCOUNT, 'st'), account);
    assert.equal(index.named(ACCOUNT, 'missing'), undefined);
    assert.equal(index.withId(account.id.toUpperCase()), account);
  });

  it('finds children only beside the parent (same file and nested deployment)', () => {
    const children = index.childrenNamed(account, BLOB, 'st');
    assert.deepEqual(children.found, [blob]);
    assert.equal(children.unknownName, unknownName.name);
    assert.deepEqual(index.childrenNamed(second, BLOB, 'ST').found, [otherFile]);
    assert.deepEqual(index.inDeployment(account, BLOB), [blob, unknownName]);
    assert.deepEqual(index.childrenNamed(account, `${BLOB}/containers`, 'st/default').found, [grandchild]);
    assert.deepEqual(index.childrenNamed(account, `${BLOB}/containers`, 'st').found, []);
  });

  it('is built once per resource list', () => {
    assert.equal(indexResources(all), indexResources(all));
  });
});
