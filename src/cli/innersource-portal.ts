/** `assay innersource portal`: a searchable catalog of the projects, the same run as `scan` with its own documents. */
import type { Command } from 'commander';
import { PORTAL_FORMATS, renderPortal } from '../innersource/portal.ts';
import type { InnerSourceReport } from '../innersource/scan.ts';
import { innerSourceDomain, type ScanFlags, scanOptions } from './innersource.ts';
import { runPipeline } from './pipeline.ts';

export function registerPortal(is: Command): void {
  scanOptions(
    is
      .command('portal')
      .description(
        'write a searchable catalog of the InnerSource projects, ranked by Repository Activity Score',
      ),
  )
    .option('-f, --format <format>', `portal format: ${PORTAL_FORMATS.join(', ')} (default: html)`)
    .option('-o, --output <file>', 'write the portal to a file instead of stdout')
    .action(async (paths: string[], flags: ScanFlags) => {
      process.exitCode = await runPortal(paths, flags);
    });
}

/** The portal is the same run with its own documents; it saves only when asked. */
function runPortal(paths: string[], flags: ScanFlags): Promise<number> {
  const scan = innerSourceDomain(paths, flags);
  const documents = Object.fromEntries(
    PORTAL_FORMATS.map((format) => [
      format,
      { pieces: (report: InnerSourceReport) => [renderPortal(format, report)] },
    ]),
  );
  return runPipeline(
    {
      ...scan,
      section: { name: 'innersource', read: (config) => ({ waivers: scan.section.read(config).waivers }) },
      defaultFormat: 'html',
      documents,
      reportsDocuments: false,
    },
    { ...flags, save: flags.save ?? false },
  );
}
