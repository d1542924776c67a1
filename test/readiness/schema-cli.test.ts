import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import AjvModule from 'ajv';
import { parse } from 'yaml';
import { frameworkJsonSchema } from '../../src/readiness/framework.ts';
import { runCli } from '../helpers/cli.ts';

// ajv is CommonJS: under ESM its class is the default export's `default`.
const Ajv = AjvModule.default;
const root = new URL('../../', import.meta.url);

describe('readiness framework schema', () => {
  it('is published and current', () => {
    const committed = readFileSync(new URL('schemas/readiness-framework.schema.json', root), 'utf8');
    assert.equal(committed, `${JSON.stringify(frameworkJsonSchema(), null, 2)}\n`);
  });

  it('accepts the example framework', () => {
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(frameworkJsonSchema() as object);
    const doc = parse(readFileSync(new URL('examples/readiness/framework.yaml', root), 'utf8')) as unknown;
    assert.equal(validate(doc), true, JSON.stringify(validate.errors));
  });
});

/** Runs the CLI in a child process (the test runner owns this process's stdout). */
/** Runs the CLI in this process, its stdout captured (the test runner's own messages pass through). */
async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return runCli(argv, { env: { NO_COLOR: '1' } });
}

describe('assay readiness (CLI)', () => {
  const fw = new URL('examples/readiness/framework.yaml', root).pathname;
  const cases = new URL('examples/readiness/cases.csv', root).pathname;

  it('kpis prints CSV and reports the example bad rows by line', async () => {
    const r = await capture([
      'readiness',
      'kpis',
      '--cases',
      cases,
      '--format',
      'csv',
      '--now',
      '2025-06-02',
    ]);
    assert.equal(r.code, 0);
    assert.match(r.out.split('\n')[0], /^cloud,week,priority,group,category,ci,channel,volume,/);
    assert.match(r.err, /cases\.csv:1201: bad row/);
    assert.match(r.err, /cases\.csv:2401: bad row/);
  });

  it('assess renders JSON with levels on stderr', async () => {
    const r = await capture([
      'readiness',
      'assess',
      fw,
      '--cases',
      cases,
      '--now',
      '2025-06-02',
      '-f',
      'json',
    ]);
    // The bundled export has two bad rows: input errors exit 1 on every assessing command.
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /cases\.csv:2401: bad-row: missing columns/);
    const a = JSON.parse(r.out) as { domain: string; findings: { checkId: string }[] };
    assert.equal(a.domain, 'readiness');
    assert.ok(a.findings.some((f) => f.checkId === 'RDY-TECH-PARITY'));
    assert.match(r.err, /fr-partner: level 1 \(Foundation\)/);
    assert.match(r.err, /de-partner: level 0/);
    assert.match(r.err, /sg-gcc: level 2 \(Operational\)/);
  });

  it('brief is generated from the data', async () => {
    const r = await capture([
      'readiness',
      'brief',
      fw,
      '--cases',
      cases,
      '--now',
      '2025-06-02',
      '--store',
      '/nonexistent/assay.duckdb',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /France partner cloud holds level 1 \(Foundation\) of 3\. It launches on 2025-07-01, in 29 days/,
    );
    // The expired attestation (framework.test.ts) scores 10; with the mean time to resolve among
    // the KPIs, five de-partner anomalies score 15 or more, so it is among the lower-scored risks.
    assert.match(r.out, /mean time to resolve \(hours\) in the week of 2025-05-26 was 73\.6/);
    assert.match(r.out, /\| first-contact resolution rate \| 80\.7% \| 87\.3% \|/);
    assert.match(r.out, /CSAT \(share satisfied\): no column 'csat' \(csat\)\./);
    assert.match(
      r.out,
      /Decide whether Germany partner cloud launches on 2025-09-15 below its launch level 1/,
    );
    assert.match(r.out, /SLA attainment in the week of 2025-05-26 was 50\.0%/);
  });

  it('names the file and line of a framework error (exit 2)', async () => {
    const r = await capture(['readiness', 'assess', new URL('package.json', root).pathname]);
    assert.equal(r.code, 2);
    assert.match(r.err, /package\.json:1:1: \(root\)|package\.json:\d+:\d+: /);
  });
});
