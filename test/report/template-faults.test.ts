/**
 * Template faults in every format that lists input errors: their own section or suite or rule,
 * apart from the input errors, values escaped as the rest.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { TemplateFault } from '../../src/core/model.ts';
import { render } from '../../src/report/index.ts';
import { TEMPLATE_FAULT_RULE } from '../../src/report/sarif.ts';
import { makeAssessment } from './fixture.ts';

const Ajv = AjvDraft04 as unknown as typeof AjvDraft04.default;
const addFormats = ajvFormats as unknown as typeof ajvFormats.default;

const FAULT: TemplateFault = {
  file: 'templates/main.json',
  line: 42,
  column: 15,
  code: 'division-by-zero',
  message:
    "Unable to evaluate template language function 'div': the divisor of div(1, 0) is zero <b>. (properties.x is assessed as unknown on 1 Microsoft.Storage/storageAccounts resource, which is still assessed)",
};
const withFault = makeAssessment({ faults: [FAULT] });
const out = (format: Parameters<typeof render>[0], a = withFault) => render(format, a, { color: false });

describe('template faults in the reports', () => {
  it('table: a "Template faults (N)" section after the input errors, and the count in the summary', () => {
    const text = out('table');
    const errors = text.indexOf('Input errors (1)');
    const faults = text.indexOf('Template faults (1)');
    assert.ok(errors >= 0 && faults > errors, text);
    assert.match(text.slice(faults), /templates\/main\.json:42:15 {2}division-by-zero/);
    assert.match(text, /Score: .*1 input error, 1 template fault/);
    assert.doesNotMatch(out('table', makeAssessment()), /Template faults|template fault/);
  });

  it('markdown: its own section, escaped; none without faults', () => {
    const md = out('markdown');
    assert.match(md, /## Template faults \(1\)/);
    assert.match(md, /division-by-zero/);
    assert.ok(!md.includes('<b>'), 'HTML in a message is escaped');
    assert.doesNotMatch(out('markdown', makeAssessment()), /Template faults/);
  });

  it('compact and github: one error line each, told apart from input errors', () => {
    assert.match(out('compact'), /^templates\/main\.json:42:15: error fault\/division-by-zero /m);
    assert.match(out('compact'), /^templates\/bad\.json:3:9: error input\/json-syntax /m);
    assert.match(
      out('github'),
      /^::error file=templates\/main\.json,line=42,col=15,title=assay template fault \(division-by-zero\)/m,
    );
  });

  it('junit: a template-faults suite of failures', () => {
    const xml = out('junit');
    assert.match(xml, /<testsuite name="template-faults" tests="1" failures="1" errors="0"/);
    assert.match(xml, /<failure message="[^"]*div\(1, 0\)[^"]*&lt;b&gt;[^"]*" type="division-by-zero">/);
    assert.match(xml, /<testsuites name="assay azure" tests="\d+" failures="\d+"/);
    assert.doesNotMatch(out('junit', makeAssessment()), /template-faults/);
  });

  it('sarif: a result of rule assay/template-fault at level error; the run still executed successfully', () => {
    const log = JSON.parse(out('sarif', makeAssessment({ faults: [FAULT], errors: [], findings: [] })));
    const run = log.runs[0];
    const results = run.results.filter((r: { ruleId: string }) => r.ruleId === TEMPLATE_FAULT_RULE);
    assert.equal(results.length, 1);
    assert.equal(results[0].level, 'error');
    assert.equal(results[0].kind, 'fail');
    assert.equal(results[0].locations[0].physicalLocation.region.startLine, 42);
    assert.equal(run.tool.driver.rules[results[0].ruleIndex].id, TEMPLATE_FAULT_RULE);
    assert.equal(run.invocations[0].executionSuccessful, true);
    const schema = join(
      resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'),
      '..',
      'shared',
      'data',
      'sarif-schema',
      'sarif-schema-2.1.0.json',
    );
    if (existsSync(schema)) {
      const ajv = new Ajv();
      addFormats(ajv);
      const validate = ajv.compile(JSON.parse(readFileSync(schema, 'utf8')));
      assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    }
  });

  it('json: the field, in order after the input errors; absent without faults', () => {
    const json = JSON.parse(out('json'));
    assert.deepEqual(json.faults, [FAULT]);
    assert.deepEqual(
      Object.keys(json).slice(Object.keys(json).indexOf('errors'), Object.keys(json).indexOf('errors') + 3),
      ['errors', 'faults', 'notes'],
    );
    assert.equal(JSON.parse(out('json', makeAssessment())).faults, undefined);
  });
});
