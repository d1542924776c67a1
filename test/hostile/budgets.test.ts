import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GOOD_TEMPLATE, HOSTILE_BUDGETS, hostileTemplates } from '../../bench/hostile-corpus.ts';
import { azureChecks } from '../../src/azure/checks/index.ts';
import type { BudgetLimits } from '../../src/azure/expressions/budget.ts';
import { scanAzure } from '../../src/azure/scan.ts';
import { templateText } from '../helpers/arm.ts';

// Each hostile template is generated here, scanned beside a good one, and must end with an
// input error naming its file and the budget while the good template is still assessed.

const work = mkdtempSync(join(tmpdir(), 'assay-budgets-'));
after(() => rmSync(work, { recursive: true, force: true }));
const httpsCheck = azureChecks.filter((c) => c.meta.id === 'AZ-STORAGE-001');
/** Generous: a case stops within its budget (at most the 10 s default timeout), here with room for a loaded machine. */
const BOUND_MS = 30_000;

async function scanBeside(name: string, files: Record<string, string>, budgets?: Partial<BudgetLimits>) {
  const dir = join(work, name.replace(/\W/g, '-'));
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries({ ...files, 'good.json': GOOD_TEMPLATE }))
    writeFileSync(join(dir, file), text);
  const started = performance.now();
  const { assessment, resources } = await scanAzure([dir], {
    root: dir,
    checks: httpsCheck,
    bicep: null,
    ...(budgets ? { budgets } : {}),
  });
  return { assessment, resources, ms: performance.now() - started };
}

function assertStopped(result: Awaited<ReturnType<typeof scanBeside>>, file: string, budget: string): void {
  const { assessment, ms } = result;
  assert.ok(ms < BOUND_MS, `${file} took ${Math.round(ms)} ms`);
  const breach = assessment.errors.filter((e) => e.code === 'budget-exceeded');
  assert.equal(breach.length, 1, JSON.stringify(assessment.errors));
  assert.equal(breach[0]?.file, file);
  assert.match(breach[0]?.message ?? '', new RegExp(`the ${budget} budget .* is exceeded`));
  assert.match(breach[0]?.message ?? '', /raise the budget with --/);
  const failed = assessment.findings.filter((f) => f.status === 'fail').map((f) => f.location.file);
  assert.ok(failed.includes('good.json'), 'the good template beside it is still assessed');
  assert.ok(!failed.includes(file), 'nothing of the stopped template is assessed');
}

describe('budgets on hostile templates, with the default limits', () => {
  const templates = hostileTemplates();
  for (const [file, budget] of Object.entries(HOSTILE_BUDGETS)) {
    it(`${file} is stopped by the ${budget} budget`, async () => {
      assertStopped(await scanBeside(file, { [file]: templates[file] as string }), file, budget);
    });
  }
});

const storage = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'Microsoft.Storage/storageAccounts',
  apiVersion: '2023-01-01',
  name,
  properties: { supportsHttpsTrafficOnly: false },
  ...extra,
});

describe('each budget, configured small', () => {
  it('value size: a 2,000-character value over a 1 KiB budget', async () => {
    const text = templateText([storage("[padLeft('x', 2000, 'y')]")]);
    const result = await scanBeside('value-size', { 'big.json': text }, { maxValueSize: 1024 });
    assertStopped(result, 'big.json', 'value size');
    assert.match(result.assessment.errors[0]?.message ?? '', /\(1 KiB\).*padLeft\(\)/);
  });

  it('resources: a copy loop of 6 over a budget of 5, and 5 is allowed', async () => {
    const loop = (count: number) =>
      templateText([storage("[concat('sa', copyIndex())]", { copy: { name: 'many', count } })]);
    assertStopped(
      await scanBeside('resources', { 'six.json': loop(6) }, { maxResources: 5 }),
      'six.json',
      'resources',
    );
    const five = await scanBeside('resources-ok', { 'five.json': loop(5) }, { maxResources: 5 });
    assert.deepEqual(five.assessment.errors, []);
    assert.equal(five.resources.length, 6);
  });

  it('resources: nested deployments count toward the scanned file', async () => {
    const inner = {
      type: 'Microsoft.Resources/deployments',
      apiVersion: '2022-09-01',
      name: "[concat('d', copyIndex())]",
      copy: { name: 'deployments', count: 3 },
      properties: {
        mode: 'Incremental',
        template: JSON.parse(
          templateText([storage("[concat('sa', copyIndex())]", { copy: { name: 's', count: 3 } })]),
        ),
      },
    };
    const result = await scanBeside('nested', { 'nested.json': templateText([inner]) }, { maxResources: 10 });
    assertStopped(result, 'nested.json', 'resources');
  });

  it('steps: a loop of 10,000 additions over a budget of 1,000 steps', async () => {
    const sum =
      "[string(reduce(range(0, 10000), 0, lambda('a', 'i', add(lambdaVariables('a'), lambdaVariables('i')))))]";
    const result = await scanBeside(
      'steps',
      { 'loop.json': templateText([storage('sa', { tags: { sum } })]) },
      { maxSteps: 1000 },
    );
    assertStopped(result, 'loop.json', 'steps');
  });

  it('time: a long evaluation over a 0.2 s budget', async () => {
    const text = hostileTemplates()['nested-lambda-loops.json'] as string;
    const result = await scanBeside('time', { 'slow.json': text }, { maxSteps: 1e12, timeoutMs: 200 });
    assertStopped(result, 'slow.json', 'time');
    assert.ok(result.ms < 10_000, `stopped after ${Math.round(result.ms)} ms`);
  });

  it('a breach in a linked template names the scanned file, and the linked one is assessed on its own', async () => {
    const parent = templateText([
      {
        type: 'Microsoft.Resources/deployments',
        apiVersion: '2022-09-01',
        name: 'child',
        properties: { mode: 'Incremental', templateLink: { relativePath: 'child.json' } },
      },
      storage('parentsa'),
    ]);
    const child = templateText([storage("[concat('sa', copyIndex())]", { copy: { name: 's', count: 4 } })]);
    const { assessment } = await scanBeside(
      'linked',
      { 'parent.json': parent, 'child.json': child },
      { maxResources: 3 },
    );
    const breaches = assessment.errors.filter((e) => e.code === 'budget-exceeded');
    const fromParent = breaches.find((e) => e.message.includes('while expanding parent.json'));
    assert.ok(fromParent, JSON.stringify(breaches));
    assert.equal(fromParent.file, 'child.json');
    // The parent's expansion was dropped, so the child is scanned standalone and fails alone too.
    assert.ok(breaches.some((e) => e.file === 'child.json' && !e.message.includes('while expanding')));
    const failed = assessment.findings.filter((f) => f.status === 'fail').map((f) => f.location.file);
    assert.deepEqual([...new Set(failed)].sort(), ['good.json']);
  });
});
