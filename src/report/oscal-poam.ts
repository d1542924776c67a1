/**
 * OSCAL 1.1.2 plan of action and milestones. One POA&M item per control that is not met or
 * partially met (an open risk with the checks' remediation and a deadline by severity), and
 * one per accepted risk: each waiver or inline suppression that waived findings (a
 * deviation-approved risk, due when the acceptance expires). Mapping: docs/formats/oscal.md.
 */
import type { Assessment, Finding, Severity, WaiverRef } from '../core/model.ts';
import { SEVERITIES } from '../core/model.ts';
import { CONTROL_STATUS_LABEL } from './compliance.ts';
import type { RenderOptions } from './index.ts';
import { jsonChunks, lazyJsonArray } from './json-stream.ts';
import {
  addDays,
  compact,
  inputResources,
  inventoryItems,
  type JsonObject,
  matricesOf,
  metadata,
  observation,
  observationIds,
  prop,
  REMEDIATION_DAYS,
  toolComponent,
  uuidOf,
} from './oscal-common.ts';
import { sortFindings } from './util.ts';

function worst(findings: readonly Finding[]): Severity {
  return SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? 'info';
}

const TOOL_ORIGIN = () => [{ actors: [{ type: 'tool', 'actor-uuid': uuidOf('component', 'assay') }] }];

function poamDocument(assessment: Assessment): unknown {
  const matrices = matricesOf(assessment);
  const checks = new Map(assessment.checks.map((c) => [c.id, c]));
  const failing = sortFindings(
    assessment.findings.filter((f) => f.status === 'fail' || f.status === 'error'),
  );
  const waived = sortFindings(assessment.findings.filter((f) => f.status === 'waived' && f.waiver));
  const obsIds = observationIds([...failing, ...waived]);
  const used = new Set<Finding>();
  const risks: JsonObject[] = [];
  const items: JsonObject[] = [];

  // Unmet controls, once each even when several baselines hold them.
  const done = new Set<string>();
  for (const m of matrices) {
    for (const c of m.controls) {
      if (c.status !== 'not-met' && c.status !== 'partially-met') continue;
      const key = c.id.toLowerCase();
      if (done.has(key)) continue;
      done.add(key);
      const evidence = failing.filter((f) => f.controls.some((x) => x.toLowerCase() === key));
      for (const f of evidence) used.add(f);
      const severity = worst(evidence);
      const deadline = addDays(assessment.finishedAt, REMEDIATION_DAYS[severity]);
      const byCheck = [...new Set(evidence.map((f) => f.checkId))];
      const riskUuid = uuidOf('risk', 'control', c.id);
      const related = evidence.map((f) => ({ 'observation-uuid': obsIds.get(f) as string }));
      const subjects = new Set(evidence.map((f) => f.subject.id)).size;
      risks.push(
        compact({
          uuid: riskUuid,
          title: `${c.id} ${CONTROL_STATUS_LABEL[c.status]}`,
          description: [c.title, c.statement].filter(Boolean).join('\n\n') || c.id,
          statement: `${evidence.length} failed finding(s) on ${subjects} subject(s) from ${byCheck.join(', ') || 'no check'}; the highest severity is ${severity}.`,
          props: [prop('control-id', c.id), prop('control-status', c.status), prop('severity', severity)],
          status: 'open',
          origins: TOOL_ORIGIN(),
          deadline,
          remediations: byCheck.map((id) =>
            compact({
              uuid: uuidOf('remediation', c.id, id),
              lifecycle: 'recommendation',
              title: `${id}: ${checks.get(id)?.title ?? id}`,
              description: checks.get(id)?.remediation ?? 'See the check documentation (assay explain).',
              origins: TOOL_ORIGIN(),
              tasks: [
                {
                  uuid: uuidOf('task', c.id, id),
                  type: 'milestone',
                  title: `Findings of ${id} fixed`,
                  timing: { 'on-date': { date: deadline } },
                },
              ],
            }),
          ),
          'related-observations': related,
        }),
      );
      items.push(
        compact({
          uuid: uuidOf('poam-item', 'control', c.id),
          title: `${c.id}: ${c.title ?? 'control'} (${CONTROL_STATUS_LABEL[c.status]})`,
          description: c.statement ?? c.title ?? c.id,
          props: [prop('control-id', c.id), prop('kind', 'unmet-control'), prop('baseline', m.baseline.name)],
          origins: TOOL_ORIGIN(),
          'related-observations': related,
          'related-risks': [{ 'risk-uuid': riskUuid }],
        }),
      );
    }
  }

  // Accepted risks: one per waiver that waived something, with every finding it waived.
  const byWaiver = new Map<string, { ref: WaiverRef; findings: Finding[] }>();
  for (const f of waived) {
    const ref = f.waiver as WaiverRef;
    const entry = byWaiver.get(ref.id) ?? { ref, findings: [] };
    entry.findings.push(f);
    byWaiver.set(ref.id, entry);
  }
  for (const { ref, findings } of byWaiver.values()) {
    for (const f of findings) used.add(f);
    const riskUuid = uuidOf('risk', 'waiver', ref.id);
    const related = findings.map((f) => ({ 'observation-uuid': obsIds.get(f) as string }));
    const byCheck = [...new Set(findings.map((f) => f.checkId))];
    const controls = [...new Set(findings.flatMap((f) => f.controls))];
    const props = [prop('waiver-id', ref.id), prop('waiver-source', ref.source)];
    if (ref.approvedBy) props.push(prop('approved-by', ref.approvedBy));
    if (ref.created) props.push(prop('created', ref.created));
    if (ref.expires) props.push(prop('expires', ref.expires));
    for (const c of controls) props.push(prop('control-id', c));
    const deadline = ref.expires ? `${ref.expires}T23:59:59Z` : undefined;
    const links =
      ref.ticket && /^[a-z][a-z0-9+.-]*:/i.test(ref.ticket)
        ? [{ href: ref.ticket, rel: 'related' }]
        : undefined;
    risks.push(
      compact({
        uuid: riskUuid,
        title: `Accepted risk ${ref.id}`,
        description: ref.justification,
        statement: `Accepted ${ref.source === 'inline' ? 'inline (metadata.assay.suppress)' : 'by waiver'}: ${findings.length} finding(s) of ${byCheck.join(', ')} on ${new Set(findings.map((f) => f.subject.id)).size} subject(s)${ref.approvedBy ? `, approved by ${ref.approvedBy}` : ''}${ref.expires ? `, until ${ref.expires}` : ', with no expiry'}.${ref.ticket ? ` Ticket: ${ref.ticket}.` : ''}`,
        props,
        links,
        status: 'deviation-approved',
        origins: TOOL_ORIGIN(),
        deadline,
        remediations: byCheck.map((id) =>
          compact({
            uuid: uuidOf('remediation', 'waiver', ref.id, id),
            lifecycle: 'planned',
            title: `${id}: ${checks.get(id)?.title ?? id}`,
            description: checks.get(id)?.remediation ?? 'See the check documentation (assay explain).',
            tasks: deadline
              ? [
                  {
                    uuid: uuidOf('task', 'waiver', ref.id, id),
                    type: 'milestone',
                    title: `Fixed, or the acceptance ${ref.id} renewed`,
                    timing: { 'on-date': { date: deadline } },
                  },
                ]
              : undefined,
          }),
        ),
        'risk-log': ref.created
          ? {
              entries: [
                {
                  uuid: uuidOf('risk-log', 'waiver', ref.id),
                  title: 'Risk accepted',
                  start: `${ref.created}T00:00:00Z`,
                  'status-change': 'deviation-approved',
                },
              ],
            }
          : undefined,
        'related-observations': related,
      }),
    );
    items.push(
      compact({
        uuid: uuidOf('poam-item', 'waiver', ref.id),
        title: `Accepted risk ${ref.id}: ${byCheck.join(', ')}`,
        description: ref.justification,
        props: [prop('kind', 'accepted-risk'), ...props],
        links,
        origins: TOOL_ORIGIN(),
        'related-observations': related,
        'related-risks': [{ 'risk-uuid': riskUuid }],
      }),
    );
  }

  const evidence = [...failing, ...waived].filter((f) => used.has(f));
  const document = {
    'plan-of-action-and-milestones': compact({
      uuid: uuidOf('poam', assessment.id, ...matrices.map((m) => m.baseline.name)),
      metadata: metadata(assessment, `assay plan of action and milestones: ${assessment.domain}`),
      'local-definitions': compact({
        components: [toolComponent(assessment)],
        'inventory-items': inventoryItems(evidence),
        remarks: items.length === 0 ? 'No unmet control and no accepted risk: nothing to plan.' : undefined,
      }),
      observations: lazyJsonArray(evidence, (f) => observation(assessment, f, obsIds.get(f) as string)),
      risks,
      // The schema needs at least one item; an empty plan says so in its one item.
      'poam-items':
        items.length > 0
          ? items
          : [
              {
                uuid: uuidOf('poam-item', 'none', assessment.id),
                title: 'Nothing to remediate',
                description: 'The assessment found no unmet control and no accepted risk.',
              },
            ],
      'back-matter': assessment.inputs.length > 0 ? { resources: inputResources(assessment) } : undefined,
    }),
  };
  return document;
}

export function renderOscalPoam(assessment: Assessment, options: RenderOptions): string {
  return [...oscalPoamPieces(assessment, options)].join('');
}

/** The OSCAL POA&M as pieces, for writing a large document without one string. */
export function* oscalPoamPieces(assessment: Assessment, _options: RenderOptions): Generator<string> {
  yield* jsonChunks(poamDocument(assessment), 2);
  yield '\n';
}
