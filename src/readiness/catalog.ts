/**
 * The readiness control catalog, shaped as an OSCAL 1.1.2 catalog (groups by pillar,
 * controls with a statement part), so the controls work and compliance engineers can load
 * it like any other catalog. Framework criteria and KPI checks cite these ids.
 */

interface Control {
  id: string;
  title: string;
  statement: string;
}

const PEOPLE: Control[] = [
  {
    id: 'rdy-people-oncall',
    title: 'On-call coverage',
    statement:
      'Enough engineers with the clearance the sovereign boundary requires are on the on-call rota to cover every hour of the support model.',
  },
  {
    id: 'rdy-people-clearance',
    title: 'Clearance and residency of support staff',
    statement:
      'Everyone who can see customer data or operate the cloud holds the clearance, citizenship or residency the boundary requires, and the record of it is current.',
  },
  {
    id: 'rdy-people-training',
    title: 'Trained support engineers',
    statement:
      'Support engineers have completed the training for the services and tooling of this cloud before they take cases.',
  },
  {
    id: 'rdy-people-escalation',
    title: 'Named escalation contacts',
    statement:
      'The operating partner and the cloud provider name escalation contacts for each tier, with hours and a tested path between them.',
  },
];

const PROCESS: Control[] = [
  {
    id: 'rdy-process-sla',
    title: 'SLA attainment',
    statement: 'Cases are resolved within their service-level targets at the agreed rate.',
  },
  {
    id: 'rdy-process-response',
    title: 'First response',
    statement: 'Customers receive a first response within the target time for their priority.',
  },
  {
    id: 'rdy-process-resolution',
    title: 'Time to resolve',
    statement: 'Cases are resolved in a time consistent with their priority, without a long tail.',
  },
  {
    id: 'rdy-process-backlog',
    title: 'Backlog under control',
    statement: 'Open cases do not accumulate and do not age beyond what the support model allows.',
  },
  {
    id: 'rdy-process-quality',
    title: 'Resolution quality',
    statement: 'Resolved cases stay resolved: reopen rates stay low.',
  },
  {
    id: 'rdy-process-routing',
    title: 'Case routing',
    statement: 'Cases reach the right team first: reassignments between groups stay rare.',
  },
  {
    id: 'rdy-process-runbooks',
    title: 'Runbooks for critical services',
    statement:
      'Every tier-1 service has a runbook for this cloud, kept where support engineers can reach it inside the boundary.',
  },
  {
    id: 'rdy-process-incident',
    title: 'Major incident process',
    statement:
      'A major incident process is agreed with the operating partner, including customer communication and the sovereign authority where required.',
  },
];

const TECHNOLOGY: Control[] = [
  {
    id: 'rdy-tech-parity',
    title: 'Service parity',
    statement:
      'The services customers expect from the commercial cloud are available in this cloud, or their absence is published.',
  },
  {
    id: 'rdy-tech-tooling',
    title: 'Support tooling inside the boundary',
    statement:
      'Case management, telemetry and diagnostics used for this cloud run inside its sovereign boundary.',
  },
  {
    id: 'rdy-tech-monitoring',
    title: 'Monitoring and alerting',
    statement: 'Service health of this cloud is monitored and alerts reach the on-call engineers.',
  },
  {
    id: 'rdy-tech-access',
    title: 'Controlled operator access',
    statement: 'Operator access is just in time, approved inside the boundary and logged.',
  },
  {
    id: 'rdy-tech-capacity',
    title: 'Support capacity',
    statement: 'Case volume stays within the capacity the support model was sized for.',
  },
];

const GROUPS: { id: string; title: string; controls: Control[] }[] = [
  { id: 'people', title: 'People', controls: PEOPLE },
  { id: 'process', title: 'Process', controls: PROCESS },
  { id: 'technology', title: 'Technology', controls: TECHNOLOGY },
];

export const READINESS_CONTROLS: ReadonlyMap<string, Control & { pillar: string }> = new Map(
  GROUPS.flatMap((g) => g.controls.map((c) => [c.id, { ...c, pillar: g.id }] as const)),
);

export const READINESS_CONTROL_IDS: ReadonlySet<string> = new Set(READINESS_CONTROLS.keys());

/** The catalog as an OSCAL document (JSON). The uuid is fixed so the document is stable. */
export function readinessCatalog(): unknown {
  return {
    catalog: {
      uuid: '6f1f4f61-3c1e-4d4b-9a57-2b7c1a0c5e21',
      metadata: {
        title: 'assay sovereign cloud support readiness controls',
        'last-modified': '2025-01-01T00:00:00Z',
        version: '1.0',
        'oscal-version': '1.1.2',
      },
      groups: GROUPS.map((g) => ({
        id: g.id,
        title: g.title,
        controls: g.controls.map((c) => ({
          id: c.id,
          class: 'readiness',
          title: c.title,
          parts: [{ id: `${c.id}_smt`, name: 'statement', prose: c.statement }],
        })),
      })),
    },
  };
}
