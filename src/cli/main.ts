import { Command, CommanderError } from 'commander';
import { terminalText } from '../core/terminal-text.ts';
import { ParquetError } from '../export/parquet.ts';
import { ChromiumNotFoundError } from '../report/chromium.ts';
import { StoreError } from '../store/errors.ts';
import { VERSION } from '../version.ts';
import { OutputWriteError } from './atomic-write.ts';
import { ConfigError, UsageError } from './errors.ts';
import { guardStdout, isBrokenPipe } from './stdout-guard.ts';

type Register = (program: Command) => void;

/**
 * Every top-level command, in help order, with the module that registers it. A command's
 * module (and what it imports: DuckDB, zod schemas, the checks) is loaded only when that
 * command runs, so `assay --version` and `assay checks` start fast.
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Register>]> = [
  ['init', async () => (await import('./init.ts')).registerInit],
  ['scan', async () => (await import('./scan.ts')).registerScan],
  ['tra', async () => (await import('./tra.ts')).registerTra],
  ['drift', async () => (await import('./drift.ts')).registerDrift],
  ['boundaries', async () => (await import('./boundaries.ts')).registerBoundaries],
  ['expand', async () => (await import('./expand.ts')).registerExpand],
  ['checks', async () => (await import('./checks.ts')).registerChecks],
  ['controls', async () => (await import('./controls.ts')).registerControls],
  ['history', async () => (await import('./history.ts')).registerHistory],
  ['diff', async () => (await import('./diff.ts')).registerDiff],
  ['trend', async () => (await import('./trend.ts')).registerTrend],
  ['export', async () => (await import('./export.ts')).registerExport],
  ['serve', async () => (await import('./serve.ts')).registerServe],
  ['server', async () => (await import('./server.ts')).registerServer],
  ['push', async () => (await import('./push.ts')).registerPush],
  ['jobs', async () => (await import('./jobs.ts')).registerJobs],
  ['worker', async () => (await import('./worker.ts')).registerWorker],
  ['report', async () => (await import('./report.ts')).registerReport],
  ['pack', async () => (await import('./pack.ts')).registerPack],
  ['innersource', async () => (await import('./innersource.ts')).registerInnerSource],
  ['readiness', async () => (await import('./readiness.ts')).registerReadiness],
  ['completion', async () => (await import('./completion.ts')).registerCompletion],
];

/** Names of the top-level commands, in help order. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.map(([name]) => name);

/**
 * Which commands `argv` needs: the one it names, none for a bare `--version`, and all of them
 * otherwise (top-level help, a mistyped command that commander suggests a fix for).
 */
function commandsFor(argv: readonly string[]): readonly string[] {
  const word = argv.find((a) => !a.startsWith('-'));
  if (word !== undefined && COMMAND_NAMES.includes(word)) return [word];
  if (word === undefined && (argv.includes('--version') || argv.includes('-V'))) return [];
  return COMMAND_NAMES;
}

/**
 * Builds the `assay` command line; one file per command registers itself here. Without
 * `argv`, every command is registered (completion, tests); with it, only what it runs.
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('assay')
    .description(
      'assurance-as-code: evidence from infrastructure as code turned into findings mapped to controls',
    )
    .version(VERSION)
    .option('--debug', 'show the stack trace of an unexpected error')
    .showHelpAfterError()
    .exitOverride();
  const wanted = new Set(argv === undefined ? COMMAND_NAMES : commandsFor(argv));
  const registers = await Promise.all(
    COMMANDS.filter(([name]) => wanted.has(name)).map(([, load]) => load()),
  );
  for (const register of registers) register(program);
  return program;
}

/** Runs the CLI; returns the exit code. Usage and config problems exit 2 with a one-line message. */
export async function main(argv: string[]): Promise<number> {
  guardStdout();
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; a bad flag exits 2 (commander already printed the message).
      return err.exitCode === 0 ? 0 : 2;
    }
    if (
      err instanceof UsageError ||
      err instanceof ConfigError ||
      err instanceof StoreError ||
      err instanceof ChromiumNotFoundError ||
      err instanceof OutputWriteError ||
      err instanceof ParquetError
    ) {
      process.stderr.write(`assay: ${terminalText(err.message)}\n`);
      return 2;
    }
    if (isBrokenPipe(err)) return typeof process.exitCode === 'number' ? process.exitCode : 0;
    // One line with a hint; the stack only when asked for (`--debug`).
    const debug = argv.includes('--debug');
    const text = err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message) : String(err);
    process.stderr.write(
      `assay: unexpected error: ${debug ? text : terminalText(text.split('\n')[0] ?? '')}${debug ? '' : ' (run again with --debug for the stack trace, and report it)'}\n`,
    );
    return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/src/cli/main.ts')) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
