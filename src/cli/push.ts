/**
 * `assay push assessment.json --server URL`, and the push every assessing command does with
 * `--push URL` (docs/server.md, "Pushes"). The token comes only from ASSAY_TOKEN, never a flag,
 * so it stays out of process lists and CI logs of the command line.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { terminalText } from '../core/terminal-text.ts';
import { pushAssessment } from './push-client.ts';
import { UsageError } from './select-checks.ts';
import { TOKEN_ENV } from './serve.ts';

/** Pushes a serialized assessment; says what happened on stderr; true when the server has it. */
export async function pushRun(server: string, body: string, label: string | undefined): Promise<boolean> {
  const say = (line: string) => process.stderr.write(`assay: ${terminalText(line)}\n`);
  const result = await pushAssessment(server, body, process.env[TOKEN_ENV], {
    ...(label !== undefined ? { label } : {}),
    onRetry: say,
  });
  if (result.ok) {
    say(
      result.duplicate
        ? `the server had this assessment already, as run ${result.run} of project ${result.project}`
        : `pushed as run ${result.run} of project ${result.project}`,
    );
    return true;
  }
  say(`push to ${server} failed: ${result.message}`);
  return false;
}

export function registerPush(program: Command): void {
  program
    .command('push <assessment>')
    .description(
      `send an assessment (assay scan -f json) to assay server; the push token is read from ${TOKEN_ENV}`,
    )
    .requiredOption('--server <url>', 'the server, e.g. https://assay.example.org/')
    .option('--label <text>', 'label the run on the server, e.g. a release or commit')
    .action(async (file: string, flags: { server: string; label?: string }) => {
      let body: string;
      try {
        body = readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`${file}: ${(err as Error).message}`);
      }
      process.exitCode = (await pushRun(flags.server, body, flags.label)) ? 0 : 2;
    });
}
