/**
 * The AZ-DRIFT checks: each judges one item of a comparison (compare.ts) of what is planned
 * with what is deployed, so drift goes through the same reports, store, waivers and gates as
 * every other finding. Control ids come from the mapping files (src/controls/mappings/).
 */
import { builtinMappings, withMappings } from '../../controls/mappings.ts';
import type { Check, CheckOutcome, Subject } from '../../core/model.ts';
import type { AzureResource } from '../resource.ts';
import { compareProperties, type DriftItem } from './compare.ts';
import { SECURITY_PROPERTIES } from './security-properties.ts';

/** The subject kind of a drift item: a planned resource, or a deployed one the plan does not manage. */
export const DRIFT_KIND = 'azure-drift';

export type DriftSubject = Subject<DriftItem>;

export interface DriftContext {
  /** The run's clock (ISO 8601): platform defaults of unset properties are judged at it. */
  now: string;
}

export type DriftCheck = Check<DriftSubject, DriftContext>;

const DOC = 'docs/drift.md';

const label = (r: AzureResource): string =>
  `${r.type} ${typeof r.name === 'string' ? r.name : '(name unknown)'}`;
const at = (r: AzureResource): string => `${r.location.file}:${r.location.line}`;

function meta(
  id: string,
  title: string,
  severity: 'high' | 'medium',
  rationale: string,
  remediation: string,
  tags: string[],
): DriftCheck['meta'] {
  return {
    id,
    title,
    severity,
    rationale,
    remediation,
    controls: [],
    subjectKind: DRIFT_KIND,
    subjectTypes: [],
    tags: ['drift', ...tags],
    references: [DOC],
  };
}

const plannedAbsent: DriftCheck = {
  meta: meta(
    'AZ-DRIFT-001',
    'Planned resource is deployed',
    'medium',
    'A resource the plan declares but the deployed model lacks was deleted out of band, failed to deploy or was never deployed: the controls the plan gives it are not in force, and whatever depends on it is not as designed.',
    'Deploy the plan again (or find why the resource failed or was removed); if the resource is no longer wanted, take it out of the plan.',
    ['change-management'],
  ),
  run({ data }): CheckOutcome[] {
    if (data.side !== 'planned') return [];
    const p = data.planned;
    if (data.undecided)
      return [
        {
          status: 'unknown',
          message: `cannot decide whether ${label(p)} is deployed: ${data.undecided}`,
          location: p.location,
          evidence: { planned: p.id, reason: data.undecided },
        },
      ];
    const by = data.by === 'id' ? 'resource id' : 'type and name in its scope';
    if (data.deployed)
      return [
        {
          status: 'pass',
          message: `${label(p)} is deployed (matched by ${by}; deployed at ${at(data.deployed)})`,
          location: p.location,
          evidence: { planned: p.id, deployed: data.deployed.id, matchedBy: data.by },
        },
      ];
    return [
      {
        status: 'fail',
        message: `${label(p)} is planned but absent from the deployed model (matched by ${by})`,
        location: p.location,
        evidence: { planned: p.id, matchedBy: data.by },
      },
    ];
  },
};

const unmanaged: DriftCheck = {
  meta: meta(
    'AZ-DRIFT-002',
    'Deployed resource is managed by the plan',
    'medium',
    'A resource deployed in a resource group (or subscription) the plan deploys to, but not declared by the plan, was made outside the reviewed change process: nothing in the plan evidences its configuration, and the checks of the plan never saw it.',
    'Bring the resource into the plan (and review it there), or remove it; if another plan owns it, scope the comparison to that plan too.',
    ['change-management'],
  ),
  run({ data }): CheckOutcome[] {
    const d = data.deployed;
    if (!d) return [];
    if (data.side === 'planned')
      return [
        {
          status: 'pass',
          message: `${label(d)} is managed by the plan (declared at ${at(data.planned)})`,
          location: d.location,
          evidence: { deployed: d.id, planned: data.planned.id },
        },
      ];
    if (data.undecided)
      return [
        {
          status: 'unknown',
          message: `cannot decide whether ${label(d)} is managed by the plan: ${data.undecided}`,
          location: d.location,
          evidence: { deployed: d.id, reason: data.undecided },
        },
      ];
    return [
      {
        status: 'fail',
        message: `${label(d)} is deployed in a scope the plan deploys to, but the plan does not declare it`,
        location: d.location,
        evidence: { deployed: d.id },
      },
    ];
  },
};

const show = (v: unknown): string => (v === null ? 'not set' : JSON.stringify(v));

const propertyDrift: DriftCheck = {
  meta: {
    ...meta(
      'AZ-DRIFT-003',
      'Deployed security settings match the plan',
      'high',
      'A security-relevant property (one the Azure checks read: TLS, public access, network defaults, encryption, NSG rules, ...) that differs between plan and deployment means the reviewed and scanned configuration is not the one running: the plan passes its checks while the resource may not.',
      'Find who changed the setting and why; deploy the plan again to restore it, or change the plan (and review the change) if the deployed value is the one wanted.',
      ['change-management', 'configuration'],
    ),
    subjectTypes: Object.keys(SECURITY_PROPERTIES),
  },
  run({ data }, context): CheckOutcome[] {
    if (data.side !== 'planned' || !data.deployed) return [];
    const p = data.planned;
    const d = data.deployed;
    const results = compareProperties(p, d, context.now);
    const outcomes: CheckOutcome[] = [];
    for (const r of results) {
      const evidence = {
        path: r.path,
        planned: r.planned,
        deployed: r.deployed,
        deployedAt: at(d),
        ...(r.reason ? { reason: r.reason } : {}),
      };
      if (r.status === 'differs')
        outcomes.push({
          status: 'fail',
          message: `${r.path} differs: planned ${show(r.planned)}, deployed ${show(r.deployed)}${r.reason ? ` (${r.reason})` : ''}`,
          location: p.locate(r.path),
          evidence,
        });
      else if (r.status === 'unknown')
        outcomes.push({
          status: 'unknown',
          message: `cannot decide whether ${r.path} differs: ${r.reason}`,
          location: p.locate(r.path),
          evidence,
        });
    }
    if (outcomes.length > 0 || results.length === 0) return outcomes;
    return [
      {
        status: 'pass',
        message: `${label(p)} matches the deployed resource in every security-relevant property compared (${results.length})`,
        location: p.location,
        evidence: { compared: results.map((r) => r.path), deployedAt: at(d) },
      },
    ];
  },
};

/** The drift checks, with the control ids of the mapping files. */
export const driftChecks: DriftCheck[] = withMappings(
  [plannedAbsent, unmanaged, propertyDrift],
  builtinMappings(),
);
