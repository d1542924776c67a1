/** `compact` and `github`: one line per finding, safe against hostile text. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Assessment, Finding } from '../../src/core/model.ts';
import { escapeData, escapeProperty } from '../../src/report/github.ts';
import { render } from '../../src/report/index.ts';

function finding(over: Partial<Finding>): Finding {
  return {
    checkId: 'AZ-STORAGE-001',
    title: 'Storage accounts accept only HTTPS',
    severity: 'high',
    status: 'fail',
    message: 'expected only HTTPS, found false',
    subject: { id: '/x', name: 'weak', type: 'Microsoft.Storage/storageAccounts', kind: 'azure-resource' },
    location: { file: 'infra/main.json', line: 12, column: 9 },
    controls: ['ism-1139'],
    ...over,
  };
}

const assessment = {
  findings: [
    finding({}),
    finding({
      checkId: 'AZ-KV-001',
      severity: 'medium',
      location: { file: 'infra/kv.json', line: 3, column: 1 },
    }),
    finding({ checkId: 'AZ-LOG-001', status: 'pass', severity: 'low' }),
    finding({ checkId: 'AZ-SQL-001', status: 'unknown', message: 'a parameter has no value' }),
    finding({
      checkId: 'AZ-X-001',
      severity: 'low',
      message: 'line one\n::error file=evil::injected %0A\u001b[31m',
      subject: { id: '/y', name: 'a,b:c', type: 't', kind: 'azure-resource' },
      location: { file: 'odd,na:me.json', line: 1, column: 1 },
    }),
  ],
  errors: [{ file: 'infra/bad.json', line: 4, column: 2, code: 'json-syntax', message: 'invalid JSON' }],
} as unknown as Assessment;

describe('compact', () => {
  it('gives file:line:col: severity CHECK-ID message per failure, input errors first, nothing for passes', () => {
    const lines = render('compact', assessment, { color: false }).trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 3), [
      'infra/bad.json:4:2: error input/json-syntax invalid JSON',
      'infra/main.json:12:9: high AZ-STORAGE-001 weak: expected only HTTPS, found false',
      'infra/kv.json:3:1: medium AZ-KV-001 weak: expected only HTTPS, found false',
    ]);
    assert.equal(lines.length, 4, 'the pass and the unknown are left out');
    assert.ok(!lines[3]?.includes('\u001b'), 'control characters are shown as escapes');
    assert.ok(!lines[3]?.includes('\n'));
  });

  it('lists unknown findings with --verbose', () => {
    const text = render('compact', assessment, { color: false, verbose: true });
    assert.match(text, /infra\/main\.json:12:9: unknown AZ-SQL-001 weak: a parameter has no value/);
  });
});

describe('github', () => {
  it('gives one workflow command per failure, level by severity', () => {
    const lines = render('github', assessment, { color: false }).trimEnd().split('\n');
    assert.equal(
      lines[0],
      '::error file=infra/bad.json,line=4,col=2,title=assay input error (json-syntax)::invalid JSON',
    );
    assert.equal(
      lines[1],
      '::error file=infra/main.json,line=12,col=9,title=AZ-STORAGE-001 (high)%3A Storage accounts accept only HTTPS::weak: expected only HTTPS, found false',
    );
    assert.match(lines[2] ?? '', /^::warning file=infra\/kv\.json,line=3,col=1,title=AZ-KV-001 \(medium\)/);
    assert.match(lines[3] ?? '', /^::notice /);
    assert.equal(lines.length, 4);
  });

  it('escapes a hostile message so it cannot start a command of its own', () => {
    const text = render('github', assessment, { color: false });
    const hostile = text.trimEnd().split('\n')[3] ?? '';
    assert.ok(hostile.startsWith('::notice file=odd%2Cna%3Ame.json,'), hostile);
    assert.ok(hostile.includes('line one%0A::error file=evil::injected %250A'), hostile);
    assert.equal(text.trimEnd().split('\n').length, 4, 'the newline did not become a new command');
    assert.ok(!text.includes('\u001b'), 'no raw escape reaches the log');
    assert.equal(escapeData('50%\r\n'), '50%25%0D%0A');
    assert.equal(escapeProperty('a:b,c'), 'a%3Ab%2Cc');
  });
});
