/**
 * The live GitHub fetch writes the export layout `--prs` reads. A fake client serves the
 * fixture's JSON, so the round trip is checked without the network.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fetchGithubExport, type GithubClient } from '../../src/innersource/github-fetch.ts';
import { readActivity } from '../../src/innersource/prs.ts';
import { removeDir, tempDir } from './git.ts';

const fixture = fileURLToPath(new URL('./fixtures/github/payments-api/', import.meta.url));
const work = tempDir();
after(() => removeDir(work));
const json = (f: string): unknown => JSON.parse(readFileSync(join(fixture, f), 'utf8'));

function fakeClient(calls: string[]): GithubClient {
  const lists: Record<string, string> = {
    'GET /repos/{owner}/{repo}/pulls': 'pulls.json',
    'GET /repos/{owner}/{repo}/issues': 'issues.json',
    'GET /repos/{owner}/{repo}/issues/comments': 'issue-comments.json',
    'GET /repos/{owner}/{repo}/pulls/comments': 'review-comments.json',
    'GET /repos/{owner}/{repo}/labels': 'labels.json',
  };
  const reviews = new Set(readdirSync(join(fixture, 'reviews')));
  return {
    async paginate(route, params) {
      calls.push(`${route} ${JSON.stringify(params)}`);
      if (route === 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews') {
        const f = `${params.pull_number}.json`;
        return reviews.has(f) ? (json(join('reviews', f)) as unknown[]) : [];
      }
      return json(lists[route]) as unknown[];
    },
    async request(route) {
      calls.push(route);
      return { data: json('repo.json') };
    },
  };
}

describe('fetchGithubExport', () => {
  it('writes what readActivity reads back, with the same pull requests and reviews', async () => {
    const calls: string[] = [];
    const summary = await fetchGithubExport(fakeClient(calls), 'example', 'payments-api', work);
    assert.equal(summary.folder, join(work, 'payments-api'));
    assert.equal(summary.pulls, 8);
    assert.ok(
      calls.some((c) => c.startsWith('GET /repos/{owner}/{repo}/pulls {') && c.includes('"state":"all"')),
    );
    const errors: never[] = [];
    const fetched = readActivity([work], 'payments-api', work, errors);
    const original = readActivity([join(fixture, '..')], 'payments-api', work, []);
    assert.deepEqual(errors, []);
    assert.ok(fetched && original);
    assert.deepEqual(fetched.changeRequests, original.changeRequests);
    assert.deepEqual(fetched.issues, original.issues);
    assert.deepEqual(fetched.meta, original.meta);
  });

  it('limits pull requests to those created since the given time', async () => {
    const summary = await fetchGithubExport(fakeClient([]), 'example', 'payments-api', join(work, 'since'), {
      since: '2024-04-01T00:00:00Z',
    });
    assert.equal(summary.pulls, 4, 'PRs 4, 5, 6 and 8');
  });
});
