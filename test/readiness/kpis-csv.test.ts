import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runKpis } from '../../src/cli/readiness-kpis.ts';

/** Assignment groups a hostile export could carry: each starts with a spreadsheet formula trigger. */
const HOSTILE_GROUPS = ['=HYPERLINK("http://x.test","y")', '+1+1', '-2+3', '@SUM(A1)', '\tTab', '\rCr'];

function casesCsv(): string {
  const head =
    'id,cloud,priority,assignment_group,state,opened_at,first_response_at,resolved_at,closed_at,sla_met,reopen_count,reassignment_count';
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const rows = HOSTILE_GROUPS.map(
    (g, i) =>
      `C-${i},cloud-a,1 - Critical,${quote(g)},Resolved,2025-05-20 09:00:00,2025-05-20 09:30:00,2025-05-21 09:00:00,2025-05-22 09:00:00,true,0,0`,
  );
  return `${[head, ...rows].join('\n')}\n`;
}

describe('readiness kpis -f csv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-kpis-csv-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('neutralises every formula trigger in a text cell', async () => {
    const cases = join(dir, 'cases.csv');
    const output = join(dir, 'kpis.csv');
    writeFileSync(cases, casesCsv());
    const code = await runKpis({ cases, format: 'csv', output, now: '2025-06-02', all: true });
    assert.equal(code, 0);
    const text = readFileSync(output, 'utf8');
    for (const g of HOSTILE_GROUPS) {
      const cell = `'${g}`;
      const expected = /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
      assert.ok(text.includes(`,${expected},`), `group ${JSON.stringify(g)} is neutralised in:\n${text}`);
    }
    // No cell anywhere starts with a trigger unquoted.
    for (const line of text.split('\n'))
      for (const cell of line.split(','))
        assert.doesNotMatch(cell, /^[=+@\t]/, `cell ${JSON.stringify(cell)}`);
  });
});
