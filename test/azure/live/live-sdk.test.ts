import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { scanAzure } from '../../../src/azure/scan.ts';
import {
  graphClientSeam,
  graphQuery,
  MISSING_SDK,
  MissingSdkError,
} from '../../../src/azure/sources/live/graph-sdk.ts';
import type { Assessment } from '../../../src/core/model.ts';
import { runCli } from '../../helpers/cli.ts';
import { useRecordedGraph } from './recorded-graph.ts';

const fixtures = fileURLToPath(new URL('./fixtures/sdk/', import.meta.url));
const responses = join(fixtures, 'graph-responses.json');
const A = '00000000-0000-0000-0000-00000000000a';
const B = '00000000-0000-0000-0000-00000000000b';
const C = '00000000-0000-0000-0000-00000000000c';
const D = '00000000-0000-0000-0000-00000000000d';
const E = '00000000-0000-0000-0000-00000000000e';
const NOW = '2026-06-01T00:00:00Z';

let restore: (() => void) | undefined;
afterEach(() => restore?.());

function record(options: { signedIn?: boolean } = {}) {
  const recorded = useRecordedGraph(responses, options);
  restore = recorded.restore;
  return recorded.seen;
}

/** Each finding as subject, check, status, line and message: what a report shows, less the file. */
function verdicts(assessment: Assessment): string[] {
  return assessment.findings
    .map(
      (f) => `${f.subject.id} ${f.checkId} ${f.status} ${f.location.line}:${f.location.column} ${f.message}`,
    )
    .sort();
}

const status = (assessment: Assessment, subject: string, check: string) =>
  assessment.findings.find((f) => f.subject.name === subject && f.checkId === check)?.status;

describe('live mode through the Azure SDK (recorded responses)', () => {
  it('reads every page of a subscription by $skipToken and assesses the rows as a file export of them', async () => {
    const seen = record();
    const live = await scanAzure([], { live: { subscriptions: [A] }, root: fixtures, now: NOW });
    assert.deepEqual(
      seen.requests.map((r) => r.skipToken),
      [null, 'eyJwYWdlIjoyfQ=='],
    );
    assert.ok(seen.requests.every((r) => r.authorization === 'Bearer recorded-token'));
    assert.deepEqual(live.assessment.errors, []);
    assert.deepEqual(
      live.assessment.subjects.map((s) => s.name),
      ['stlivea01', 'kv-live-a01', 'stlivea02'],
    );
    assert.deepEqual(live.assessment.inputs, [
      {
        file: `azure:subscriptions/${A}`,
        kind: 'azure-resource-graph',
        sha256: live.assessment.inputs[0]?.sha256,
      },
    ]);

    const file = await scanAzure([join(fixtures, 'subscription-a.graph.json')], { root: fixtures, now: NOW });
    assert.deepEqual(file.assessment.errors, []);
    assert.ok(live.assessment.findings.length > 10);
    assert.deepEqual(verdicts(live.assessment), verdicts(file.assessment));
    assert.equal(live.assessment.inputs[0]?.sha256, file.assessment.inputs[0]?.sha256);
    assert.equal(status(live.assessment, 'stlivea01', 'AZ-STORAGE-002'), 'fail');
    assert.equal(status(live.assessment, 'stlivea02', 'AZ-STORAGE-002'), 'pass');
  });

  it('reads two subscriptions, retries a throttled query, and reports a 403 and a failed page by subscription', async () => {
    const seen = record();
    const { assessment } = await scanAzure([], {
      live: { subscriptions: [A, B, C, D] },
      root: fixtures,
      now: NOW,
    });
    // The 429 (Retry-After: 0) was retried by the SDK and the second answer read.
    assert.equal(seen.requests.filter((r) => r.scope === B).length, 2);
    assert.deepEqual(
      assessment.subjects.map((s) => s.name),
      ['stlivea01', 'kv-live-a01', 'stlivea02', 'stliveb01', 'kv-live-d01'],
    );
    assert.deepEqual(
      assessment.errors.map((e) => [e.file, e.code]),
      [
        [`azure:subscriptions/${C}`, 'live-read'],
        [`azure:subscriptions/${D}`, 'live-partial'],
      ],
    );
    assert.match(
      assessment.errors[0]?.message ?? '',
      new RegExp(
        `^reading subscription ${C} failed: no read access to subscription ${C} \\(403\\): the identity needs the Reader role`,
      ),
    );
    assert.match(
      assessment.errors[1]?.message ?? '',
      new RegExp(
        `^reading subscription ${D} failed after 1 page\\(s\\) \\(1 resources, assessed\\); the rest is not assessed: HTTP 400: The skip token is invalid`,
      ),
    );
    for (const e of assessment.errors) assert.ok(!e.message.includes('\n'), e.message);
    // Rows read before the failed page are still assessed.
    assert.ok(status(assessment, 'kv-live-d01', 'AZ-KV-002'));
    assert.equal(status(assessment, 'stliveb01', 'AZ-STORAGE-002'), 'pass');
  });

  it('a query still throttled after the retries is one error naming the subscription', async () => {
    const seen = record();
    const { assessment } = await scanAzure([], { live: { subscriptions: [E] }, root: fixtures, now: NOW });
    // The first request and GRAPH_RETRIES (4) retries, each after Retry-After.
    assert.equal(seen.requests.length, 5);
    assert.deepEqual(
      assessment.errors.map((e) => [e.file, e.code, e.message]),
      [
        [
          `azure:subscriptions/${E}`,
          'live-read',
          `reading subscription ${E} failed: Azure Resource Graph throttled the query (429) and 4 retries after Retry-After did not get through: run again later or narrow --azure-query`,
        ],
      ],
    );
  });

  it('reads a management group as one scope', async () => {
    const seen = record();
    const { assessment } = await scanAzure([], {
      live: { managementGroups: ['mg-platform'] },
      root: fixtures,
      now: NOW,
    });
    assert.deepEqual(
      seen.requests.map((r) => r.scope),
      ['mg-platform'],
    );
    assert.deepEqual(assessment.errors, []);
    assert.deepEqual(
      assessment.inputs.map((i) => i.file),
      ['azure:managementGroups/mg-platform'],
    );
    assert.equal(status(assessment, 'stmg01', 'AZ-STORAGE-002'), 'fail');
  });

  it('a failed sign-in is one error per subscription, naming it', async () => {
    record({ signedIn: false });
    const { assessment } = await scanAzure([], { live: { subscriptions: [A] }, root: fixtures, now: NOW });
    assert.deepEqual(assessment.subjects, []);
    assert.equal(assessment.errors.length, 1);
    assert.match(
      assessment.errors[0]?.message ?? '',
      new RegExp(
        `^reading subscription ${A} failed: could not sign in to Azure \\(DefaultAzureCredential: az login`,
      ),
    );
    assert.ok(!assessment.errors[0]?.message.includes('\n'));
  });

  it('the query is Resources with the filter appended', () => {
    assert.equal(graphQuery(undefined), 'Resources');
    assert.equal(graphQuery(" | where resourceGroup == 'rg'"), "Resources | where resourceGroup == 'rg'");
    assert.equal(graphQuery("where type =~ 'x'"), "Resources | where type =~ 'x'");
  });
});

describe('assay scan --azure-subscription', () => {
  it('scans the subscriptions end to end, with the input errors in the report and exit 1', async () => {
    record();
    const run = await runCli(
      ['scan', '--azure-subscription', `${A},${C}`, '--now', NOW, '-f', 'json', '--fail-on', 'none'],
      { cwd: fixtures },
    );
    const report = JSON.parse(run.out) as Assessment;
    assert.deepEqual(
      report.subjects.map((s) => s.name),
      ['stlivea01', 'kv-live-a01', 'stlivea02'],
    );
    assert.deepEqual(report.scope?.targets, [`azure:subscriptions/${A}`, `azure:subscriptions/${C}`]);
    assert.equal(report.errors.length, 1);
    assert.match(report.errors[0]?.message ?? '', /\(403\)/);
    assert.equal(run.code, 1);
  });

  it('without the SDK the run stops with one line saying what to install', async () => {
    const original = graphClientSeam.create;
    graphClientSeam.create = () => Promise.reject(new MissingSdkError());
    restore = () => (graphClientSeam.create = original);
    const run = await runCli(['scan', '--azure-subscription', A], { cwd: fixtures });
    assert.equal(run.code, 2);
    assert.ok(run.err.includes(MISSING_SDK), run.err);
    assert.equal(run.err.trim().split('\n').length, 1, run.err);
  });

  it('--azure-query alone is a usage error', async () => {
    const run = await runCli(['scan', '--azure-query', 'where true'], { cwd: fixtures });
    assert.equal(run.code, 2);
    assert.match(run.err, /--azure-query needs --azure-subscription/);
  });

  it('without the flag no client is made', async () => {
    const seen = record();
    const { assessment } = await scanAzure([join(fixtures, 'subscription-a.graph.json')], {
      root: fixtures,
      now: NOW,
    });
    assert.equal(seen.requests.length, 0);
    assert.equal(assessment.subjects.length, 3);
  });
});
