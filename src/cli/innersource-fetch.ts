/**
 * `assay innersource fetch-github`: pull requests, reviews, issues and comments of GitHub
 * repositories into the export folder `innersource scan --prs` reads; and the date flags
 * (`--since`, `--until`, `--now`) both commands parse.
 */
import type { Command } from 'commander';
import { oneLine, terminalText } from '../core/terminal-text.ts';
import { UsageError } from './select-checks.ts';

const DAY_MS = 86_400_000;

export function registerFetchGithub(is: Command): void {
  is.command('fetch-github')
    .description(
      'fetch pull requests, reviews, issues and comments of GitHub repositories into an export folder for --prs',
    )
    .argument('<repositories...>', 'owner/name of each repository')
    .requiredOption('-o, --out <folder>', 'export folder; each repository goes to <folder>/<name>/')
    .option('--since <date>', 'only pull requests created, and issues and comments updated, since then')
    .option('--token-env <name>', 'environment variable holding the token', 'GITHUB_TOKEN')
    .option('--api-url <url>', 'GitHub Enterprise Server API URL, e.g. https://github.example.com/api/v3')
    .action(async (repositories: string[], flags: FetchFlags) => {
      process.exitCode = await runFetchGithub(repositories, flags);
    });
}

interface FetchFlags {
  out: string;
  since?: string;
  tokenEnv: string;
  apiUrl?: string;
}

async function runFetchGithub(repositories: string[], flags: FetchFlags): Promise<number> {
  const targets = repositories.map((r) => {
    const m = /^([\w.-]+)\/([\w.-]+)$/.exec(r);
    if (!m) throw new UsageError(`expected owner/name, got '${r}'`);
    return { owner: m[1], repo: m[2] };
  });
  const since = flags.since ? parseWhen(flags.since, '--since', new Date()).toISOString() : undefined;
  const token = process.env[flags.tokenEnv];
  if (!token)
    process.stderr.write(
      `assay: ${flags.tokenEnv} is not set; fetching without a token (low rate limit, public data only)\n`,
    );
  const { fetchGithubExport, octokitClient } = await import('../innersource/github-fetch.ts');
  const client = await octokitClient(token, flags.apiUrl);
  let failed = 0;
  for (const t of targets) {
    try {
      const s = await fetchGithubExport(client, t.owner, t.repo, flags.out, {
        ...(since ? { since } : {}),
        onProgress: (m) => process.stderr.write(`assay: ${oneLine(m)}\n`),
      });
      process.stderr.write(
        `assay: ${t.owner}/${t.repo}: ${s.pulls} pull requests, ${s.reviews} reviews, ${s.issues} issues, ${s.issueComments + s.reviewComments} comments -> ${s.folder}\n`,
      );
    } catch (err) {
      failed++;
      const status = (err as { status?: number }).status;
      process.stderr.write(
        `assay: ${oneLine(`${t.owner}/${t.repo}`)}: ${status ? `HTTP ${status}: ` : ''}${terminalText((err as Error).message)}\n`,
      );
    }
  }
  return failed > 0 ? 1 : 0;
}

/** `2024-01-31`, an ISO time, or a span back from `from` (`90d`, `12w`, `6m`, `1y`). */
export function parseWhen(value: string, flag: string, from?: Date): Date {
  const span = /^(\d+)([dwmy])$/.exec(value.trim());
  if (span && from) {
    const days = Number(span[1]) * { d: 1, w: 7, m: 30, y: 365 }[span[2] as 'd' | 'w' | 'm' | 'y'];
    return new Date(from.getTime() - days * DAY_MS);
  }
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new UsageError(
      `${flag} expects a date (YYYY-MM-DD), an ISO time or a span like 90d; got '${value}'`,
    );
  return new Date(t);
}
