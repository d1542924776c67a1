/**
 * A template fault fails the run (exit 1) as a failing finding does, and not with
 * `--fail-on none`; the table lists it, any other stdout format leaves it on stderr.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { templateText } from '../helpers/arm.ts';
import { runCli } from '../helpers/cli.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-fault-exit-'));
after(() => rmSync(work, { recursive: true, force: true }));
writeFileSync(
  join(work, 'main.json'),
  templateText([
    {
      type: 'Microsoft.Network/virtualNetworks',
      apiVersion: '2023-04-01',
      name: 'net',
      location: 'australiaeast',
      properties: { addressSpace: { addressPrefixes: ["[createArray('10.0.0.0/16')[1]]"] } },
    },
  ]),
);

describe('template faults and the exit code', () => {
  it('exits 1 on a fault, lists it in the table, and exits 0 with --fail-on none', async () => {
    const table = await runCli(['scan', '.', '--no-save'], { cwd: work });
    assert.match(table.out, /Template faults \(1\)/);
    assert.match(table.out, /index-out-of-range/);
    assert.doesNotMatch(table.out, /Input errors/);
    assert.equal(table.code, 1);
    const none = await runCli(['scan', '.', '--no-save', '--fail-on', 'none'], { cwd: work });
    assert.equal(none.code, 0);
  });

  it('names the fault on stderr when stdout is another format', async () => {
    const json = await runCli(['scan', '.', '--no-save', '--fail-on', 'critical', '-f', 'json'], {
      cwd: work,
    });
    assert.equal(JSON.parse(json.out).faults[0].code, 'index-out-of-range');
    assert.match(json.err, /main\.json:\d+: template fault index-out-of-range: /);
    assert.equal(json.code, 1);
  });
});
