/**
 * The New Zealand Information Security Manual as an OSCAL catalog. GCSB publishes the NZISM
 * as XML, not OSCAL: chapter > section > subsection > block > paragraph elements, each with a
 * `title`; a control is a paragraph carrying a CID (its stable id across versions), a
 * compliance level (Must, Should, Must Not, Should Not) and the classifications it applies to,
 * its text as HTML in CDATA. Attribute names vary between releases (`cid`/`CID`,
 * `compliance`/`compliances`, `classification`/`classifications`); all are read.
 *
 * Controls become `nzism-<CID>` (class `NZISM-control`) with the paragraph number as `label`
 * and the rest as props in the assay NZISM namespace.
 */

import { createHash } from 'node:crypto';
import { appendAll } from '../core/extent.ts';
import { uuidV5 } from '../core/uuid.ts';
import { CatalogError } from './catalog.ts';
import { decodeEntities, parseXml, textOf, type XmlElement, XmlError } from './xml.ts';

export const NZISM_NS = 'urn:assay:nzism';

export interface NzismOptions {
  /** Catalog version; default: the root's `version` attribute, else `V.3.6`-style text in the file name. */
  version?: string;
  /** `metadata.last-modified` (ISO 8601); default now. */
  now?: string;
}

interface OscalPropOut {
  name: string;
  value: string;
  ns?: string;
}

interface ControlOut {
  id: string;
  class: string;
  title: string;
  props: OscalPropOut[];
  parts?: { id: string; name: string; prose: string }[];
}

interface GroupOut {
  title: string;
  groups?: GroupOut[];
  controls?: ControlOut[];
}

/** HTML paragraph text as plain text: block ends become line breaks, tags go, entities decode. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|li|tr|h[1-6]|div)>/gi, '\n')
    .replace(/<li(?:\s[^<>]*)?>/gi, '- ')
    .replace(/<[^<>]*>/g, '');
  return decodeEntities(text, true)
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}

function attr(el: XmlElement, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = el.attrs[n];
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

function versionFrom(root: XmlElement, file: string): string {
  const own = attr(root, 'version');
  if (own) return own;
  const m = /v\.?\s*(\d+(?:\.\d+)+)/i.exec(file.split(/[\\/]/).pop() ?? '');
  return m ? m[1] : 'unknown';
}

/**
 * Converts NZISM XML to an OSCAL catalog document (JSON). Problems name the file and line:
 * malformed XML, a control paragraph without a number, a CID that is not a number or repeats.
 */
export function nzismToOscal(xml: string, file: string, options: NzismOptions = {}): Record<string, unknown> {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (err) {
    if (err instanceof XmlError)
      throw new CatalogError(file, `invalid XML: ${err.message}`, undefined, err.line);
    throw err;
  }
  const seen = new Map<string, number>();
  let count = 0;

  const toControl = (p: XmlElement, block: string | undefined): ControlOut => {
    const cid = attr(p, 'cid') as string;
    if (!/^\d+$/.test(cid)) throw new CatalogError(file, `CID '${cid}' is not a number`, undefined, p.line);
    if (seen.has(cid))
      throw new CatalogError(
        file,
        `CID ${cid} repeats the paragraph at line ${seen.get(cid)}`,
        undefined,
        p.line,
      );
    seen.set(cid, p.line);
    const label = attr(p, 'title')?.replace(/\.$/, '');
    if (!label)
      throw new CatalogError(
        file,
        `the paragraph with CID ${cid} has no title (paragraph number)`,
        undefined,
        p.line,
      );
    const topic = block?.replace(/^[\d.]+\s*/, '').trim();
    const props: OscalPropOut[] = [
      { name: 'label', value: label },
      { name: 'cid', ns: NZISM_NS, value: cid },
    ];
    const compliance = attr(p, 'compliance', 'compliances');
    if (compliance) props.push({ name: 'compliance', ns: NZISM_NS, value: compliance });
    for (const c of (attr(p, 'classification', 'classifications') ?? '').split(',')) {
      if (c.trim() !== '') props.push({ name: 'classification', ns: NZISM_NS, value: c.trim() });
    }
    const control: ControlOut = {
      id: `nzism-${cid}`,
      class: 'NZISM-control',
      title: topic ? `${label} ${topic}` : label,
      props,
    };
    const prose = htmlToText(textOf(p));
    if (prose !== '') control.parts = [{ id: `nzism-${cid}_smt`, name: 'statement', prose }];
    count++;
    return control;
  };

  /** Control paragraphs under an element, in document order, with the nearest block title. */
  const collect = (el: XmlElement, block: string | undefined, into: ControlOut[]): void => {
    for (const child of el.children) {
      if (typeof child === 'string') continue;
      const name = child.name.toLowerCase();
      if (name === 'chapter' || name === 'section') continue;
      if (name === 'paragraph' && attr(child, 'cid') !== undefined) into.push(toControl(child, block));
      else collect(child, name === 'block' ? (attr(child, 'title') ?? block) : block, into);
    }
  };

  /** Chapters and sections become groups; anything else is walked for controls. */
  const groupsOf = (el: XmlElement): GroupOut[] => {
    const out: GroupOut[] = [];
    for (const child of el.children) {
      if (typeof child === 'string') continue;
      const name = child.name.toLowerCase();
      if (name === 'chapter' || name === 'section') {
        const g: GroupOut = { title: attr(child, 'title') ?? name };
        const controls: ControlOut[] = [];
        collect(child, undefined, controls);
        if (controls.length > 0) g.controls = controls;
        const sub = groupsOf(child);
        if (sub.length > 0) g.groups = sub;
        if (g.controls || g.groups) out.push(g);
      } else appendAll(out, groupsOf(child));
    }
    return out;
  };

  const loose: ControlOut[] = [];
  if (!['chapter', 'section'].includes(root.name.toLowerCase())) collect(root, undefined, loose);
  const groups =
    root.name.toLowerCase() === 'chapter' || root.name.toLowerCase() === 'section'
      ? groupsOf({ ...root, name: '#wrapper', children: [root] })
      : groupsOf(root);
  if (count === 0)
    throw new CatalogError(
      file,
      'no NZISM controls found: expected <paragraph> elements with a CID attribute',
      undefined,
      root.line,
    );

  const catalog: Record<string, unknown> = {
    uuid: uuidV5(`nzism-catalog:${createHash('sha256').update(xml).digest('hex')}`),
    metadata: {
      title: attr(root, 'title') ?? 'New Zealand Information Security Manual',
      'last-modified': options.now ?? new Date().toISOString(),
      version: options.version ?? versionFrom(root, file),
      'oscal-version': '1.1.2',
      remarks: 'Converted by assay from the GCSB NZISM XML export.',
    },
  };
  if (loose.length > 0) catalog.controls = loose;
  if (groups.length > 0) catalog.groups = groups;
  return { catalog };
}
