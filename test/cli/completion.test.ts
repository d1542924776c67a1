/** `assay completion <shell>`: scripts generated from the program, and the bash one run for real. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { Command, Option } from 'commander';
import { commandTree, completionScript } from '../../src/cli/completion.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { runCli } from '../helpers/cli.ts';

const program = await buildProgram();
const topLevel = program.commands.map((c) => c.name());

/** What the bash script offers for the words typed so far (the last one is being completed). */
function bashComplete(script: string, words: string[]): string[] {
  const run = spawnSync(
    'bash',
    [
      '-c',
      `${script}\nCOMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _assay; printf '%s\\n' "\${COMPREPLY[@]}"`,
      'bash',
      'assay',
      ...words,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.split('\n').filter((l) => l !== '');
}

/** Runs a shell's own syntax check when it is installed; returns why not otherwise. */
function syntaxCheck(shell: string, args: string[], script: string): string | undefined {
  const run = spawnSync(shell, [...args], { input: script, encoding: 'utf8' });
  if (run.error) return `${shell} is not installed`;
  assert.equal(run.status, 0, run.stderr);
  return undefined;
}

describe('assay completion', () => {
  it('prints a script for each shell naming every command', async () => {
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const r = await runCli(['completion', shell]);
      assert.equal(r.code, 0, r.err);
      const flags = shell === 'fish' ? ['-l format', '-l fail-on'] : ['--format', '--fail-on'];
      for (const name of [...topLevel, 'fetch-github', ...flags])
        assert.ok(r.out.includes(name), `${shell}: ${name}`);
    }
  });

  it('refuses an unknown shell with a usage error', async () => {
    const r = await runCli(['completion', 'tcsh']);
    assert.equal(r.code, 2);
    assert.match(r.err, /Allowed choices are bash, zsh, fish, powershell/);
    assert.throws(() => completionScript(program, 'tcsh'), /unknown shell 'tcsh'/);
  });

  it('follows the program: every command and subcommand, hidden options left out', () => {
    const tree = commandTree(program);
    assert.deepEqual(
      tree.commands.map((c) => c.path.join(' ')),
      topLevel,
    );
    const inner = tree.commands.find((c) => c.path[0] === 'innersource');
    assert.ok(inner?.commands.some((c) => c.path.join(' ') === 'innersource fetch-github'));
    const innerScan = inner?.commands.find((c) => c.path[1] === 'scan');
    assert.ok(innerScan);
    const flags = innerScan.options.flatMap((o) => o.flags);
    assert.ok(flags.includes('--no-renames'));
    assert.equal(flags.includes('--renames'), false, 'the hidden --renames is not offered');
    const format = tree.commands
      .find((c) => c.path[0] === 'scan')
      ?.options.find((o) => o.flags.includes('--format'));
    assert.deepEqual(format?.flags, ['-f', '--format']);
    assert.equal(format?.takesValue, true);
    assert.deepEqual(tree.commands.find((c) => c.path[0] === 'completion')?.argumentChoices, [
      'bash',
      'zsh',
      'fish',
      'powershell',
    ]);
  });

  it('bash: completes commands, subcommands, options and the shells, and leaves option values to files', async () => {
    const script = (await runCli(['completion', 'bash'])).out;
    assert.deepEqual(bashComplete(script, ['sc']), ['scan']);
    assert.deepEqual(bashComplete(script, ['scan', '--fo']), ['--format']);
    assert.deepEqual(bashComplete(script, ['scan', 'infra', '--fail']), ['--fail-on']);
    assert.deepEqual(bashComplete(script, ['innersource', 'fetch']), ['fetch-github']);
    assert.deepEqual(bashComplete(script, ['controls', 'l']), ['list']);
    assert.deepEqual(bashComplete(script, ['completion', '']), ['bash', 'zsh', 'fish', 'powershell']);
    assert.deepEqual(bashComplete(script, ['scan', '--format', '']), [], 'a value: file names by default');
    assert.deepEqual(bashComplete(script, ['scan', '']), [], 'paths: file names by default');
    assert.ok(bashComplete(script, ['--']).includes('--version'));
  });

  it('zsh and fish scripts pass their shell syntax check where the shell is installed', async (t) => {
    for (const [shell, args] of [
      ['zsh', ['-n']],
      ['fish', ['--no-execute']],
    ] as const) {
      const why = syntaxCheck(shell, [...args], (await runCli(['completion', shell])).out);
      if (why) t.diagnostic(`skipped ${shell}: ${why}`);
    }
    assert.equal(syntaxCheck('bash', ['-n'], (await runCli(['completion', 'bash'])).out), undefined);
  });

  it("quotes descriptions for each shell's own rules, and leaves out names a shell would read specially", () => {
    const custom = new Command('assay');
    custom.command('ok').description("it's a \\ backslash");
    custom.command('bad$(touch x)').description('never offered');
    custom.addOption(new Option('--weird <v>', "quote ' here"));
    const fish = completionScript(custom, 'fish');
    assert.ok(fish.includes("-a ok -d 'it\\'s a \\\\ backslash'"), fish);
    assert.ok(fish.includes("-l weird -r -d 'quote \\' here'"));
    assert.ok(!fish.includes('touch'));
    const zsh = completionScript(custom, 'zsh');
    assert.ok(zsh.includes("'ok:it'\\''s a \\ backslash'"));
    const ps = completionScript(custom, 'powershell');
    assert.ok(ps.includes(",@('ok', 'it''s a \\ backslash')"));
    const bash = completionScript(custom, 'bash');
    assert.ok(!bash.includes('touch'));
    assert.deepEqual(bashComplete(bash, ['']), ['ok']);
  });
});
