import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { resolveScope } from '../../src/azure/expand/scope.ts';
import { isUnknown } from '../../src/azure/expressions/value.ts';
import { expandInWorkers } from '../../src/azure/parallel/pool.ts';
import { parallelThreads } from '../../src/azure/parallel/roots.ts';
import { type AzureScanOptions, scanAzure } from '../../src/azure/scan.ts';
import { templateInputs } from '../../src/cli/template-options.ts';
import { DEPLOYMENT_SCHEMA, PARAMETERS_SCHEMA, templateText } from '../helpers/arm.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-scan-jobs-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A storage account with parameters, an unknown (`reference()`), a copy loop and a property copy. */
function storage(n: number): string {
  return templateText(
    [
      {
        type: 'Microsoft.Storage/storageAccounts',
        apiVersion: '2023-01-01',
        name: `[concat('sa${n}', copyIndex())]`,
        location: "[parameters('where')]",
        kind: 'StorageV2',
        sku: { name: 'Standard_LRS' },
        copy: { name: 'accounts', count: (n % 3) + 1 },
        properties: {
          supportsHttpsTrafficOnly: "[parameters('https')]",
          minimumTlsVersion: n % 2 === 0 ? 'TLS1_2' : 'TLS1_0',
          allowBlobPublicAccess: "[reference('other').enabled]",
          networkAcls: {
            defaultAction: 'Deny',
            copy: [
              { name: 'ipRules', count: 2, input: { value: "[concat('10.0.0.', copyIndex('ipRules'))]" } },
            ],
          },
        },
      },
    ],
    {
      parameters: {
        https: { type: 'bool', defaultValue: n % 4 !== 0 },
        where: { type: 'string', defaultValue: 'australiaeast' },
      },
    },
  );
}

function deployment(name: string, path: string, condition = true) {
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2022-09-01',
    name,
    condition,
    properties: {
      mode: 'Incremental',
      templateLink: { relativePath: path },
      parameters: { https: { value: false } },
    },
  };
}

/** 20 root templates and more: linked ones, one reached by no deployment, parameter files and input errors. */
function corpus(): string {
  const dir = join(work, 'corpus');
  mkdirSync(join(dir, 'modules'), { recursive: true });
  for (let n = 0; n < 16; n++) writeFileSync(join(dir, `t${String(n).padStart(2, '0')}.json`), storage(n));
  const parameters = (values: unknown) =>
    JSON.stringify({ $schema: PARAMETERS_SCHEMA, contentVersion: '1.0.0.0', parameters: values });
  writeFileSync(
    join(dir, 't03.parameters.json'),
    parameters({ https: { value: true }, where: { value: 'westeurope' } }),
  );
  // A parameter file ARM cannot read: reported, and the template is assessed without it.
  writeFileSync(join(dir, 't05.parameters.json'), parameters([1, 2]));
  writeFileSync(join(dir, 'main.json'), templateText([deployment('child', 'modules/storage.json')]));
  writeFileSync(join(dir, 'twice.json'), templateText([deployment('again', 'modules/storage.json')]));
  writeFileSync(join(dir, 'modules', 'storage.json'), storage(7));
  writeFileSync(join(dir, 'never.json'), templateText([deployment('off', 'modules/unreached.json', false)]));
  writeFileSync(join(dir, 'modules', 'unreached.json'), storage(9));
  writeFileSync(join(dir, 'missing-link.json'), templateText([deployment('gone', 'modules/nothing.json')]));
  // An input error in expansion, and a copy count ARM refuses.
  writeFileSync(
    join(dir, 'bad-expression.json'),
    templateText([
      {
        type: 'Microsoft.KeyVault/vaults',
        apiVersion: '2023-07-01',
        name: "[parameters('nope')]",
        location: 'australiaeast',
        properties: { enableSoftDelete: "[concat(1, 'x'" },
      },
    ]),
  );
  writeFileSync(
    join(dir, 'too-many.json'),
    templateText([
      {
        type: 'Microsoft.Network/publicIPAddresses',
        apiVersion: '2023-04-01',
        name: "[concat('ip', copyIndex())]",
        location: 'australiaeast',
        copy: { name: 'ips', count: 900 },
      },
    ]),
  );
  writeFileSync(join(dir, 'broken.json'), `{ "$schema": "${DEPLOYMENT_SCHEMA}", "resources": [ `);
  return dir;
}

const dir = corpus();
const NOW = '2026-01-02T03:04:05.000Z';
const EVERY_SCAN = { templates: 1, bytes: 0 };

/** The assessment as JSON, without the times that say when it ran. */
async function run(options: AzureScanOptions) {
  const result = await scanAzure([dir], { root: dir, now: NOW, bicep: null, ...options });
  const { startedAt: _, finishedAt: __, ...rest } = result.assessment;
  return { json: JSON.stringify(rest), result };
}

describe('scan --jobs', () => {
  it('gives byte for byte the one-job assessment with two workers', async () => {
    const one = await run({ jobs: 1 });
    const two = await run({ jobs: 2, parallelFrom: EVERY_SCAN });
    const a = one.result.assessment;
    // The corpus exercises what couples the templates: links, errors, notes, parameter files.
    assert.ok(a.subjects.length > 30, `${a.subjects.length} subjects`);
    assert.ok(a.errors.some((e) => e.code === 'linked-template-missing'));
    assert.ok(a.errors.some((e) => e.file === 't05.parameters.json'));
    assert.ok(a.errors.some((e) => e.code === 'json-syntax'));
    assert.ok(
      a.notes.some((n) => n.file === 'modules/unreached.json' && /assessed standalone/.test(n.message)),
    );
    // Every root template (22) came from the workers: none fell back to the main thread.
    assert.deepEqual(two.result.workers, { threads: 2, templates: 22 });
    assert.deepEqual(one.result.workers, { threads: 1, templates: 0 });
    assert.equal(two.json, one.json);
  });

  it('rebuilds locate and the Unknowns of resources expanded in a worker', async () => {
    const one = await run({ jobs: 1 });
    const two = await run({ jobs: 3, parallelFrom: EVERY_SCAN });
    assert.equal(two.result.resources.length, one.result.resources.length);
    const paths = [
      'properties.allowBlobPublicAccess',
      'properties.networkAcls.ipRules[1]',
      'sku.name',
      'nothing.here',
    ];
    let unknowns = 0;
    one.result.resources.forEach((r, i) => {
      const w = two.result.resources[i];
      assert.ok(w);
      for (const p of paths) assert.deepEqual(w.locate(p), r.locate(p), `${r.id} ${p}`);
      const blob = (r.body.properties as Record<string, unknown> | undefined)?.allowBlobPublicAccess;
      const wired = (w.body.properties as Record<string, unknown> | undefined)?.allowBlobPublicAccess;
      assert.equal(isUnknown(wired), isUnknown(blob));
      if (isUnknown(blob)) unknowns++;
    });
    assert.ok(unknowns > 10);
  });

  it('lets the calling thread take jobs beside the workers, each job delivered once', async () => {
    const key = join(dir, 't01.json');
    const outcomes: string[] = [];
    const onMain: number[] = [];
    await expandInWorkers<void>(
      Array.from({ length: 40 }, () => ({ key, linkRoot: dir })),
      {
        root: dir,
        documents: [[key, { file: 't01.json', absolutePath: key }]],
        parameterFiles: [],
        cliValues: [],
        scope: resolveScope({}),
        now: NOW,
      },
      2,
      (index, result) => {
        outcomes[index] = result.ok === 'main' ? 'main' : result.ok ? 'worker' : 'failed';
      },
      (index) => {
        onMain.push(index);
      },
    );
    assert.equal(outcomes.filter((o) => o !== undefined).length, 40, 'every job delivered');
    assert.ok(!outcomes.includes('failed'));
    assert.deepEqual(
      outcomes.flatMap((o, i) => (o === 'main' ? [i] : [])),
      [...onMain].sort((a, b) => a - b),
      'the jobs the main thread took are the ones delivered as main',
    );
    assert.ok(onMain.length > 0, 'the main thread took some');
  });

  it('loads the TypeScript sources in its workers and expands each job there', async () => {
    const results: boolean[] = [];
    const scope = resolveScope({});
    const key = join(dir, 't01.json');
    await expandInWorkers(
      [0, 1, 2].map(() => ({ key, linkRoot: dir })),
      {
        root: dir,
        documents: [[key, { file: 't01.json', absolutePath: key }]],
        parameterFiles: [],
        cliValues: [],
        scope,
        now: NOW,
      },
      2,
      (index, result) => {
        results[index] = result.ok === true && result.wire.resources.length === 2;
      },
    );
    assert.deepEqual(results, [true, true, true]);
  });

  it('answers ok: false for a job it cannot do, and passes on a throw of the caller', async () => {
    const init = {
      root: dir,
      documents: [],
      parameterFiles: [],
      cliValues: [],
      scope: resolveScope({}),
      now: NOW,
    };
    const seen: string[] = [];
    await expandInWorkers([{ key: join(dir, 'nowhere.json'), linkRoot: dir }], init, 2, (_, result) => {
      seen.push(result.ok ? 'ok' : result.reason);
    });
    assert.equal(seen.length, 1);
    assert.match(seen[0] ?? '', /is not a template of the scan/);
    await assert.rejects(
      expandInWorkers(
        [
          { key: 'a', linkRoot: dir },
          { key: 'b', linkRoot: dir },
        ],
        init,
        1,
        () => {
          throw new Error('merge failed');
        },
      ),
      /merge failed/,
    );
  });

  it('stays on one thread by default, for a small scan or one job', () => {
    const roots = Array.from({ length: 40 }, () => ({ doc: { bytes: 300_000 } }));
    const at = (n: number, options: Parameters<typeof parallelThreads>[1]) =>
      parallelThreads(roots.slice(0, n) as never, options);
    assert.equal(at(40, {}), 1, 'one thread unless jobs asks for more');
    assert.equal(at(40, { jobs: 4 }), 4);
    assert.equal(at(40, { jobs: 1 }), 1);
    assert.equal(at(31, { jobs: 4 }), 1, 'fewer than 32 templates');
    assert.equal(at(32, { jobs: 4 }), 4, '32 templates of 9.6 MB');
    assert.equal(at(28, { jobs: 4, parallelFrom: { templates: 8, bytes: 9_000_000 } }), 1, 'too few bytes');
    assert.equal(at(30, { jobs: 4, parallelFrom: { templates: 8, bytes: 0 } }), 4);
    assert.equal(
      at(2, { jobs: 4, parallelFrom: { templates: 1, bytes: 0 } }),
      2,
      'never more workers than templates',
    );
  });

  it('takes --jobs over the config scan.jobs, and refuses what is not a positive whole number', () => {
    assert.equal(templateInputs([dir], { jobs: '3' }, { scan: { jobs: 5 } }).options.jobs, 3);
    assert.equal(templateInputs([dir], {}, { scan: { jobs: 5 } }).options.jobs, 5);
    assert.equal(templateInputs([dir], {}, {}).options.jobs, undefined);
    for (const bad of ['0', '-1', '1.5', 'all'])
      assert.throws(() => templateInputs([dir], { jobs: bad }, {}), /--jobs expects a positive whole number/);
  });
});
