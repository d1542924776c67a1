/** Readiness applies waivers through the same stage as scan: unused ones noted, expired ones a listed check. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Waiver } from '../../src/core/waivers.ts';
import { assessReadiness } from '../../src/readiness/assess.ts';

const framework = fileURLToPath(new URL('../../examples/readiness/framework.yaml', import.meta.url));
const NOW = new Date('2025-06-02T00:00:00Z');

const waiver = (id: string, checks: string[], expires: string, line: number): Waiver => ({
  id,
  source: 'waiver-file',
  checks,
  justification: 'test',
  approvedBy: 'CISO',
  created: '2025-01-01',
  expires,
  location: { file: 'assay.waivers.yaml', line, column: 1 },
});

describe('readiness waivers', () => {
  it('notes an unused waiver and lists the expired-waiver check its finding names', async () => {
    const r = await assessReadiness(framework, {
      now: NOW,
      waivers: [
        waiver('W-EXPIRED', ['RDY-PROCESS-RUNBOOKS'], '2025-03-01', 2),
        waiver('W-UNUSED', ['NO-SUCH-CHECK'], '2099-01-01', 9),
      ],
    });
    const a = r.assessment;
    const expired = a.findings.filter((f) => f.checkId === 'ASSAY-WAIVER-EXPIRED');
    assert.equal(expired.length, 1);
    assert.ok(
      a.checks.some((c) => c.id === 'ASSAY-WAIVER-EXPIRED'),
      'the check behind that finding is in the assessment',
    );
    assert.deepEqual(
      a.notes.filter((n) => /waiver/.test(n.message)).map((n) => [n.file, n.line, n.message]),
      [['assay.waivers.yaml', 9, 'waiver W-UNUSED matches no finding']],
    );
    assert.deepEqual(
      a.expiredWaivers?.map((w) => w.id),
      ['W-EXPIRED'],
    );
  });
});
