/**
 * The Terraform flags of the commands that read Terraform: `--var`, `--var-file` (repeatable) and
 * `--terraform-config`, run in-process through the CLI.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Assessment } from '../../src/core/model.ts';
import { runCli } from '../helpers/cli.ts';

const BASIC = fileURLToPath(new URL('../fixtures/terraform/config/basic/', import.meta.url));
const PLAN_DIR = fileURLToPath(new URL('../azure/terraform/fixtures/plan-modules/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-tf-flags-'));
after(() => rmSync(work, { recursive: true, force: true }));

const lineOf = (text: string, at: string) => text.split('\n').findIndex((l) => l.includes(at)) + 1;

/** `AZ-STORAGE-002` statuses of a JSON report. */
function tls(out: string): string[] {
  const assessment = JSON.parse(out) as Assessment;
  return assessment.findings.filter((f) => f.checkId === 'AZ-STORAGE-002').map((f) => f.status);
}

describe('--var and --var-file', () => {
  const scan = (...flags: string[]) =>
    runCli([
      'scan',
      BASIC,
      '--root',
      BASIC,
      '--now',
      '2026-01-01T00:00:00Z',
      '-f',
      'json',
      '--checks',
      'AZ-STORAGE-002',
      ...flags,
    ]);

  it('terraform.tfvars decides without flags; --var overrides it; the last --var of a name wins', async () => {
    assert.deepEqual(tls((await scan()).out), ['fail', 'fail']);
    assert.deepEqual(tls((await scan('--var', 'tls=TLS1_2')).out), ['pass', 'pass']);
    assert.deepEqual(tls((await scan('--var', 'tls=TLS1_2', '--var', 'tls=TLS1_0')).out), ['fail', 'fail']);
  });

  it('--var-file files apply in order, after terraform.tfvars and under --var', async () => {
    const good = join(work, 'good.tfvars');
    const bad = join(work, 'bad.tfvars.json');
    writeFileSync(good, 'tls = "TLS1_2"\n');
    writeFileSync(bad, '{ "tls": "TLS1_0" }\n');
    assert.deepEqual(tls((await scan('--var-file', good)).out), ['pass', 'pass']);
    assert.deepEqual(tls((await scan('--var-file', good, '--var-file', bad)).out), ['fail', 'fail']);
    assert.deepEqual(tls((await scan('--var-file', bad, '--var', 'tls=TLS1_2')).out), ['pass', 'pass']);
  });

  it('expand and tra take them too', async () => {
    const expanded = await runCli(['expand', BASIC, '--root', BASIC, '-f', 'json', '--var', 'tls=TLS1_3']);
    assert.equal(expanded.code, 0, expanded.err);
    assert.match(expanded.out, /"minimumTlsVersion": "TLS1_3"/);
    for (const command of ['tra', 'drift']) {
      const help = await runCli([command, '--help']);
      for (const flag of ['--var <name=value>', '--var-file <file>', '--terraform-config <dir>'])
        assert.ok(help.out.includes(flag), `${command} --help lists ${flag}`);
    }
  });

  it('a --var without = or a --var-file that is not there is a usage error', async () => {
    const noValue = await scan('--var', 'tls');
    assert.equal(noValue.code, 2);
    assert.match(noValue.err, /--var expects NAME=VALUE/);
    const missing = await scan('--var-file', join(work, 'nope.tfvars'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--var-file: file not found/);
  });
});

describe('--terraform-config', () => {
  // The plan in one folder, its configuration in another.
  const root = join(work, 'split');
  mkdirSync(join(root, 'plans'), { recursive: true });
  cpSync(join(PLAN_DIR, 'plan.json'), join(root, 'plans', 'plan.json'));
  cpSync(join(PLAN_DIR, 'main.tf'), join(root, 'infra', 'main.tf'), { recursive: true });
  cpSync(join(PLAN_DIR, 'modules'), join(root, 'infra', 'modules'), { recursive: true });
  const mainTf = readFileSync(join(PLAN_DIR, 'main.tf'), 'utf8');
  const netTf = readFileSync(join(PLAN_DIR, 'modules/net/main.tf'), 'utf8');

  const scan = (...flags: string[]) =>
    runCli([
      'scan',
      join(root, 'plans'),
      '--root',
      root,
      '--now',
      '2026-01-01T00:00:00Z',
      '-f',
      'json',
      ...flags,
    ]);
  const at = (out: string, checkId: string, subject: string) => {
    const f = (JSON.parse(out) as Assessment).findings.find(
      (x) => x.checkId === checkId && x.subject.name === subject,
    );
    assert.ok(f, `a ${checkId} finding on ${subject}`);
    return `${f.status} ${f.location.file}:${f.location.line}`;
  };

  it('without it, findings point into the plan JSON; with it, at the .tf lines of the folder named', async () => {
    const plain = await scan();
    assert.match(at(plain.out, 'AZ-STORAGE-001', 'stlogs001'), /^pass plans\/plan\.json:\d+$/);
    const mapped = await scan('--terraform-config', join(root, 'infra'));
    assert.notEqual(mapped.code, 2, mapped.err);
    assert.equal(
      at(mapped.out, 'AZ-STORAGE-001', 'stlogs001'),
      `pass infra/main.tf:${lineOf(mainTf, 'https_traffic_only_enabled')}`,
    );
    // A local module of the configuration: its own folder.
    assert.equal(
      at(mapped.out, 'AZ-NET-001', 'nsg-app'),
      `fail infra/modules/net/main.tf:${lineOf(netTf, 'security_rule {')}`,
    );
  });

  it('a folder that is not there is a usage error', async () => {
    const missing = await scan('--terraform-config', join(root, 'nope'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--terraform-config: folder not found/);
  });
});
