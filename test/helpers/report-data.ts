/** Reads the data a single-file HTML report embeds, gzipped in base64 or as plain JSON. */
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { COMPRESSED_ENCODING } from '../../src/report/html.ts';

/** The data element's attributes and its text, as written. */
export function dataElement(html: string): { open: string; text: string } {
  const m = /<script([^>]*) id="assay-data"([^>]*)>([^<]*)<\/script>/.exec(html);
  assert.ok(m, 'one data element');
  return { open: `${m[1]}${m[2]}`, text: m[3] as string };
}

/** The embedded data, decoded the way the page decodes it. */
export function embeddedData(html: string): unknown {
  const { open, text } = dataElement(html);
  const json = open.includes(`data-encoding="${COMPRESSED_ENCODING}"`)
    ? gunzipSync(Buffer.from(text, 'base64')).toString('utf8')
    : text;
  return JSON.parse(json);
}
