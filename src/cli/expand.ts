import type { Command } from 'commander';
import { azureModelJson } from '../azure/model-json.ts';
import { scanAzure } from '../azure/scan.ts';
import { assessedInputKinds } from '../azure/sources/index.ts';
import { faultsOf } from '../core/assessment.ts';
import { formatLocation, oneLine } from '../report/util.ts';
import { loadConfig } from './config.ts';
import { writeOutput } from './output.ts';
import { UsageError } from './select-checks.ts';
import { addTemplateOptions, type TemplateFlags, templateInputs } from './template-options.ts';
import { textTable } from './text-table.ts';

interface ExpandFlags extends TemplateFlags {
  format?: string;
  output?: string;
}

/**
 * `assay expand`: what assay believes will be deployed. The templates are expanded exactly as
 * `scan` expands them, and the normalised model that checks, residency and the TRA read is
 * printed instead of being checked (docs/azure-model.md).
 */
export function registerExpand(program: Command): void {
  const command = program
    .command('expand')
    .description('print the normalised Azure model of templates: every resource instance as assay expands it')
    .argument('[paths...]', 'template files or folders (default: config scan.paths, else .)')
    .option('-f, --format <format>', 'json (the whole model) or table (one line per resource)', 'table')
    .option('-o, --output <file>', 'write to a file instead of stdout');
  addTemplateOptions(command).action(async (paths: string[], flags: ExpandFlags) => {
    process.exitCode = await runExpand(paths, flags);
  });
}

async function runExpand(paths: string[], flags: ExpandFlags): Promise<number> {
  const format = flags.format ?? 'table';
  if (format !== 'json' && format !== 'table')
    throw new UsageError(`unknown format '${format}'; expected json or table`);
  const { config } = loadConfig(flags.config);
  const { targets, options } = templateInputs(paths, flags, config);
  const { assessment, resources } = await scanAzure(targets, { ...options, checks: [] });
  const model = azureModelJson(resources, assessment);
  if (format === 'json') writeOutput(`${JSON.stringify(model, null, 2)}\n`, flags.output);
  else {
    const rows = model.resources.map((r) => [
      formatLocation(r.source.file, r.source.line, r.source.column),
      r.type,
      typeof r.name === 'string' ? oneLine(r.name) : `<unknown: ${oneLine(r.name.$unknown)}>`,
      r.relations.parent && !r.relations.parentDeclared ? 'parent not in scan' : '',
    ]);
    const head = `${model.resources.length} resource(s) from ${assessment.inputs.filter((i) => assessedInputKinds().has(i.kind)).length} template(s)`;
    writeOutput(
      `${head}\n${rows.length ? `${textTable(['LOCATION', 'TYPE', 'NAME', 'NOTE'], rows, new Set())}\n` : ''}`,
      flags.output,
    );
  }
  for (const e of assessment.errors)
    process.stderr.write(`assay: ${e.file}${e.line ? `:${e.line}` : ''}: ${e.code}: ${oneLine(e.message)}\n`);
  // Template faults: the model is of a deployment ARM refuses (the faulted values are unknown in it).
  for (const e of faultsOf(assessment))
    process.stderr.write(
      `assay: ${e.file}${e.line ? `:${e.line}` : ''}: template fault ${e.code}: ${oneLine(e.message)}\n`,
    );
  if (assessment.inputs.length === 0) {
    process.stderr.write(`assay: no ARM deployment templates found in ${targets.join(', ')}\n`);
    return 2;
  }
  return assessment.errors.length > 0 || faultsOf(assessment).length > 0 ? 1 : 0;
}
