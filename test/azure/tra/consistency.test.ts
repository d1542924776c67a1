/**
 * The checks and the TRA read the same Azure facts: a server secured by a network security
 * perimeter is not internet-open in either, and a firewall rule in one template never opens
 * a same-named server declared by another template.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runTra, type TraResult } from '../../../src/azure/tra/run.ts';
import { templateText } from '../../helpers/arm.ts';
import { reachOf } from './templates.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-tra-consistency-'));
after(() => rmSync(work, { recursive: true, force: true }));

function server(name: string, pna: string | undefined): Record<string, unknown> {
  return {
    type: 'Microsoft.Sql/servers',
    apiVersion: '2023-08-01-preview',
    name,
    location: 'australiaeast',
    properties: {
      administratorLogin: 'sqladmin',
      minimalTlsVersion: '1.2',
      ...(pna ? { publicNetworkAccess: pna } : {}),
    },
  };
}

const allowAll = (serverName: string) => ({
  type: 'Microsoft.Sql/servers/firewallRules',
  apiVersion: '2023-08-01-preview',
  name: `${serverName}/allow-all`,
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '255.255.255.255' },
});

/** Runs the TRA on several template files, each scanned as a template of its own. */
async function traOfFiles(name: string, files: Record<string, unknown[]>): Promise<TraResult> {
  const paths = Object.entries(files).map(([file, resources]) => {
    const path = join(work, `${name}-${file}`);
    writeFileSync(path, templateText(resources));
    return path;
  });
  return runTra(paths, { root: work, now: '2026-01-01T00:00:00Z' });
}

const statusOf = (result: TraResult, checkId: string, subject: string) =>
  result.assessment.findings
    .filter((f) => f.checkId === checkId && f.subject.name === subject)
    .map((f) => f.status);

describe('checks and TRA agree', () => {
  it('SecuredByPerimeter: the SQL check passes and the TRA does not call the server internet-open', async () => {
    const result = await traOfFiles('perimeter', {
      'main.json': [server('sql-nsp', 'SecuredByPerimeter'), allowAll('sql-nsp')],
    });
    assert.deepEqual(statusOf(result, 'AZ-SQL-003', 'sql-nsp'), ['pass']);
    const r = reachOf(result.model, 'sql-nsp');
    assert.notEqual(r.exposure, 'internet');
    const endpoint = r.paths.find((p) => p.kind === 'public-endpoint');
    assert.equal(endpoint?.status, 'restricted');
    assert.match(endpoint?.reason ?? '', /SecuredByPerimeter/);
  });

  it('a firewall rule in another template does not open a same-named server', async () => {
    const result = await traOfFiles('cross', {
      'a.json': [server('sql-shared', 'Enabled')],
      'b.json': [allowAll('sql-shared')],
    });
    const r = reachOf(result.model, 'sql-shared');
    assert.notEqual(r.exposure, 'internet', 'the rule binds to a server of its own template tree only');
    const threats = result.threats.filter((t) => t.element.name === 'sql-shared');
    for (const t of threats) assert.match(t.element.location.file, /cross-a\.json$/);
    // The rule itself is still judged where it is declared.
    const rule = result.assessment.findings.find((f) => f.checkId === 'AZ-SQL-004');
    assert.equal(rule?.status, 'fail');
    assert.match(rule?.location.file ?? '', /cross-b\.json$/);
  });

  it("the same rule in the server's own template opens it to the internet", async () => {
    const result = await traOfFiles('same', {
      'main.json': [server('sql-open', 'Enabled'), allowAll('sql-open')],
    });
    assert.equal(reachOf(result.model, 'sql-open').exposure, 'internet');
  });
});
