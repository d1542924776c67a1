import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromiumProblem } from '../../../src/report/chromium.ts';
import { runCli } from '../../helpers/cli.ts';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'assay-tra-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The CLI in this process (no tsx start-up per run). */
async function assay(args: string[]) {
  const { code, out, err } = await runCli(args, { cwd: repo, env: { NO_COLOR: '1' } });
  return { code, stdout: out, stderr: err };
}

const base = ['tra', 'examples/azure', '--no-save', '--now', '2026-01-01T00:00:00Z'];

describe('assay tra', () => {
  it('prints the Markdown TRA of the bundled example and exits 0', async () => {
    const { code, stdout, stderr } = await assay([...base, '--boundary', 'au']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^# Threat and risk assessment: /);
    assert.match(stdout, /```mermaid\nflowchart LR/);
    assert.match(stdout, /## Risk register/);
  });

  it('writes the register as JSON and CSV, and the assessment as OSCAL POA&M with the threats', async () => {
    const poam = join(work, 'poam.json');
    const json = await assay([...base, '-f', 'json', '--report', `oscal-poam=${poam}`]);
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as { kind: string; threats: unknown[] };
    assert.equal(doc.kind, 'assay-threat-risk-assessment');
    assert.ok(doc.threats.length > 0);
    assert.match(readFileSync(poam, 'utf8'), /AZ-TRA-003/);
    const csv = await assay([...base, '-f', 'csv']);
    assert.match(csv.stdout, /^id,rule,title,stride,element/);
  });

  it('exits 1 with --fail-on when a threat above the appetite is rated that high', async () => {
    assert.equal((await assay([...base, '--fail-on', 'high'])).code, 1);
    assert.equal((await assay([...base, '--fail-on', 'extreme'])).code, 0);
  });

  it('stops with exit 2 on usage errors', async () => {
    const pdf = await assay([...base, '-f', 'pdf']);
    assert.equal(pdf.code, 2);
    assert.match(pdf.stderr, /--format pdf needs --output/);
    const boundary = await assay([...base, '--boundary', 'atlantis']);
    assert.equal(boundary.code, 2);
    assert.match(boundary.stderr, /unknown boundary 'atlantis'; expected one of au, au-canberra/);
    assert.equal((await assay([...base, '--classification', 'PROTECTED\nSECRET'])).code, 2);
  });

  it('marks the document with --classification; free text marks it but sets no consequence floor', async () => {
    const marked = await assay([
      ...base,
      '--classification',
      'protected',
      '--marking-imm',
      'Legal-Privilege',
    ]);
    assert.equal(marked.code, 0, marked.stderr);
    const lines = marked.stdout.trim().split('\n');
    const line = '<p align="center"><strong>PROTECTED // Legal-Privilege</strong></p>';
    assert.equal(lines[0], line);
    assert.equal(lines[lines.length - 1], line);
    assert.match(marked.stdout, /PROTECTED data sets the floor/);
    const free = await assay([...base, '--classification', 'VERY SECRET']);
    assert.equal(free.code, 0, free.stderr);
    assert.match(free.stderr, /'VERY SECRET' is not a PSPF or NZ PSR classification/);
    assert.match(free.stderr, /marks the document but sets no consequence floor/);
    assert.doesNotMatch(free.stdout, /data sets the floor/);
  });

  it('writes a standalone HTML document', async () => {
    const out = join(work, 'tra.html');
    const { code } = await assay([...base, '-f', 'html', '-o', out]);
    assert.equal(code, 0);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<svg /);
  });

  it('prints a PDF through the system Chromium', {
    skip: chromiumProblem() ?? false,
  }, async () => {
    const out = join(work, 'tra.pdf');
    const { code, stderr } = await assay([...base, '--boundary', 'au', '-f', 'pdf', '-o', out]);
    assert.equal(code, 0, stderr);
    assert.equal(readFileSync(out).subarray(0, 5).toString(), '%PDF-');
  });
});

describe('assay scan --boundary and assay boundaries', () => {
  it('runs the residency checks in a scan', async () => {
    const { stdout } = await assay([
      'scan',
      'examples/azure',
      '--no-save',
      '--fail-on',
      'none',
      '-f',
      'json',
      '--boundary',
      'sg',
    ]);
    const findings = (JSON.parse(stdout) as { findings: { checkId: string; status: string }[] }).findings;
    assert.ok(findings.some((f) => f.checkId === 'AZ-RES-001' && f.status === 'fail'));
    const without = await assay(['scan', 'examples/azure', '--no-save', '--fail-on', 'none', '-f', 'json']);
    assert.ok(
      !(JSON.parse(without.stdout) as { findings: { checkId: string }[] }).findings.some((f) =>
        f.checkId.startsWith('AZ-RES-'),
      ),
    );
  });

  it('lists the profiles with their regions', async () => {
    const { code, stdout } = await assay(['boundaries']);
    assert.equal(code, 0);
    assert.match(stdout, /^au-canberra {2}.*\n {4}Australia Central, Australia Central 2$/m);
    assert.match(stdout, /^us-gov /m);
  });

  it('applies the waivers named by scan.waivers in the config, as scan does', async () => {
    const waivers = join(work, 'tra-waivers.yaml');
    writeFileSync(
      waivers,
      [
        'waivers:',
        '  - id: W-TRA-1',
        '    check: AZ-NET-001',
        '    justification: Accepted for the test.',
        '    approvedBy: CISO',
        '    created: 2025-07-01',
        '    expires: 2099-01-01',
        '',
      ].join('\n'),
    );
    const config = join(work, 'tra-config.yaml');
    writeFileSync(config, `scan:\n  waivers: ${JSON.stringify(waivers)}\n`);
    const out = join(work, 'tra-assessment.json');
    const { code, stderr } = await assay([
      ...base,
      '-c',
      config,
      '-o',
      join(work, 'tra.md'),
      '--report',
      `json=${out}`,
    ]);
    assert.equal(code, 0, stderr);
    const assessment = JSON.parse(readFileSync(out, 'utf8')) as {
      findings: { checkId: string; status: string }[];
    };
    const net = assessment.findings.filter((f) => f.checkId === 'AZ-NET-001');
    assert.ok(net.length > 0);
    assert.ok(
      net.every((f) => f.status !== 'fail'),
      'every AZ-NET-001 failure is waived',
    );
    assert.ok(net.some((f) => f.status === 'waived'));
  });

  it('takes --baseline as scan does and records it in the run scope', async () => {
    const out = join(work, 'tra-baseline.json');
    const { code, stderr } = await assay([
      ...base,
      '--baseline',
      'e8-ml2',
      '-o',
      join(work, 'tra-b.md'),
      '--report',
      `json=${out}`,
    ]);
    assert.equal(code, 0, stderr);
    const a = JSON.parse(readFileSync(out, 'utf8')) as {
      compliance?: { baseline: { name: string }; coverage: { assessed: number } }[];
      scope?: { kind: string; baselines: string[] };
    };
    assert.deepEqual(
      a.compliance?.map((m) => m.baseline.name),
      ['e8-ml2'],
    );
    assert.ok((a.compliance?.[0].coverage.assessed ?? 0) > 0);
    assert.equal(a.scope?.kind, 'tra');
    assert.deepEqual(a.scope?.baselines, ['e8-ml2']);
  });

  it('runs only the checks --checks selects, beside the threat rules', async () => {
    const out = join(work, 'tra-checks.json');
    const { code, stderr } = await assay([
      ...base,
      '--checks',
      'AZ-SQL-*',
      '-o',
      join(work, 'tra-c.md'),
      '--report',
      `json=${out}`,
    ]);
    assert.equal(code, 0, stderr);
    const a = JSON.parse(readFileSync(out, 'utf8')) as { findings: { checkId: string }[] };
    const families = new Set(a.findings.map((f) => f.checkId.split('-').slice(0, 2).join('-')));
    assert.deepEqual([...families].sort(), ['AZ-SQL', 'AZ-TRA']);
  });
});
