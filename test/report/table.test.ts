import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from '../../src/report/index.ts';
import { HOSTILE_NAME, makeAssessment } from './fixture.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point.
const ANSI = /\u001b\[/;

const plain = render('table', makeAssessment(), { color: false });
const lines = plain.split('\n');

test('lists failed, unknown and error findings as line:col  LABEL  CHECK  subject  message under their file', () => {
  // A long subject name is cut to its column (JSON and SARIF keep it whole).
  const hostile = lines.find((l) => l.includes(HOSTILE_NAME.slice(0, 10)));
  assert.ok(hostile);
  assert.match(
    hostile,
    /^ {2}12:7 +HIGH +AZ-TEST-001 +<img src=x onerror=aler… +supportsHttpsTrafficOnly is false$/,
  );
  const under = (file: string, pattern: RegExp) => {
    const at = lines.indexOf(file);
    const next = lines.findIndex((l, i) => i > at && l === '');
    assert.ok(at >= 0, file);
    assert.ok(
      lines.slice(at + 1, next).some((l) => pattern.test(l)),
      `${pattern} under ${file}`,
    );
  };
  under('templates/main.json', /^ {2}40:7 +UNKNOWN +AZ-TEST-001 +dynstore /);
  assert.match(plain.replace(/\n {6,}/g, ' '), /reason: reference\(\)/);
  under('templates/sub dir/net.json', /^ {2}9:7 +ERROR +AZ-TEST-002 +nsg-broken +check failed: boom/);
  under('templates/sub dir/net.json', /^ {2}5:7 +MEDIUM +AZ-TEST-002/);
});

test('fits the width: every line of the table is at most 100 columns by default, or the width given', () => {
  assert.ok(
    lines.every((l) => l.length <= 100),
    lines.filter((l) => l.length > 100).join('\n'),
  );
  const narrow = render('table', makeAssessment(), { color: false, width: 64 }).split('\n');
  assert.ok(
    narrow.every((l) => l.length <= 64),
    narrow.filter((l) => l.length > 64).join('\n'),
  );
});

test('groups by file, most urgent first; severity order within a file', () => {
  const headers = lines.filter((l) => /^templates\//.test(l));
  assert.deepEqual(headers, ['templates/main.json', 'templates/sub dir/net.json']);
  const main = lines.findIndex((l) => l.startsWith('  12:7 '));
  const unknown = lines.findIndex((l) => l.startsWith('  40:7 '));
  assert.ok(main < unknown);
});

test('columns are aligned', () => {
  const rows = lines.filter((l) => /^ {2}\d+:\d+ .* AZ-TEST-/.test(l));
  assert.equal(rows.length, 4);
  const checkColumn = rows.map((l) => l.indexOf('AZ-TEST-'));
  assert.equal(new Set(checkColumn).size, 1);
});

test('passes and waived findings only with verbose', () => {
  assert.ok(!plain.includes('okstore'));
  assert.ok(!plain.includes('legacystore'));
  // Wrapped message lines joined back, so a pattern can read a message whole.
  const verbose = render('table', makeAssessment(), { color: false, verbose: true }).replace(/\n {6,}/g, ' ');
  assert.match(verbose, /\n {2}30:7 +PASS +AZ-TEST-001 +okstore/);
  assert.match(verbose, /WAIVED +AZ-TEST-001 +legacystore .*was fail: Legacy client/);
  assert.match(verbose, /Notes \(1\)/);
  assert.ok(!verbose.includes('nsg-empty'), 'not-applicable findings are never listed');
});

test('control characters in names and messages cannot break lines or reach the terminal', () => {
  assert.ok(plain.includes('a|b\\nc`d`'));
  assert.ok(plain.includes('open\\u0001'));
  const evil = makeAssessment();
  evil.findings = [{ ...evil.findings[1], subject: { ...evil.findings[1].subject, name: 'x\u001b[31mred' } }];
  const out = render('table', evil, { color: false });
  assert.ok(!ANSI.test(out));
  assert.ok(out.includes('x\\u001b[31mred'));
});

test('input errors and summary', () => {
  assert.ok(lines.includes('Input errors (1)'));
  assert.match(plain, /\n {2}templates\/bad\.json:3:9 {2}json-syntax {2}unexpected token \} & "quote" <x>\n/);
  assert.match(
    plain,
    /Findings: 7 findings on 6 subjects: 2 fail, 1 error, 1 unknown, 1 waived, 1 pass, 1 not applicable\n/,
  );
  assert.match(plain, /Failed by severity: 0 critical, 1 high, 1 medium, 0 low, 0 info\n/);
  assert.match(plain, /Score: 50% \(before waivers: 25%\); 1 input error, 1 note\n$/);
});

test('colour only when asked', () => {
  assert.ok(!ANSI.test(plain));
  assert.ok(ANSI.test(render('table', makeAssessment(), { color: true })));
});

test('stable: same output whatever the finding order', () => {
  const shuffled = makeAssessment();
  shuffled.findings = [...shuffled.findings].reverse();
  assert.equal(render('table', shuffled, { color: false }), plain);
});

test('nothing to report', () => {
  const out = render('table', makeAssessment({ findings: [], errors: [], notes: [] }), { color: false });
  assert.match(out, /No failed, unknown or error findings\./);
  assert.match(out, /Score: n\/a/);
});
