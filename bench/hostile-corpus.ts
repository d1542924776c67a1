/**
 * Hostile ARM templates, generated: each one is small on disk and tries to stall or exhaust
 * the scan (exponential values, resource loops, endless evaluation, hidden templates,
 * backtracking patterns). Used by test/hostile/ and bench/hostile.ts; nothing is checked in.
 *
 *   npx tsx bench/hostile-corpus.ts DIR   writes the folder (every hostile file plus good.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isMainScript } from './args.ts';

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const DEPLOYMENTS = 'Microsoft.Resources/deployments';

function template(resources: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ $schema: SCHEMA, contentVersion: '1.0.0.0', ...extra, resources }, null, 2);
}

/** A storage account that allows plain HTTP: every template here has one failing finding to show it was assessed. */
function storage(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const properties = { supportsHttpsTrafficOnly: false };
  return { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name, properties, ...extra };
}

/** A template that must still be reported beside the hostile ones: one failing storage account. */
export const GOOD_TEMPLATE = template([storage('goodbutinsecure')]);

/** A chain of variables, each built from the previous one twice: 2^depth in size, depth in text. */
function doubling(
  depth: number,
  first: unknown,
  step: (previous: string) => string,
): Record<string, unknown> {
  const variables: Record<string, unknown> = { v0: first };
  for (let i = 1; i <= depth; i++) variables[`v${i}`] = `[${step(`variables('v${i - 1}')`)}]`;
  return variables;
}

/** Nested deployments, each with a copy loop of `count`, `levels` deep, the innermost holding storage accounts. */
function nestedLoops(count: number, levels: number): unknown {
  let inner: unknown = {
    ...storage("[concat('sa', uniqueString(deployment().name), copyIndex())]"),
    copy: { name: 'sa', count },
  };
  for (let level = levels - 1; level >= 1; level--) {
    inner = {
      type: DEPLOYMENTS,
      apiVersion: '2022-09-01',
      name: `[concat('level${level}-', copyIndex())]`,
      copy: { name: `level${level}`, count },
      properties: {
        mode: 'Incremental',
        expressionEvaluationOptions: { scope: 'inner' },
        template: { $schema: SCHEMA, contentVersion: '1.0.0.0', resources: [inner] },
      },
    };
  }
  return inner;
}

function deploymentLink(path: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: DEPLOYMENTS,
    apiVersion: '2022-09-01',
    name: `to-${path.replace(/\W/g, '-')}`,
    ...extra,
    properties: { mode: 'Incremental', templateLink: { relativePath: path } },
  };
}

/** The budget each hostile template is stopped by (for the tests), keyed by file name. */
export const HOSTILE_BUDGETS: Record<string, 'value size' | 'resources' | 'steps' | 'time'> = {
  'concat-doubling.json': 'value size',
  'string-of-doubled-object.json': 'value size',
  'nested-copy-800.json': 'resources',
  'format-amplifier.json': 'value size',
  'replace-amplifier.json': 'value size',
  'join-amplifier.json': 'value size',
  'property-copy-doubling.json': 'value size',
  'nested-lambda-loops.json': 'steps',
  'fresh-large-strings.json': 'value size',
  'split-many-delimiters.json': 'steps',
};

/** 100,000 distinct keys starting with `prefix`, built by nested lambdas. */
function manyKeys(prefix: string): string {
  return `[flatten(map(range(0, 10), lambda('j', map(range(0, 10000), lambda('i', concat('${prefix}', string(lambdaVariables('j')), '-', string(lambdaVariables('i'))))))))]`;
}

/** Every hostile template by file name, as text. */
export function hostileTemplates(): Record<string, string> {
  const probe = (value: string) => [storage('probe', { tags: { value } })];
  return {
    // An array doubled 40 times: once 83 s and 4 GB before node aborted.
    'concat-doubling.json': template(probe("[string(length(variables('v40')))]"), {
      variables: doubling(40, [1], (p) => `concat(${p}, ${p})`),
    }),
    // An object doubled 40 times and then serialised: once more than 300 s.
    'string-of-doubled-object.json': template(probe("[string(variables('v40'))]"), {
      variables: doubling(40, { x: 'y' }, (p) => `createObject('a', ${p}, 'b', ${p})`),
    }),
    // 800 x 800 x 800 resources through nested deployments: once out of memory.
    'nested-copy-800.json': template([nestedLoops(800, 3)]),
    // One 64 KiB argument repeated 2,000 times by a format string.
    'format-amplifier.json': template(probe("[format(variables('fmt'), variables('big'))]"), {
      variables: { fmt: '{0}'.repeat(2000), big: "[padLeft('', 16384, 'x')]" },
    }),
    'replace-amplifier.json': template(probe("[replace(variables('as'), 'a', variables('big'))]"), {
      variables: { as: "[padLeft('', 16384, 'a')]", big: "[padLeft('', 16384, 'x')]" },
    }),
    'join-amplifier.json': template(probe("[join(range(0, 10000), variables('big'))]"), {
      variables: { big: "[padLeft('', 16384, 'x')]" },
    }),
    // Property copy loops of 800 over the previous variable: 800^4 in size, shared in memory.
    'property-copy-doubling.json': template(probe("[string(length(variables('c3')))]"), {
      variables: {
        copy: [
          { name: 'c1', count: 800, input: "[padLeft('', 1000, 'x')]" },
          { name: 'c2', count: 800, input: "[variables('c1')]" },
          { name: 'c3', count: 800, input: "[variables('c2')]" },
        ],
      },
    }),
    // 10^8 additions, no large value: only a step or time budget stops it.
    'nested-lambda-loops.json': template(
      probe(
        "[string(reduce(range(0, 10000), 0, lambda('acc', 'i', reduce(range(0, 10000), lambdaVariables('acc'), lambda('a', 'j', add(lambdaVariables('a'), lambdaVariables('j')))))))]",
      ),
    ),
    // 10,000 fresh 16 KiB strings kept in one array: 160 MiB built a piece at a time.
    'fresh-large-strings.json': template(
      probe(
        "[string(length(map(range(0, 10000), lambda('i', padLeft(string(lambdaVariables('i')), 16384, 'x')))))]",
      ),
    ),
    // 640,000 items, 10,000 distinct: union and intersection once compared every pair.
    'union-large.json': template(
      probe("[string(length(intersection(union(variables('v6')), variables('v6'))))]"),
      { variables: doubling(6, '[range(0, 10000)]', (p) => `concat(${p}, ${p})`) },
    ),
    // Objects of 100,000 keys each: union and intersection once looked up every key by a scan.
    'union-many-keys.json': template(
      probe(
        "[string(add(length(union(variables('a'), variables('b'))), length(intersection(variables('a'), variables('b')))))]",
      ),
      {
        variables: {
          keysA: manyKeys('a'),
          keysB: manyKeys('b'),
          a: "[toObject(variables('keysA'), lambda('k', lambdaVariables('k')))]",
          b: "[toObject(variables('keysB'), lambda('k', lambdaVariables('k')))]",
        },
      },
    ),
    // 10,000 delimiters tried at each of a million characters.
    'split-many-delimiters.json': template(
      probe("[string(length(split(variables('text'), variables('delimiters'))))]"),
      {
        variables: {
          chunk: "[padLeft('', 16384, 'a')]",
          text: `[concat(${Array(64).fill("variables('chunk')").join(', ')})]`,
          delimiters: "[map(range(0, 10000), lambda('i', concat('a', string(lambdaVariables('i')))))]",
        },
      },
    ),
    // Templates that try to hide from the scan (test/hostile/hidden-templates.test.ts).
    'self-link.json': template([storage('selflinked'), deploymentLink('self-link.json')]),
    'mutual-a.json': template([storage('mutuala'), deploymentLink('mutual-b.json')]),
    'mutual-b.json': template([storage('mutualb'), deploymentLink('mutual-a.json')]),
    'false-condition-parent.json': template([
      deploymentLink('false-condition-child.json', { condition: false }),
    ]),
    'false-condition-child.json': template([storage('behindfalse')]),
    // Arguments that once made a regular expression backtrack (test/hostile/regexp.test.ts).
    'float-200k.json': template(probe("[string(float(parameters('digits')))]"), {
      parameters: { digits: { type: 'string', defaultValue: `${'1'.repeat(200_000)}x` } },
    }),
  };
}

/** Writes every hostile template and the good one into `dir`. */
export function writeHostileCorpus(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files = { ...hostileTemplates(), 'good.json': GOOD_TEMPLATE };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return Object.keys(files);
}

if (isMainScript(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? 'bench/.corpus/hostile');
  console.log(`wrote ${writeHostileCorpus(dir).length} templates to ${dir}`);
}
