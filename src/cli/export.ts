/**
 * `assay export --format parquet -o DIR`: the saved runs and their findings as Parquet files
 * (runs.parquet, findings.parquet) for an analytics database (ClickHouse, Azure Data Explorer)
 * that holds more history than one project's store. docs/export.md.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { FINDING_COLUMNS, findingRows, RUN_COLUMNS, runRow } from '../export/history-tables.ts';
import { writeParquet } from '../export/parquet.ts';
import type { RunSummary } from '../store/store.ts';
import { loadConfig } from './config.ts';
import { UsageError } from './errors.ts';
import { addStoreOption, openHistory, type StoreFlags, storePath } from './store-options.ts';

interface ExportFlags extends StoreFlags {
  format?: string;
  output?: string;
  domain?: string;
  run?: string[];
  sinceRun?: string;
  config?: string;
}

const FORMATS = ['parquet'];

function runNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} expects a run number, got '${value}'`);
  return n;
}

export function registerExport(program: Command): void {
  const command = program
    .command('export')
    .description('write the saved runs and their findings as Parquet files, for an analytics database')
    .option('-f, --format <format>', `output format: ${FORMATS.join(', ')}`, 'parquet')
    .option('-o, --output <dir>', 'folder for runs.parquet and findings.parquet (created when missing)')
    .option('--domain <domain>', 'only runs of this domain, e.g. azure')
    .option('--run <n...>', 'only these run numbers')
    .option('--since-run <n>', 'only runs after this run number (incremental exports)')
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)');
  addStoreOption(command).action(async (flags: ExportFlags) => {
    process.exitCode = await runExport(flags);
  });
}

export async function runExport(flags: ExportFlags): Promise<number> {
  const format = flags.format ?? 'parquet';
  if (!FORMATS.includes(format))
    throw new UsageError(`unknown format '${format}'; expected ${FORMATS.join(', ')}`);
  if (!flags.output)
    throw new UsageError('export needs --output <dir>: it writes runs.parquet and findings.parquet there');
  const only = flags.run?.length ? new Set(flags.run.map((r) => runNumber('--run', r))) : undefined;
  const since = flags.sinceRun === undefined ? undefined : runNumber('--since-run', flags.sinceRun);
  const { config } = loadConfig(flags.config);
  const store = await openHistory(storePath(flags, config), true);
  try {
    const all = await store.listRuns(flags.domain ? { domain: flags.domain } : {});
    const runs: RunSummary[] = all
      .filter((r) => (only ? only.has(r.run) : true) && (since === undefined || r.run > since))
      .sort((a, b) => a.run - b.run);
    if (only)
      for (const n of only)
        if (!runs.some((r) => r.run === n)) throw new UsageError(`no run ${n} in the store`);
    mkdirSync(flags.output, { recursive: true });
    const runsFile = join(flags.output, 'runs.parquet');
    const findingsFile = join(flags.output, 'findings.parquet');
    await writeParquet(runsFile, RUN_COLUMNS, runs.map(runRow));
    const written = await writeParquet(findingsFile, FINDING_COLUMNS, findingRows(store, runs));
    process.stderr.write(
      `assay: ${runs.length} run(s) to ${runsFile}, ${written.rows} finding(s) to ${findingsFile}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
