/** The TRA rule table (docs/tra.md), and data flows in the diagram and the document. */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { DataFlow } from '../../../src/azure/architecture/model.ts';
import { buildDiagram, renderMermaid, renderSvg } from '../../../src/azure/tra/diagram.ts';
import { boundaryBreaches, renderTraHtml, renderTraMarkdown } from '../../../src/azure/tra/document.ts';
import {
  RULE_TABLE_BEGIN,
  RULE_TABLE_END,
  renderRuleTable,
  withRuleTable,
} from '../../../src/azure/tra/rule-table.ts';
import { THREAT_RULES } from '../../../src/azure/tra/rules.ts';
import { flowsTemplate } from './flow-templates.ts';
import { traOf } from './templates.ts';

describe('TRA rule table', () => {
  it('has at least 40 rules with unique ids, each with evidence and a source', () => {
    assert.ok(THREAT_RULES.length >= 40, `${THREAT_RULES.length} rules`);
    const ids = THREAT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
    for (const r of THREAT_RULES) {
      assert.match(r.id, /^AZ-TRA-\d{3}$/);
      assert.ok(r.evidence.trim().length > 0, `${r.id} has evidence`);
      assert.ok(r.sources.length >= 1, `${r.id} has a source`);
      for (const s of r.sources)
        assert.match(s, /\(https:\/\/[^\s)]+\)$/, `${r.id} source ${s} links to its page`);
    }
  });

  it('gives every flow rule a flow kind, and only flow rules', () => {
    for (const r of THREAT_RULES) {
      if (r.driver === 'flow') assert.ok(r.flows && r.flows.kinds.length > 0, `${r.id} matches flows`);
      else assert.equal(r.flows, undefined, `${r.id} is not a flow rule`);
    }
  });

  it('renders one row per rule, and docs/tra.md holds the current table', () => {
    const table = renderRuleTable();
    for (const r of THREAT_RULES) assert.ok(table.includes(`| ${r.id} |`), r.id);
    assert.ok(table.includes(`${THREAT_RULES.length} rules.`));
    const doc = readFileSync(new URL('../../../docs/tra.md', import.meta.url), 'utf8');
    assert.ok(doc.includes(RULE_TABLE_BEGIN) && doc.includes(RULE_TABLE_END));
    assert.equal(withRuleTable(doc), doc, 'docs/tra.md is stale: run npm run docs');
    assert.equal(withRuleTable('no markers'), undefined);
  });
});

describe('data flows in the diagram and the document', async () => {
  const result = await traOf(flowsTemplate());
  const input = { ...result, appetite: result.appetite, generatedAt: '2026-01-01T00:00:00Z' };
  const model = result.model;
  const name = (id: string) => model.nodes.find((n) => n.id === id)?.name ?? id;
  // The SQL connection string: app -> SQL server over its public endpoint, crossing the VNet and the internet.
  const found = model.flows.find((f) => f.kind === 'connection-string' && name(f.to) === 'sql-portal');
  assert.ok(found, 'a SQL connection string flow in the template');
  const sql: DataFlow = found;
  assert.ok(sql.crosses.includes('internet'), 'the flow crosses the internet boundary');
  const diagram = buildDiagram(model, boundaryBreaches(result.assessment.findings));

  it('draws the crossing flow as a crossing edge, labelled with its id and the boundaries crossed', () => {
    const edge = diagram.edges.find((e) => e.label.startsWith(`${sql.id} `));
    assert.ok(edge, diagram.edges.map((e) => e.label).join(' | '));
    assert.equal(edge.style, 'crossing');
    assert.equal(edge.from, sql.from);
    assert.equal(edge.to, sql.to);
    assert.match(edge.label, /crosses .*Internet/);
    assert.match(edge.label, /vnet-app/);
  });

  it('has the edge in the Mermaid source, between the two ends', () => {
    const mermaid = renderMermaid(diagram);
    const short = (id: string) => `n${diagram.nodes.findIndex((n) => n.id === id)}`;
    const line = mermaid.split('\n').find((l) => l.includes(`"${sql.id} Db`));
    assert.ok(line, mermaid);
    assert.equal(line.trim().split(' ')[0], short(sql.from));
    assert.ok(line.trim().endsWith(` ${short(sql.to)}`), line);
    assert.match(line, /-\.->/);
  });

  it('has the edge in the SVG', () => {
    const svg = renderSvg(diagram);
    assert.match(svg, new RegExp(`<title>${sql.id} Db \\(crosses [^<]*Internet[^<]*\\)</title>`));
    assert.ok(renderTraHtml(input).includes(`<title>${sql.id} Db (crosses`));
  });

  it('lists the flow and the boundaries in the document section', () => {
    const md = renderTraMarkdown(input);
    const start = md.indexOf('## Data flows and trust boundaries');
    assert.ok(start >= 0, 'section present');
    const end = md.indexOf('\n## ', start + 1);
    const section = md.slice(start, end < 0 ? undefined : end);
    const row = section.split('\n').find((l) => l.startsWith(`| ${sql.id} |`));
    assert.ok(row, section);
    assert.match(row, /connection string: Db/);
    assert.match(row, /\| app-portal \| sql-portal \| public endpoint \|/);
    assert.match(row, /Internet \(internet\)/);
    assert.ok(row.includes('connectionStrings'), row);
    assert.ok(row.includes(`(template.json:${sql.evidence.location.line})`), row);
    const crossing = model.flows.filter((f) => f.crosses.length > 0).length;
    assert.ok(section.includes(`${model.flows.length} internal data flow(s)`));
    assert.ok(section.includes(`${crossing} cross a trust boundary`));
    for (const b of ['vnet-app', 'snet-app', 'snet-pe', 'pe-kv'])
      assert.match(section, new RegExp(`\\| ${b} \\|`));
  });
});
