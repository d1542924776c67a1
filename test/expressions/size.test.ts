/** Estimated value sizes (src/azure/expressions/size.ts): what the value budget charges. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatedSize, estimatedSizeOfFresh, type SizeWork } from '../../src/azure/expressions/size.ts';
import type { Value } from '../../src/azure/expressions/value.ts';

describe('estimated sizes', () => {
  it('sizes a fresh body as the cached sizing does, reading shared parts from the cache', () => {
    const shared: Value = { tags: ['a', 'b'], n: 12 };
    const work: SizeWork = { fresh: 0 };
    const sharedSize = estimatedSize(shared, work);
    assert.ok(Math.abs(sharedSize - JSON.stringify(shared).length) <= 3, 'about its JSON length');
    const body: Value = { properties: { x: shared, y: [shared, shared], z: 'text' }, name: 'r' };
    const twin: Value = structuredClone(body);
    const freshWork: SizeWork = { fresh: 0 };
    const size = estimatedSizeOfFresh(body, freshWork);
    assert.equal(size, estimatedSize(twin));
    // The shared part was not walked again: only the body's own parts are new work.
    const ownWork: SizeWork = { fresh: 0 };
    estimatedSize(structuredClone({ properties: { x: 0, y: [0, 0], z: 'text' }, name: 'r' }), ownWork);
    assert.ok(
      freshWork.fresh < ownWork.fresh + sharedSize,
      `${freshWork.fresh} < ${ownWork.fresh + sharedSize}`,
    );
  });

  it('caches the fresh body itself but not its inner objects', () => {
    const inner: Value = { deep: 'x'.repeat(10) };
    const body: Value = { inner };
    estimatedSizeOfFresh(body);
    const again: SizeWork = { fresh: 0 };
    estimatedSize(body, again);
    assert.equal(again.fresh, 0, 'the body answers from the cache');
    const innerWork: SizeWork = { fresh: 0 };
    estimatedSize(inner, innerWork);
    assert.ok(innerWork.fresh > 0, 'the inner object was not cached');
  });
});
