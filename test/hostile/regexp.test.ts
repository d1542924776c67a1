import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Unknown } from '../../src/azure/expressions/value.ts';
import { htmlToText } from '../../src/controls/nzism.ts';
import { trimLeading, trimTrailing } from '../../src/core/trim-char.ts';
import { headings, purposeOf } from '../../src/innersource/documents.ts';
import { parseCodeOwners } from '../../src/innersource/mapping.ts';
import { linksToText } from '../../src/innersource/markdown-links.ts';
import { webUrl } from '../../src/innersource/portal.ts';
import { checkError, ev, testContext } from '../expressions/context.ts';
import { runCheck, templateText } from '../helpers/arm.ts';

/** Every input below was super-linear before the audit (seconds to minutes); a linear scan takes milliseconds. */
const BOUND_MS = 2000;
const N = 200_000;

function timed<T>(what: string, run: () => T): T {
  const start = performance.now();
  const result = run();
  const ms = performance.now() - start;
  assert.ok(ms < BOUND_MS, `${what} took ${Math.round(ms)} ms (bound ${BOUND_MS} ms)`);
  return result;
}

async function timedAsync<T>(what: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  const ms = performance.now() - start;
  assert.ok(ms < BOUND_MS * 2, `${what} took ${Math.round(ms)} ms (bound ${BOUND_MS * 2} ms)`);
  return result;
}

describe('regular expressions on hostile input finish in linear time with the same answers', () => {
  it('InnerSource ATX heading: a title followed by 200,000 spaces (was cubic: 3,000 spaces took 38 s)', () => {
    const line = `# a${' '.repeat(N)}b`;
    const found = timed('heading', () => headings(`${line}\n## Usage ##  \n`));
    assert.deepEqual(
      found.map((h) => [h.text, h.level, h.line]),
      [
        [`a${' '.repeat(N)}b`, 1, 1],
        ['Usage', 2, 2],
      ],
    );
    assert.deepEqual(
      timed('closing hashes', () => headings(`== Title ${'#'.repeat(N)}   `)).map((h) => h.text),
      ['Title'],
    );
    assert.deepEqual(headings(`${'#'.repeat(7)} not a heading`), []);
  });

  it('README links and images: 200,000 unclosed brackets (was quadratic)', () => {
    assert.equal(
      timed('links', () =>
        linksToText(`see [the guide](docs/guide.md) ${'!['.repeat(N / 2)} ${'['.repeat(N)}`),
      ),
      `see the guide ${'!['.repeat(N / 2)} ${'['.repeat(N)}`,
    );
    assert.equal(timed('parens', () => linksToText('[](('.repeat(N / 4))).length, N);
    const readme = `# Widget\n\nThis service builds and ships [widgets](https://x) for every team ${'[]('.repeat(N / 3)}\n`;
    const purpose = timed('purpose', () => purposeOf(readme));
    assert.ok(
      purpose?.text.startsWith('This service builds and ships widgets for every team'),
      purpose?.text,
    );
  });

  it('float() on a 200,000-digit argument (was quadratic: 176 s)', () => {
    const ctx = testContext({ parameters: { bad: `${'1'.repeat(N)}x`, good: `${'0'.repeat(N)}1.5` } });
    timed('float error', () =>
      checkError("[float(parameters('bad'))]", 'function-arguments', undefined, ctx),
    );
    assert.equal(
      timed('float value', () => ev("[float(parameters('good'))]", ctx)),
      1.5,
    );
    assert.equal(ev("[float('2.')]"), 2);
    assert.equal(ev("[float(' -.5e3 ')]"), -500);
  });

  it('number format suffix: a 200,000-character custom format (was quadratic)', () => {
    const spec = `${'a'.repeat(N)}0`;
    const ctx = testContext({ parameters: { spec: `{0:${spec}}` } });
    assert.equal(
      timed('format', () => ev("[format(parameters('spec'), 7)]", ctx)),
      `${'a'.repeat(N)}7`,
    );
    assert.equal(ev("[format('{0:#,##0.0 kg}', 1234.56)]"), '1,234.6 kg');
  });

  it('trailing and leading runs: 200,000 slashes that do not end the string (was quadratic)', () => {
    const inner = `${'/'.repeat(N)}x`;
    assert.equal(
      timed('trimTrailing', () => trimTrailing(inner, '/')),
      inner,
    );
    assert.equal(trimTrailing('/subscriptions/s///', '/'), '/subscriptions/s');
    assert.equal(timed('trimLeading', () => trimLeading(`x${'-'.repeat(N)}`, '-')).length, N + 1);
    assert.equal(trimLeading('--a-', '-'), 'a-');
  });

  it('role assignment scope of 200,000 slashes (AZ-ID-002; was 43 s)', async () => {
    const owner =
      "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')]";
    const assignment = (scope: string) =>
      templateText([
        {
          type: 'Microsoft.Authorization/roleAssignments',
          apiVersion: '2022-04-01',
          name: 'ra',
          scope,
          properties: { roleDefinitionId: owner, principalId: 'p' },
        },
      ]);
    const [hostile] = await timedAsync('AZ-ID-002', () =>
      runCheck('AZ-ID-002', assignment(`${'/'.repeat(N)}x`)),
    );
    assert.equal(hostile?.status, 'pass');
    const [broad] = await runCheck('AZ-ID-002', assignment(`/subscriptions/s${'/'.repeat(N)}`));
    assert.equal(broad?.status, 'fail');
  });

  it('CODEOWNERS comments: 200,000 " #" pairs before a carriage return (was quadratic)', () => {
    const rules = timed('codeowners', () =>
      parseCodeOwners(`*.ts @team${' #'.repeat(N / 2)}\r x\n/docs @writers # docs\n`),
    );
    assert.deepEqual(
      rules.map((r) => [r.pattern, r.owners]),
      [
        ['*.ts', ['@team']],
        ['/docs', ['@writers']],
      ],
    );
    assert.deepEqual(parseCodeOwners('#comment\nsrc/a\\ b.ts @x\n')[0]?.pattern, 'src/a\\ b.ts');
  });

  it('ssh remotes: a 200,000-character authority without a slash (was quadratic)', () => {
    assert.equal(
      timed('ssh', () => webUrl(`ssh://${'a'.repeat(N)}`)),
      null,
    );
    assert.equal(webUrl('ssh://git@github.com/o/r.git'), 'https://github.com/o/r');
    // The old pattern read these two as hosts 'm' and '2'.
    assert.equal(webUrl('ssh://github.com/o/r.git'), 'https://github.com/o/r');
    assert.equal(webUrl('ssh://git@host.example:22/o/r'), 'https://host.example/o/r');
  });

  it('NZISM HTML: 200,000 unclosed tags (was quadratic)', () => {
    assert.equal(
      timed('tags', () => htmlToText(`<p>Keep</p>${'<li'.repeat(N / 3)}`)),
      `Keep\n${'<li'.repeat(N / 3)}`,
    );
    assert.equal(htmlToText('<ul><li class="x">One</li><li>Two</li></ul>'), '- One\n- Two');
  });

  it('an Unknown is still an Unknown after the changes', () => {
    const ctx = testContext({ parameters: { u: new Unknown('no value') } });
    assert.ok(ev("[float(parameters('u'))]", ctx) instanceof Unknown);
  });
});
