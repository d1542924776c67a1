/**
 * OSCAL 1.1.2 assessment results. One result for the run: the baseline controls it reviewed,
 * one observation per finding (not-applicable ones left out) with a link to the file and line,
 * and one OSCAL finding per control the run could speak to, its target status satisfied or
 * not. Mapping: docs/formats/oscal.md. Validated against NIST's schema in
 * test/report/oscal.test.ts.
 */
import type { Assessment, ControlResult, ControlStatus } from '../core/model.ts';
import { CONTROL_STATUS_LABEL, coverageLine } from './compliance.ts';
import type { RenderOptions } from './index.ts';
import { jsonChunks, lazyJsonArray } from './json-stream.ts';
import {
  compact,
  inputResources,
  inventoryItems,
  type JsonObject,
  matricesOf,
  metadata,
  observation,
  observationIds,
  oscalToken,
  prop,
  toolComponent,
  uuidOf,
} from './oscal-common.ts';
import { sortFindings } from './util.ts';

/** A control's status as an OSCAL objective status; statuses that say nothing yield no finding. */
const TARGET: Partial<Record<ControlStatus, { state: 'satisfied' | 'not-satisfied'; reason: string }>> = {
  met: { state: 'satisfied', reason: 'pass' },
  'not-met': { state: 'not-satisfied', reason: 'fail' },
  'partially-met': { state: 'not-satisfied', reason: 'fail' },
  unknown: { state: 'not-satisfied', reason: 'other' },
  waived: { state: 'not-satisfied', reason: 'other' },
};

function assessmentResultsDocument(assessment: Assessment): unknown {
  const matrices = matricesOf(assessment);
  const findings = sortFindings(assessment.findings.filter((f) => f.status !== 'not-applicable'));
  const obsIds = observationIds(findings);
  // Made as they are written: a million observations never exist all at once.
  const observations = lazyJsonArray(findings, (f) => observation(assessment, f, obsIds.get(f) as string));

  // Observation UUIDs of the findings that evidence each control.
  const byControl = new Map<string, string[]>();
  for (const f of findings)
    for (const c of new Set(f.controls.map((x) => x.toLowerCase()))) {
      const list = byControl.get(c) ?? [];
      list.push(obsIds.get(f) as string);
      byControl.set(c, list);
    }

  const reviewed: string[] = [];
  const seen = new Set<string>();
  const oscalFindings: JsonObject[] = [];
  for (const m of matrices) {
    for (const c of m.controls) {
      if (!seen.has(c.id.toLowerCase())) {
        seen.add(c.id.toLowerCase());
        reviewed.push(c.id);
      }
      const target = TARGET[c.status];
      if (!target) continue;
      oscalFindings.push(controlFinding(m.baseline.name, c, target, byControl.get(c.id.toLowerCase()) ?? []));
    }
  }

  const planUuid = uuidOf('assessment-plan', 'assay-checks', ...assessment.checks.map((c) => c.id));
  const description = [
    `assay ${assessment.domain} assessment ${assessment.id} of ${assessment.inputs.length} input file(s): ${assessment.summary.findings} finding(s) on ${assessment.summary.subjects} subject(s).`,
    ...matrices.map((m) => `${m.baseline.title} (${m.baseline.name}): ${coverageLine(m)}.`),
  ].join('\n\n');
  const s = assessment.summary;
  const result = compact({
    uuid: uuidOf('result', assessment.id, ...matrices.map((m) => m.baseline.name)),
    title: `assay ${assessment.domain} assessment`,
    description,
    start: assessment.startedAt,
    end: assessment.finishedAt,
    props: [
      ...(s.score === null ? [] : [prop('score', s.score)]),
      ...(s.scoreBeforeWaivers === null ? [] : [prop('score-before-waivers', s.scoreBeforeWaivers)]),
      ...matrices.map((m) => prop('baseline', m.baseline.name)),
    ],
    'local-definitions': compact({
      components: [toolComponent(assessment)],
      'inventory-items': inventoryItems(findings),
    }),
    'reviewed-controls': {
      'control-selections': [
        reviewed.length > 0
          ? { 'include-controls': reviewed.map((id) => ({ 'control-id': oscalToken(id) })) }
          : { 'include-all': {} },
      ],
    },
    observations,
    findings: oscalFindings,
  });

  const document = {
    'assessment-results': compact({
      uuid: uuidOf('assessment-results', assessment.id, ...matrices.map((m) => m.baseline.name)),
      metadata: metadata(assessment, `assay assessment results: ${assessment.domain}`),
      'import-ap': {
        href: `#${planUuid}`,
        remarks:
          'assay runs without a separate assessment plan: the checks it ran (listed in the back-matter resource) are the plan.',
      },
      results: [result],
      'back-matter': {
        resources: [
          {
            uuid: planUuid,
            title: 'assay checks run (the implicit assessment plan)',
            props: assessment.checks.map((c) => prop('check-id', c.id)),
            remarks: 'Each check is documented by `assay explain <check-id>`.',
          },
          ...inputResources(assessment),
        ],
      },
    }),
  };
  return document;
}

export function renderOscalAssessmentResults(assessment: Assessment, options: RenderOptions): string {
  return [...oscalAssessmentResultsPieces(assessment, options)].join('');
}

/** The OSCAL assessment results as pieces, for writing a large document without one string. */
export function* oscalAssessmentResultsPieces(
  assessment: Assessment,
  _options: RenderOptions,
): Generator<string> {
  yield* jsonChunks(assessmentResultsDocument(assessment), 2);
  yield '\n';
}

function controlFinding(
  baseline: string,
  c: ControlResult,
  target: { state: string; reason: string },
  observations: string[],
): JsonObject {
  const counts = new Map<string, number>();
  for (const f of c.findings) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
  const tally = [...counts.entries()].map(([s, n]) => `${n} ${s}`).join(', ');
  return compact({
    uuid: uuidOf('finding', baseline, c.id),
    title: `${c.id}: ${CONTROL_STATUS_LABEL[c.status]}`,
    description: [
      c.title,
      c.statement,
      `Evidence: ${tally || 'none'}; checks: ${c.checks.join(', ') || 'none'}.`,
    ]
      .filter(Boolean)
      .join('\n\n'),
    props: [prop('baseline', baseline), prop('control-id', c.id), prop('control-status', c.status)],
    target: {
      type: 'statement-id',
      'target-id': oscalToken(`${c.id}_smt`),
      status: { state: target.state, reason: target.reason },
    },
    'related-observations': observations.map((uuid) => ({ 'observation-uuid': uuid })),
  });
}
