import type { Command } from 'commander';
import { builtInCheckMetas, ruleSetId } from '../checks-catalog.ts';
import { controlText } from '../controls/catalog.ts';
import { maxOf } from '../core/extent.ts';
import { renderCheckDoc } from '../report/check-docs.ts';
import { loadCatalog } from './controls.ts';
import { UsageError } from './select-checks.ts';

export function registerChecks(program: Command): void {
  program
    .command('checks')
    .description('list every check with its severity, subject types and controls')
    .option('-f, --format <format>', 'table or json', 'table')
    .option('--kind <kind>', 'only checks of one subject kind, e.g. azure-resource, innersource-repository')
    .option('--rule-set', "print only the rule set's id, for pinning with scan --rule-set")
    .action((flags: { format: string; kind?: string; ruleSet?: boolean }) => {
      if (flags.ruleSet) {
        process.stdout.write(`${ruleSetId()}\n`);
        return;
      }
      const metas = builtInCheckMetas().filter((m) => !flags.kind || m.subjectKind === flags.kind);
      if (metas.length === 0) throw new UsageError(`no checks of kind '${flags.kind}'`);
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify(metas, null, 2)}\n`);
        return;
      }
      if (flags.format !== 'table')
        throw new UsageError(`unknown format '${flags.format}'; expected table or json`);
      const idWidth = maxOf(metas, (m) => m.id.length, 0);
      for (const m of metas) {
        const e8 = m.essentialEight?.length ? `  E8: ${m.essentialEight.join(', ')}` : '';
        process.stdout.write(`${m.id.padEnd(idWidth)}  ${m.severity.padEnd(8)}  ${m.title}\n`);
        process.stdout.write(
          `${' '.repeat(idWidth)}  ${' '.repeat(8)}  ${m.subjectTypes.join(', ')}  [${m.controls.join(', ')}]${e8}\n`,
        );
      }
      process.stdout.write(`\n${metas.length} checks; rule set ${ruleSetId()}\n`);
    });

  program
    .command('explain')
    .description("print a check's documentation: rationale, remediation, controls")
    .argument('<check-id>', 'check id, e.g. AZ-STORAGE-001')
    .option(
      '--catalog <file-or-name>',
      'show control statements from this catalog (default: the imported one)',
    )
    .action((id: string, flags: { catalog?: string }) => {
      const metas = builtInCheckMetas();
      const meta = metas.find((m) => m.id.toLowerCase() === id.toLowerCase());
      if (!meta) {
        const close = metas
          .filter((m) => m.id.toLowerCase().startsWith(id.toLowerCase().slice(0, 5)))
          .map((m) => m.id);
        throw new UsageError(
          `no check '${id}'${close.length ? `; did you mean ${close.slice(0, 5).join(', ')}?` : ''}`,
        );
      }
      process.stdout.write(renderCheckDoc(meta, controlText(loadCatalog(flags.catalog))));
    });
}
