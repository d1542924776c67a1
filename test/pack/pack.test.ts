import assert from 'node:assert/strict';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Workbook } from '@cj-tech-master/excelts';
import type { Manifest } from '../../src/pack/manifest.ts';
import { sha256File } from '../../src/pack/manifest.ts';
import { PACK_FILES } from '../../src/pack/write.ts';
import { runCli } from '../helpers/cli.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const webApp = join(repo, 'examples', 'azure', 'web-app');

/** Every file a pack lists; the PDF only with Chromium. */
const EXPECTED = Object.values(PACK_FILES)
  .map((f) => f.path)
  .filter((p) => p !== PACK_FILES.pdf.path);

describe('assay pack', () => {
  let work: string;
  let pack: string;
  let manifest: Manifest;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'assay-pack-'));
    pack = join(work, 'pack');
    // No Chromium (ASSAY_CHROMIUM names no executable): the PDF is skipped and the manifest says why.
    const run = await runCli(
      [
        'pack',
        webApp,
        '--baseline',
        'ism-protected',
        '-o',
        pack,
        '--no-save',
        '--quiet',
        '--owner',
        '=owner',
        '--classification',
        'PROTECTED',
      ],
      { cwd: work, env: { ASSAY_CHROMIUM: join(work, 'no-chromium') } },
    );
    assert.equal(run.code, 0, run.err);
    manifest = JSON.parse(readFileSync(join(pack, 'manifest.json'), 'utf8'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('writes every listed file, with its digest in the manifest, and records the PDF skip with its reason', () => {
    assert.deepEqual(manifest.files.map((f) => f.path).sort(), [...EXPECTED].sort());
    for (const f of manifest.files) {
      assert.ok(existsSync(join(pack, f.path)), f.path);
      assert.equal(sha256File(join(pack, f.path)), f.sha256, f.path);
    }
    assert.deepEqual(
      manifest.skipped.map((s) => s.path),
      [PACK_FILES.pdf.path],
    );
    assert.match(manifest.skipped[0].reason, /Chromium not found/);
    assert.equal(manifest.baseline.name, 'ism-protected');
    assert.equal(manifest.marking, 'PROTECTED');
  });

  it('lists every input assessed with its SHA-256', () => {
    const main = manifest.inputs.find((i) => i.file.endsWith('web-app/main.json'));
    assert.ok(main, JSON.stringify(manifest.inputs));
    assert.equal(main.sha256, sha256File(join(webApp, 'main.json')));
    assert.ok(manifest.inputs.length >= 2);
  });

  it('the OSCAL documents: SSP fragment by component, component definition, assessment results, POA&M', () => {
    const ssp = JSON.parse(readFileSync(join(pack, PACK_FILES.ssp.path), 'utf8'))['system-security-plan'];
    const component = JSON.parse(readFileSync(join(pack, PACK_FILES.component.path), 'utf8'))[
      'component-definition'
    ];
    const componentUuid = component.components[0].uuid;
    assert.equal(ssp['system-implementation'].components[0].uuid, componentUuid);
    const reqs = ssp['control-implementation']['implemented-requirements'];
    const annex = readFileSync(join(pack, PACK_FILES.annexCsv.path), 'utf8').trimEnd().split('\r\n');
    assert.equal(reqs.length, annex.length - 1, 'one requirement per annex row');
    const evidenced = reqs.find((r: { 'by-components': { props: { name: string }[] }[] }) =>
      r['by-components'][0].props.some((p) => p.name === 'check-id'),
    );
    assert.ok(evidenced, 'some requirement is evidenced by a check');
    assert.equal(evidenced['by-components'][0]['component-uuid'], componentUuid);
    assert.ok(JSON.parse(readFileSync(join(pack, PACK_FILES.results.path), 'utf8'))['assessment-results']);
    assert.ok(
      JSON.parse(readFileSync(join(pack, PACK_FILES.poam.path), 'utf8'))['plan-of-action-and-milestones'],
    );
    assert.match(readFileSync(join(pack, PACK_FILES.traMarkdown.path), 'utf8'), /PROTECTED/);
    assert.match(readFileSync(join(pack, PACK_FILES.html.path), 'utf8'), /^<!doctype html>/);
  });

  it('the SSP annex xlsx and CSV agree: one row per baseline control, the owner escaped', async () => {
    const csv = readFileSync(join(pack, PACK_FILES.annexCsv.path), 'utf8').trimEnd().split('\r\n');
    const matrix = readFileSync(join(pack, PACK_FILES.matrix.path), 'utf8').trimEnd().split('\r\n');
    assert.equal(csv.length, matrix.length, 'as many rows as the compliance matrix');
    const wb = new Workbook();
    await wb.xlsx.load(readFileSync(join(pack, PACK_FILES.annexXlsx.path)));
    const sheet = wb.getWorksheet('ism-protected');
    assert.ok(sheet);
    assert.equal(sheet.actualRowCount, csv.length);
    assert.equal(sheet.getRow(2).getCell(14).value, "'=owner");
    assert.ok(csv[1].endsWith(",'=owner"), csv[1]);
  });

  it('verify passes on the pack as written', async () => {
    const run = await runCli(['pack', 'verify', pack]);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /every file matches/);
  });

  it('verify fails naming the file when one byte changes, and names missing and extra files', async () => {
    const copy = join(work, 'copy');
    // Work on a copy so the other tests keep the pack intact.
    cpSync(pack, copy, { recursive: true });
    const target = join(copy, PACK_FILES.annexXlsx.path);
    const bytes = readFileSync(target);
    bytes[100] ^= 0x01;
    writeFileSync(target, bytes);
    let run = await runCli(['pack', 'verify', copy]);
    assert.equal(run.code, 1);
    assert.match(run.err, /changed: ssp-annex\.xlsx/);
    assert.doesNotMatch(run.err, /changed: (?!ssp-annex\.xlsx)/);

    rmSync(join(copy, PACK_FILES.poam.path));
    appendFileSync(join(copy, 'notes.txt'), 'added later');
    run = await runCli(['pack', 'verify', copy]);
    assert.equal(run.code, 1);
    assert.match(run.err, /missing: poam\.json/);
    assert.match(run.err, /extra: notes\.txt/);
  });

  it('--from packs a stored assessment: the same annex, the TRA skipped with its reason', async () => {
    const again = join(work, 'again');
    const run = await runCli(
      [
        'pack',
        '--from',
        join(pack, PACK_FILES.assessment.path),
        '-o',
        again,
        '--no-pdf',
        '-q',
        '--owner',
        '=owner',
      ],
      { cwd: work },
    );
    assert.equal(run.code, 0, run.err);
    const m: Manifest = JSON.parse(readFileSync(join(again, 'manifest.json'), 'utf8'));
    assert.deepEqual(m.skipped.map((s) => s.path).sort(), ['findings-report.pdf', 'tra.html', 'tra.md']);
    assert.match(m.skipped.find((s) => s.path === 'tra.md')?.reason ?? '', /built from the templates/);
    assert.equal(m.assessment.id, manifest.assessment.id);
    assert.equal(
      readFileSync(join(again, PACK_FILES.annexCsv.path), 'utf8'),
      readFileSync(join(pack, PACK_FILES.annexCsv.path), 'utf8'),
    );
    assert.equal((await runCli(['pack', 'verify', again])).code, 0);
  });

  it('verify exits 2 on a folder with no manifest', async () => {
    const run = await runCli(['pack', 'verify', join(work, 'nowhere')]);
    assert.equal(run.code, 2);
    assert.match(run.err, /manifest\.json is missing/);
  });

  it('refuses a run without exactly one baseline, and a non-empty folder that is not a pack', async () => {
    let run = await runCli(['pack', webApp, '-o', join(work, 'x'), '--no-save'], { cwd: work });
    assert.equal(run.code, 2);
    assert.match(run.err, /exactly one --baseline/);
    const busy = join(work, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    run = await runCli(
      ['pack', webApp, '--baseline', 'ism-protected', '-o', busy, '--no-save', '--no-pdf', '-q'],
      {
        cwd: work,
      },
    );
    assert.equal(run.code, 2);
    assert.match(run.err, /not empty and holds no pack/);
    assert.equal(readFileSync(join(busy, 'keep.txt'), 'utf8'), 'mine');
  });
});
