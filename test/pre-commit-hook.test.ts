/** The pre-commit hook's entry, run as pre-commit runs it: the entry's words, then the changed files. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { runCli } from './helpers/cli.ts';
import { removeDir, tempDir } from './innersource/git.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const work = tempDir('assay-hook-');
after(() => removeDir(work));

interface Hook {
  id: string;
  entry: string;
  files: string;
  pass_filenames: boolean;
}

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(join(repo, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const hook = hooks.find((h) => h.id === 'assay-scan');

  it('matches the files assay reads, and nothing else', () => {
    assert.ok(hook);
    const files = new RegExp(hook.files);
    for (const name of ['infra/main.json', 'main.bicep', 'prod.bicepparam', 'net/main.tf'])
      assert.ok(files.test(name), name);
    for (const name of ['README.md', 'main.tfvars', 'script.ps1']) assert.ok(!files.test(name), name);
  });

  it('fails a commit whose template has a high finding, and passes a clean one', async () => {
    assert.ok(hook?.pass_filenames);
    const [command, ...args] = hook.entry.split(' ');
    assert.equal(command, 'assay');
    const bad = await runCli([...args, join(repo, 'examples/azure/landing-zone/azuredeploy.json')]);
    assert.equal(bad.code, 1, bad.err);
    assert.match(bad.out ?? '', /: critical AZ-NET-001 /);
    const clean = join(work, 'empty.json');
    writeFileSync(
      clean,
      JSON.stringify({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        resources: [],
      }),
    );
    const ok = await runCli([...args, clean]);
    assert.equal(ok.code, 0, ok.err);
  });
});
