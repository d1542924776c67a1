/**
 * Optional live fetch of a GitHub repository's pull-request and issue data into the export
 * layout that `--prs` reads (see prs.ts). The Octokit client is created by the caller and
 * loaded lazily, so nothing else in assay needs it and no test touches the network.
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../cli/atomic-write.ts';

/** The two Octokit calls used; tests pass a fake. */
export interface GithubClient {
  paginate(route: string, params: Record<string, unknown>): Promise<unknown[]>;
  request(route: string, params: Record<string, unknown>): Promise<{ data: unknown }>;
}

export interface FetchOptions {
  /** Only pull requests created, and issues and comments updated, since then (ISO). */
  since?: string;
  onProgress?(message: string): void;
}

export interface FetchSummary {
  folder: string;
  pulls: number;
  reviews: number;
  issues: number;
  issueComments: number;
  reviewComments: number;
}

function write(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Fetches `owner/repo` into `<out>/<repo>/`, one file per API list, as the API returns them. */
export async function fetchGithubExport(
  client: GithubClient,
  owner: string,
  repo: string,
  out: string,
  options: FetchOptions = {},
): Promise<FetchSummary> {
  const folder = join(out, repo);
  mkdirSync(join(folder, 'reviews'), { recursive: true });
  const base = { owner, repo, per_page: 100 };
  const since = options.since ? { since: options.since } : {};
  const say = (m: string) => options.onProgress?.(`${owner}/${repo}: ${m}`);

  say('repository');
  write(join(folder, 'repo.json'), (await client.request('GET /repos/{owner}/{repo}', { owner, repo })).data);
  say('pull requests');
  const all = (await client.paginate('GET /repos/{owner}/{repo}/pulls', { ...base, state: 'all' })) as {
    number: number;
    created_at: string;
  }[];
  const pulls = options.since ? all.filter((p) => p.created_at >= (options.since as string)) : all;
  write(join(folder, 'pulls.json'), pulls);
  let reviews = 0;
  for (const [i, p] of pulls.entries()) {
    if (i % 50 === 0) say(`reviews ${i}/${pulls.length}`);
    const list = await client.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      ...base,
      pull_number: p.number,
    });
    reviews += list.length;
    write(join(folder, 'reviews', `${p.number}.json`), list);
  }
  say('issues and comments');
  const issues = await client.paginate('GET /repos/{owner}/{repo}/issues', {
    ...base,
    state: 'all',
    ...since,
  });
  write(join(folder, 'issues.json'), issues);
  const issueComments = await client.paginate('GET /repos/{owner}/{repo}/issues/comments', {
    ...base,
    ...since,
  });
  write(join(folder, 'issue-comments.json'), issueComments);
  const reviewComments = await client.paginate('GET /repos/{owner}/{repo}/pulls/comments', {
    ...base,
    ...since,
  });
  write(join(folder, 'review-comments.json'), reviewComments);
  write(join(folder, 'labels.json'), await client.paginate('GET /repos/{owner}/{repo}/labels', base));
  return {
    folder,
    pulls: pulls.length,
    reviews,
    issues: issues.length,
    issueComments: issueComments.length,
    reviewComments: reviewComments.length,
  };
}

/** Creates the real client. `@octokit/rest` is imported here only, when a fetch is asked for. */
export async function octokitClient(token: string | undefined, baseUrl?: string): Promise<GithubClient> {
  const { Octokit } = await import('@octokit/rest');
  const octokit = new Octokit({
    ...(token ? { auth: token } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    userAgent: 'assay-innersource',
  });
  return {
    paginate: (route, params) => octokit.paginate(route, params) as Promise<unknown[]>,
    request: (route, params) => octokit.request(route, params) as Promise<{ data: unknown }>,
  };
}
