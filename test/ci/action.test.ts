/**
 * The GitHub Action (action.yml) and the scripts its steps run, exercised locally: a fake `npm`
 * on PATH and a fake assay record what they were asked, so no test touches the network. One test
 * runs the scan script with the real CLI on a bundled example.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const scripts = join(repo, 'scripts', 'action');
const work = mkdtempSync(join(tmpdir(), 'assay-action-'));
after(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
/** A fresh folder per test run, with the files GitHub gives a step (GITHUB_ENV, GITHUB_OUTPUT, the summary). */
function runner(): { dir: string; env: Record<string, string> } {
  const dir = join(work, `run-${++counter}`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'temp'));
  for (const f of ['env', 'output', 'summary.md']) writeFileSync(join(dir, f), '');
  return {
    dir,
    env: {
      PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`,
      HOME: dir,
      RUNNER_TEMP: join(dir, 'temp'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    },
  };
}

/** A fake `npm` that logs its cwd and arguments, and puts a tiny assay where `install --prefix` would. */
function fakeNpm(dir: string): string {
  const log = join(dir, 'npm.log');
  writeFileSync(
    join(dir, 'bin', 'npm'),
    `#!/usr/bin/env bash
echo "$PWD|$*" >>"${log}"
prefix=""
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--prefix" ]]; then prefix="$2"; shift; fi
  shift
done
if [[ -n "$prefix" ]]; then
  mkdir -p "$prefix/node_modules/assay/bin"
  echo "console.log('9.9.9')" >"$prefix/node_modules/assay/bin/assay.js"
fi
`,
    { mode: 0o755 },
  );
  return log;
}

/** A fake assay: logs its argv as JSON, writes each --report file, exits with FAKE_EXIT. */
function fakeAssay(dir: string): { bin: string; log: string } {
  const bin = join(dir, 'fake-assay.mjs');
  const log = join(dir, 'assay.log');
  writeFileSync(
    bin,
    `import { appendFileSync, writeFileSync } from 'node:fs';
const argv = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, JSON.stringify(argv) + '\\n');
argv.forEach((a, i) => {
  if (a !== '--report') return;
  const [format, file] = argv[i + 1].split('=');
  writeFileSync(file, format === 'markdown' ? '# assay report\\n\\n| check | status |\\n' : '{"version":"2.1.0"}');
});
process.exitCode = Number(process.env.FAKE_EXIT ?? 0);
`,
  );
  return { bin, log };
}

function bash(script: string, env: Record<string, string>, cwd: string) {
  return spawnSync('bash', [join(scripts, script)], { cwd, env, encoding: 'utf8' });
}

/** `key=value` lines of a GITHUB_ENV or GITHUB_OUTPUT file. */
function keyValues(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

/** A GitHub expression as it appears in action.yml. */
const gh = (expression: string): string => `\${{ ${expression} }}`;

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

describe('action.yml', () => {
  const action = parse(readFileSync(join(repo, 'action.yml'), 'utf8')) as Action;

  it('is a composite action with the documented inputs and outputs', () => {
    assert.equal(action.runs.using, 'composite');
    for (const input of [
      'path',
      'baseline',
      'boundary',
      'format',
      'fail-on',
      'sarif-file',
      'upload-sarif',
      'category',
      'pr-comment',
      'github-token',
      'version',
      'node-version',
      'push',
      'push-token',
      'push-required',
      'args',
    ])
      assert.ok(input in action.inputs, input);
    assert.equal(action.inputs.push?.default, '');
    assert.equal(action.inputs['push-required']?.default, 'false');
    assert.equal(action.inputs['fail-on']?.default, 'high');
    assert.equal(action.inputs['upload-sarif']?.default, 'true');
    assert.equal(action.inputs['pr-comment']?.default, 'false');
    assert.equal(action.inputs['github-token']?.default, gh('github.token'));
    assert.deepEqual(Object.keys(action.outputs).sort(), ['exit-code', 'markdown-file', 'sarif-file']);
  });

  it('sets up Node, installs, scans, uploads the SARIF, comments, then fails on findings, in that order', () => {
    const steps = action.runs.steps;
    assert.match(steps[0]?.uses ?? '', /^actions\/setup-node@v\d+$/);
    assert.match(steps[1]?.run ?? '', /scripts\/action\/install\.sh"$/);
    assert.equal(steps[2]?.id, 'scan');
    assert.match(steps[2]?.run ?? '', /scripts\/action\/run\.sh"$/);
    assert.match(steps[3]?.uses ?? '', /^github\/codeql-action\/upload-sarif@v\d+$/);
    assert.equal(steps[3]?.if, "inputs.upload-sarif == 'true'");
    assert.equal(steps[3]?.with?.sarif_file, gh('steps.scan.outputs.sarif-file'));
    assert.match(steps[4]?.run ?? '', /scripts\/action\/comment\.sh"$/);
    assert.equal(steps[4]?.if, "inputs.pr-comment == 'true' && github.event_name == 'pull_request'");
    assert.equal(steps[4]?.env?.PR_NUMBER, gh('github.event.pull_request.number'));
    assert.match(steps[5]?.run ?? '', /scripts\/action\/finish\.sh"$/);
    assert.equal(steps[5]?.env?.ASSAY_EXIT_CODE, gh('steps.scan.outputs.exit-code'));
    assert.equal(steps.length, 6);
  });

  it('passes inputs to shell steps only through env, never into the script text', () => {
    for (const step of action.runs.steps.filter((s) => s.run !== undefined)) {
      assert.doesNotMatch(step.run ?? '', /\$\{\{/, step.name);
      const script = /scripts\/action\/([a-z]+\.sh)/.exec(step.run ?? '')?.[1];
      assert.ok(script, step.name);
      accessSync(join(scripts, script), constants.R_OK);
    }
    const scan = action.runs.steps.find((s) => s.id === 'scan');
    assert.equal(scan?.env?.INPUT_ARGS, gh('inputs.args'));
    assert.equal(scan?.env?.INPUT_PATH, gh('inputs.path'));
  });
});

describe('scripts/action/install.sh', () => {
  it("installs the action's own copy without dev dependencies or install scripts", () => {
    const { dir, env } = runner();
    const log = fakeNpm(dir);
    const actionPath = join(dir, 'action');
    mkdirSync(join(actionPath, 'bin'), { recursive: true });
    writeFileSync(join(actionPath, 'bin', 'assay.js'), "console.log('0.1.0')");
    const r = bash('install.sh', { ...env, GITHUB_ACTION_PATH: actionPath, ASSAY_VERSION: '' }, dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      readFileSync(log, 'utf8'),
      `${actionPath}|ci --omit=dev --ignore-scripts --no-audit --no-fund\n`,
    );
    assert.equal(keyValues(env.GITHUB_ENV as string).ASSAY_BIN, join(actionPath, 'bin', 'assay.js'));
    assert.match(r.stdout, /^0\.1\.0$/m);
  });

  it('installs a chosen version from the registry into the runner temp folder', () => {
    const { dir, env } = runner();
    const log = fakeNpm(dir);
    const r = bash(
      'install.sh',
      { ...env, GITHUB_ACTION_PATH: join(dir, 'none'), ASSAY_VERSION: '1.2.3' },
      dir,
    );
    assert.equal(r.status, 0, r.stderr);
    const prefix = join(dir, 'temp', 'assay-cli');
    assert.equal(
      readFileSync(log, 'utf8'),
      `${dir}|install --prefix ${prefix} --omit=dev --ignore-scripts --no-audit --no-fund assay@1.2.3\n`,
    );
    assert.equal(
      keyValues(env.GITHUB_ENV as string).ASSAY_BIN,
      join(prefix, 'node_modules', 'assay', 'bin', 'assay.js'),
    );
    assert.match(r.stdout, /^9\.9\.9$/m);
  });

  it('refuses a version that is not a version or tag, before calling npm', () => {
    const { dir, env } = runner();
    const log = fakeNpm(dir);
    const r = bash('install.sh', { ...env, ASSAY_VERSION: '1.0 --registry=http://evil' }, dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /::error::version must be an npm version or tag/);
    assert.equal(existsSync(log), false);
  });
});

describe('scripts/action/run.sh', () => {
  it('turns the inputs into one scan command, fills the job summary and the step outputs', () => {
    const { dir, env } = runner();
    const fake = fakeAssay(dir);
    const r = bash(
      'run.sh',
      {
        ...env,
        ASSAY_BIN: fake.bin,
        INPUT_PATH: 'infra/main.json\nmodules',
        INPUT_BASELINE: 'ism-protected e8-ml2',
        INPUT_BOUNDARY: 'au',
        INPUT_FORMAT: 'compact',
        INPUT_FAIL_ON: 'medium',
        INPUT_SARIF_FILE: 'out/assay.sarif',
        INPUT_ARGS: '--parameters prod.json --checks AZ-*',
      },
      dir,
    );
    assert.equal(r.status, 0, r.stderr);
    const summaryMd = join(dir, 'temp', 'assay-summary.md');
    assert.deepEqual(JSON.parse(readFileSync(fake.log, 'utf8')), [
      'scan',
      'infra/main.json',
      'modules',
      '--no-save',
      '--no-progress',
      '--format',
      'compact',
      '--fail-on',
      'medium',
      '--report',
      'sarif=out/assay.sarif',
      '--report',
      `markdown=${summaryMd}`,
      '--baseline',
      'ism-protected',
      '--baseline',
      'e8-ml2',
      '--boundary',
      'au',
      '--parameters',
      'prod.json',
      '--checks',
      'AZ-*',
    ]);
    assert.ok(existsSync(join(dir, 'out', 'assay.sarif')), 'the SARIF folder is created');
    assert.match(readFileSync(env.GITHUB_STEP_SUMMARY as string, 'utf8'), /^# assay report/);
    assert.deepEqual(keyValues(env.GITHUB_OUTPUT as string), {
      'exit-code': '0',
      'sarif-file': 'out/assay.sarif',
      'markdown-file': summaryMd,
    });
  });

  it('uses the defaults: the whole workspace, github annotations, fail on high, assay.sarif', () => {
    const { dir, env } = runner();
    const fake = fakeAssay(dir);
    const r = bash('run.sh', { ...env, ASSAY_BIN: fake.bin }, dir);
    assert.equal(r.status, 0, r.stderr);
    const argv = JSON.parse(readFileSync(fake.log, 'utf8')) as string[];
    assert.deepEqual(argv.slice(0, 7), [
      'scan',
      '.',
      '--no-save',
      '--no-progress',
      '--format',
      'github',
      '--fail-on',
    ]);
    assert.equal(argv[7], 'high');
    assert.equal(argv[9], 'sarif=assay.sarif');
    assert.equal(argv.includes('--baseline') || argv.includes('--boundary'), false);
  });

  it('pushes to an assay server when asked, the token only in the environment', () => {
    const { dir, env } = runner();
    const fake = fakeAssay(dir);
    const r = bash(
      'run.sh',
      {
        ...env,
        ASSAY_BIN: fake.bin,
        INPUT_PUSH: 'https://assay.example.gov.au',
        INPUT_PUSH_REQUIRED: 'true',
        ASSAY_TOKEN: 'secret-token',
      },
      dir,
    );
    assert.equal(r.status, 0, r.stderr);
    const argv = JSON.parse(readFileSync(fake.log, 'utf8')) as string[];
    const at = argv.indexOf('--push');
    assert.equal(argv[at + 1], 'https://assay.example.gov.au');
    assert.ok(argv.includes('--push-required'));
    assert.equal(argv.join(' ').includes('secret-token'), false, 'the token is never an argument');
    const action = parse(readFileSync(join(repo, 'action.yml'), 'utf8')) as Action;
    const scan = action.runs.steps.find((s) => s.id === 'scan');
    assert.equal(scan?.env?.ASSAY_TOKEN, gh('inputs.push-token'));
  });

  it('never evaluates an input as shell', () => {
    const { dir, env } = runner();
    const fake = fakeAssay(dir);
    const marker = join(dir, 'pwned');
    const r = bash(
      'run.sh',
      { ...env, ASSAY_BIN: fake.bin, INPUT_PATH: `$(touch ${marker})`, INPUT_ARGS: `;touch ${marker}` },
      dir,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(existsSync(marker), false);
    const argv = JSON.parse(readFileSync(fake.log, 'utf8')) as string[];
    assert.equal(argv[1], '$(touch');
    assert.equal(argv.at(-1), marker);
  });

  it('lets a failing scan (exit 1) reach the upload, and stops on a usage error (exit 2)', () => {
    const failed = runner();
    const fake = fakeAssay(failed.dir);
    const r1 = bash('run.sh', { ...failed.env, ASSAY_BIN: fake.bin, FAKE_EXIT: '1' }, failed.dir);
    assert.equal(r1.status, 0, r1.stderr);
    assert.equal(keyValues(failed.env.GITHUB_OUTPUT as string)['exit-code'], '1');

    const usage = runner();
    const fake2 = fakeAssay(usage.dir);
    const r2 = bash('run.sh', { ...usage.env, ASSAY_BIN: fake2.bin, FAKE_EXIT: '2' }, usage.dir);
    assert.equal(r2.status, 2);
    assert.match(r2.stderr, /::error::assay stopped with exit code 2/);
  });

  it('scans a bundled example with the real CLI: SARIF for code scanning, Markdown in the summary', () => {
    const { dir, env } = runner();
    const r = bash(
      'run.sh',
      {
        ...env,
        ASSAY_BIN: join(repo, 'bin', 'assay.js'),
        INPUT_PATH: join(repo, 'examples', 'azure', 'landing-zone'),
        INPUT_SARIF_FILE: join(dir, 'assay.sarif'),
      },
      dir,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^::error file=.*azuredeploy\.json,line=\d+/m);
    assert.equal(keyValues(env.GITHUB_OUTPUT as string)['exit-code'], '1');
    const sarif = JSON.parse(readFileSync(join(dir, 'assay.sarif'), 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0]?.results.some((x) => x.ruleId === 'AZ-NET-001'));
    assert.match(readFileSync(env.GITHUB_STEP_SUMMARY as string, 'utf8'), /AZ-NET-001/);
  });
});

/** A fake `gh` that logs its arguments and the body it was given; fails `--edit-last` when asked to. */
function fakeGh(dir: string): string {
  const log = join(dir, 'gh.log');
  writeFileSync(
    join(dir, 'bin', 'gh'),
    `#!/usr/bin/env bash
echo "$*" >>"${log}"
if [[ "$*" == *--edit-last* && -n "\${FAKE_NO_COMMENT:-}" ]]; then exit 1; fi
while [[ $# -gt 0 ]]; do
  if [[ "$1" == "--body-file" ]]; then cp "$2" "${log}.body"; fi
  shift
done
`,
    { mode: 0o755 },
  );
  return log;
}

describe('scripts/action/comment.sh', () => {
  it('updates the last comment with the marked Markdown report', () => {
    const { dir, env } = runner();
    const log = fakeGh(dir);
    const md = join(dir, 'report.md');
    writeFileSync(md, '# assay report\n');
    const r = bash('comment.sh', { ...env, ASSAY_MARKDOWN: md, PR_NUMBER: '42' }, dir);
    assert.equal(r.status, 0, r.stderr);
    const body = join(dir, 'temp', 'assay-comment.md');
    assert.equal(readFileSync(log, 'utf8'), `pr comment 42 --edit-last --body-file ${body}\n`);
    assert.equal(readFileSync(`${log}.body`, 'utf8'), '<!-- assay-report -->\n# assay report\n');
  });

  it('writes a new comment when there is none to edit, and cuts a long report', () => {
    const { dir, env } = runner();
    const log = fakeGh(dir);
    const md = join(dir, 'report.md');
    writeFileSync(md, 'x'.repeat(70_000));
    const r = bash('comment.sh', { ...env, ASSAY_MARKDOWN: md, PR_NUMBER: '7', FAKE_NO_COMMENT: '1' }, dir);
    assert.equal(r.status, 0, r.stderr);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(calls.length, 2);
    assert.match(calls[1] ?? '', /^pr comment 7 --body-file /);
    const body = readFileSync(`${log}.body`, 'utf8');
    assert.ok(body.length < 65_536);
    assert.match(
      body,
      /_The report was cut; the full findings are in the job summary and the SARIF file\._\n$/,
    );
  });

  it('refuses a pull request number that is not a number', () => {
    const { dir, env } = runner();
    const log = fakeGh(dir);
    const r = bash('comment.sh', { ...env, ASSAY_MARKDOWN: join(dir, 'none.md'), PR_NUMBER: '1; echo' }, dir);
    assert.equal(r.status, 2);
    assert.equal(existsSync(log), false);
  });
});

describe('scripts/action/finish.sh', () => {
  it('fails the job only when the scan failed', () => {
    const { dir, env } = runner();
    assert.equal(bash('finish.sh', { ...env, ASSAY_EXIT_CODE: '0' }, dir).status, 0);
    const failed = bash('finish.sh', { ...env, ASSAY_EXIT_CODE: '1', INPUT_FAIL_ON: 'medium' }, dir);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /::error::assay found failed findings at or above 'medium'/);
  });
});
