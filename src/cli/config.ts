import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { yaml } from '../core/lazy-yaml.ts';
import { ConfigError } from './errors.ts';

export const CONFIG_FILE = 'assay.config.yaml';

const severity = z.enum(['critical', 'high', 'medium', 'low', 'info', 'none']);
// The same list as src/report/index.ts FORMATS; a test keeps the two equal.
const reportFormat = z.enum([
  'table',
  'json',
  'sarif',
  'junit',
  'markdown',
  'csv',
  'oscal-ar',
  'oscal-poam',
  'compact',
  'github',
]);

/**
 * Defaults for the shared flags of a domain command other than scan (docs/cli.md, "Shared
 * flags"). Formats are checked when the command runs: each command has its own documents.
 */
function domainSection(command: string) {
  return z
    .object({
      format: z.string().optional().describe('Format written to stdout or --output.'),
      output: z.string().optional().describe('File for the main output; stdout when omitted.'),
      reports: z
        .array(z.object({ format: z.string(), output: z.string() }).strict())
        .optional()
        .describe('Further reports written in the same run.'),
      failOn: severity
        .optional()
        .describe('Exit 1 when a failed finding is at or above this severity; none never fails.'),
      checks: z.array(z.string()).optional().describe('Run only these check ids (globs allowed).'),
      skipChecks: z.array(z.string()).optional().describe('Skip these check ids (globs allowed).'),
      ruleSet: z.string().optional().describe('Pin the built-in rule set (assay checks --rule-set).'),
      waivers: z
        .string()
        .optional()
        .describe('Risk acceptances file (default: ./assay.waivers.yaml when present).'),
      baselines: z.array(z.string()).optional().describe('Baselines to evaluate, or OSCAL profile files.'),
      catalog: z.string().optional().describe('Control catalog for this run: a file or an imported name.'),
    })
    .strict()
    .optional()
    .describe(`Defaults for \`assay ${command}\`; its command-line flags win over them.`);
}

/** `assay.config.yaml`: defaults for `assay scan`; command-line flags win over it. */
export const configSchema = z
  .object({
    $schema: z.string().optional(),
    scan: z
      .object({
        paths: z
          .array(z.string())
          .optional()
          .describe('Files or folders to scan when none are given on the command line.'),
        format: reportFormat.optional().describe('Format written to stdout or --output.'),
        output: z.string().optional().describe('File for the main report; stdout when omitted.'),
        reports: z
          .array(z.object({ format: reportFormat, output: z.string() }).strict())
          .optional()
          .describe('Further reports written in the same run.'),
        failOn: severity
          .optional()
          .describe('Exit 1 when a failed finding is at or above this severity; none never fails.'),
        checks: z
          .array(z.string())
          .optional()
          .describe('Run only these check ids (globs allowed, e.g. AZ-STORAGE-*).'),
        skipChecks: z.array(z.string()).optional().describe('Skip these check ids (globs allowed).'),
        ruleSet: z
          .string()
          .optional()
          .describe('Pin the built-in rule set (assay checks --rule-set): a scan with another one stops.'),
        parameterFiles: z.array(z.string()).optional().describe('Parameter files applied to every template.'),
        parameters: z
          .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
          .optional()
          .describe('Parameter values applied to every template, as with -p name=value.'),
        scope: z
          .object({
            tenantId: z.string().optional(),
            subscriptionId: z.string().optional(),
            resourceGroupName: z.string().optional(),
            resourceGroupLocation: z
              .string()
              .optional()
              .describe(
                'Location returned by resourceGroup().location, and by deployment().location at subscription, management group or tenant scope; unknown when unset.',
              ),
            managementGroupName: z.string().optional(),
            deploymentName: z.string().optional(),
            environmentName: z.enum(['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud']).optional(),
          })
          .strict()
          .optional()
          .describe('Deployment scope seen by resourceGroup(), subscription(), tenant() and environment().'),
        now: z.string().optional().describe('Fixed time for utcNow(), ISO 8601; default is the scan time.'),
        jobs: z
          .number()
          .int()
          .positive()
          .optional()
          .describe(
            'Worker threads expanding template files at once, as with --jobs (default 1; only a scan of 32 templates and 8 MiB or more uses workers).',
          ),
        budgets: z
          .object({
            maxValueSize: z
              .union([z.number().int().positive(), z.string()])
              .optional()
              .describe('Largest evaluated value: bytes, or a size such as 8MiB (default 4MiB).'),
            maxResources: z
              .number()
              .int()
              .positive()
              .optional()
              .describe(
                'Resources one template file may expand to, nested deployments included (default 800).',
              ),
            maxSteps: z
              .number()
              .int()
              .positive()
              .optional()
              .describe('Evaluation steps per template file (default 5000000).'),
            templateTimeout: z
              .number()
              .positive()
              .optional()
              .describe('Seconds one template file may take to expand (default 10).'),
          })
          .strict()
          .optional()
          .describe(
            'Limits on the work one template file may cause (docs/security.md); a template over one is an input error and the others are still assessed.',
          ),
        catalog: z
          .string()
          .optional()
          .describe(
            'Control catalog for this project: an OSCAL catalog file, an NZISM XML file or an imported name.',
          ),
        baselines: z
          .array(z.string())
          .optional()
          .describe('Baselines to evaluate, e.g. ism-protected, e8-ml2, or an OSCAL profile file.'),
        waivers: z
          .string()
          .optional()
          .describe('Risk acceptances file (default: ./assay.waivers.yaml when present).'),
        boundary: z
          .string()
          .optional()
          .describe(
            'Sovereign boundary for the residency checks (au, au-canberra, nz, eu-data-boundary, fr, de, sg, us-gov, or one under boundaries:).',
          ),
      })
      .strict()
      .optional(),
    drift: domainSection('drift'),
    innersource: domainSection('innersource scan'),
    readiness: domainSection('readiness assess'),
    boundaries: z
      .record(
        z.string(),
        z
          .object({
            title: z.string().optional(),
            regions: z
              .array(z.string())
              .optional()
              .describe('Regions by programmatic name, e.g. australiaeast.'),
            countries: z
              .array(z.string())
              .optional()
              .describe('Every known region in these countries (ISO 3166-1 alpha-2).'),
            clouds: z
              .array(z.enum(['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud']))
              .optional()
              .describe('Clouds the country selection is limited to; default AzureCloud.'),
          })
          .strict(),
      )
      .optional()
      .describe(
        'Project boundary profiles for --boundary, in addition to the built-in ones (docs/residency.md).',
      ),
    checks: z
      .object({
        plugins: z
          .array(z.string())
          .optional()
          .describe(
            "Modules (paths relative to this file) exporting `checks`: checks written with defineCheck from 'assay' (docs/library.md).",
          ),
        severity: z
          .record(z.string(), z.enum(['critical', 'high', 'medium', 'low', 'info']))
          .optional()
          .describe('Severity overrides by check id, e.g. AZ-STORAGE-006: low.'),
        options: z
          .record(z.string(), z.record(z.string(), z.unknown()))
          .optional()
          .describe(
            'Option values by check id, e.g. AZ-LOG-001: { minRetentionDays: 730 }; each check page under docs/checks lists its options and defaults.',
          ),
      })
      .strict()
      .optional()
      .describe('Checks the project adds, and the severities and options it sets for its own risk appetite.'),
    formats: z
      .object({
        plugins: z
          .array(z.string())
          .optional()
          .describe(
            'Modules (paths relative to this file) exporting `formats`: { name, render(assessment, options) }.',
          ),
      })
      .strict()
      .optional()
      .describe('Report formats the project adds; -f and --report accept their names.'),
    report: z
      .object({
        helpUri: z
          .string()
          .url()
          .optional()
          .describe(
            'SARIF rule help link, with {checkId} replaced, e.g. https://intranet.example/assay/{checkId}.',
          ),
        informationUri: z
          .string()
          .url()
          .optional()
          .describe("SARIF tool home page, e.g. the project's own docs."),
        classification: z
          .string()
          .optional()
          .describe(
            'Protective marking shown centred at the top and bottom of every page of every human-readable output and recorded in OSCAL metadata: OFFICIAL, OFFICIAL: Sensitive, PROTECTED, SECRET, TOP SECRET (PSPF), UNCLASSIFIED, IN-CONFIDENCE, SENSITIVE, RESTRICTED, CONFIDENTIAL (NZ PSR), or free text; --classification wins. Default: no marking.',
          ),
        caveats: z
          .array(z.string())
          .optional()
          .describe('Caveats added to the marking, e.g. [AUSTEO]; --caveat wins.'),
        imm: z
          .array(z.string())
          .optional()
          .describe(
            'Information management markers added to the marking: Legal-Privilege, Legislative-Secrecy, Personal-Privacy; --marking-imm wins.',
          ),
      })
      .strict()
      .optional()
      .describe('Settings of the reports every command writes.'),
    store: z
      .object({
        path: z
          .string()
          .optional()
          .describe(
            'History database: a DuckDB file, or a postgres:// URL (keep its password out of the config: PGPASSWORD or ~/.pgpass); ASSAY_STORE_URL wins over it; default .assay/assay.duckdb in the working folder.',
          ),
        save: z
          .boolean()
          .optional()
          .describe('Save every scan as a run (default: true when this config file is in use).'),
      })
      .strict()
      .optional()
      .describe('Where assay scan --save keeps the history read by assay history, diff and trend.'),
  })
  .strict();

export type AssayConfig = z.infer<typeof configSchema>;

export { ConfigError };

/** JSON Schema for editors (yaml-language-server, VS Code). */
export function configJsonSchema(): unknown {
  return {
    ...(z.toJSONSchema(configSchema, { target: 'draft-7' }) as object),
    title: 'assay configuration (assay.config.yaml)',
  };
}

/**
 * Loads the config file: the given path, else `assay.config.yaml` in the working folder,
 * else nothing. Problems name the file, line and setting.
 */
export function loadConfig(
  path: string | undefined,
  cwd = process.cwd(),
): { config: AssayConfig; file?: string } {
  const file = path ? resolve(cwd, path) : resolve(cwd, CONFIG_FILE);
  if (!existsSync(file)) {
    if (path) throw new ConfigError(`config file not found: ${path}`);
    return { config: {} };
  }
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const { line, col } = lineCounter.linePos(e.pos[0]);
    throw new ConfigError(`${file}:${line}:${col}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const node = doc.getIn(issue.path as (string | number)[], true) as
        | { range?: [number, number] }
        | undefined;
      const at = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
      const where = at ? `${file}:${at.line}:${at.col}` : file;
      return `${where}: ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  return { config: result.data, file };
}
