import type { Command } from 'commander';
import { azureChecks } from '../azure/checks/index.ts';
import { assessedInputKinds } from '../azure/sources/index.ts';
import { renderTraHtml, renderTraMarkdown, type TraReportInput } from '../azure/tra/document.ts';
import { THREAT_CHECKS } from '../azure/tra/findings.ts';
import { RATINGS, type RiskRating, ratingRank } from '../azure/tra/matrix.ts';
import { renderRegisterCsv, renderRegisterJson } from '../azure/tra/register.ts';
import { normaliseClassification } from '../azure/tra/rules.ts';
import { runTra } from '../azure/tra/run.ts';
import { runScope } from '../core/run-scope.ts';
import { FORMATS } from '../report/index.ts';
import { BOUNDARY_HELP, boundaryFromFlags } from './boundaries.ts';
import { addBudgetOptions, type BudgetFlags, budgetsFrom } from './budget-options.ts';
import { type Domain, runPipeline } from './pipeline.ts';
import { UsageError } from './select-checks.ts';
import { addSharedOptions, type SharedFlags } from './shared-flags.ts';
import { addTemplateOptions, type TemplateFlags, templateInputs } from './template-options.ts';

export const TRA_FORMATS = ['markdown', 'json', 'csv', 'html', 'pdf'] as const;
const LEVELS = [...RATINGS.map((r) => r.toLowerCase()), 'none'];

export interface TraFlags extends TemplateFlags, BudgetFlags, SharedFlags {
  boundary?: string;
  riskAppetite?: string;
}

export function parseRating(flag: string, value: string): RiskRating {
  const found = RATINGS.find((r) => r.toLowerCase() === value.toLowerCase());
  if (!found)
    throw new UsageError(
      `${flag} expects one of ${RATINGS.map((r) => r.toLowerCase()).join(', ')}; got '${value}'`,
    );
  return found;
}

export function registerTra(program: Command): void {
  const tra = program
    .command('tra')
    .description(
      'threat-and-risk assessment: architecture model, internet exposure, STRIDE threats rated on a 5 x 5 matrix, and data residency',
    )
    .argument('[paths...]', 'template files or folders (default: config scan.paths, else .)')
    .option('--boundary <name>', BOUNDARY_HELP)
    .option(
      '--classification <marking>',
      "the document's protective marking, and the data classification where resources have no tag (its consequence floor): UNOFFICIAL, OFFICIAL, OFFICIAL: Sensitive, PROTECTED, SECRET, TOP SECRET; NZ PSR levels and free text mark the document only",
    )
    .option(
      '--risk-appetite <rating>',
      'highest residual rating accepted without treatment: low, medium, high, extreme (default medium)',
    );
  addSharedOptions(
    addBudgetOptions(addTemplateOptions(tra, 'fixed time for utcNow() and the document, ISO 8601')),
    {
      formats: [...TRA_FORMATS, ...FORMATS.filter((f) => !(TRA_FORMATS as readonly string[]).includes(f))],
      defaultFormat: 'markdown',
      reportFormats: FORMATS,
      failOn: { subject: 'a threat above the risk appetite', values: LEVELS, default: 'none' },
    },
  ).action(async (paths: string[], flags: TraFlags) => {
    process.exitCode = await runTraCommand(paths, flags);
  });
}

/** Runs `assay tra`; returns the exit code (0 done, 1 input errors or --fail-on, 2 stopped). */
export function runTraCommand(paths: string[], flags: TraFlags): Promise<number> {
  const appetite = flags.riskAppetite ? parseRating('--risk-appetite', flags.riskAppetite) : 'Medium';
  return runPipeline(traDomain(paths, flags, appetite), flags);
}

/** The TRA document is rendered from the whole result; `--report` writes the assessment beside it. */
export function traDomain(paths: string[], flags: TraFlags, appetite: RiskRating): Domain<TraReportInput> {
  const text = (render: (input: TraReportInput) => string) => ({
    pieces: (input: TraReportInput) => [render(input)],
  });
  return {
    kind: 'tra',
    section: {
      name: 'scan',
      // The document's format and gate are the TRA's own; the check and waiver settings are the scan's.
      read: ({ scan = {} }) => ({
        checks: scan.checks,
        skipChecks: scan.skipChecks,
        ruleSet: scan.ruleSet,
        waivers: scan.waivers,
        baselines: scan.baselines,
        catalog: scan.catalog,
      }),
    },
    defaultFormat: 'markdown',
    documents: {
      markdown: text(renderTraMarkdown),
      html: text(renderTraHtml),
      json: text(renderRegisterJson),
      csv: text(renderRegisterCsv),
      pdf: {
        async writeFile(input, file) {
          const { writeTraPdf } = await import('../azure/tra/pdf.ts');
          await writeTraPdf(renderTraHtml(input), file, input.assessment.marking?.text);
        },
      },
    },
    reportsDocuments: false,
    gate: {
      values: LEVELS,
      default: 'none',
      fails: (input, _assessment, level) => {
        const floor = ratingRank(parseRating('--fail-on', level));
        return input.threats.some((t) => t.status === 'fail' && ratingRank(t.residual.rating) >= floor);
      },
    },
    knownChecks: azureChecks,
    extraMetas: THREAT_CHECKS,
    async run(ctx) {
      const boundary = boundaryFromFlags(flags.boundary, ctx.config);
      // The marking's classification is also the data's where resources carry no tag; only PSPF levels set a floor.
      const marked = ctx.marking?.classification;
      const classification = marked && normaliseClassification(marked) ? marked : undefined;
      const { targets, options } = templateInputs(paths, flags, ctx.config);
      // A threat whose aggravating check was left out is rated without it.
      const result = await runTra(targets, {
        ...options,
        checks: ctx.select(azureChecks),
        waivers: ctx.waivers,
        ...(boundary ? { boundary } : {}),
        ...(classification ? { classification } : {}),
        appetite,
        budgets: budgetsFrom(flags, ctx.config.scan?.budgets),
        onProgress: (done, total, file) => ctx.progress.update(done, total, file),
      });
      const { assessment } = result;
      assessment.scope = runScope('tra', targets, { boundary: boundary?.name });
      const input: TraReportInput = {
        assessment,
        model: result.model,
        threats: result.threats,
        ...(boundary ? { boundary } : {}),
        ...(classification ? { classification } : {}),
        appetite,
        ...(options.now ? { generatedAt: options.now } : {}),
      };
      const templates = assessment.inputs.filter((i) => assessedInputKinds().has(i.kind)).length;
      return {
        assessment,
        result: input,
        ...(marked && !classification
          ? {
              notes: [
                `classification '${marked}' marks the document but sets no consequence floor (docs/tra.md)`,
              ],
            }
          : {}),
        ...(templates === 0 ? { empty: `no ARM deployment templates found in ${targets.join(', ')}` } : {}),
      };
    },
  };
}
