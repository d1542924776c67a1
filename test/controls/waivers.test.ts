import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../src/cli/config.ts';
import { loadWaivers } from '../../src/cli/waivers.ts';
import type { Finding } from '../../src/core/model.ts';
import { summarise } from '../../src/core/scoring.ts';
import { applyWaivers, isExpired, WAIVER_EXPIRED_CHECK, type Waiver } from '../../src/core/waivers.ts';
import { lineOf, scanTemplate, templateText } from '../helpers/arm.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-waivers-'));
after(() => rmSync(work, { recursive: true, force: true }));

function finding(
  checkId: string,
  status: Finding['status'],
  name: string,
  extra: Partial<Finding> = {},
): Finding {
  return {
    checkId,
    title: checkId,
    severity: 'high',
    status,
    message: `${checkId} on ${name}`,
    subject: {
      id: `/subscriptions/s/resourceGroups/rg/providers/T/${name}`,
      name,
      type: 'T',
      kind: 'azure-resource',
    },
    location: { file: `infra/${name}.json`, line: 3, column: 5 },
    controls: ['ism-1139'],
    ...extra,
  };
}

function waiver(extra: Partial<Waiver> = {}): Waiver {
  return {
    id: 'W-1',
    source: 'waiver-file',
    checks: ['AZ-A-001'],
    justification: 'legacy client',
    approvedBy: 'CISO',
    created: '2025-01-01',
    expires: '2026-06-30',
    location: { file: 'assay.waivers.yaml', line: 2, column: 1 },
    ...extra,
  };
}

describe('applyWaivers', () => {
  const findings = [
    finding('AZ-A-001', 'fail', 'legacy'),
    finding('AZ-A-001', 'pass', 'modern'),
    finding('AZ-B-001', 'fail', 'legacy'),
  ];

  it('a valid waiver waives the failing finding, keeps its status and records the waiver', () => {
    const result = applyWaivers(findings, [waiver()], { today: '2026-01-15' });
    const waived = result.findings.filter((f) => f.status === 'waived');
    assert.equal(waived.length, 1);
    assert.equal(waived[0].subject.name, 'legacy');
    assert.equal(waived[0].originalStatus, 'fail');
    assert.deepEqual(waived[0].waiver, {
      id: 'W-1',
      source: 'waiver-file',
      justification: 'legacy client',
      approvedBy: 'CISO',
      created: '2025-01-01',
      expires: '2026-06-30',
    });
    assert.equal(
      result.findings.find((f) => f.subject.name === 'modern')?.status,
      'pass',
      'a pass is never waived',
    );
    assert.deepEqual(result.expired, []);
    assert.equal(result.findings.length, 3);
  });

  it('scores before and after waivers', () => {
    const result = applyWaivers(findings, [waiver()], { today: '2026-01-15' });
    const summary = summarise(result.findings, 2);
    // After: pass + waived over pass + fail + waived = 2/3; before: the waived one counts as its fail = 1/3.
    assert.equal(summary.score, 66.7);
    assert.equal(summary.scoreBeforeWaivers, 33.3);
    assert.equal(summary.byStatus.waived, 1);
  });

  it('the expiry day itself still waives; the day after does not', () => {
    assert.equal(isExpired(waiver(), '2026-06-30'), false);
    assert.equal(isExpired(waiver(), '2026-07-01'), true);
    assert.equal(
      applyWaivers(findings, [waiver()], { today: '2026-06-30' }).findings.filter(
        (f) => f.status === 'waived',
      ).length,
      1,
    );
  });

  it('an expired waiver no longer waives and is reported as a finding of its own', () => {
    const result = applyWaivers(findings, [waiver()], { today: '2026-07-01' });
    const legacy = result.findings.find((f) => f.checkId === 'AZ-A-001' && f.subject.name === 'legacy');
    assert.equal(legacy?.status, 'fail', 'keeps its own status');
    assert.equal(legacy?.waiver?.expired, true, 'carries the lapsed waiver for the record');
    const own = result.findings.filter((f) => f.checkId === WAIVER_EXPIRED_CHECK.id);
    assert.equal(own.length, 1);
    assert.equal(own[0].status, 'fail');
    assert.equal(own[0].severity, 'medium');
    assert.deepEqual(own[0].location, { file: 'assay.waivers.yaml', line: 2, column: 1 });
    assert.match(own[0].message, /W-1 expired on 2026-06-30/);
    assert.deepEqual(
      result.expired.map((w) => [w.id, w.expired]),
      [['W-1', true]],
    );
    const summary = summarise(result.findings, 2);
    assert.equal(summary.byStatus.waived, 0);
    assert.equal(summary.score, summary.scoreBeforeWaivers, 'nothing waived: both scores agree');
  });

  it('matches subjects by exact id, name glob and file glob', () => {
    const three = [
      finding('AZ-A-001', 'fail', 'legacy-1'),
      finding('AZ-A-001', 'fail', 'legacy-2'),
      finding('AZ-A-001', 'fail', 'new'),
    ];
    const byName = applyWaivers(three, [waiver({ subjects: [{ name: 'legacy-*' }] })], {
      today: '2026-01-01',
    });
    assert.deepEqual(
      byName.findings.map((f) => f.status),
      ['waived', 'waived', 'fail'],
    );
    const byId = applyWaivers(three, [waiver({ subjects: [{ id: three[2].subject.id.toUpperCase() }] })], {
      today: '2026-01-01',
    });
    assert.deepEqual(
      byId.findings.map((f) => f.status),
      ['fail', 'fail', 'waived'],
    );
    const byFile = applyWaivers(three, [waiver({ subjects: [{ file: './infra/legacy-2.*' }] })], {
      today: '2026-01-01',
    });
    assert.deepEqual(
      byFile.findings.map((f) => f.status),
      ['fail', 'waived', 'fail'],
    );
    const both = applyWaivers(
      three,
      [waiver({ subjects: [{ name: 'legacy-*', file: 'infra/legacy-1.json' }] })],
      {
        today: '2026-01-01',
      },
    );
    assert.deepEqual(
      both.findings.map((f) => f.status),
      ['waived', 'fail', 'fail'],
      'every field of one selector must match',
    );
  });

  it('a control waiver covers findings that evidence the control; check globs work', () => {
    const result = applyWaivers(
      [finding('AZ-A-001', 'unknown', 'x'), finding('AZ-B-001', 'fail', 'y', { controls: ['ism-0001'] })],
      [waiver({ checks: undefined, controls: ['ISM-1139'] }), waiver({ id: 'W-2', checks: ['az-b-*'] })],
      { today: '2026-01-01' },
    );
    assert.deepEqual(
      result.findings.map((f) => [f.status, f.originalStatus, f.waiver?.id]),
      [
        ['waived', 'unknown', 'W-1'],
        ['waived', 'fail', 'W-2'],
      ],
    );
  });

  it('lists active waivers that matched nothing', () => {
    const result = applyWaivers(findings, [waiver({ id: 'W-9', checks: ['AZ-NONE-*'] })], {
      today: '2026-01-01',
    });
    assert.deepEqual(
      result.unused.map((w) => w.id),
      ['W-9'],
    );
  });
});

describe('assay.waivers.yaml', () => {
  function write(name: string, text: string): string {
    const path = join(work, name);
    writeFileSync(path, text);
    return path;
  }

  it('loads waivers with their line in the file', () => {
    const path = write(
      'ok.yaml',
      [
        'waivers:',
        '  - id: W-001',
        '    check: AZ-STORAGE-001',
        '    subjects:',
        '      - name: legacy*',
        '      - file: infra/old/**',
        '    justification: Legacy client cannot do HTTPS yet.',
        '    approvedBy: CISO',
        '    created: 2025-07-01',
        '    expires: 2026-06-30',
        '    ticket: https://example.org/RISK-1',
        '  - id: W-002',
        '    control: ism-1139',
        '    justification: Accepted for the pilot.',
        '    approvedBy: CISO',
        '    created: 2025-07-01',
        '    expires: 2025-12-31',
        '',
      ].join('\n'),
    );
    const { waivers } = loadWaivers(path, work);
    assert.equal(waivers.length, 2);
    assert.deepEqual(waivers[0].location, { file: 'ok.yaml', line: 2, column: 1 });
    assert.deepEqual(waivers[0].checks, ['AZ-STORAGE-001']);
    assert.deepEqual(waivers[0].subjects, [{ name: 'legacy*' }, { file: 'infra/old/**' }]);
    assert.equal(waivers[0].ticket, 'https://example.org/RISK-1');
    assert.deepEqual(waivers[1].controls, ['ism-1139']);
    assert.equal(waivers[1].location.line, 12);
  });

  it('no file and no --waivers: no waivers; a named file that is missing is an error', () => {
    assert.deepEqual(loadWaivers(undefined, work, join(work)).waivers, []);
    assert.throws(() => loadWaivers('nope.yaml', work, work), /waiver file not found: nope\.yaml/);
  });

  const bad: [string, string, RegExp][] = [
    [
      'missing justification',
      'waivers:\n  - id: W-1\n    check: X\n    approvedBy: me\n    created: 2025-01-01\n    expires: 2025-02-01\n',
      /bad\.yaml:2:\d+: waivers\.0\.justification: /,
    ],
    [
      'an impossible date',
      'waivers:\n  - id: W-1\n    check: X\n    justification: j\n    approvedBy: me\n    created: 2025-01-01\n    expires: 2025-02-30\n',
      /bad\.yaml:7:\d+: waivers\.0\.expires: expected a date written YYYY-MM-DD/,
    ],
    [
      'a month that does not exist',
      'waivers:\n  - id: W-1\n    check: X\n    justification: j\n    approvedBy: me\n    created: 2025-01-01\n    expires: 2025-99-99\n',
      /bad\.yaml:7:\d+: waivers\.0\.expires: expected a date written YYYY-MM-DD/,
    ],
    [
      'expiry before creation',
      'waivers:\n  - id: W-1\n    check: X\n    justification: j\n    approvedBy: me\n    created: 2025-03-01\n    expires: 2025-02-01\n',
      /bad\.yaml:7:\d+: waivers\.0\.expires: expires is before created/,
    ],
    [
      'neither check nor control',
      'waivers:\n  - id: W-1\n    justification: j\n    approvedBy: me\n    created: 2025-01-01\n    expires: 2025-02-01\n',
      /bad\.yaml:2:\d+: waivers\.0: a waiver names a check or a control/,
    ],
    [
      'an unknown field',
      'waivers:\n  - id: W-1\n    check: X\n    justification: j\n    approvedBy: me\n    created: 2025-01-01\n    expires: 2025-02-01\n    expiry: 2025-02-01\n',
      /bad\.yaml:2:\d+: waivers\.0: .*expiry/,
    ],
    [
      'a repeated id',
      'waivers:\n  - id: W-1\n    check: X\n    justification: j\n    approvedBy: me\n    created: 2025-01-01\n    expires: 2025-02-01\n  - id: W-1\n    check: Y\n    justification: j\n    approvedBy: me\n    created: 2025-01-01\n    expires: 2025-02-01\n',
      /bad\.yaml:8: waivers\.1\.id: 'W-1' is already used at line 2/,
    ],
    ['broken YAML', 'waivers:\n  - id: [\n', /bad\.yaml:\d+:\d+: invalid YAML/],
  ];
  for (const [name, text, expected] of bad) {
    it(`names file, line and field: ${name}`, () => {
      const path = write('bad.yaml', text);
      assert.throws(
        () => loadWaivers(path, work),
        (err: unknown) => err instanceof ConfigError && expected.test(err.message),
      );
    });
  }
});

describe('waivers and inline suppressions in a scan', () => {
  const storage = (name: string, extra: Record<string, unknown> = {}) => ({
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-01-01',
    name,
    location: 'australiaeast',
    kind: 'StorageV2',
    sku: { name: 'Standard_LRS' },
    properties: { supportsHttpsTrafficOnly: false },
    ...extra,
  });

  it('an inline suppression with a reason waives the finding for that resource only', async () => {
    const text = templateText([
      storage('legacy', {
        metadata: {
          assay: { suppress: { checks: ['AZ-STORAGE-001'], reason: 'Old client; replaced in Q3.' } },
        },
      }),
      storage('other'),
    ]);
    const scan = await scanTemplate(text, { checkIds: ['AZ-STORAGE-001'] });
    assert.deepEqual(scan.errors, []);
    const byName = Object.fromEntries(scan.findings.map((f) => [f.subject.name, f]));
    assert.equal(byName.legacy.status, 'waived');
    assert.equal(byName.legacy.originalStatus, 'fail');
    assert.equal(byName.legacy.waiver?.source, 'inline');
    assert.equal(byName.legacy.waiver?.justification, 'Old client; replaced in Q3.');
    assert.equal(byName.legacy.waiver?.id, `inline:template.json:${lineOf(text, '"suppress"')}`);
    assert.equal(byName.other.status, 'fail');
  });

  it('an inline suppression without a reason is an input error naming file and line, and waives nothing', async () => {
    const text = templateText([
      storage('legacy', { metadata: { assay: { suppress: { checks: ['AZ-STORAGE-001'] } } } }),
    ]);
    const scan = await scanTemplate(text, { checkIds: ['AZ-STORAGE-001'] });
    assert.equal(scan.errors.length, 1);
    assert.equal(scan.errors[0].code, 'suppress-invalid');
    assert.equal(scan.errors[0].file, 'template.json');
    assert.equal(scan.errors[0].line, lineOf(text, '"suppress"'));
    assert.match(scan.errors[0].message, /needs a "reason"/);
    assert.equal(scan.findings[0].status, 'fail');
  });

  it('waiver-file waivers apply in the scan; expired ones are findings at the waiver file line', async () => {
    const text = templateText([storage('legacy'), storage('other')]);
    const location = { file: 'assay.waivers.yaml', line: 7, column: 1 };
    const waivers: Waiver[] = [
      waiver({ id: 'W-ok', checks: ['AZ-STORAGE-001'], subjects: [{ name: 'legacy' }], location }),
      waiver({
        id: 'W-old',
        checks: ['AZ-STORAGE-001'],
        subjects: [{ name: 'other' }],
        expires: '2025-12-31',
        location,
      }),
    ];
    const scan = await scanTemplate(text, {
      checkIds: ['AZ-STORAGE-001'],
      scan: { waivers, today: '2026-01-15' },
    });
    const statuses = scan.findings.map((f) => [f.checkId, f.subject.name, f.status]);
    assert.deepEqual(statuses, [
      ['ASSAY-WAIVER-EXPIRED', 'W-old', 'fail'],
      ['AZ-STORAGE-001', 'legacy', 'waived'],
      ['AZ-STORAGE-001', 'other', 'fail'],
    ]);
  });
});
