/** `assay init`: valid starting files, a CI pipeline on request, and never an overwrite without --force. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig } from '../../src/cli/config.ts';
import { initProject } from '../../src/cli/init.ts';
import { UsageError } from '../../src/cli/select-checks.ts';
import { loadWaivers } from '../../src/cli/waivers.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-init-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('assay init', () => {
  it('writes a config the schema accepts, with its schema comment, and an empty waiver file', () => {
    const dir = join(work, 'a');
    assert.deepEqual(initProject({ dir, paths: 'templates' }), ['assay.config.yaml', 'assay.waivers.yaml']);
    const text = readFileSync(join(dir, 'assay.config.yaml'), 'utf8');
    const schemaRef = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1] ?? '';
    assert.ok(schemaRef.endsWith('schemas/assay.config.schema.json'), schemaRef);
    assert.ok(
      JSON.parse(readFileSync(join(dir, schemaRef), 'utf8')),
      'the reference resolves from the config folder',
    );
    const { config } = loadConfig(join(dir, 'assay.config.yaml'));
    assert.deepEqual(config.scan?.paths, ['templates']);
    assert.equal(config.scan?.failOn, 'high');
    assert.deepEqual(loadWaivers(join(dir, 'assay.waivers.yaml'), dir).waivers, []);
  });

  it('adds a GitHub or Azure Pipelines file with --ci', () => {
    const gh = join(work, 'gh');
    initProject({ dir: gh, ci: 'github' });
    const workflow = parse(readFileSync(join(gh, '.github/workflows/assay.yml'), 'utf8')) as {
      jobs: { scan: { steps: { run?: string }[] } };
    };
    assert.ok(workflow.jobs.scan.steps.some((s) => s.run?.includes('npx assay scan infra --format github')));
    const az = join(work, 'az');
    initProject({ dir: az, ci: 'azure' });
    assert.match(readFileSync(join(az, 'azure-pipelines.assay.yml'), 'utf8'), /PublishTestResults@2/);
    assert.throws(() => initProject({ dir: join(work, 'x'), ci: 'jenkins' }), UsageError);
  });

  it('refuses to overwrite, naming the files, and overwrites with --force', () => {
    const dir = join(work, 'b');
    initProject({ dir });
    writeFileSync(join(dir, 'assay.config.yaml'), 'scan: { failOn: low }\n');
    assert.throws(
      () => initProject({ dir }),
      /assay\.config\.yaml, assay\.waivers\.yaml already exist: nothing written/,
    );
    assert.match(readFileSync(join(dir, 'assay.config.yaml'), 'utf8'), /failOn: low/, 'untouched');
    initProject({ dir, force: true });
    assert.match(readFileSync(join(dir, 'assay.config.yaml'), 'utf8'), /failOn: high/);
  });
});
