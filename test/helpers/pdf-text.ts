/**
 * The text of each page of a PDF that Chromium printed, without a PDF library: enough of the
 * format for Skia's output (objects not in object streams, Flate-compressed content streams,
 * Type0 fonts with Identity-H glyph ids and a ToUnicode map). A test reads what each printed
 * page shows, header and footer included. Not a general PDF reader.
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const start = /(\d+) 0 obj\b/g;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    const from = m.index + m[0].length;
    const end = text.indexOf('endobj', from);
    if (end < 0) break;
    const body = text.slice(from, end);
    const at = body.indexOf('stream');
    if (at < 0 || body.lastIndexOf('endstream') < 0) {
      objects.set(Number(m[1]), { dict: body });
    } else {
      let s = from + at + 'stream'.length;
      if (text[s] === '\r') s++;
      if (text[s] === '\n') s++;
      const e = text.lastIndexOf('endstream', end);
      const raw = pdf.subarray(s, e);
      const dict = body.slice(0, at);
      objects.set(Number(m[1]), {
        dict,
        stream: dict.includes('/FlateDecode') ? inflateSync(raw, { finishFlush: 2 }) : raw,
      });
    }
    start.lastIndex = end;
  }
  return objects;
}

const refs = (text: string) => [...text.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));

/** The text between each `begin` and the next `end` keyword. */
function sections(text: string, begin: string, end: string): string[] {
  const out: string[] = [];
  for (let at = text.indexOf(begin); at >= 0; at = text.indexOf(begin, at + 1)) {
    const stop = text.indexOf(end, at);
    if (stop < 0) break;
    out.push(text.slice(at + begin.length, stop));
  }
  return out;
}

/** Glyph id (hex) -> text, from a ToUnicode CMap. */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) =>
    String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const block of sections(cmap, 'beginbfchar', 'endbfchar'))
    for (const [, gid, uni] of block.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      map.set(parseInt(gid as string, 16), utf16(uni as string));
  for (const block of sections(cmap, 'beginbfrange', 'endbfrange'))
    for (const [, a, b, uni] of block.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const from = parseInt(a as string, 16);
      const first = parseInt(uni as string, 16);
      for (let g = from; g <= parseInt(b as string, 16); g++)
        map.set(g, String.fromCharCode(first + g - from));
    }
  return map;
}

/** The text of each page, in page order; runs joined with spaces. */
export function pdfPageTexts(pdf: Buffer): string[] {
  const objects = readObjects(pdf);
  const catalog = [...objects.values()].find((o) => /\/Type\s*\/Catalog\b/.test(o.dict));
  const pagesRef = catalog ? /\/Pages (\d+) 0 R/.exec(catalog.dict)?.[1] : undefined;
  const pageIds: number[] = [];
  const walk = (id: number) => {
    const o = objects.get(id);
    if (!o) return;
    if (/\/Type\s*\/Pages\b/.test(o.dict))
      for (const kid of refs(/\/Kids\s*\[([^\]]*)\]/.exec(o.dict)?.[1] ?? '')) walk(kid);
    else pageIds.push(id);
  };
  if (pagesRef) walk(Number(pagesRef));
  const fonts = new Map<number, Map<number, string>>();
  const fontMap = (id: number) => {
    let map = fonts.get(id);
    if (!map) {
      const uni = /\/ToUnicode (\d+) 0 R/.exec(objects.get(id)?.dict ?? '')?.[1];
      map = toUnicode(objects.get(Number(uni))?.stream?.toString('latin1') ?? '');
      fonts.set(id, map);
    }
    return map;
  };
  return pageIds.map((id) => {
    const page = objects.get(id) as PdfObject;
    let resources = page.dict;
    const resRef = /\/Resources (\d+) 0 R/.exec(page.dict)?.[1];
    if (resRef) resources = objects.get(Number(resRef))?.dict ?? '';
    const fontDict = /\/Font\s*<<([^>]*)>>/.exec(resources)?.[1] ?? '';
    const fontIds = new Map(
      [...fontDict.matchAll(/\/(\w+) (\d+) 0 R/g)].map((m) => [m[1] as string, Number(m[2])]),
    );
    const contents = /\/Contents\s*(\[[^\]]*\]|\d+ 0 R)/.exec(page.dict)?.[1] ?? '';
    const content = refs(contents)
      .map((c) => objects.get(c)?.stream?.toString('latin1') ?? '')
      .join('\n');
    const runs: string[] = [];
    let font = new Map<number, string>();
    // Font selections and hex strings, in order: `/F4 9 Tf` and `<0012001F> Tj` or `[<..> 12 <..>] TJ`.
    for (const m of content.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>/g)) {
      if (m[1] !== undefined) font = fontMap(fontIds.get(m[1]) ?? -1);
      else if (m[2] !== undefined)
        runs.push((m[2].match(/.{4}/g) ?? []).map((g) => font.get(parseInt(g, 16)) ?? '').join(''));
    }
    return runs.join(' ').replace(/\s+/g, ' ').trim();
  });
}

/** Text compared without spaces: a page's runs are split where the printer placed glyphs apart. */
export const squeeze = (text: string) => text.replace(/\s+/g, '');
