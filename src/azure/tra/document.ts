/**
 * The TRA document: one neutral model of sections and blocks, rendered to Markdown (with a
 * Mermaid diagram) and to a standalone HTML page through the shared document page
 * (src/report/document.ts: every string escaped, no script, nothing loaded), with the SVG
 * diagram. The PDF prints that HTML (pdf.ts).
 */

import { compareText } from '../../core/compare.ts';
import { appendAll } from '../../core/extent.ts';
import type { Assessment, Finding } from '../../core/model.ts';
import { type DocBlock, renderDocumentHtml } from '../../report/document.ts';
import { markdownText } from '../../report/markdown-escape.ts';
import { markdownMarkingLines } from '../../report/marking-lines.ts';
import { VERSION } from '../../version.ts';
import type { ArchitectureModel, ExposurePath } from '../architecture/model.ts';
import { INTERNET_NODE } from '../architecture/model.ts';
import { describePorts } from '../architecture/nsg.ts';
import { type Boundary, boundaryRegionList } from '../residency/boundary.ts';
import { regionFact } from '../residency/regions.ts';
import { assessedInputKinds } from '../sources/index.ts';
import { buildDiagram, renderMermaid, renderSvg } from './diagram.ts';
import {
  CONSEQUENCE_NAMES,
  describeRisk,
  type Level,
  LIKELIHOOD_NAMES,
  matrixRows,
  RATINGS,
  type RiskRating,
} from './matrix.ts';
import { EXPOSURE_LIKELIHOOD, type Threat } from './threats.ts';

export interface TraReportInput {
  assessment: Assessment;
  model: ArchitectureModel;
  threats: readonly Threat[];
  boundary?: Boundary;
  classification?: string;
  appetite: RiskRating;
  /** Fixed time for the document (tests); default: the assessment's finish time. */
  generatedAt?: string;
  title?: string;
}

type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'diagram'; mermaid: string; svg: string };

const RESIDENCY_IDS = /^AZ-RES-/;

/** Resources outside the boundary (failing residency findings), by subject id, with the region named. */
export function boundaryBreaches(findings: readonly Finding[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of findings) {
    if (!RESIDENCY_IDS.test(f.checkId) || f.checkId === 'AZ-RES-007') continue;
    const status = f.status === 'waived' ? f.originalStatus : f.status;
    if (status !== 'fail') continue;
    const region = (f.evidence?.secondary ?? f.evidence?.region) as string | undefined;
    const text = region ? (regionFact(region)?.displayName ?? region) : f.checkId;
    if (!out.has(f.subject.id)) out.set(f.subject.id, text);
  }
  return out;
}

/** Names and kinds of the model's nodes by id: built once per document, read for every path and note. */
interface NodeLookup {
  name(id: string): string;
  kinds: Map<string, string>;
}

function nodeLookup(model: ArchitectureModel): NodeLookup {
  const names = new Map(model.nodes.map((n) => [n.id, n.name]));
  return {
    name: (id: string) => (id === INTERNET_NODE ? 'internet' : (names.get(id) ?? id)),
    kinds: new Map(model.nodes.map((n) => [n.id, n.kind])),
  };
}

const at = (l: { file: string; line: number }) => `${l.file}:${l.line}`;

function pathRows(paths: readonly ExposurePath[], { name, kinds }: NodeLookup): string[][] {
  return paths.map((p) => [
    p.id,
    `${name(p.target)} (${(kinds.get(p.target) ?? '').replace(/-/g, ' ')})`,
    p.kind.replace(/-/g, ' '),
    p.hops.map(name).join(' → '),
    describePorts(p.ports),
    p.rules.length ? p.rules.map((r) => `${r.name} ${r.detail} (${at(r.location)})`).join('; ') : p.reason,
  ]);
}

export function buildTraDocument(input: TraReportInput): Block[] {
  const { assessment, model, threats, boundary, appetite } = input;
  const blocks: Block[] = [];
  const h = (level: 1 | 2 | 3, text: string) => blocks.push({ kind: 'heading', level, text });
  const p = (text: string) => blocks.push({ kind: 'paragraph', text });
  const files = assessment.inputs.filter((i) => assessedInputKinds().has(i.kind)).map((i) => i.file);
  const findings = assessment.findings;
  const breaches = boundaryBreaches(findings);
  const open = model.paths.filter((x) => x.status === 'open');
  const undecided = model.paths.filter((x) => x.status === 'unknown');
  const residency = findings.filter((f) => RESIDENCY_IDS.test(f.checkId) && f.checkId !== 'AZ-RES-007');
  const globals = findings.filter((f) => f.checkId === 'AZ-RES-007');
  const byRating = new Map<RiskRating, number>(RATINGS.map((r) => [r, 0]));
  for (const t of threats) byRating.set(t.residual.rating, (byRating.get(t.residual.rating) ?? 0) + 1);
  const above = threats.filter((t) => t.status === 'fail');
  const unknownThreats = threats.filter((t) => t.status === 'unknown');

  h(1, input.title ?? `Threat and risk assessment: ${files.join(', ') || assessment.root}`);
  blocks.push({
    kind: 'table',
    head: ['', ''],
    rows: [
      ['Templates', files.join(', ') || '(none)'],
      ['Generated', input.generatedAt ?? assessment.finishedAt],
      ['Tool', `assay ${VERSION} (assessment ${assessment.id.slice(0, 12)})`],
      [
        'Sovereign boundary',
        boundary ? `${boundary.name}: ${boundary.title}` : 'none given (--boundary): residency not assessed',
      ],
      ['Data classification', input.classification ?? 'not given (resource tags only)'],
      ['Risk appetite', `${appetite}: threats rated above it fail and need treatment`],
      ['Resources', `${assessment.subjects.length} (${model.nodes.length - 1} in the architecture model)`],
    ],
  });

  h(2, 'Summary');
  const exposedTargets = new Set(open.map((x) => x.target));
  blocks.push({
    kind: 'list',
    items: [
      `${open.length} internet-exposed path(s) to ${exposedTargets.size} element(s); ${undecided.length} path(s) undecided because a value is unknown.`,
      boundary
        ? `${breaches.size} resource(s) with data outside boundary ${boundary.name}; ${residency.filter((f) => f.status === 'unknown').length} residency finding(s) unknown; ${globals.length} global service(s).`
        : 'Residency not assessed: run with --boundary (au, au-canberra, nz, eu-data-boundary, fr, de, sg, us-gov or one from the config).',
      `${threats.length} threat(s): ${RATINGS.slice()
        .reverse()
        .map((r) => `${byRating.get(r)} ${r}`)
        .join(', ')} (residual).`,
      `${above.length} threat(s) above the risk appetite (${appetite}); ${unknownThreats.length} undecided.`,
      ...(assessment.errors.length
        ? [`${assessment.errors.length} input error(s): parts of the input were not assessed.`]
        : []),
      ...((assessment.faults ?? []).length
        ? [
            `${assessment.faults?.length} template fault(s): expressions Azure Resource Manager refuses at deployment; the values they set are unknown.`,
          ]
        : []),
    ],
  });

  h(2, 'Architecture');
  const diagram = buildDiagram(model, breaches);
  blocks.push({ kind: 'diagram', mermaid: renderMermaid(diagram), svg: renderSvg(diagram) });
  if (diagram.omitted)
    p(
      `${diagram.omitted} element(s) that are neither exposed, undecided nor outside the boundary are not drawn.`,
    );

  const nodes = nodeLookup(model);
  h(2, 'Data flows and trust boundaries');
  const boundaryName = new Map(model.boundaries.map((b) => [b.id, b.name]));
  const boundaryKinds = new Map(model.boundaries.map((b) => [b.id, b.kind]));
  if (model.boundaries.length) {
    p(
      'Trust boundaries read from the templates (the internet, virtual networks, subnets, private endpoints and, with --boundary, the sovereign boundary):',
    );
    blocks.push({
      kind: 'table',
      head: ['Boundary', 'Kind', 'Inside', 'Members'],
      rows: model.boundaries.map((b) => [
        b.name,
        b.kind.replace(/-/g, ' '),
        b.parent ? (boundaryName.get(b.parent) ?? b.parent) : '-',
        b.members
          .map((m) => (m.startsWith('pe:') ? (boundaryName.get(m) ?? m) : nodes.name(m)))
          .slice(0, 12)
          .join(', ') + (b.members.length > 12 ? `, and ${b.members.length - 12} more` : ''),
      ]),
    });
  }
  if (model.flows.length) {
    const crossing = model.flows.filter((f) => f.crosses.length > 0);
    p(
      `${model.flows.length} internal data flow(s) derived from connection strings, app settings, private and service endpoints, VNet integration, role assignments and diagnostic settings; ${crossing.length} cross a trust boundary and are assessed by the flow rules:`,
    );
    blocks.push({
      kind: 'table',
      head: ['Flow', 'Kind', 'From', 'To', 'Channel', 'Crosses', 'Read from'],
      rows: model.flows.map((f) => [
        f.id,
        `${f.kind.replace(/-/g, ' ')}: ${f.label}`,
        nodes.name(f.from),
        `${nodes.name(f.to)}${f.via ? ` via ${nodes.name(f.via)}` : ''}`,
        f.channel.replace(/-/g, ' '),
        f.crosses.length
          ? f.crosses
              .map((c) => `${boundaryName.get(c) ?? c} (${(boundaryKinds.get(c) ?? '').replace(/-/g, ' ')})`)
              .join(', ')
          : 'none',
        `${f.evidence.property} (${at(f.evidence.location)})`,
      ]),
    });
  } else
    p(
      'No internal data flow was found: no app setting, connection string, private or service endpoint, VNet integration, role assignment or diagnostic setting names another resource of the scan.',
    );

  h(2, 'Internet exposure');
  if (open.length) {
    p('Every path by which the internet reaches a compute or data element, with what decides it:');
    blocks.push({
      kind: 'table',
      head: ['Path', 'Element', 'Kind', 'Route', 'Ports', 'Decided by'],
      rows: pathRows(open, nodes),
    });
  } else p('No path from the internet to a compute or data element is open.');
  if (undecided.length) {
    h(3, 'Undecided paths');
    p('These depend on a value only the deployment knows; they are treated as exposed until it is known:');
    blocks.push({
      kind: 'table',
      head: ['Path', 'Element', 'Kind', 'Route', 'Ports', 'Why undecided'],
      rows: undecided.map((x) => {
        const row = pathRows([x], nodes)[0] as string[];
        row[5] = `${x.reason}${x.unknownFrom ? ` (${at(x.unknownFrom)})` : ''}`;
        return row;
      }),
    });
  }
  const notes = [
    ...model.notes,
    ...[...model.reachability.values()].flatMap((r) => r.notes.map((n) => `${nodes.name(r.node)}: ${n}`)),
  ];
  if (notes.length) {
    h(3, 'Not traced');
    blocks.push({ kind: 'list', items: notes });
  }

  h(2, 'Data residency');
  if (!boundary) p('No boundary was given, so the residency checks did not run.');
  else {
    p(`Boundary ${boundary.name} (${boundary.title}): ${boundaryRegionList(boundary)}.`);
    const issues = residency.filter((f) => f.status !== 'pass' && f.status !== 'not-applicable');
    if (issues.length)
      blocks.push({
        kind: 'table',
        head: ['Check', 'Status', 'Resource', 'Where', 'Finding'],
        rows: issues.map((f) => [f.checkId, f.status, f.subject.name, at(f.location), f.message]),
      });
    else p('Every resource, replica, backup and log destination assessed is inside the boundary.');
    if (globals.length) {
      h(3, 'Global services');
      blocks.push({
        kind: 'table',
        head: ['Resource', 'Type', 'Where', 'Note'],
        rows: globals.map((f) => [
          f.subject.name,
          f.subject.type,
          at(f.location),
          f.message.replace(/^global service: /, ''),
        ]),
      });
    }
  }

  h(2, 'Risk rating');
  p(
    `Likelihood x consequence on a 5 x 5 matrix (docs/tra.md). Base likelihood from exposure: internet ${EXPOSURE_LIKELIHOOD.internet}, unknown ${EXPOSURE_LIKELIHOOD.unknown}, restricted ${EXPOSURE_LIKELIHOOD.restricted}, private ${EXPOSURE_LIKELIHOOD.private}; each failing relevant check adds 1 (inherent); each passing one takes 1 away (residual). Consequence from the rule, at least the classification floor for confidentiality and integrity threats.`,
  );
  blocks.push({
    kind: 'table',
    head: [
      'Likelihood / consequence',
      ...([1, 2, 3, 4, 5] as Level[]).map((c) => `${c} ${CONSEQUENCE_NAMES[c]}`),
    ],
    rows: matrixRows().map((r) => [`${r.likelihood} ${LIKELIHOOD_NAMES[r.likelihood]}`, ...r.cells]),
  });

  h(2, 'Risk register');
  const sorted = [...threats].sort((a, b) => b.residual.score - a.residual.score || compareText(a.id, b.id));
  blocks.push({
    kind: 'table',
    head: ['ID', 'Threat', 'STRIDE', 'Element', 'Exposure', 'Inherent', 'Residual', 'Status'],
    rows: sorted.map((t) => [
      t.id,
      `${t.ruleId} ${t.title}`,
      t.stride.join(', '),
      `${t.element.name} (${at(t.element.location)})`,
      t.exposure ? `${t.exposure}${t.paths.length ? ` ${t.paths.join(', ')}` : ''}` : '-',
      describeRisk(t.inherent),
      describeRisk(t.residual),
      t.status,
    ]),
  });

  const detailed = sorted.filter((t) => t.status !== 'pass');
  if (detailed.length) {
    h(2, 'Threats needing treatment');
    for (const t of detailed) {
      h(3, `${t.id} ${t.title}: ${t.element.name}`);
      p(`${t.stride.join(', ')}. ${t.statement}`);
      blocks.push({
        kind: 'list',
        items: [
          `Element: ${t.element.name} (${t.element.type}) at ${at(t.element.location)}`,
          `Inherent ${describeRisk(t.inherent)}; residual ${describeRisk(t.residual)}; status ${t.status}`,
          ...t.steps.map((s) => `Rating: ${s.reason}`),
          ...t.aggravating.map(
            (f) =>
              `Makes it more likely: ${f.checkId} fails on ${f.subjectName} (${at(f.location)}): ${f.message}`,
          ),
          ...t.mitigating.map((f) => `Mitigates: ${f.checkId} passes on ${f.subjectName}`),
          ...t.undetermined.map((f) => `Undecided: ${f.checkId} on ${f.subjectName}: ${f.message}`),
          ...t.triggers.map(
            (f) =>
              `Raised by: ${f.checkId} ${f.status} on ${f.subjectName} (${at(f.location)}): ${f.message}`,
          ),
          `Treatment: ${t.treatment}`,
          `Controls: ${t.controls.join(', ')}`,
        ],
      });
    }
  }

  h(2, 'Limitations');
  blocks.push({
    kind: 'list',
    items: [
      'Static analysis of templates: what the deployment knows only at run time (reference(), parameters with no value, existing resources outside the scan) is reported as unknown, never as not exposed.',
      'Paths are traced through public IPs, load balancers, application gateways, classic Azure Firewall DNAT rules, Front Door origins and platform public endpoints; user-defined routes, peering and firewall policy rule collections are not traced.',
      'Threats come from a rule table (docs/tra.md); they complement, not replace, a threat model of the application.',
    ],
  });
  return blocks;
}

// --- Markdown ----------------------------------------------------------------------------------

export function renderTraMarkdown(input: TraReportInput): string {
  const marking = input.assessment.marking?.text;
  const out: string[] = [...markdownMarkingLines(marking)];
  for (const b of buildTraDocument(input)) {
    switch (b.kind) {
      case 'heading':
        out.push(`${'#'.repeat(b.level)} ${markdownText(b.text)}`, '');
        break;
      case 'paragraph':
        out.push(markdownText(b.text), '');
        break;
      case 'list':
        appendAll(
          out,
          b.items.map((i) => `- ${markdownText(i)}`),
        );
        out.push('');
        break;
      case 'table':
        out.push(`| ${b.head.map(markdownText).join(' | ')} |`, `| ${b.head.map(() => '---').join(' | ')} |`);
        for (const r of b.rows) out.push(`| ${r.map(markdownText).join(' | ')} |`);
        out.push('');
        break;
      case 'diagram':
        out.push('```mermaid', b.mermaid, '```', '');
        break;
    }
  }
  appendAll(out, markdownMarkingLines(marking));
  return out.join('\n');
}

// --- HTML ---------------------------------------------------------------------------------------

// The page itself (escaping, CSP, base style) is the shared document page (src/report/document.ts).
const CSS = `
td.Extreme { background: #ef9a9a; } td.High { background: #ffcc80; } td.Medium { background: #fff59d; } td.Low { background: #c5e1a5; }
.diagram { overflow-x: auto; border: 1px solid #ddd; padding: 8px; }
@media print { .diagram svg { max-width: 100%; height: auto; } }
`;

const RATING_CELL = new Set<string>(RATINGS);

export function renderTraHtml(input: TraReportInput): string {
  const blocks: DocBlock[] = buildTraDocument(input).map((b) =>
    // The SVG is built by diagram.ts with every string escaped.
    b.kind === 'diagram' ? { kind: 'markup', html: `<div class="diagram">${b.svg}</div>` } : b,
  );
  const title = blocks[0]?.kind === 'heading' ? blocks[0].text : 'Threat and risk assessment';
  return renderDocumentHtml(blocks, {
    title,
    css: CSS,
    marking: input.assessment.marking?.text,
    cellClass: (text) => {
      const rating = text.split(' ')[0] ?? '';
      return RATING_CELL.has(rating) ? rating : undefined;
    },
  });
}
