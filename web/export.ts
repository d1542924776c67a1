/**
 * The explorer's exports of the findings on screen (every page of the current filter, in
 * its order): CSV through the one cell writer (quoted, formulas neutralised) and SARIF 2.1.0.
 * The SARIF writer of `assay scan -f sarif` (src/report/sarif.ts) needs Node (hashing and
 * paths), so this is a small browser-side one that shapes rules and results the same way
 * (rule per check, `security-severity`, kind and level, waivers as suppressions, the same
 * partial fingerprint when the page can hash); unlike the CLI's, it keeps every finding of
 * the view, passes included, each with its SARIF kind.
 */
import type { CheckMeta, Finding, Status } from '../src/core/model.ts';
import { csvRow } from '../src/report/csv-cell.ts';
import { displayPath } from '../src/report/util.ts';
import type { RunMeta } from '../src/server/api-types.ts';

export const CSV_COLUMNS = [
  'check',
  'severity',
  'status',
  'original_status',
  'subject',
  'subject_id',
  'subject_type',
  'file',
  'line',
  'column',
  'controls',
  'message',
  'waiver',
] as const;

/** The findings as CSV (CRLF line ends, a header row). */
export function findingsCsv(findings: readonly Finding[]): string {
  const lines = [csvRow(CSV_COLUMNS)];
  for (const f of findings)
    lines.push(
      csvRow([
        f.checkId,
        f.severity,
        f.status,
        f.originalStatus,
        f.subject.name,
        f.subject.id,
        f.subject.type,
        displayPath(f.location.file),
        f.location.line,
        f.location.column,
        f.controls.join(' '),
        f.message,
        f.waiver?.id,
      ]),
    );
  return `${lines.join('\r\n')}\r\n`;
}

const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';
const FINGERPRINT_KEY = 'assayFindingHash/v1';
const SECURITY_SEVERITY: Record<string, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

type SarifObject = Record<string, unknown>;

const levelFor = (severity: string) =>
  severity === 'critical' || severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';

function effective(f: Finding): Status {
  return f.status === 'waived' ? (f.originalStatus ?? 'fail') : f.status;
}

/** SARIF §3.27.9-10: only a `fail` result has a level other than `none`. */
function kindAndLevel(f: Finding): { kind: string; level: string } {
  const s = effective(f);
  if (s === 'fail') return { kind: 'fail', level: levelFor(f.severity) };
  if (s === 'pass') return { kind: 'pass', level: 'none' };
  if (s === 'not-applicable') return { kind: 'notApplicable', level: 'none' };
  return { kind: 'review', level: 'none' };
}

function artifactLocation(file: string): SarifObject {
  const path = displayPath(file);
  const encoded = path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  if (path.startsWith('/')) return { uri: `file://${encoded}` };
  if (/^[A-Za-z]:\//.test(path))
    return { uri: `file:///${path.slice(0, 2)}${encoded.slice(path.indexOf('/'))}` };
  return { uri: encoded, uriBaseId: SRCROOT };
}

function rule(meta: CheckMeta): SarifObject {
  return {
    id: meta.id,
    shortDescription: { text: meta.title || meta.id },
    fullDescription: { text: meta.rationale || meta.title || meta.id },
    defaultConfiguration: { level: levelFor(meta.severity) },
    help: { text: `${meta.rationale}\n\nRemediation: ${meta.remediation}`.trim() },
    properties: {
      tags: [...new Set(['security', ...(meta.tags ?? []), ...meta.controls])],
      'security-severity': SECURITY_SEVERITY[meta.severity] ?? '0.0',
      severity: meta.severity,
      controls: meta.controls,
    },
  };
}

/** The hex SHA-256 of text, or undefined where the page has no Web Crypto (plain http from another host). */
async function sha256Hex(text: string): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The findings as one SARIF 2.1.0 log of one run. */
export async function findingsSarif(meta: RunMeta, findings: readonly Finding[]): Promise<SarifObject> {
  const known = new Map(meta.checks.map((c) => [c.id, c]));
  const rules: SarifObject[] = [];
  const ruleIndex = new Map<string, number>();
  const occurrences = new Map<string, number>();
  const results: SarifObject[] = [];
  for (const f of findings) {
    let index = ruleIndex.get(f.checkId);
    if (index === undefined) {
      const check: CheckMeta = known.get(f.checkId) ?? {
        id: f.checkId,
        title: f.title || f.checkId,
        severity: f.severity,
        rationale: f.title || f.checkId,
        remediation: 'See the check documentation.',
        controls: f.controls,
        subjectKind: f.subject.kind,
        subjectTypes: [],
      };
      index = rules.push(rule(check)) - 1;
      ruleIndex.set(f.checkId, index);
    }
    const { kind, level } = kindAndLevel(f);
    const key = [f.checkId, f.subject.id, displayPath(f.location.file)].join('\u0000');
    const seen = occurrences.get(key) ?? 0;
    occurrences.set(key, seen + 1);
    const hash = await sha256Hex(seen === 0 ? key : `${key}\u0000${seen}`);
    const physical: SarifObject = { artifactLocation: artifactLocation(f.location.file) };
    if (f.location.line >= 1) {
      physical.region = {
        startLine: Math.floor(f.location.line),
        ...(f.location.column >= 1 ? { startColumn: Math.floor(f.location.column) } : {}),
      };
    }
    const result: SarifObject = {
      ruleId: f.checkId,
      ruleIndex: index,
      kind,
      level,
      message: { text: `${f.subject.name || f.subject.id}: ${f.message}` },
      locations: [{ physicalLocation: physical }],
      ...(hash ? { partialFingerprints: { [FINGERPRINT_KEY]: hash.slice(0, 32) } } : {}),
      properties: {
        status: f.status,
        ...(f.originalStatus ? { originalStatus: f.originalStatus } : {}),
        severity: f.severity,
        subject: f.subject,
        controls: f.controls,
      },
    };
    if (f.status === 'waived') {
      const suppression: SarifObject = { kind: 'external', status: 'accepted' };
      if (f.waiver?.justification) suppression.justification = f.waiver.justification;
      result.suppressions = [suppression];
    }
    results.push(result);
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'assay', version: meta.tool.version, rules } },
        automationDetails: { id: `assay/${meta.scope?.kind ?? meta.domain}/${meta.id}` },
        columnKind: 'utf16CodeUnits',
        results,
        properties: { assessmentId: meta.id, domain: meta.domain, run: meta.run },
      },
    ],
  };
}

/** Offers text as a file download (a Blob URL: no network, allowed by the report's CSP). */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
