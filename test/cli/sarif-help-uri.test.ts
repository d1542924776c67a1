/** The SARIF rules' `helpUri`, set by a project in its config (`report.helpUri`), end to end through `assay scan`. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';

const example = fileURLToPath(new URL('../../examples/azure/landing-zone', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-help-uri-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Sarif {
  runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[];
}

function rules(out: string) {
  return (JSON.parse(out) as Sarif).runs[0]?.tool.driver.rules ?? [];
}

describe('SARIF helpUri from the config', () => {
  it('links every rule to the project page, with the check id filled in', async () => {
    const config = join(work, 'assay.config.yaml');
    writeFileSync(config, 'report:\n  helpUri: https://intranet.example/assay/{checkId}.html\n');
    const r = await runCli(['scan', example, '-c', config, '--no-save', '-f', 'sarif']);
    assert.equal(r.code, 1, r.err);
    const all = rules(r.out);
    assert.ok(all.length > 0);
    for (const rule of all) assert.equal(rule.helpUri, `https://intranet.example/assay/${rule.id}.html`);
  });

  it('leaves helpUri out when the config sets none', async () => {
    const empty = mkdtempSync(join(work, 'no-config-'));
    const r = await runCli(['scan', example, '--no-save', '-f', 'sarif'], { cwd: empty });
    assert.ok(rules(r.out).length > 0);
    assert.ok(rules(r.out).every((rule) => rule.helpUri === undefined));
  });

  it('refuses a helpUri that is not a URL, as a config error', async () => {
    const config = join(work, 'bad.config.yaml');
    writeFileSync(config, 'report:\n  helpUri: not a url/{checkId}\n');
    const r = await runCli(['scan', example, '-c', config, '--no-save', '-f', 'sarif']);
    assert.equal(r.code, 2);
    assert.match(r.err, /helpUri/);
  });
});
