/**
 * SARIF 2.1.0 (OASIS Standard, errata 01) for code-scanning services. One run; rules from
 * the assessment's checks; results for every finding that is not a pass or not applicable, and
 * for every template fault (rule `assay/template-fault`, level error). Input errors are tool
 * notifications. Mapping decisions: docs/formats/sarif.md.
 */
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { faultsOf } from '../core/assessment.ts';
import type { Assessment, CheckMeta, Finding, Severity, Status, TemplateFault } from '../core/model.ts';
import type { RenderOptions } from './index.ts';
import { jsonChunks } from './json-stream.ts';
import { displayPath, messageWithReason, sortFindings, waiverOf } from './util.ts';

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
/** The key under `partialFingerprints`; bump the version if what is hashed changes. */
export const FINGERPRINT_KEY = 'assayFindingHash/v1';

type Level = 'none' | 'note' | 'warning' | 'error';
type Kind = 'fail' | 'review';

/** GitHub code scanning reads `security-severity` (0.0-10.0) to rank security alerts. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export function levelFor(severity: Severity): Level {
  switch (severity) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    default:
      return 'note';
  }
}

// Loose structural types: the official schema is what validates the output.
type SarifObject = Record<string, unknown>;

function text(t: string): { text: string } {
  return { text: t };
}

/** `Storage accounts require HTTPS` -> `StorageAccountsRequireHttps`: SARIF's readable rule name. */
export function ruleName(meta: Pick<CheckMeta, 'id' | 'title'>): string {
  const words = meta.title.match(/[A-Za-z0-9]+/g) ?? [];
  const name = words.map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('');
  return name || meta.id.replace(/[^A-Za-z0-9]/g, '');
}

function controlsLine(meta: CheckMeta): string {
  const parts: string[] = [];
  if (meta.controls.length > 0) parts.push(`Controls: ${meta.controls.join(', ')}`);
  if (meta.essentialEight && meta.essentialEight.length > 0) {
    parts.push(`Essential Eight: ${meta.essentialEight.join(', ')}`);
  }
  return parts.join('. ');
}

function helpText(meta: CheckMeta): string {
  const lines = [meta.rationale.trim(), '', `Remediation: ${meta.remediation.trim()}`];
  const controls = controlsLine(meta);
  if (controls) lines.push('', controls);
  if (meta.references && meta.references.length > 0)
    lines.push('', `References: ${meta.references.join(' ')}`);
  return lines.join('\n');
}

function helpMarkdown(meta: CheckMeta): string {
  const lines = [
    `**${meta.id}: ${meta.title}** (severity ${meta.severity})`,
    '',
    meta.rationale.trim(),
    '',
    '## Remediation',
    '',
    meta.remediation.trim(),
  ];
  if (meta.controls.length > 0) {
    lines.push('', '## Controls', '', ...meta.controls.map((c) => `- \`${c}\``));
  }
  if (meta.essentialEight && meta.essentialEight.length > 0) {
    lines.push('', '## Essential Eight', '', ...meta.essentialEight.map((c) => `- \`${c}\``));
  }
  if (meta.references && meta.references.length > 0) {
    lines.push('', '## References', '', ...meta.references.map((r) => `- <${r}>`));
  }
  return lines.join('\n');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function rule(meta: CheckMeta, options: RenderOptions): SarifObject {
  const r: SarifObject = {
    id: meta.id,
    name: ruleName(meta),
    shortDescription: text(meta.title),
    fullDescription: text(meta.rationale),
    defaultConfiguration: { level: levelFor(meta.severity) },
    help: { text: helpText(meta), markdown: helpMarkdown(meta) },
    properties: {
      tags: unique(['security', ...(meta.tags ?? []), ...meta.controls]),
      'security-severity': SECURITY_SEVERITY[meta.severity] ?? '0.0',
      severity: meta.severity,
      controls: meta.controls,
      ...(meta.essentialEight && meta.essentialEight.length > 0
        ? { essentialEight: meta.essentialEight }
        : {}),
      subjectKind: meta.subjectKind,
      subjectTypes: meta.subjectTypes,
    },
  };
  if (options.helpUri) r.helpUri = options.helpUri.replaceAll('{checkId}', encodeURIComponent(meta.id));
  else if (options.helpBaseUri) r.helpUri = `${options.helpBaseUri}${encodeURIComponent(meta.id)}.md`;
  return r;
}

/** The rule of template faults: expressions ARM refuses at deployment, decided from known values. */
export const TEMPLATE_FAULT_RULE = 'assay/template-fault';

const TEMPLATE_FAULT_META: CheckMeta = {
  id: TEMPLATE_FAULT_RULE,
  title: 'Template fault: Azure Resource Manager refuses this deployment',
  severity: 'high',
  rationale:
    'An expression evaluated from known values fails as Azure Resource Manager evaluates it (a division by zero, an array index out of range): the deployment fails. The value it sets is assessed as unknown.',
  remediation:
    'Fix the expression so that it can be evaluated: a non-zero divisor, an index within the array.',
  controls: [],
  subjectKind: 'template',
  subjectTypes: [],
  tags: ['template-fault'],
};

/** A template fault as a result of its rule; the fingerprint leaves the line out, as findings' do. */
function faultResult(e: TemplateFault, index: number, occurrence: number): SarifObject {
  const key = [TEMPLATE_FAULT_RULE, e.code, displayPath(e.file), e.message].join('\u0000');
  const hash = createHash('sha256')
    .update(occurrence === 0 ? key : `${key}\u0000${occurrence}`)
    .digest('hex');
  return {
    ruleId: TEMPLATE_FAULT_RULE,
    ruleIndex: index,
    kind: 'fail',
    level: 'error',
    message: text(`${e.code}: ${e.message}`),
    locations: [{ physicalLocation: physicalLocation(e) }],
    partialFingerprints: { [FINGERPRINT_KEY]: hash.slice(0, 32) },
    properties: { code: e.code },
  };
}

/** A rule for a finding whose check is missing from `assessment.checks`, so every result still has one. */
function fallbackMeta(f: Finding): CheckMeta {
  return {
    id: f.checkId,
    title: f.title || f.checkId,
    severity: f.severity,
    rationale: f.title || f.checkId,
    remediation: 'See the check documentation.',
    controls: f.controls,
    subjectKind: f.subject.kind,
    subjectTypes: [],
  };
}

/** A relative path as a URI reference under %SRCROOT%, or a file: URI for an absolute path. */
export function artifactLocation(file: string): SarifObject {
  if (isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file)) return { uri: pathToFileURL(file).href };
  const uri = displayPath(file)
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return { uri, uriBaseId: SRCROOT };
}

function physicalLocation(loc: { file: string; line?: number; column?: number }): SarifObject {
  const physical: SarifObject = { artifactLocation: artifactLocation(loc.file) };
  if (loc.line && loc.line >= 1) {
    const region: SarifObject = { startLine: Math.floor(loc.line) };
    if (loc.column && loc.column >= 1) region.startColumn = Math.floor(loc.column);
    physical.region = region;
  }
  return physical;
}

/** Stable across runs and line edits: check, subject and file, plus an ordinal for repeats. */
export function fingerprint(f: Finding, occurrence: number): string {
  const key = [f.checkId, f.subject.id, displayPath(f.location.file)].join('\u0000');
  const hash = createHash('sha256')
    .update(occurrence === 0 ? key : `${key}\u0000${occurrence}`)
    .digest('hex');
  return hash.slice(0, 32);
}

function effectiveStatus(f: Finding): Status {
  return f.status === 'waived' ? (f.originalStatus ?? 'fail') : f.status;
}

/** Which findings become results: failures, unknowns, errors, and waived ones of those. */
export function isReported(f: Finding): boolean {
  const s = effectiveStatus(f);
  return s === 'fail' || s === 'unknown' || s === 'error';
}

function kindAndLevel(f: Finding): { kind: Kind; level: Level } {
  // SARIF §3.27.10: when kind is not `fail`, level SHALL be `none`.
  return effectiveStatus(f) === 'fail'
    ? { kind: 'fail', level: levelFor(f.severity) }
    : { kind: 'review', level: 'none' };
}

function resultMessage(f: Finding): string {
  const s = effectiveStatus(f);
  const subject = f.subject.name || f.subject.id;
  if (s === 'unknown') return `${subject}: cannot decide: ${messageWithReason({ ...f, status: 'unknown' })}`;
  if (s === 'error') return `${subject}: the check could not run: ${f.message}`;
  return `${subject}: ${f.message}`;
}

function toolTimestamp(value: string): string | undefined {
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export function buildSarif(assessment: Assessment, options: RenderOptions): SarifObject {
  const metas: CheckMeta[] = [...assessment.checks];
  const ruleIndex = new Map<string, number>();
  metas.forEach((m, i) => {
    if (!ruleIndex.has(m.id)) ruleIndex.set(m.id, i);
  });
  const findings = sortFindings(assessment.findings.filter(isReported));
  for (const f of findings) {
    if (!ruleIndex.has(f.checkId)) {
      ruleIndex.set(f.checkId, metas.length);
      metas.push(fallbackMeta(f));
    }
  }

  const occurrences = new Map<string, number>();
  const results = findings.map((f) => {
    const index = ruleIndex.get(f.checkId) ?? -1;
    const { kind, level } = kindAndLevel(f);
    const key = `${f.checkId}\u0000${f.subject.id}\u0000${displayPath(f.location.file)}`;
    const seen = occurrences.get(key) ?? 0;
    occurrences.set(key, seen + 1);
    const result: SarifObject = {
      ruleId: f.checkId,
      ruleIndex: index,
      kind,
      level,
      message: text(resultMessage(f)),
      locations: [{ physicalLocation: physicalLocation(f.location) }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f, seen) },
      properties: {
        status: f.status,
        ...(f.originalStatus ? { originalStatus: f.originalStatus } : {}),
        severity: f.severity,
        subject: { id: f.subject.id, name: f.subject.name, type: f.subject.type, kind: f.subject.kind },
        controls: f.controls,
        ...(f.evidence ? { evidence: f.evidence } : {}),
      },
    };
    if (f.status === 'waived') {
      const waiver = waiverOf(f) ?? {};
      const suppression: SarifObject = { kind: 'external', status: 'accepted' };
      if (waiver.justification) suppression.justification = waiver.justification;
      const props: SarifObject = {};
      if (waiver.id) props.waiverId = waiver.id;
      if (waiver.expires) props.expires = waiver.expires;
      if (waiver.approvedBy) props.approvedBy = waiver.approvedBy;
      if (Object.keys(props).length > 0) suppression.properties = props;
      result.suppressions = [suppression];
    }
    return result;
  });

  const faults = faultsOf(assessment);
  if (faults.length > 0) {
    const index = metas.length;
    metas.push(TEMPLATE_FAULT_META);
    const seenFaults = new Map<string, number>();
    for (const e of faults) {
      const key = `${e.code}\u0000${displayPath(e.file)}\u0000${e.message}`;
      const seen = seenFaults.get(key) ?? 0;
      seenFaults.set(key, seen + 1);
      results.push(faultResult(e, index, seen));
    }
  }

  const notifications: SarifObject[] = [];
  for (const e of assessment.errors) {
    notifications.push({
      level: 'error',
      message: text(`${displayPath(e.file)}${e.line ? `:${e.line}` : ''}: ${e.message}`),
      descriptor: { id: e.code },
      locations: [{ physicalLocation: physicalLocation(e) }],
    });
  }
  for (const f of findings) {
    if (f.status !== 'error') continue;
    notifications.push({
      level: 'error',
      message: text(`check ${f.checkId} failed on ${f.subject.name || f.subject.id}: ${f.message}`),
      associatedRule: { id: f.checkId, index: ruleIndex.get(f.checkId) ?? -1 },
      locations: [{ physicalLocation: physicalLocation(f.location) }],
    });
  }
  for (const n of assessment.notes) {
    notifications.push({
      level: n.level === 'warning' ? 'warning' : 'note',
      message: text(`${displayPath(n.file)}${n.line ? `:${n.line}` : ''}: ${n.message}`),
      locations: [{ physicalLocation: physicalLocation(n) }],
    });
  }

  // "Did assay run": input errors and checks that could not run say no; a template fault is a
  // result about the template, read and evaluated in full, so it leaves this true.
  const invocation: SarifObject = {
    executionSuccessful: assessment.errors.length === 0 && !findings.some((f) => f.status === 'error'),
  };
  const start = toolTimestamp(assessment.startedAt);
  const end = toolTimestamp(assessment.finishedAt);
  if (start) invocation.startTimeUtc = start;
  if (end) invocation.endTimeUtc = end;
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications;

  const driver: SarifObject = {
    name: 'assay',
    version: assessment.tool.version,
    ...(/^\d+\.\d+\.\d+(?:[-+].*)?$/.test(assessment.tool.version)
      ? { semanticVersion: assessment.tool.version }
      : {}),
    ...(options.informationUri ? { informationUri: options.informationUri } : {}),
    rules: metas.map((m) => rule(m, options)),
  };

  const run: SarifObject = {
    tool: { driver },
    // Code scanning keeps one analysis per category (the part before the last '/'): one per kind of run.
    automationDetails: { id: `assay/${assessment.scope?.kind ?? assessment.domain}/${assessment.id}` },
    invocations: [invocation],
    columnKind: 'utf16CodeUnits',
    results,
    properties: {
      assessmentId: assessment.id,
      domain: assessment.domain,
      summary: assessment.summary,
    },
  };
  if (assessment.root && isAbsolute(assessment.root)) {
    const href = pathToFileURL(assessment.root).href;
    run.originalUriBaseIds = {
      [SRCROOT]: { uri: href.endsWith('/') ? href : `${href}/` },
    };
  }
  if (assessment.inputs.length > 0) {
    run.artifacts = assessment.inputs.map((input) => ({
      location: artifactLocation(input.file),
      roles: ['analysisTarget'],
      ...(/^[0-9a-f]{64}$/i.test(input.sha256) ? { hashes: { 'sha-256': input.sha256.toLowerCase() } } : {}),
      properties: { kind: input.kind },
    }));
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [run],
  };
}

export function renderSarif(assessment: Assessment, options: RenderOptions): string {
  return [...sarifPieces(assessment, options)].join('');
}

/** The SARIF log as pieces, for writing a large one without one string. */
export function* sarifPieces(assessment: Assessment, options: RenderOptions): Generator<string> {
  yield* jsonChunks(buildSarif(assessment, options), 2);
  yield '\n';
}
