import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Command } from 'commander';
import { GOOD_TEMPLATE } from '../../bench/hostile-corpus.ts';
import { DEFAULT_BUDGETS } from '../../src/azure/expressions/budget.ts';
import { budgetsFrom, parseSize } from '../../src/cli/budget-options.ts';
import { ConfigError, loadConfig } from '../../src/cli/config.ts';
import { runScan } from '../../src/cli/scan.ts';
import { UsageError } from '../../src/cli/select-checks.ts';
import { registerTra } from '../../src/cli/tra.ts';
import { templateText } from '../helpers/arm.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-cli-budgets-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('budget flags and settings', () => {
  it('reads sizes with binary units, counts and seconds', () => {
    assert.equal(parseSize('4194304'), 4 * 1024 * 1024);
    assert.equal(parseSize('512KiB'), 512 * 1024);
    assert.equal(parseSize('8 MiB'), 8 * 1024 * 1024);
    assert.equal(parseSize('1g'), 1024 ** 3);
    for (const bad of ['', '0', '-1', '4XB', '1.5MiB', 'lots']) assert.equal(parseSize(bad), undefined, bad);
    assert.deepEqual(
      budgetsFrom(
        { maxValueSize: '8MiB', maxResources: '2000', maxSteps: '100', templateTimeout: '2.5' },
        undefined,
      ),
      { maxValueSize: 8 * 1024 * 1024, maxResources: 2000, maxSteps: 100, timeoutMs: 2500 },
    );
    assert.deepEqual(budgetsFrom({}, undefined), {}, 'nothing given: the defaults apply');
  });

  it('flags win over scan.budgets, which win over the defaults', () => {
    assert.deepEqual(
      budgetsFrom({ maxSteps: '7' }, { maxSteps: 9, maxResources: 1200, maxValueSize: '1MiB' }),
      {
        maxValueSize: 1024 * 1024,
        maxResources: 1200,
        maxSteps: 7,
      },
    );
  });

  it('a bad value is a usage error naming the flag or setting and what it expects', () => {
    const cases: [Parameters<typeof budgetsFrom>, RegExp][] = [
      [[{ maxResources: '0' }, undefined], /--max-resources expects a whole number above 0; got '0'/],
      [[{ maxSteps: 'many' }, undefined], /--max-steps expects a whole number above 0; got 'many'/],
      [
        [{ maxValueSize: '4XB' }, undefined],
        /--max-value-size expects a size in bytes, e\.g\. .*; got '4XB'/,
      ],
      [[{ templateTimeout: '-1' }, undefined], /--template-timeout expects a number of seconds above 0/],
      [[{}, { maxValueSize: 'huge' }], /scan\.budgets\.maxValueSize expects a size/],
    ];
    for (const [args, message] of cases)
      assert.throws(
        () => budgetsFrom(...args),
        (e) => e instanceof UsageError && message.test(e.message),
      );
  });

  it('the config file rejects a budget of the wrong type or an unknown one, with file and line', () => {
    const file = join(work, 'bad.yaml');
    writeFileSync(file, 'scan:\n  budgets:\n    maxResources: -3\n    maxThings: 1\n');
    assert.throws(
      () => loadConfig(file),
      (e) =>
        e instanceof ConfigError &&
        /bad\.yaml:3:\d+: scan\.budgets\.maxResources/.test(e.message) &&
        /maxThings/.test(e.message),
    );
  });

  it('tra takes the same flags', () => {
    const program = new Command();
    registerTra(program);
    const tra = program.commands.find((c) => c.name() === 'tra');
    const flags = tra?.options.map((o) => o.long) ?? [];
    for (const f of ['--max-value-size', '--max-resources', '--max-steps', '--template-timeout'])
      assert.ok(flags.includes(f), f);
  });
});

describe('assay scan with budgets', () => {
  const dir = join(work, 'templates');
  const loop = templateText([
    {
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: '2023-01-01',
      name: "[concat('sa', copyIndex())]",
      copy: { name: 'many', count: 4 },
      properties: { supportsHttpsTrafficOnly: true },
    },
  ]);
  async function scan(flags: Parameters<typeof runScan>[1]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'loop.json'), loop);
    writeFileSync(join(dir, 'good.json'), GOOD_TEMPLATE);
    const output = join(work, `out-${Math.random().toString(36).slice(2)}.json`);
    const code = await runScan([dir], {
      format: 'json',
      output,
      root: dir,
      progress: false,
      save: false,
      checks: ['AZ-STORAGE-001'],
      ...flags,
    });
    return { code, assessment: JSON.parse(readFileSync(output, 'utf8')) };
  }

  it('--max-resources below a template stops that template only, and exits 1', async () => {
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      const { code, assessment } = await scan({ maxResources: '3' });
      assert.equal(code, 1);
      const [breach] = assessment.errors;
      assert.equal(breach.code, 'budget-exceeded');
      assert.equal(breach.file, 'loop.json');
      assert.match(breach.message, /the resources budget \(3\) is exceeded.*--max-resources/);
      const files = assessment.findings.map((f: { location: { file: string } }) => f.location.file);
      assert.deepEqual([...new Set(files)], ['good.json']);
    } finally {
      process.stderr.write = stderr;
    }
  });

  it('scan.budgets in the config file is applied, and a flag overrides it', async () => {
    const config = join(work, 'assay.config.yaml');
    writeFileSync(config, 'scan:\n  budgets:\n    maxResources: 3\n');
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      const fromConfig = await scan({ config });
      assert.equal(fromConfig.assessment.errors[0]?.code, 'budget-exceeded');
      const raised = await scan({ config, maxResources: String(DEFAULT_BUDGETS.maxResources) });
      assert.deepEqual(raised.assessment.errors, []);
      assert.ok(
        raised.assessment.findings.some(
          (f: { location: { file: string } }) => f.location.file === 'loop.json',
        ),
      );
    } finally {
      process.stderr.write = stderr;
    }
  });

  it('a malformed flag stops the run before scanning', async () => {
    await assert.rejects(
      scan({ maxSteps: '1e6' }),
      (e) => e instanceof UsageError && /--max-steps/.test(e.message),
    );
  });
});
