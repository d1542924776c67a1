/**
 * Every locked package must run on the oldest Node this project supports (package.json
 * engines: >=20.19). A dependency that declares a newer Node (content-type 3.x declares >=22)
 * makes `npm ci` warn EBADENGINE and may use features Node 20 lacks; pin it with "overrides".
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const OLDEST_NODE = [20, 19, 0] as const;

type Version = readonly [number, number, number];

function parts(text: string): (number | undefined)[] {
  return text
    .replace(/^v/, '')
    .split('.')
    .slice(0, 3)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : undefined));
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Does `v` satisfy one comparator (`>=20`, `^8.16.0`, `~1.2`, `1.x`, `< 3`)? */
function satisfiesComparator(v: Version, comparator: string): boolean {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(comparator.trim());
  if (!m) throw new Error(`cannot read the engines comparator '${comparator}'`);
  const op = m[1] ?? '';
  const given = parts(m[2]);
  const base: Version = [given[0] ?? 0, given[1] ?? 0, given[2] ?? 0];
  const known = given.filter((g) => g !== undefined).length;
  if (op === '>=') return compare(v, base) >= 0;
  if (op === '>') return compare(v, base) > 0;
  if (op === '<') return compare(v, base) < 0;
  if (op === '<=') return compare(v, base) <= 0;
  if (op === '^') {
    const lead = base[0] > 0 ? 0 : base[1] > 0 ? 1 : 2;
    return compare(v, base) >= 0 && v.slice(0, lead + 1).every((x, i) => x === base[i]);
  }
  // `~1.2.3` and `1.2.x` fix what is given (up to the minor for a tilde); `=1.2.3` fixes all.
  const fixed = op === '~' ? Math.max(1, Math.min(known, 2)) : known;
  return compare(v, base) >= 0 && v.slice(0, fixed).every((x, i) => x === base[i]);
}

/** Does `v` satisfy an npm engines range (`a b` both, `a || b` either)? */
function satisfies(v: Version, range: string): boolean {
  return range.split('||').some((alternative) => {
    const comparators = alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/);
    return comparators.every((c) => c === '' || c === '*' || satisfiesComparator(v, c));
  });
}

describe('locked packages and Node 20.19', () => {
  it('reads engines ranges as npm does', () => {
    assert.equal(satisfies(OLDEST_NODE, '>=20.19'), true);
    assert.equal(satisfies(OLDEST_NODE, '>= 0.6'), true);
    assert.equal(satisfies(OLDEST_NODE, '^8.16.0 || ^10.6.0 || >=11.0.0'), true);
    assert.equal(satisfies(OLDEST_NODE, '>=22'), false);
    assert.equal(satisfies(OLDEST_NODE, '^18.17.0 || >=20.5.0'), true);
    assert.equal(satisfies(OLDEST_NODE, '^20.20.0 || >=22.12.0'), false);
    assert.equal(satisfies(OLDEST_NODE, '20.x'), true);
  });

  it('no locked package declares a Node that excludes 20.19', () => {
    const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: unknown }>;
    };
    const excluding: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      const engines = pkg.engines;
      // Old packages sometimes give engines as an array of strings, which npm ignores.
      if (!engines || typeof engines !== 'object' || Array.isArray(engines)) continue;
      const node = (engines as { node?: unknown }).node;
      if (typeof node === 'string' && !satisfies(OLDEST_NODE, node))
        excluding.push(`${path || '(root)'}@${pkg.version}: node ${node}`);
    }
    assert.deepEqual(excluding, []);
  });
});
