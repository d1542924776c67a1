import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { render } from '../../src/report/index.ts';
import { FINGERPRINT_KEY } from '../../src/report/sarif.ts';
import { checks, HOSTILE_NAME, makeAssessment } from './fixture.ts';

// Both are CommonJS with `exports.default`; under NodeNext TypeScript types the default import as the module.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const schemaPath = join(repoRoot, '..', 'shared', 'data', 'sarif-schema', 'sarif-schema-2.1.0.json');

// biome-ignore lint/suspicious/noExplicitAny: SARIF is inspected structurally in the assertions.
type Json = any;

function sarif(options = { color: false }): Json {
  return JSON.parse(render('sarif', makeAssessment(), options));
}

test('validates against the official SARIF 2.1.0 schema', (t) => {
  if (!existsSync(schemaPath)) {
    t.skip(`SARIF schema not found at ${schemaPath}`);
    return;
  }
  const ajv = new Ajv();
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  // The validator does reject a broken log (a driver without its required name).
  assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
  for (const assessment of [
    makeAssessment(),
    makeAssessment({ root: '/abs/scan root', findings: [], errors: [], notes: [] }),
  ]) {
    for (const options of [
      { color: false },
      {
        color: false,
        informationUri: 'https://example.org/assay',
        helpBaseUri: 'https://example.org/docs/checks/',
      },
    ]) {
      const log = JSON.parse(render('sarif', assessment, options));
      const ok = validate(log);
      assert.ok(ok, JSON.stringify(validate.errors, null, 2));
    }
  }
});

test('one run; rules from the checks with help, tags and security-severity', () => {
  const log = sarif();
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const driver = log.runs[0].tool.driver;
  assert.equal(driver.name, 'assay');
  assert.equal(driver.version, '0.1.0');
  assert.equal(driver.rules.length, checks.length);
  const [r1, r2] = driver.rules;
  assert.equal(r1.id, 'AZ-TEST-001');
  assert.equal(r1.name, 'StorageAccountsRequireSecureTransfer');
  assert.equal(r1.shortDescription.text, checks[0].title);
  assert.equal(r1.fullDescription.text, checks[0].rationale);
  assert.match(r1.help.text, /Remediation: Set/);
  assert.match(r1.help.markdown, /## Controls/);
  assert.match(r1.help.text, /ism-1139/);
  assert.equal(r1.properties['security-severity'], '8.0');
  assert.equal(r2.properties['security-severity'], '5.5');
  assert.deepEqual(r1.properties.controls, ['ism-1139', 'ism-0484']);
  assert.ok(r1.properties.tags.includes('security'));
  assert.equal(r1.defaultConfiguration.level, 'error');
  assert.equal(r2.defaultConfiguration.level, 'warning');
});

test('results: non-pass, non-n/a findings with correct ruleIndex, kind and level', () => {
  const run = sarif().runs[0];
  const results: Json[] = run.results;
  // 2 fail + 1 unknown + 1 error + 1 waived; pass and not-applicable are not results.
  assert.equal(results.length, 5);
  for (const r of results) {
    assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    if (r.kind !== 'fail') assert.equal(r.level, 'none');
  }
  const byStatus = (s: string) => results.filter((r) => r.properties.status === s);
  const [hostile, pipe] = byStatus('fail');
  assert.equal(hostile.level, 'error');
  assert.equal(hostile.kind, 'fail');
  assert.equal(hostile.properties.subject.name, HOSTILE_NAME);
  assert.equal(pipe.level, 'warning');
  const [unknown] = byStatus('unknown');
  assert.equal(unknown.kind, 'review');
  assert.match(unknown.message.text, /reference\(\) to a deployment-time value/);
  const [error] = byStatus('error');
  assert.equal(error.kind, 'review');
  assert.match(error.message.text, /boom/);
  const [waived] = byStatus('waived');
  assert.equal(waived.kind, 'fail');
  assert.deepEqual(waived.suppressions, [
    {
      kind: 'external',
      status: 'accepted',
      justification: 'Legacy client; retired by 2026-12',
      properties: { waiverId: 'W-1', expires: '2026-12-31' },
    },
  ]);
});

test('locations: relative URIs under %SRCROOT% with line and column', () => {
  const results: Json[] = sarif().runs[0].results;
  const first = results[0].locations[0].physicalLocation;
  assert.deepEqual(first, {
    artifactLocation: { uri: 'templates/main.json', uriBaseId: '%SRCROOT%' },
    region: { startLine: 12, startColumn: 7 },
  });
  const spaced = results.find((r) => r.ruleId === 'AZ-TEST-002' && r.properties.status === 'fail');
  assert.equal(spaced.locations[0].physicalLocation.artifactLocation.uri, 'templates/sub%20dir/net.json');
  const windows = JSON.parse(
    render(
      'sarif',
      makeAssessment({
        findings: [
          {
            ...makeAssessment().findings[1],
            location: { file: '.\\templates\\win.json', line: 2, column: 1 },
          },
        ],
      }),
      { color: false },
    ),
  );
  assert.equal(
    windows.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri,
    'templates/win.json',
  );
});

test('partial fingerprints are stable and distinct', () => {
  const a: Json[] = sarif().runs[0].results;
  const shuffled = makeAssessment();
  shuffled.findings = [...shuffled.findings].reverse();
  const b: Json[] = JSON.parse(render('sarif', shuffled, { color: false })).runs[0].results;
  const fa = a.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
  const fb = b.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
  assert.deepEqual(fa, fb);
  assert.equal(new Set(fa).size, fa.length);
  // Moving a finding to another line keeps its fingerprint.
  const moved = makeAssessment();
  moved.findings = moved.findings.map((f) =>
    f.subject.name === HOSTILE_NAME ? { ...f, location: { ...f.location, line: 99 } } : f,
  );
  const fm = JSON.parse(render('sarif', moved, { color: false })).runs[0].results.find(
    (r: Json) => r.properties.subject.name === HOSTILE_NAME,
  );
  assert.equal(fm.partialFingerprints[FINGERPRINT_KEY], fa[0]);
});

test('invocation carries input errors, check errors and notes as notifications', () => {
  const invocation = sarif().runs[0].invocations[0];
  assert.equal(invocation.executionSuccessful, false);
  const notes: Json[] = invocation.toolExecutionNotifications;
  const input = notes.find((n) => n.descriptor?.id === 'json-syntax');
  assert.equal(input.level, 'error');
  assert.match(input.message.text, /^templates\/bad\.json:3: unexpected token/);
  assert.deepEqual(input.locations[0].physicalLocation.region, { startLine: 3, startColumn: 9 });
  const check = notes.find((n) => n.associatedRule?.id === 'AZ-TEST-002');
  assert.equal(check.associatedRule.index, 1);
  assert.ok(notes.some((n) => n.level === 'warning' && /comment/.test(n.message.text)));
  const clean = JSON.parse(
    render('sarif', makeAssessment({ findings: [], errors: [], notes: [] }), { color: false }),
  );
  assert.equal(clean.runs[0].invocations[0].executionSuccessful, true);
  assert.deepEqual(clean.runs[0].results, []);
});

test('a finding whose check is not in assessment.checks still gets a rule', () => {
  const a = makeAssessment();
  a.findings = [...a.findings, { ...a.findings[1], checkId: 'AZ-OTHER-9', title: 'Other thing' }];
  const run = JSON.parse(render('sarif', a, { color: false })).runs[0];
  assert.equal(run.tool.driver.rules.length, 3);
  const r = run.results.find((x: Json) => x.ruleId === 'AZ-OTHER-9');
  assert.equal(run.tool.driver.rules[r.ruleIndex].id, 'AZ-OTHER-9');
});

test('absolute scan root becomes originalUriBaseIds', () => {
  const log = JSON.parse(render('sarif', makeAssessment({ root: '/work/scan' }), { color: false }));
  assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/scan/' } });
  assert.equal(sarif().runs[0].originalUriBaseIds, undefined);
});

test('helpUri from the config template, and one automation category per kind of run', () => {
  const assessment = makeAssessment();
  const sarif = JSON.parse(
    render('sarif', assessment, { color: false, helpUri: 'https://intranet.example/assay/{checkId}?v=1' }),
  ) as {
    runs: {
      automationDetails: { id: string };
      tool: { driver: { rules: { id: string; helpUri?: string }[] } };
    }[];
  };
  const [run] = sarif.runs;
  assert.ok(run);
  for (const r of run.tool.driver.rules)
    assert.equal(r.helpUri, `https://intranet.example/assay/${encodeURIComponent(r.id)}?v=1`);
  assert.equal(
    run.automationDetails.id,
    `assay/${assessment.scope?.kind ?? assessment.domain}/${assessment.id}`,
  );
});
