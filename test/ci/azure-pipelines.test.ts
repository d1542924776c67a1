/**
 * The Azure Pipelines steps template (ci/azure-pipelines/assay.yml): its parameters and steps as
 * parsed YAML, and its scan script run locally with a fake `npx` on PATH (no network).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-azp-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Parameter {
  name: string;
  type: string;
  default: unknown;
  values?: string[];
}
interface Step {
  task?: string;
  bash?: string;
  displayName?: string;
  condition?: string;
  env?: Record<string, string>;
  inputs?: Record<string, unknown>;
  [conditional: string]: unknown;
}
interface Template {
  parameters: Parameter[];
  steps: Step[];
}

const template = parse(readFileSync(join(repo, 'ci', 'azure-pipelines', 'assay.yml'), 'utf8')) as Template;
/** A template expression as written in the YAML. */
const expr = (e: string): string => `\${{ ${e} }}`;

/** The steps, with `${{ if ... }}:` blocks flattened and their conditions kept. */
function flatSteps(): (Step & { when?: string })[] {
  const out: (Step & { when?: string })[] = [];
  for (const step of template.steps) {
    const key = Object.keys(step).find((k) => k.startsWith('${{ if'));
    if (key) for (const inner of step[key] as Step[]) out.push({ ...inner, when: key });
    else out.push(step);
  }
  return out;
}

describe('ci/azure-pipelines/assay.yml', () => {
  it('declares typed parameters with safe defaults', () => {
    const byName = new Map(template.parameters.map((p) => [p.name, p]));
    assert.deepEqual(
      [...byName.keys()],
      [
        'paths',
        'baselines',
        'boundary',
        'failOn',
        'format',
        'args',
        'version',
        'nodeVersion',
        'outputDirectory',
        'publishSarif',
        'publishJUnit',
        'push',
        'pushToken',
        'pushRequired',
        'workingDirectory',
      ],
    );
    assert.deepEqual(byName.get('paths')?.default, ['.']);
    assert.equal(byName.get('paths')?.type, 'object');
    assert.equal(byName.get('failOn')?.default, 'high');
    assert.deepEqual(byName.get('failOn')?.values, ['critical', 'high', 'medium', 'low', 'info', 'none']);
    assert.equal(byName.get('publishSarif')?.type, 'boolean');
    assert.equal(byName.get('publishSarif')?.default, true);
    assert.equal(byName.get('publishJUnit')?.default, true);
    assert.equal(byName.get('push')?.default, '');
    assert.equal(byName.get('pushRequired')?.default, false);
  });

  it('sets up Node, scans, then publishes JUnit to Tests and SARIF as CodeAnalysisLogs even when the scan fails', () => {
    const steps = flatSteps();
    assert.deepEqual(
      steps.map((s) => s.task ?? 'bash'),
      ['NodeTool@0', 'bash', 'PublishTestResults@2', 'PublishBuildArtifacts@1'],
    );
    const [, , junit, sarif] = steps;
    assert.equal(junit?.when, expr('if eq(parameters.publishJUnit, true)'));
    assert.equal(junit?.condition, 'succeededOrFailed()');
    assert.equal(junit?.inputs?.testResultsFormat, 'JUnit');
    assert.equal(junit?.inputs?.testResultsFiles, `${expr('parameters.outputDirectory')}/assay.junit.xml`);
    assert.equal(sarif?.when, expr('if eq(parameters.publishSarif, true)'));
    assert.equal(sarif?.condition, 'succeededOrFailed()');
    assert.equal(sarif?.inputs?.ArtifactName, 'CodeAnalysisLogs');
    assert.equal(sarif?.inputs?.PathtoPublish, `${expr('parameters.outputDirectory')}/assay.sarif`);
  });

  it('hands every parameter to the script through env, never into its text', () => {
    const scan = flatSteps().find((s) => s.bash !== undefined);
    assert.ok(scan?.bash);
    assert.doesNotMatch(scan.bash, /\$\{\{|\$\(/);
    assert.equal(scan.env?.ASSAY_PATHS, expr("join(' ', parameters.paths)"));
    assert.equal(scan.env?.ASSAY_ARGS, expr('parameters.args'));
    assert.equal(scan.env?.ASSAY_OUT, expr('parameters.outputDirectory'));
  });

  it("runs the project's assay with the reports the publish steps read", () => {
    const scan = flatSteps().find((s) => s.bash !== undefined);
    const bin = join(work, 'bin');
    const log = join(work, 'npx.log');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'npx'), `#!/usr/bin/env bash\nprintf '%s\\n' "$@" >"${log}"\nexit 1\n`);
    chmodSync(join(bin, 'npx'), 0o755);
    const out = join(work, 'out');
    const r = spawnSync('bash', ['-c', scan?.bash ?? ''], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        ASSAY_PATHS: 'infra modules',
        ASSAY_BASELINES: 'ism-protected',
        ASSAY_BOUNDARY: 'au',
        ASSAY_FAIL_ON: 'medium',
        ASSAY_FORMAT: 'table',
        ASSAY_ARGS: '--parameters prod.json',
        ASSAY_VERSION: '',
        ASSAY_OUT: out,
      },
    });
    assert.equal(r.status, 1, 'the scan exit code fails the step');
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [
      '--no-install',
      'assay',
      'scan',
      'infra',
      'modules',
      '--no-save',
      '--no-progress',
      '--format',
      'table',
      '--fail-on',
      'medium',
      '--report',
      `sarif=${out}/assay.sarif`,
      '--report',
      `junit=${out}/assay.junit.xml`,
      '--baseline',
      'ism-protected',
      '--boundary',
      'au',
      '--parameters',
      'prod.json',
    ]);
  });

  it('pushes to an assay server when asked, the token only in ASSAY_TOKEN', () => {
    const scan = flatSteps().find((s) => s.bash !== undefined);
    assert.equal(scan?.env?.ASSAY_TOKEN, expr('parameters.pushToken'));
    const bin = join(work, 'bin-push');
    const log = join(work, 'npx-push.log');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'npx'), `#!/usr/bin/env bash\nprintf '%s\\n' "$@" >"${log}"\nexit 0\n`);
    chmodSync(join(bin, 'npx'), 0o755);
    const r = spawnSync('bash', ['-c', scan?.bash ?? ''], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        ASSAY_PATHS: '.',
        ASSAY_BASELINES: '',
        ASSAY_BOUNDARY: '',
        ASSAY_FAIL_ON: 'high',
        ASSAY_FORMAT: 'table',
        ASSAY_ARGS: '',
        ASSAY_VERSION: '',
        ASSAY_OUT: join(work, 'out-push'),
        ASSAY_PUSH: 'https://assay.example.govt.nz',
        ASSAY_PUSH_REQUIRED: 'True',
        ASSAY_TOKEN: 'secret-token',
      },
    });
    assert.equal(r.status, 0, r.stderr);
    const argv = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(argv[argv.indexOf('--push') + 1], 'https://assay.example.govt.nz');
    assert.ok(argv.includes('--push-required'));
    assert.equal(argv.includes('secret-token'), false);
  });

  it('refuses a version that is not a version or tag', () => {
    const scan = flatSteps().find((s) => s.bash !== undefined);
    const r = spawnSync('bash', ['-c', scan?.bash ?? ''], {
      cwd: work,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ASSAY_VERSION: 'latest; rm -rf /' },
    });
    assert.equal(r.status, 2);
    assert.match(r.stdout, /##vso\[task\.logissue type=error\]version must be/);
  });
});
