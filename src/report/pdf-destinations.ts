/**
 * Which page each named destination of a PDF that Chromium printed lands on. Chromium writes
 * an element id that a link points at as a named destination (the catalog's `/Dests`
 * dictionary: `/id [pageRef /XYZ x y 0]`); the page tree gives each page reference its number.
 * Enough of the format for Skia's output, not a general PDF reader: only dictionary objects are
 * read, never stream contents.
 */

/** The dictionary text of object `n` (up to its `stream` or `endobj`), or undefined. */
function objectDict(text: string, offsets: Map<number, number>, n: number): string | undefined {
  const at = offsets.get(n);
  if (at === undefined) return undefined;
  const end = text.indexOf('endobj', at);
  const stream = text.indexOf('stream', at);
  return text.slice(at, stream >= 0 && stream < end ? stream : end);
}

/** Start offsets of every `N 0 obj`: the last one wins, as in an incrementally updated file. */
function objectOffsets(text: string): Map<number, number> {
  const offsets = new Map<number, number>();
  const head = /(?:^|[\r\n])(\d{1,9}) 0 obj\b/g;
  for (let m = head.exec(text); m; m = head.exec(text)) offsets.set(Number(m[1]), m.index + m[0].length);
  return offsets;
}

const ref = (dict: string, key: string): number | undefined => {
  const m = new RegExp(`/${key}\\s+(\\d{1,9}) 0 R`).exec(dict);
  return m ? Number(m[1]) : undefined;
};

/** A name token's text: `#xx` escapes decoded (PDF 1.2+). */
const decodeName = (name: string) =>
  name.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

/** Page object numbers in page order, walking nested `/Pages` nodes (depth-limited). */
function pageOrder(text: string, offsets: Map<number, number>, node: number, depth = 0): number[] {
  const dict = objectDict(text, offsets, node);
  if (!dict || depth > 32) return [];
  if (!/\/Type\s*\/Pages\b/.test(dict)) return [node];
  const kids = /\/Kids\s*\[([^\]]*)\]/.exec(dict)?.[1] ?? '';
  return [...kids.matchAll(/(\d{1,9}) 0 R/g)].flatMap((m) =>
    pageOrder(text, offsets, Number(m[1]), depth + 1),
  );
}

/** Destination name -> 1-based page number. Empty when the PDF has no named destinations. */
export function destinationPages(pdf: Buffer): Map<string, number> {
  const text = pdf.toString('latin1');
  const offsets = objectOffsets(text);
  const out = new Map<string, number>();
  const catalogAt = /\/Type\s*\/Catalog\b/.exec(text);
  if (!catalogAt) return out;
  const catalog = text.slice(
    text.lastIndexOf(' 0 obj', catalogAt.index),
    text.indexOf('endobj', catalogAt.index),
  );
  const pagesRoot = ref(catalog, 'Pages');
  const destsRef = ref(catalog, 'Dests');
  if (pagesRoot === undefined || destsRef === undefined) return out;
  const pageNumber = new Map(pageOrder(text, offsets, pagesRoot).map((obj, i) => [obj, i + 1]));
  const dests = objectDict(text, offsets, destsRef) ?? '';
  for (const m of dests.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d{1,9}) 0 R/g)) {
    const page = pageNumber.get(Number(m[2]));
    if (page !== undefined) out.set(decodeName(m[1] as string), page);
  }
  return out;
}
