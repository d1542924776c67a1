/**
 * The single-file report's compressed data (issue 16, item 5): the packed JSON gzipped and
 * in base64, inflated by DecompressionStream (also in Node); format 2's compliance packing
 * (each control's text once, evidence as index triples); format 1 data still read; and the
 * size of a 14,000-finding run shaped like a real quickstart folder.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { quickstartAssessment } from '../../bench/report-corpus.ts';
import { COMPRESSED_ENCODING, renderHtmlDocument, reportData } from '../../src/report/html.ts';
import { getWebAssets } from '../../src/report/web-assets.ts';
import { EMBEDDED_FORMAT_1, type EmbeddedReport, inflate, pack, unpack } from '../../web/embedded.ts';
import { dataElement } from '../helpers/report-data.ts';
import { findings, HOSTILE_MESSAGE, HOSTILE_NAME, makeAssessment } from './fixture.ts';

const fakeAssets = { js: 'document.title="x"', css: 'body{color:red}', hash: '0'.repeat(64) };

describe('compressed single-file report data', () => {
  it('holds the packed JSON gzipped in base64, which inflate() reads back', async () => {
    const data = reportData({ assessment: makeAssessment(), sources: false, generatedAt: 'x' });
    const html = renderHtmlDocument(data, fakeAssets);
    const { open, text } = dataElement(html);
    assert.match(open, /type="application\/octet-stream"/);
    assert.ok(open.includes(`data-encoding="${COMPRESSED_ENCODING}"`));
    assert.match(text, /^[A-Za-z0-9+/]+=*$/, 'only base64: nothing can close the element');
    assert.ok(!html.includes(HOSTILE_NAME) && !html.includes(HOSTILE_MESSAGE));
    assert.deepEqual(JSON.parse(gunzipSync(Buffer.from(text, 'base64')).toString('utf8')), data);
    const back = await inflate(text);
    assert.deepEqual(back, data);
    assert.deepEqual(unpack(back).findings, findings);
  });

  it('keeps each control text once and round-trips every matrix, evidence included', () => {
    const assessment = quickstartAssessment(600, 40);
    const [matrix] = assessment.compliance!;
    // A second baseline listing the same controls, and evidence naming a subject and a check the run lacks.
    const second = { ...matrix, baseline: { name: 'ism-official', title: 'ISM OFFICIAL' } };
    second.controls = matrix.controls.slice(0, 100).map((c) => ({
      ...c,
      findings: [...c.findings, { checkId: 'GONE-001', subjectId: '/gone', status: 'fail' as const }],
    }));
    assessment.compliance = [matrix, second];
    const data = reportData({ assessment, sources: false, generatedAt: 'x' });
    assert.equal(data.meta.compliance, undefined, 'the matrices are not also in meta');
    assert.equal(data.controls?.length, matrix.controls.length, 'one text per control');
    assert.deepEqual(data.names, ['GONE-001', '/gone']);
    const back = unpack(JSON.parse(JSON.stringify(data)));
    assert.deepEqual(back.meta.compliance, assessment.compliance);
    const statementBytes = matrix.controls.reduce((n, c) => n + (c.statement?.length ?? 0), 0);
    const json = JSON.stringify({ controls: data.controls, compliance: data.compliance, names: data.names });
    assert.ok(json.length < JSON.stringify(assessment.compliance).length / 2, `${json.length} bytes`);
    assert.ok(json.length > statementBytes, 'the statements are all there');
  });

  it('still reads format 1 data (compliance inside meta)', () => {
    const assessment = withMatrix();
    const { findings: all, subjects, ...rest } = assessment;
    const v1: EmbeddedReport = {
      ...pack({
        meta: { ...rest, run: 1, subjectCount: subjects.length },
        runs: [],
        subjects,
        findings: all,
        generatedAt: 'x',
      }),
      format: EMBEDDED_FORMAT_1,
    };
    // Format 1 kept the matrices in meta and had no packed copy.
    const { controls: _c, compliance: _m, names: _n, ...older } = v1;
    older.meta = { ...older.meta, compliance: assessment.compliance };
    const back = unpack(older);
    assert.deepEqual(back.meta.compliance, assessment.compliance);
    assert.deepEqual(back.findings, all);
  });

  it('a 14,000-finding run of 3,000 files with a 900-control baseline is under 3 MB', async () => {
    const assessment = quickstartAssessment(14_000, 3_000);
    const data = reportData({ assessment, sources: false });
    const assets = await getWebAssets();
    const html = renderHtmlDocument(data, assets);
    const plain = renderHtmlDocument(data, assets, { compress: false });
    const mb = (s: string) => Buffer.byteLength(s) / 1024 / 1024;
    assert.ok(mb(html) < 3, `${mb(html).toFixed(2)} MB`);
    assert.ok(
      mb(html) < mb(plain) / 2,
      `compressed ${mb(html).toFixed(2)} MB, plain ${mb(plain).toFixed(2)} MB`,
    );
    const back = unpack(await inflate(dataElement(html).text));
    assert.equal(back.findings.length, 14_000);
    assert.equal(back.meta.compliance?.[0].controls.length, 900);
  });
});

function withMatrix() {
  const assessment = makeAssessment();
  assessment.compliance = [
    {
      baseline: { name: 'b', title: 'B' },
      controls: [
        {
          id: 'ism-1416',
          title: 'T',
          statement: 'S',
          status: 'not-met',
          checks: [findings[0].checkId],
          findings: [{ checkId: findings[0].checkId, subjectId: findings[0].subject.id, status: 'fail' }],
        },
      ],
      coverage: {
        total: 1,
        automated: 1,
        assessed: 1,
        met: 0,
        notMet: 1,
        partiallyMet: 0,
        unknown: 0,
        waived: 0,
        notAssessed: 0,
      },
    },
  ];
  return assessment;
}
