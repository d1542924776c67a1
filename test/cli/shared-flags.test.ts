/**
 * The flags every assessing command shares (issue 13): each domain command offers each one,
 * from the one declaration in src/cli/shared-flags.ts; shared-flags-run.test.ts runs them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.ts';

const SHARED = [
  '--config',
  '--checks',
  '--skip-checks',
  '--waivers',
  '--baseline',
  '--format',
  '--output',
  '--report',
  '--fail-on',
  '--save',
  '--no-save',
  '--store',
  '--label',
  '--push',
  '--push-required',
  '--quiet',
  '--verbose',
  '--no-progress',
  '--rule-set',
  '--catalog',
];

const COMMANDS = ['scan', 'tra', 'drift', 'innersource scan', 'readiness assess'];

function find(program: Command, path: string): Command {
  let at = program;
  for (const name of path.split(' ')) {
    const next = at.commands.find((c) => c.name() === name);
    assert.ok(next, `no command ${path}`);
    at = next;
  }
  return at;
}

const program = await buildProgram();

describe('shared flags on every domain command', () => {
  for (const path of COMMANDS)
    it(`${path} offers the shared flags`, () => {
      const offered = new Set(find(program, path).options.map((o) => o.long));
      const missing = SHARED.filter((f) => !offered.has(f));
      assert.deepEqual(missing, [], `${path} lacks shared flags`);
    });
});
