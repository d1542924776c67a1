import { Command, CommanderError } from 'commander';
import { terminalText } from '../core/terminal-text.ts';
import { ChromiumNotFoundError } from '../report/chromium.ts';
import { StoreError } from '../store/errors.ts';
import { VERSION } from '../version.ts';
import { OutputWriteError } from './atomic-write.ts';
import { registerBoundaries } from './boundaries.ts';
import { registerChecks } from './checks.ts';
import { ConfigError } from './config.ts';
import { registerControls } from './controls.ts';
import { registerDiff } from './diff.ts';
import { registerDrift } from './drift.ts';
import { registerExpand } from './expand.ts';
import { registerHistory } from './history.ts';
import { registerInit } from './init.ts';
import { registerInnerSource } from './innersource.ts';
import { registerPush } from './push.ts';
import { registerReadiness } from './readiness.ts';
import { registerReport } from './report.ts';
import { registerScan } from './scan.ts';
import { UsageError } from './select-checks.ts';
import { registerServe } from './serve.ts';
import { registerServer } from './server.ts';
import { guardStdout, isBrokenPipe } from './stdout-guard.ts';
import { registerTra } from './tra.ts';
import { registerTrend } from './trend.ts';

/** Builds the `assay` command line; one file per command registers itself here. */
export function buildProgram(): Command {
  const program = new Command('assay')
    .description(
      'assurance-as-code: evidence from infrastructure as code turned into findings mapped to controls',
    )
    .version(VERSION)
    .option('--debug', 'show the stack trace of an unexpected error')
    .showHelpAfterError()
    .exitOverride();
  registerInit(program);
  registerScan(program);
  registerTra(program);
  registerDrift(program);
  registerBoundaries(program);
  registerExpand(program);
  registerChecks(program);
  registerControls(program);
  registerHistory(program);
  registerDiff(program);
  registerTrend(program);
  registerServe(program);
  registerServer(program);
  registerPush(program);
  registerReport(program);
  registerInnerSource(program);
  registerReadiness(program);
  return program;
}

/** Runs the CLI; returns the exit code. Usage and config problems exit 2 with a one-line message. */
export async function main(argv: string[]): Promise<number> {
  guardStdout();
  const program = buildProgram();
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
      err instanceof OutputWriteError
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
