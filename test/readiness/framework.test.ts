import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assessReadiness } from '../../src/readiness/assess.ts';
import { FrameworkError, loadFramework } from '../../src/readiness/framework.ts';

const att = (validUntil: string) =>
  `{ owner: Ops lead, date: '2025-01-10', link: 'https://wiki.example/x', validUntil: '${validUntil}' }`;

/** A framework with one cloud and one attested criterion per level; `l2Until` decides level 2. */
function framework(l2Until: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'assay-rdy-'));
  const file = join(dir, 'framework.yaml');
  writeFileSync(
    file,
    `framework: { id: t, title: Test readiness }
levels:
  - { level: 1, name: Foundation }
  - { level: 2, name: Operational }
  - { level: 3, name: Optimised }
clouds:
  - { id: c1, name: Cloud one, sovereignBoundary: Testland, launchDate: '2025-08-01', operatingPartner: Partner Ltd }
criteria:
  - { id: l1-a, pillar: people, level: 1, title: L1 people, control: rdy-people-oncall }
  - { id: l1-b, pillar: process, level: 1, title: L1 process, control: rdy-process-incident }
  - { id: l2-a, pillar: technology, level: 2, title: L2 tech, control: rdy-tech-parity }
  - { id: l2-b, pillar: people, level: 2, title: L2 people, control: rdy-people-training }
  - { id: l3-a, pillar: process, level: 3, title: L3 process, control: rdy-process-quality }
evidence:
  c1:
    l1-a:
      attestation: ${att('2025-12-31')}
    l1-b:
      attestation: ${att('2025-12-31')}
    l2-a:
      attestation: ${att('2025-12-31')}
    l2-b:
      attestation: ${att(l2Until)}
    l3-a:
      attestation: ${att('2025-12-31')}
`,
  );
  return file;
}

const NOW = new Date('2025-06-02T00:00:00Z');

/** A one-cloud framework file in a new folder: the cloud's launch date, then `rest` (YAML lines). */
function frameworkFile(name: string, launchDate: string, rest: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'assay-rdy-'));
  const file = join(dir, name);
  const cloud = `{ id: c1, name: C, sovereignBoundary: X, launchDate: '${launchDate}', operatingPartner: P }`;
  writeFileSync(
    file,
    `framework: { id: t, title: T }\nlevels: [{ level: 1, name: One }]\nclouds: [${cloud}]\n${rest}\n`,
  );
  return { dir, file };
}

/** A framework over data set `roster` (roster.csv) with the given criteria lines. */
const rosterFramework = (criteria: string) =>
  frameworkFile('f.yaml', '2025-09-01', `data: { roster: { file: roster.csv } }\ncriteria:\n${criteria}`);

describe('readiness levels', () => {
  it('holds level 1 when every level-1 and level-3 criterion passes but one level-2 criterion fails', async () => {
    const r = await assessReadiness(framework('2025-05-31'), { now: NOW });
    const c1 = r.levels.find((l) => l.cloud === 'c1');
    assert.equal(c1?.held, 1);
    assert.equal(c1?.levels[2].blockers.length, 0, 'level 3 passes on its own');
    assert.deepEqual(
      c1?.levels[1].blockers.map((b) => b.criterion),
      ['l2-b'],
    );
  });

  it('holds level 3 when everything passes', async () => {
    const r = await assessReadiness(framework('2025-12-31'), { now: NOW });
    assert.equal(r.levels[0].held, 3);
  });

  it('fails an attestation past its valid-until date, naming the date, at the evidence line', async () => {
    const file = framework('2025-05-31');
    const r = await assessReadiness(file, { now: NOW, root: '/' });
    const f = r.assessment.findings.find((x) => x.subject.id === 'c1/l2-b');
    assert.equal(f?.status, 'fail');
    assert.match(f?.message ?? '', /expired on 2025-05-31/);
    assert.match(f?.message ?? '', /2025-06-02/);
    assert.equal(f?.location.line, 22, 'the line of `l2-b:` under evidence.c1');
    assert.deepEqual(f?.controls, ['rdy-people-training']);
  });

  it('turns the gap into a risk with an owner and a due date', async () => {
    const r = await assessReadiness(framework('2025-05-31'), { now: NOW });
    const risk = r.risks.find((x) => x.id === 'c1/l2-b');
    assert.ok(risk);
    assert.equal(risk.impact, 4);
    assert.equal(risk.likelihood, 4, '60 days to launch');
    assert.equal(risk.owner, 'Partner Ltd');
    assert.equal(risk.due, '2025-06-16');
  });

  it('reports framework problems with file and line', () => {
    const { file } = frameworkFile(
      'bad.yaml',
      '2025-13-01',
      'criteria:\n  - { id: a, pillar: people, level: 2, title: A, control: rdy-nope }',
    );
    assert.throws(
      () => loadFramework(file, 'bad.yaml', new Set(['rdy-people-oncall'])),
      (err: unknown) =>
        err instanceof FrameworkError && /bad\.yaml:3:\d+: clouds\.0\.launchDate/.test(err.message),
    );
  });

  it('reads a Latin-1 roster, so a rule over an accented value counts its rows', async () => {
    const { dir, file } = rosterFramework(
      '  - { id: oncall, pillar: people, level: 1, title: On call, control: rdy-people-oncall, rule: { type: count, dataset: roster, where: { team: Équipe Sécurité }, min: 6 } }',
    );
    const rows = ['name,cloud,team'];
    for (let i = 0; i < 8; i++) rows.push(`Agent ${i},c1,${i < 6 ? 'Équipe Sécurité' : 'Réseau'}`);
    writeFileSync(join(dir, 'roster.csv'), Buffer.from(`${rows.join('\r\n')}\r\n`, 'latin1'));
    const r = await assessReadiness(file, { now: NOW });
    const finding = r.assessment.findings.find((f) => f.subject.id === 'c1/oncall');
    assert.equal(finding?.status, 'pass', finding?.message);
  });

  it('makes a rule whose data is missing unknown, with the reason', async () => {
    const { file } = rosterFramework(
      `  - { id: oncall, pillar: people, level: 1, title: On call, control: rdy-people-oncall, rule: { type: count, dataset: roster, where: { on_call: true }, min: 6 } }
  - { id: sla, pillar: process, level: 1, title: SLA, control: rdy-process-sla, rule: { type: kpi, kpi: sla_attainment, min: 0.95 } }`,
    );
    const r = await assessReadiness(file, { now: NOW });
    const byId = new Map(r.assessment.findings.map((f) => [f.subject.id, f]));
    assert.equal(byId.get('c1/oncall')?.status, 'unknown');
    assert.match(byId.get('c1/oncall')?.message ?? '', /roster\.csv does not exist/);
    assert.equal(byId.get('c1/sla')?.status, 'unknown');
    assert.match(byId.get('c1/sla')?.message ?? '', /no case export/);
    assert.equal(r.levels[0].held, 0);
  });
});
