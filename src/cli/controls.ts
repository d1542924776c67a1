/**
 * `assay controls import|list|show` and `assay baselines`: the control catalogs kept in the
 * project store (`.assay/catalogs/`) and the baselines built on them. Also the helpers `scan`
 * and `explain` use to load a catalog and resolve `--baseline`.
 */

import type { Command } from 'commander';
import { azureChecks } from '../azure/checks/index.ts';
import { builtInCheckMetas } from '../checks-catalog.ts';
import {
  BaselineError,
  BUILTIN_BASELINES,
  builtinControls,
  type ResolvedBaseline,
  resolveBaseline,
} from '../controls/baselines.ts';
import { type Catalog, CatalogError, displayTitle, findControl } from '../controls/catalog.ts';
import { componentDefinition } from '../controls/component.ts';
import {
  builtinMappings,
  type FrameworkMapping,
  loadMappingFile,
  MappingError,
  mapAssessment,
  mapMeta,
  projectMappings,
} from '../controls/mappings.ts';
import { CATALOG_HINT, CatalogStore, catalogFor } from '../controls/store.ts';
import { buildMatrix } from '../core/compliance.ts';
import { maxOf } from '../core/extent.ts';
import type { Assessment, CheckMeta, ComplianceMatrix } from '../core/model.ts';
import { VERSION } from '../version.ts';
import { writeOutput } from './output.ts';
import { UsageError } from './select-checks.ts';

/** Catalog and baseline problems stop the command like any usage error: exit 2, one message. */
export function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CatalogError || err instanceof BaselineError || err instanceof MappingError)
      throw new UsageError(err.message);
    throw err;
  }
}

/** The catalog for a command: `--catalog` (file or imported name), else the imported default. */
export function loadCatalog(spec: string | undefined): Catalog | undefined {
  return asUsage(() => catalogFor(spec));
}

export interface PreparedBaselines {
  baselines: ResolvedBaseline[];
  /** Lines for stderr: profile warnings and, when a built-in had no catalog, the import hint. */
  messages: string[];
}

/** Resolves every `--baseline` before the scan runs, so a bad name stops the run at once. */
export function prepareBaselines(
  specs: readonly string[],
  catalogSpec: string | undefined,
  checks: readonly CheckMeta[],
): PreparedBaselines {
  if (specs.length === 0) return { baselines: [], messages: [] };
  const catalog = loadCatalog(catalogSpec);
  const baselines = specs.map((spec) => asUsage(() => resolveBaseline(spec, { catalog, checks })));
  const messages = baselines.flatMap((b) => b.warnings.map((w) => `warning: ${w}`));
  if (baselines.some((b) => b.withoutCatalog)) messages.push(`hint: ${CATALOG_HINT}`);
  return { baselines, messages };
}

/**
 * The matrices of a scan. Without a catalog a built-in is what the checks that ran cite (fewer
 * than those selected when some only run with an option). The project's own mapping files
 * (`.assay/mappings/*.json`) add their control ids first, so a user framework is assessed too.
 */
export function complianceFor(
  prepared: PreparedBaselines,
  scanned: Assessment,
  mappings: readonly FrameworkMapping[] = asUsage(() => projectMappings()),
): ComplianceMatrix[] {
  const assessment = mapAssessment(scanned, mappings);
  return prepared.baselines.map((b) => {
    const input = b.withoutCatalog
      ? resolveBaseline(b.input.name, { checks: assessment.checks }).input
      : b.input;
    return buildMatrix(assessment, input);
  });
}

function checksCiting(id: string): CheckMeta[] {
  const mappings = asUsage(() => projectMappings());
  return azureChecks
    .map((c) => mapMeta(c.meta, mappings))
    .filter((m) => m.controls.some((c) => c.toLowerCase() === id.toLowerCase()));
}

export interface ExportComponentOptions {
  /** Further mapping files; with the project's `.assay/mappings/*.json` they may define new frameworks. */
  mappings?: readonly string[];
  root?: string;
  now?: string;
}

/** The OSCAL component-definition (JSON text) of a framework: ism, e8, nzism, or one a mapping file defines. */
export function exportComponent(framework: string, options: ExportComponentOptions = {}): string {
  return asUsage(() => {
    const extra = [
      ...projectMappings(options.root),
      ...(options.mappings ?? []).map((f) => loadMappingFile(f)),
    ];
    const all = [...builtinMappings(), ...extra];
    const mapping = all.filter((m) => m.framework === framework.toLowerCase()).at(-1);
    if (!mapping)
      throw new UsageError(
        `unknown framework '${framework}'; expected one of ${[...new Set(all.map((m) => m.framework))].join(', ')}`,
      );
    const metas = builtInCheckMetas().map((m) => mapMeta(m, extra));
    const doc = componentDefinition(metas, mapping, {
      version: VERSION,
      ...(options.now ? { now: options.now } : {}),
    });
    return `${JSON.stringify(doc, null, 2)}\n`;
  });
}

export function registerControls(program: Command): void {
  const controls = program
    .command('controls')
    .description('control catalogs: import the ISM (OSCAL) or the NZISM (XML), list them, show a control');

  controls
    .command('import')
    .description('check a catalog and keep it in .assay/catalogs/ (OSCAL JSON catalog, or NZISM XML)')
    .argument('<path-or-url>', 'catalog file or https URL')
    .option('--name <name>', 'name in the store (default: ism, nzism, or from the title)')
    .option('--catalog-version <version>', 'catalog version, for an NZISM XML file that does not state it')
    .action(async (spec: string, flags: { name?: string; catalogVersion?: string }) => {
      const store = new CatalogStore();
      try {
        const entry = await store.import(spec, {
          ...(flags.name ? { name: flags.name } : {}),
          ...(flags.catalogVersion ? { version: flags.catalogVersion } : {}),
        });
        process.stdout.write(
          `imported '${entry.name}': ${entry.title} ${entry.version}, ${entry.controls} controls (sha256 ${entry.sha256.slice(0, 12)}...) into ${store.dir}\n`,
        );
      } catch (err) {
        if (err instanceof CatalogError) throw new UsageError(err.message);
        throw err;
      }
    });

  controls
    .command('list')
    .description('the catalogs imported into this project')
    .option('-f, --format <format>', 'table or json', 'table')
    .action((flags: { format: string }) => {
      const entries = asUsage(() => new CatalogStore().list());
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      if (flags.format !== 'table')
        throw new UsageError(`unknown format '${flags.format}'; expected table or json`);
      if (entries.length === 0) {
        process.stdout.write(`no catalogs imported\nhint: ${CATALOG_HINT}\n`);
        return;
      }
      const w = maxOf(entries, (e) => e.name.length, 0);
      for (const e of entries)
        process.stdout.write(
          `${e.name.padEnd(w)}  ${e.title} ${e.version}  ${e.controls} controls  imported ${e.importedAt}  from ${e.source}\n`,
        );
    });

  controls
    .command('show')
    .description("a control's statement and the checks that evidence it")
    .argument('<id>', 'control id (ism-1139) or label (GOV-01, 13.6.6.C.01)')
    .option('--catalog <file-or-name>', 'catalog file, or the name of an imported catalog')
    .action((id: string, flags: { catalog?: string }) => {
      const catalog = loadCatalog(flags.catalog);
      const control = catalog ? findControl(catalog, id) : undefined;
      if (catalog && !control)
        throw new UsageError(`no control '${id}' in ${catalog.title} ${catalog.version}`);
      const controlId = control?.id ?? id;
      const lines: string[] = [];
      if (control) {
        lines.push(`${control.id}: ${displayTitle(control)}${control.label ? ` (${control.label})` : ''}`);
        lines.push(`  catalog: ${catalog?.title} ${catalog?.version}`);
        if (control.class)
          lines.push(
            `  class: ${control.class}${control.manual ? ' (manual: no automated check can evidence it)' : ''}`,
          );
        if (control.groups.length > 0) lines.push(`  section: ${control.groups.join(' > ')}`);
        const applies = control.props.filter(
          (p) => p.name.endsWith('applicability') || p.name === 'compliance' || p.name === 'classification',
        );
        if (applies.length > 0) lines.push(`  ${applies.map((p) => `${p.name}=${p.value}`).join(', ')}`);
        lines.push('', ...(control.statement ?? '(no statement)').split('\n').map((l) => `  ${l}`), '');
      } else {
        lines.push(controlId, '');
      }
      const citing = checksCiting(controlId);
      lines.push(citing.length === 0 ? 'No check evidences it.' : `Evidenced by ${citing.length} check(s):`);
      for (const m of citing) lines.push(`  ${m.id}  ${m.severity}  ${m.title}`);
      process.stdout.write(`${lines.join('\n')}\n`);
      if (!catalog) process.stderr.write(`hint: ${CATALOG_HINT}\n`);
    });

  controls
    .command('export-component')
    .description(
      'an OSCAL component-definition of the checks and the controls of one framework they evidence',
    )
    .requiredOption('--framework <name>', 'ism, e8, nzism, or a framework a mapping file defines')
    .option('--mappings <file...>', 'further control mapping files (JSON; see docs/controls.md)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((flags: { framework: string; mappings?: string[]; output?: string }) => {
      writeOutput(exportComponent(flags.framework, { mappings: flags.mappings ?? [] }), flags.output);
    });

  program
    .command('baselines')
    .description('the built-in baselines, with their control counts when a catalog is available')
    .option('--catalog <file-or-name>', 'catalog file, or the name of an imported catalog')
    .action((flags: { catalog?: string }) => {
      const catalog = loadCatalog(flags.catalog);
      const w = maxOf(BUILTIN_BASELINES, (b) => b.name.length, 0);
      for (const b of BUILTIN_BASELINES) {
        const count = catalog ? `${builtinControls(b, catalog).length} controls` : 'needs a catalog';
        process.stdout.write(`${b.name.padEnd(w)}  ${b.title}  (${b.prop}=${b.value}; ${count})\n`);
      }
      process.stdout.write(
        catalog
          ? `\nresolved against ${catalog.title} ${catalog.version}; --baseline also takes the path of an OSCAL profile\n`
          : `\n--baseline also takes the path of an OSCAL profile\nhint: ${CATALOG_HINT}\n`,
      );
    });
}
