import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../../src/report/index.ts';
import { escapeAttr, escapeXml, INPUT_ERRORS_SUITE } from '../../src/report/junit.ts';
import { HOSTILE_MESSAGE, HOSTILE_NAME, makeAssessment, PIPE_NAME } from './fixture.ts';
import { findAll, parseXml } from './xml.ts';

const xml = render('junit', makeAssessment(), { color: false });

test('the reader used here rejects malformed XML', () => {
  for (const bad of [
    '<a><b></a></b>',
    '<a x=1/>',
    '<a>1 < 2</a>',
    '<a>AT&T</a>',
    '<a>]]></a>',
    '<a/><b/>',
    '<a>\u0001</a>',
    '<a x="1" x="2"/>',
  ]) {
    assert.throws(() => parseXml(bad), Error, bad);
  }
  assert.equal(parseXml('<a x="&lt;&#10;">t&amp;u</a>').attrs.x, '<\n');
});

test('is well-formed XML with a declaration', () => {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
  const root = parseXml(xml);
  assert.equal(root.name, 'testsuites');
});

test('one suite per check, then input-errors; counts add up', () => {
  const root = parseXml(xml);
  const suites = findAll(root, 'testsuite');
  assert.deepEqual(
    suites.map((s) => s.attrs.name),
    ['AZ-TEST-001', 'AZ-TEST-002', INPUT_ERRORS_SUITE],
  );
  // Every finding but the not-applicable one is a test case, plus one for the input error.
  assert.equal(findAll(root, 'testcase').length, 6 + 1);
  assert.equal(findAll(root, 'failure').length, 2);
  assert.equal(findAll(root, 'skipped').length, 1);
  assert.equal(findAll(root, 'error').length, 2);
  assert.deepEqual(
    { ...root.attrs, name: undefined },
    { name: undefined, tests: '7', failures: '2', errors: '2', skipped: '1', time: '0' },
  );
  for (const s of suites) {
    assert.equal(Number(s.attrs.tests), findAll(s, 'testcase').length);
    assert.equal(Number(s.attrs.failures), findAll(s, 'failure').length);
    assert.equal(Number(s.attrs.errors), findAll(s, 'error').length);
    assert.equal(Number(s.attrs.skipped), findAll(s, 'skipped').length);
  }
});

test('test cases: name is the subject, classname the check, failure type the severity', () => {
  const root = parseXml(xml);
  const cases = findAll(root, 'testcase');
  const hostile = cases.find((c) => c.attrs.name === HOSTILE_NAME);
  assert.ok(hostile, 'hostile name round-trips through the attribute');
  assert.equal(hostile.attrs.classname, 'AZ-TEST-001');
  assert.equal(hostile.attrs.file, 'templates/main.json');
  assert.equal(hostile.attrs.line, '12');
  const failure = findAll(hostile, 'failure')[0];
  assert.equal(failure.attrs.type, 'high');
  assert.match(failure.text, /^templates\/main\.json:12:7\n/);

  const pipe = cases.find((c) => c.attrs.name === PIPE_NAME);
  assert.ok(pipe, 'a newline in a name survives as a character reference');
  const pipeFailure = findAll(pipe, 'failure')[0];
  // The message keeps everything but the characters XML cannot carry.
  assert.equal(pipeFailure.attrs.message, HOSTILE_MESSAGE.replace('\u0001', '').replace('\ud800', ''));
  assert.equal(pipeFailure.attrs.type, 'medium');

  const skipped = findAll(root, 'skipped')[0];
  assert.match(skipped.attrs.message, /reference\(\) to a deployment-time value/);
  const waived = cases.find((c) => c.attrs.name === 'legacystore');
  assert.ok(waived);
  assert.equal(findAll(waived, 'failure').length, 0);
  assert.match(findAll(waived, 'system-out')[0].text, /Justification: Legacy client/);

  const inputError = findAll(findAll(root, 'testsuite')[2], 'error')[0];
  assert.equal(inputError.attrs.type, 'json-syntax');
  assert.equal(inputError.attrs.message, 'unexpected token } & "quote" <x>');
});

test('escaping: raw markup never appears; illegal characters are stripped', () => {
  assert.ok(!xml.includes('<img'));
  assert.ok(xml.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(!xml.includes(']]>'));
  assert.ok(!xml.includes('\u0001'));
  assert.equal(escapeXml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  assert.equal(escapeXml('a\u0000b\u000bc\ufffed\ud83d\ude00'), 'abcd\ud83d\ude00');
  assert.equal(escapeAttr('a\tb\nc\rd'), 'a&#9;b&#10;c&#13;d');
});

test('duplicate subject names in a suite are numbered', () => {
  const a = makeAssessment();
  const dup = a.findings[1];
  a.findings = [dup, { ...dup, location: { ...dup.location, line: 50 } }];
  const root = parseXml(render('junit', a, { color: false }));
  assert.deepEqual(
    findAll(root, 'testcase')
      .filter((c) => c.attrs.classname === 'AZ-TEST-001')
      .map((c) => c.attrs.name),
    [HOSTILE_NAME, `${HOSTILE_NAME} #2`],
  );
});

test('empty assessment is still a valid document', () => {
  const root = parseXml(render('junit', makeAssessment({ findings: [], errors: [] }), { color: false }));
  assert.equal(root.attrs.tests, '0');
  assert.equal(findAll(root, 'testsuite').length, 0);
});
