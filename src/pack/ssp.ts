/**
 * The evidence pack's OSCAL documents of the system security plan (docs/pack.md):
 * - the component definition of assay's checks for the baseline's framework (the one
 *   `assay controls export-component` writes, from the checks this run ran);
 * - an SSP fragment: the `control-implementation` of an OSCAL 1.1.2 system security plan, with
 *   one implemented requirement per baseline control and, under it, a by-component statement
 *   of what assay's checks found (the SSP annex's implementation status and evidence counts).
 *   It leaves out what only the system's owner can write (system characteristics, users,
 *   authorisation boundary); it is made to be merged into the agency's own SSP.
 * UUIDs are name-based, as in every other OSCAL document assay writes.
 */
import { componentDefinition } from '../controls/component.ts';
import { builtinMappings, type FrameworkMapping } from '../controls/mappings.ts';
import type { Assessment, ComplianceMatrix } from '../core/model.ts';
import { uuidV5 } from '../core/uuid.ts';
import {
  compact,
  inputResources,
  type JsonObject,
  metadata,
  oscalString,
  oscalToken,
  prop,
  uuidOf,
} from '../report/oscal-common.ts';
import type { AnnexRow, ImplementationStatus } from '../report/ssp-annex.ts';

/** The framework a baseline's controls come from: nzism for the NZISM, else the ISM (which E8 is part of). */
export function frameworkOf(baseline: string): string {
  return baseline.toLowerCase().startsWith('nzism') ? 'nzism' : 'ism';
}

function mappingFor(framework: string): FrameworkMapping {
  const found = builtinMappings().find((m) => m.framework === framework);
  if (!found) throw new Error(`no built-in mapping for framework '${framework}'`);
  return found;
}

/** The component definition of the checks the run ran, for the framework of its first baseline. */
export function packComponentDefinition(assessment: Assessment, matrix: ComplianceMatrix): JsonObject {
  return componentDefinition(assessment.checks, mappingFor(frameworkOf(matrix.baseline.name)), {
    version: assessment.tool.version,
    now: assessment.finishedAt,
  }) as JsonObject;
}

/** The uuid of assay's component in the component definition (so the SSP can refer to it). */
export function componentUuid(framework: string): string {
  return uuidV5(['component-definition', framework, 'component'].join('\u0000'));
}

const OSCAL_STATE: Partial<Record<ImplementationStatus, string>> = {
  implemented: 'implemented',
  partially: 'partial',
  'not implemented': 'planned',
};

function statement(row: AnnexRow): string {
  const checks = row.checks ? row.checks.split(' ') : [];
  if (checks.length === 0)
    return row.status === 'manual'
      ? 'No automated check can evidence this control; it is assessed by review.'
      : 'No assay check evidences this control; it is to be assessed by other means.';
  const counts = `${row.pass} pass, ${row.fail} fail, ${row.unknown} unknown, ${row.waived} waived`;
  const verdict =
    row.status === 'implemented'
      ? 'Every finding passes.'
      : row.status === 'partially'
        ? 'Some findings pass; others fail or are undecided.'
        : row.status === 'not implemented'
          ? 'The findings fail (see the plan of action and milestones).'
          : 'No finding was decided.';
  return `assay checks ${checks.join(', ')} evidence this control: ${counts}. ${verdict}${row.waiver ? ` Accepted risks: ${row.waiver}.` : ''}`;
}

/** The SSP fragment for one baseline's matrix. */
export function sspFragment(assessment: Assessment, matrix: ComplianceMatrix, rows: AnnexRow[]): JsonObject {
  const framework = frameworkOf(matrix.baseline.name);
  const component = componentUuid(framework);
  const requirements = rows.map((row) => {
    const state = OSCAL_STATE[row.status];
    return compact({
      uuid: uuidOf('ssp-requirement', matrix.baseline.name, row.controlId),
      'control-id': oscalToken(row.controlId),
      props: [prop('implementation-status', row.status)],
      'by-components': [
        compact({
          'component-uuid': component,
          uuid: uuidOf('ssp-by-component', matrix.baseline.name, row.controlId),
          description: oscalString(statement(row)),
          props: [
            ...(row.checks ? row.checks.split(' ').map((c) => prop('check-id', c)) : []),
            prop('pass', row.pass),
            prop('fail', row.fail),
            prop('unknown', row.unknown),
            prop('waived', row.waived),
          ],
          'implementation-status': state ? { state } : undefined,
        }),
      ],
    });
  });
  const profile = uuidOf('ssp-profile', matrix.baseline.name);
  return {
    'system-security-plan': compact({
      uuid: uuidOf('ssp-fragment', assessment.id, matrix.baseline.name),
      metadata: {
        ...metadata(assessment, `assay SSP fragment: ${matrix.baseline.title}`),
        remarks:
          'A fragment of a system security plan: the control implementation as assay evidences it. The system characteristics, users and authorisation boundary are the system owner to write.',
      },
      'import-profile': { href: `#${profile}` },
      'system-implementation': {
        components: [
          {
            uuid: component,
            type: 'software',
            title: 'assay',
            description:
              'assay assurance-as-code checks, as described by the component definition in this pack (component-definition.json).',
            status: { state: 'operational' },
          },
        ],
      },
      'control-implementation': {
        description: oscalString(
          `How the controls of ${matrix.baseline.title} are implemented, as evidenced by assay assessment ${assessment.id}.`,
        ),
        'implemented-requirements': requirements,
      },
      'back-matter': {
        resources: [
          {
            uuid: profile,
            title: oscalString(`${matrix.baseline.title} (${matrix.baseline.name})`),
            ...(matrix.baseline.source ? { description: oscalString(matrix.baseline.source) } : {}),
          },
          ...inputResources(assessment),
        ],
      },
    }),
  };
}
