/**
 * Shared parts of the OSCAL reports (assessment results and POA&M): name-based UUIDs, props
 * in assay's namespace, the tool component, subjects as inventory items, findings as
 * observations with evidence links to file and line, and the inputs as back-matter.
 *
 * Every UUID is a v5 UUID of content (what the object is about, never a counter or the
 * clock), so identical runs give identical documents apart from their timestamps, and the
 * same observation keeps its UUID across runs.
 */

import { type BaselineInput, buildMatrix, citedControls } from '../core/compliance.ts';
import type { Marking } from '../core/marking.ts';
import type { Assessment, ComplianceMatrix, Finding, Severity } from '../core/model.ts';
import { uuidV5 } from '../core/uuid.ts';
import { LazyJsonArray } from './json-stream.ts';
import { displayPath, sortFindings } from './util.ts';

export const OSCAL_VERSION = '1.1.2';
/** Namespace of assay's own OSCAL props. */
export const ASSAY_NS = 'urn:assay:oscal';

/** JSON data; a LazyJsonArray stands for an array whose elements are made as it is written. */
export type Json =
  | null
  | boolean
  | number
  | string
  | Json[]
  | LazyJsonArray
  | { [key: string]: Json | undefined };
export type JsonObject = { [key: string]: Json | undefined };

export function uuidOf(...parts: string[]): string {
  return uuidV5(parts.join('\u0000'));
}

/** OSCAL's string datatype: one line, no leading or trailing space, never empty. */
export function oscalString(text: string, fallback = '-'): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must go.
  const s = text.replace(/[\u0000-\u001f\u007f\u2028\u2029\s]+/gu, ' ').trim();
  return s === '' ? fallback : s;
}

/** OSCAL's token datatype (an XML NCName); other characters become `_`. */
export function oscalToken(text: string): string {
  const body = text.replace(/[^\p{L}\p{N}._-]/gu, '_');
  return /^[\p{L}_]/u.test(body) ? body : `_${body}`;
}

export function prop(name: string, value: string | number, ns = ASSAY_NS): JsonObject {
  return { name, ns, value: oscalString(String(value)) };
}

/** Drops empty arrays (OSCAL arrays have at least one item) and undefined members. */
export function compact<T extends JsonObject>(o: T): T {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if ((Array.isArray(v) || v instanceof LazyJsonArray) && v.length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

/** The matrices a report speaks to: the run's baselines, or the controls its checks cite. */
export function matricesOf(assessment: Assessment): ComplianceMatrix[] {
  if (assessment.compliance && assessment.compliance.length > 0) return assessment.compliance;
  const cited: BaselineInput = {
    name: 'cited-controls',
    title: 'Controls cited by the checks run',
    controls: citedControls(assessment.checks),
  };
  return [buildMatrix(assessment, cited)];
}

export function metadata(assessment: Assessment, title: string): JsonObject {
  return {
    title,
    'last-modified': assessment.finishedAt,
    version: assessment.id,
    'oscal-version': OSCAL_VERSION,
    props: [
      prop('tool', `assay ${assessment.tool.version}`),
      prop('assessment-id', assessment.id),
      prop('domain', assessment.domain),
      ...markingProps(assessment.marking),
    ],
  };
}

/**
 * The protective marking as metadata props in assay's namespace (docs/formats/oscal.md): the whole
 * marking as shown on the pages, then its classification, caveats and information management markers.
 */
export function markingProps(marking: Marking | undefined): JsonObject[] {
  if (!marking) return [];
  return [
    prop('marking', marking.text),
    ...(marking.classification ? [prop('marking-classification', marking.classification)] : []),
    ...(marking.caveats ?? []).map((c) => prop('marking-caveat', c)),
    ...(marking.imms ?? []).map((m) => prop('marking-imm', m)),
  ];
}

export function toolComponent(assessment: Assessment): JsonObject {
  return {
    uuid: uuidOf('component', 'assay'),
    type: 'software',
    title: 'assay',
    description: `assay ${assessment.tool.version}: assurance-as-code; static review of infrastructure as code against mapped controls.`,
    props: [prop('version', assessment.tool.version)],
    status: { state: 'operational' },
  };
}

export function subjectUuid(f: Finding): string {
  return uuidOf('subject', f.subject.kind, f.subject.id);
}

/** One inventory item per subject the observations speak of, in first-seen order. */
export function inventoryItems(findings: readonly Finding[]): JsonObject[] {
  const seen = new Map<string, JsonObject>();
  for (const f of findings) {
    const uuid = subjectUuid(f);
    if (seen.has(uuid)) continue;
    seen.set(uuid, {
      uuid,
      description: `${f.subject.type} ${f.subject.name}`,
      props: [
        prop('subject-id', f.subject.id),
        prop('subject-name', f.subject.name),
        prop('subject-type', f.subject.type),
        prop('subject-kind', f.subject.kind),
      ],
    });
  }
  return [...seen.values()];
}

/** A link a person can open: the file relative to the scan root, with a `#L<line>` anchor. */
export function evidenceHref(f: Finding): string {
  const path = encodeURI(displayPath(f.location.file)).replace(/[?#]/g, (c) => encodeURIComponent(c));
  return f.location.line > 0 ? `${path}#L${f.location.line}` : path;
}

/** Stable observation UUIDs: the check, subject and place; a repeat at the same place gets `#n`. */
export function observationIds(findings: readonly Finding[]): Map<Finding, string> {
  const ids = new Map<Finding, string>();
  const used = new Map<string, number>();
  for (const f of sortFindings(findings)) {
    const key = [f.checkId, f.subject.id, f.location.file, f.location.line, f.location.column].join('|');
    const n = (used.get(key) ?? 0) + 1;
    used.set(key, n);
    ids.set(f, uuidOf('observation', key, n > 1 ? `#${n}` : ''));
  }
  return ids;
}

export function observation(assessment: Assessment, f: Finding, uuid: string): JsonObject {
  const loc = `${displayPath(f.location.file)}:${f.location.line}:${f.location.column}`;
  const props = [prop('check-id', f.checkId), prop('status', f.status), prop('severity', f.severity)];
  if (f.originalStatus) props.push(prop('original-status', f.originalStatus));
  if (f.waiver) props.push(prop('waiver-id', f.waiver.id));
  for (const c of f.controls) props.push(prop('control-id', c));
  const remarks: string[] = [];
  const reason = f.evidence?.reason;
  if (f.status === 'unknown' && typeof reason === 'string') remarks.push(`Undecided: ${reason}`);
  if (f.waiver)
    remarks.push(
      `${f.waiver.expired ? 'Expired waiver' : 'Waived by'} ${f.waiver.id} (${f.waiver.source}): ${f.waiver.justification}`,
    );
  return compact({
    uuid,
    title: `${f.checkId}: ${f.title}`,
    description: f.message || f.title,
    props,
    methods: ['EXAMINE'],
    types: [f.status === 'fail' ? 'finding' : 'control-objective'],
    origins: [{ actors: [{ type: 'tool', 'actor-uuid': uuidOf('component', 'assay') }] }],
    subjects: [
      { 'subject-uuid': subjectUuid(f), type: 'inventory-item', title: f.subject.name || f.subject.id },
    ],
    'relevant-evidence': [
      { href: evidenceHref(f), description: `${f.subject.name || f.subject.id} at ${loc}` },
    ],
    collected: assessment.finishedAt,
    remarks: remarks.length > 0 ? remarks.join('\n\n') : undefined,
  });
}

/** The inputs read, with their hashes, so a reader can tell the evidence has not changed. */
export function inputResources(assessment: Assessment): JsonObject[] {
  return assessment.inputs.map((input) => ({
    uuid: uuidOf('input', input.file, input.sha256),
    title: displayPath(input.file),
    props: [prop('input-kind', input.kind)],
    rlinks: [
      {
        href: encodeURI(displayPath(input.file)),
        'media-type': 'application/json',
        hashes: [{ algorithm: 'SHA-256', value: input.sha256 }],
      },
    ],
  }));
}

/** Days from the assessment to a remediation deadline, by the highest severity that failed. */
export const REMEDIATION_DAYS: Record<Severity, number> = {
  critical: 14,
  high: 30,
  medium: 90,
  low: 180,
  info: 365,
};

export function addDays(iso: string, days: number): string {
  const d = new Date(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString();
}
