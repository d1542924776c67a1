/**
 * Templates and parameter files as Windows PowerShell writes them (`Out-File`: UTF-16LE with
 * a byte order mark) are decoded; bytes that cannot be decoded are an input error that says so.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { azureChecks } from '../../src/azure/checks/index.ts';
import { scanAzure } from '../../src/azure/scan.ts';
import { decodeBytes, sniffEncoding } from '../../src/core/text-encoding.ts';
import { readInputLines } from '../../src/server/source.ts';
import { PARAMETERS_SCHEMA, templateText } from '../helpers/arm.ts';

const work = mkdtempSync(join(tmpdir(), 'assay-template-encoding-'));
after(() => rmSync(work, { recursive: true, force: true }));
const httpsCheck = azureChecks.filter((c) => c.meta.id === 'AZ-STORAGE-001');

/** A storage account whose HTTPS-only setting comes from parameter `https`, with CRLF line ends. */
function storageTemplate(): string {
  const account = {
    type: 'Microsoft.Storage/storageAccounts',
    apiVersion: '2023-01-01',
    name: 'sécurité',
    location: 'australiaeast',
    kind: 'StorageV2',
    sku: { name: 'Standard_LRS' },
    properties: { supportsHttpsTrafficOnly: "[parameters('https')]" },
  };
  return templateText([account], { parameters: { https: { type: 'bool' } } }).replace(/\n/g, '\r\n');
}

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]);
};

describe('template text encodings', () => {
  it('scans a UTF-16LE template and parameter file, with findings on the right line', async () => {
    const dir = join(work, 'utf16');
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.json'), utf16le(storageTemplate()));
    const params = JSON.stringify({
      $schema: PARAMETERS_SCHEMA,
      contentVersion: '1.0.0.0',
      parameters: { https: { value: false } },
    });
    writeFileSync(join(dir, 'main.parameters.json'), utf16le(params));
    const { assessment } = await scanAzure([dir], { checks: httpsCheck, root: dir });
    assert.deepEqual(assessment.errors, []);
    const failed = assessment.findings.filter((f) => f.status === 'fail');
    assert.equal(failed.length, 1, 'the parameter file set https to false');
    assert.equal(failed[0].location?.file, 'main.json');
    // The source view decodes the same way and sees the file unchanged (its bytes are hashed).
    const view = readInputLines(assessment, 'main.json');
    assert.ok('lines' in view);
    assert.equal(view.unchanged, true);
    assert.match(
      view.lines[(failed[0].location?.line ?? 0) - 1] ?? '',
      /supportsHttpsTrafficOnly|sécurité|Storage/,
    );
  });

  it('reports a file that starts as UTF-16 but cannot be decoded, and still scans the good one', async () => {
    const dir = join(work, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'good.json'), storageTemplate());
    // A byte order mark and then an odd number of bytes: not UTF-16.
    writeFileSync(join(dir, 'bad.json'), Buffer.concat([utf16le('{"a": 1}'), Buffer.from([0x7d])]));
    const { assessment } = await scanAzure([dir], { checks: httpsCheck, root: dir });
    const bad = assessment.errors.find((e) => e.file === 'bad.json');
    assert.ok(bad, 'bad.json is an input error');
    assert.equal(bad.code, 'encoding');
    assert.match(bad.message, /not valid utf-16le.*cannot be decoded/);
    assert.ok(assessment.findings.some((f) => f.location?.file === 'good.json'));
  });

  it('decodes by byte order mark or NUL pattern, else UTF-8, else windows-1252 with a note', () => {
    const text = '{"name": "Zürich"}';
    assert.equal(decodeBytes(utf16le(text)).text, text);
    assert.equal(decodeBytes(utf16be(text)).text, text);
    assert.equal(decodeBytes(Buffer.from(`\ufeff${text}`)).text, text);
    const bare = decodeBytes(Buffer.from(text, 'utf16le'));
    assert.deepEqual([bare.text, bare.source], [text, 'nul-pattern']);
    assert.equal(decodeBytes(Buffer.from(text)).note, undefined);
    const latin = decodeBytes(Buffer.from(text, 'latin1'));
    assert.deepEqual([latin.text, latin.encoding], [text, 'windows-1252']);
    assert.match(latin.note ?? '', /not valid UTF-8/);
    assert.equal(sniffEncoding(Buffer.from('plain ascii text here')), undefined);
  });
});
