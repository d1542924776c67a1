import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import ajvFormats from 'ajv-formats';
import { scanAzure } from '../../src/azure/scan.ts';
import { resolveBaseline } from '../../src/controls/baselines.ts';
import { loadCatalogFile } from '../../src/controls/load.ts';
import { buildMatrix } from '../../src/core/compliance.ts';
import type { Assessment, Finding } from '../../src/core/model.ts';
import { summarise } from '../../src/core/scoring.ts';
import { applyWaivers, type Waiver } from '../../src/core/waivers.ts';
import { renderOscalAssessmentResults } from '../../src/report/oscal-ar.ts';
import { renderOscalPoam } from '../../src/report/oscal-poam.ts';
import { checks, findings, makeAssessment } from './fixture.ts';

const Ajv = AjvModule.default;
const addFormats = ajvFormats.default;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const schemaDir = join(repo, '..', 'shared', 'data', 'oscal-schema');
const ismCatalog = join(repo, '..', 'shared', 'data', 'ism-oscal', 'ISM_catalog.json');
const schemasPresent = existsSync(join(schemaDir, 'oscal_poam_schema.json'));
if (!schemasPresent) console.log(`# skipping OSCAL schema validation: ${schemaDir} is absent`);

type Validator = ((doc: unknown) => boolean) & { errors?: unknown[] | null };
const validators = new Map<string, Validator>();
function validator(schema: string): Validator {
  let v = validators.get(schema);
  if (!v) {
    // OSCAL's patterns use \p{L}: keep ajv's unicode regexps on (its default).
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    v = ajv.compile(JSON.parse(readFileSync(join(schemaDir, schema), 'utf8'))) as Validator;
    validators.set(schema, v);
  }
  return v;
}

function assertValid(schema: string, text: string): void {
  const v = validator(schema);
  assert.ok(v(JSON.parse(text)), JSON.stringify(v.errors?.slice(0, 5), null, 2));
}

/** The fixture plus a compliance matrix, an inline suppression and an expired waiver. */
function richAssessment(): Assessment {
  const inline: Finding = {
    ...findings[1],
    subject: { ...findings[1].subject, id: `${findings[1].subject.id}-2`, name: 'inline-store' },
    location: { file: 'templates/main.json', line: 50, column: 7 },
    status: 'waived',
    originalStatus: 'fail',
    waiver: {
      id: 'inline:templates/main.json:52',
      source: 'inline',
      justification: 'Static website account; no secrets.',
    },
  };
  const expiredWaiver: Waiver = {
    id: 'W-OLD',
    source: 'waiver-file',
    checks: ['AZ-NOPE'],
    justification: 'old',
    approvedBy: 'CISO',
    created: '2024-01-01',
    expires: '2025-01-01',
    location: { file: 'assay.waivers.yaml', line: 9, column: 1 },
  };
  const applied = applyWaivers([...findings, inline], [expiredWaiver], { today: '2026-01-02' });
  const base = makeAssessment({ findings: applied.findings, summary: summarise(applied.findings, 7) });
  base.expiredWaivers = applied.expired;
  base.compliance = [
    buildMatrix(base, {
      name: 'tiny',
      title: 'Tiny baseline',
      controls: [
        { id: 'ism-1139', title: 'TLS', statement: 'Only the latest TLS is used.' },
        { id: 'ism-0484' },
        { id: 'ism-1416' },
        { id: 'ism-9999' },
        { id: 'ism-principle-gov-01', class: 'ISM-principle', manual: true },
      ],
    }),
  ];
  return base;
}

describe('OSCAL assessment results', () => {
  const assessment = richAssessment();
  const text = renderOscalAssessmentResults(assessment, { color: false });
  const doc = JSON.parse(text)['assessment-results'];
  const result = doc.results[0];

  it('validates against the NIST OSCAL 1.1.2 assessment-results schema', {
    skip: !schemasPresent && 'schemas absent',
  }, () => {
    assertValid('oscal_assessment-results_schema.json', text);
  });

  it('observations link to file and line; not-applicable findings are left out', () => {
    assert.equal(
      result.observations.length,
      assessment.findings.filter((f) => f.status !== 'not-applicable').length,
    );
    const hrefs = result.observations.map(
      (o: { 'relevant-evidence': { href: string }[] }) => o['relevant-evidence'][0].href,
    );
    assert.ok(hrefs.includes('templates/main.json#L12'));
    assert.ok(hrefs.includes('templates/sub%20dir/net.json#L5'), 'paths are URI-encoded');
    assert.ok(hrefs.includes('assay.waivers.yaml#L9'), 'the expired waiver points at its line');
    const waived = result.observations.find((o: { props: { name: string; value: string }[] }) =>
      o.props.some((p) => p.name === 'waiver-id' && p.value === 'W-1'),
    );
    assert.ok(
      waived.props.some(
        (p: { name: string; value: string }) => p.name === 'original-status' && p.value === 'fail',
      ),
    );
    assert.match(waived.remarks, /Waived by W-1/);
  });

  it('one finding per control the run could speak to, with the target status', () => {
    const targets = Object.fromEntries(
      result.findings.map(
        (f: { target: { 'target-id': string; status: { state: string; reason: string } } }) => [
          f.target['target-id'],
          `${f.target.status.state}/${f.target.status.reason}`,
        ],
      ),
    );
    assert.deepEqual(targets, {
      'ism-1139_smt': 'not-satisfied/fail',
      'ism-0484_smt': 'not-satisfied/fail',
      'ism-1416_smt': 'not-satisfied/fail',
    });
    assert.deepEqual(
      result['reviewed-controls']['control-selections'][0]['include-controls'].map(
        (c: { 'control-id': string }) => c['control-id'],
      ),
      ['ism-1139', 'ism-0484', 'ism-1416', 'ism-9999', 'ism-principle-gov-01'],
    );
    const f1139 = result.findings.find(
      (f: { target: { 'target-id': string } }) => f.target['target-id'] === 'ism-1139_smt',
    );
    const obsUuids = new Set(result.observations.map((o: { uuid: string }) => o.uuid));
    assert.ok(f1139['related-observations'].length >= 3);
    for (const r of f1139['related-observations']) assert.ok(obsUuids.has(r['observation-uuid']));
  });

  it('UUIDs come from content: identical runs give identical documents apart from timestamps', () => {
    const again = renderOscalAssessmentResults(
      { ...richAssessment(), startedAt: '2027-05-05T00:00:00.000Z', finishedAt: '2027-05-05T00:00:01.000Z' },
      { color: false },
    );
    const strip = (s: string) => s.replace(/20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'T');
    assert.equal(strip(again), strip(text));
    const uuids = text.match(/[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g) ?? [];
    assert.ok(uuids.length > 10, 'every UUID is a v5');
    const declared = [...text.matchAll(/"uuid": "([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(declared).size, declared.length, 'no UUID is declared twice');
  });

  it('without a baseline it reviews the controls the checks cite', () => {
    const plain = JSON.parse(renderOscalAssessmentResults(makeAssessment(), { color: false }))[
      'assessment-results'
    ];
    assert.deepEqual(
      plain.results[0]['reviewed-controls']['control-selections'][0]['include-controls'].map(
        (c: { 'control-id': string }) => c['control-id'],
      ),
      ['ism-0484', 'ism-1139', 'ism-1416'],
    );
    if (schemasPresent)
      assertValid(
        'oscal_assessment-results_schema.json',
        renderOscalAssessmentResults(makeAssessment(), { color: false }),
      );
  });
});

describe('OSCAL POA&M', () => {
  const assessment = richAssessment();
  const text = renderOscalPoam(assessment, { color: false });
  const doc = JSON.parse(text)['plan-of-action-and-milestones'];

  it('validates against the NIST OSCAL 1.1.2 POA&M schema', {
    skip: !schemasPresent && 'schemas absent',
  }, () => {
    assertValid('oscal_poam_schema.json', text);
  });

  it('an item per unmet control, with remediation and a due date by severity', () => {
    const kinds = doc['poam-items'].map((i: { title: string; props: { name: string; value: string }[] }) => [
      i.props.find((p) => p.name === 'kind')?.value,
      i.title,
    ]);
    assert.deepEqual(
      kinds.filter((k: string[]) => k[0] === 'unmet-control').map((k: string[]) => k[1].split(':')[0]),
      ['ism-1139', 'ism-0484', 'ism-1416'],
    );
    const risk = doc.risks.find((r: { title: string }) => r.title === 'ism-1139 partially met');
    assert.equal(risk.status, 'open');
    // High severity: 30 days after the assessment finished.
    assert.equal(risk.deadline, '2026-02-01T03:04:06.000Z');
    assert.equal(risk.remediations[0].description, checks[0].remediation);
    assert.equal(risk.remediations[0].tasks[0].timing['on-date'].date, risk.deadline);
    const nsg = doc.risks.find((r: { title: string }) => r.title === 'ism-1416 not met');
    assert.equal(nsg.deadline, '2026-04-02T03:04:06.000Z', 'medium: 90 days');
  });

  it('waivers and inline suppressions both appear as accepted risks', () => {
    const accepted = doc.risks.filter((r: { status: string }) => r.status === 'deviation-approved');
    assert.deepEqual(
      accepted.map((r: { title: string }) => r.title),
      ['Accepted risk W-1', 'Accepted risk inline:templates/main.json:52'],
    );
    assert.equal(accepted[0].deadline, '2026-12-31T23:59:59Z', 'due when the acceptance expires');
    assert.equal(accepted[0].description, 'Legacy client; retired by 2026-12');
    assert.equal(accepted[1].deadline, undefined, 'an inline suppression without expiry has no deadline');
    assert.match(accepted[1].statement, /inline \(metadata\.assay\.suppress\)/);
    const items = doc['poam-items'].filter((i: { props: { name: string; value: string }[] }) =>
      i.props.some((p) => p.name === 'kind' && p.value === 'accepted-risk'),
    );
    assert.equal(items.length, 2);
    const obs = new Set(doc.observations.map((o: { uuid: string }) => o.uuid));
    for (const i of items)
      for (const r of i['related-observations']) assert.ok(obs.has(r['observation-uuid']));
  });

  it('an assessment with nothing to plan still gives a valid document', () => {
    const clean = makeAssessment({ findings: [findings[0]], summary: summarise([findings[0]], 1) });
    const out = renderOscalPoam(clean, { color: false });
    assert.equal(
      JSON.parse(out)['plan-of-action-and-milestones']['poam-items'][0].title,
      'Nothing to remediate',
    );
    if (schemasPresent) assertValid('oscal_poam_schema.json', out);
  });
});

describe('OSCAL output of a real scan', () => {
  const examples = join(repo, 'examples', 'azure');
  const catalogPresent = existsSync(ismCatalog);
  if (!catalogPresent) console.log(`# skipping the ISM-backed OSCAL scan: ${ismCatalog} is absent`);

  async function scan(): Promise<Assessment> {
    const { assessment } = await scanAzure([examples], { root: repo, now: '2026-01-01T00:00:00Z' });
    const { catalog } = loadCatalogFile(ismCatalog);
    const baseline = resolveBaseline('ism-protected', { catalog, checks: assessment.checks });
    assessment.compliance = [buildMatrix(assessment, baseline.input)];
    return assessment;
  }

  it('examples/azure against ISM PROTECTED: both documents validate, and two runs differ only in timestamps', {
    skip: (!catalogPresent || !schemasPresent) && 'ISM data or schemas absent',
  }, async () => {
    const a = await scan();
    const b = await scan();
    assert.equal(a.compliance?.[0].controls.length, 992);
    const ar = renderOscalAssessmentResults(a, { color: false });
    const poam = renderOscalPoam(a, { color: false });
    assertValid('oscal_assessment-results_schema.json', ar);
    assertValid('oscal_poam_schema.json', poam);
    const strip = (s: string) => s.replace(/20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'T');
    assert.equal(strip(renderOscalAssessmentResults(b, { color: false })), strip(ar));
    assert.equal(strip(renderOscalPoam(b, { color: false })), strip(poam));
  });
});

describe('OSCAL protective marking', () => {
  const marking = {
    text: 'PROTECTED // AUSTEO // Legal-Privilege',
    classification: 'PROTECTED',
    caveats: ['AUSTEO'],
    imms: ['Legal-Privilege'],
  };
  const marked = { ...richAssessment(), marking };
  const renderers = [
    ['assessment-results', renderOscalAssessmentResults, 'oscal_assessment-results_schema.json'],
    ['plan-of-action-and-milestones', renderOscalPoam, 'oscal_poam_schema.json'],
  ] as const;

  for (const [root, render, schema] of renderers) {
    it(`records the marking in the ${root} metadata props, schema-valid`, () => {
      const text = render(marked, { color: false });
      const props = JSON.parse(text)[root].metadata.props as { name: string; ns: string; value: string }[];
      const mine = props.filter((p) => p.name.startsWith('marking'));
      assert.deepEqual(
        mine.map((p) => [p.name, p.value]),
        [
          ['marking', marking.text],
          ['marking-classification', 'PROTECTED'],
          ['marking-caveat', 'AUSTEO'],
          ['marking-imm', 'Legal-Privilege'],
        ],
      );
      for (const p of mine) assert.equal(p.ns, 'urn:assay:oscal');
      if (schemasPresent) assertValid(schema, text);
      const plain = JSON.parse(render(richAssessment(), { color: false }))[root].metadata.props as {
        name: string;
      }[];
      assert.ok(!plain.some((p) => p.name.startsWith('marking')), 'no marking by default');
    });
  }
});
