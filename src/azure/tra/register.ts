/**
 * The risk register as data: JSON (the whole model, for tools) and CSV (one row per threat,
 * for a spreadsheet). Both are deterministic for the same input.
 */
import { csvRow } from '../../report/csv-cell.ts';
import { VERSION } from '../../version.ts';
import { INTERNET_NODE } from '../architecture/model.ts';
import { boundaryBreaches, type TraReportInput } from './document.ts';
import { CONSEQUENCE_NAMES, LIKELIHOOD_NAMES, matrixRows } from './matrix.ts';
import { EXPOSURE_LIKELIHOOD } from './threats.ts';

export function renderRegisterJson(input: TraReportInput): string {
  const { assessment, model, threats, boundary } = input;
  const nodes = model.nodes
    .filter((n) => n.id !== INTERNET_NODE)
    .map((n) => {
      const reach = model.reachability.get(n.id);
      return {
        id: n.id,
        name: n.name,
        kind: n.kind,
        role: n.role,
        type: n.type,
        ...(n.subjectId ? { subject: n.subjectId } : {}),
        ...(n.location ? { location: n.location } : {}),
        ...(n.region ? { region: n.region } : {}),
        ...(reach ? { exposure: reach.exposure } : {}),
        ...(reach?.management ? { managementExposure: reach.management } : {}),
        ...(reach?.notes.length ? { notes: reach.notes } : {}),
      };
    });
  const doc = {
    schemaVersion: 1,
    kind: 'assay-threat-risk-assessment',
    tool: { name: 'assay', version: VERSION },
    assessment: assessment.id,
    generatedAt: input.generatedAt ?? assessment.finishedAt,
    inputs: assessment.inputs.map((i) => i.file),
    boundary: boundary
      ? { name: boundary.name, title: boundary.title, regions: [...boundary.regions].sort() }
      : null,
    classification: input.classification ?? null,
    appetite: input.appetite,
    matrix: {
      likelihood: LIKELIHOOD_NAMES,
      consequence: CONSEQUENCE_NAMES,
      bands: { Low: '1-4', Medium: '5-9', High: '10-16', Extreme: '20-25' },
      rows: matrixRows(),
      exposureLikelihood: EXPOSURE_LIKELIHOOD,
    },
    summary: {
      elements: nodes.length,
      openPaths: model.paths.filter((p) => p.status === 'open').length,
      undecidedPaths: model.paths.filter((p) => p.status === 'unknown').length,
      boundaryBreaches: boundaryBreaches(assessment.findings).size,
      threats: threats.length,
      aboveAppetite: threats.filter((t) => t.status === 'fail').length,
    },
    nodes,
    edges: model.edges,
    paths: model.paths,
    threats,
    notes: model.notes,
  };
  // Compact: the register is for tools, and indenting a large one makes it a third larger and slower to write.
  return `${JSON.stringify(doc)}\n`;
}

export const REGISTER_COLUMNS = [
  'id',
  'rule',
  'title',
  'stride',
  'element',
  'type',
  'file',
  'line',
  'exposure',
  'paths',
  'classification',
  'inherent_likelihood',
  'inherent_consequence',
  'inherent_score',
  'inherent_rating',
  'residual_likelihood',
  'residual_consequence',
  'residual_score',
  'residual_rating',
  'status',
  'aggravating',
  'mitigating',
  'undetermined',
  'triggers',
  'treatment',
  'controls',
] as const;

export function renderRegisterCsv(input: TraReportInput): string {
  const rows = [REGISTER_COLUMNS.join(',')];
  for (const t of input.threats) {
    const cells: (string | number)[] = [
      t.id,
      t.ruleId,
      t.title,
      t.stride.join('; '),
      t.element.name,
      t.element.type,
      t.element.location.file,
      t.element.location.line,
      t.exposure ?? '',
      t.paths.join(' '),
      t.classification ?? '',
      t.inherent.likelihood,
      t.inherent.consequence,
      t.inherent.score,
      t.inherent.rating,
      t.residual.likelihood,
      t.residual.consequence,
      t.residual.score,
      t.residual.rating,
      t.status,
      t.aggravating.map((f) => f.checkId).join(' '),
      t.mitigating.map((f) => f.checkId).join(' '),
      t.undetermined.map((f) => f.checkId).join(' '),
      t.triggers.map((f) => `${f.checkId}:${f.status}`).join(' '),
      t.treatment,
      t.controls.join(' '),
    ];
    rows.push(csvRow(cells));
  }
  return `${rows.join('\r\n')}\r\n`;
}
