import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineOf, runCheck, templateText } from './arm.ts';

/** Where a finding is expected: a needle's line, a needle after an anchor, or a resource's opening brace. */
export type At = string | { needle: string; from: string } | { resource: string };

/** An expected finding, as `{ status, at }` or as the pair `[status, at]`. */
export type Expected = { status: string; at: At } | [string, At];

/** One table-driven case of a check: the resources of a template and the findings expected from it. */
export interface Case {
  name: string;
  resources: unknown[];
  parameters?: Record<string, unknown>;
  /** The check's options (config `checks.options`); its defaults when absent. */
  options?: Record<string, unknown>;
  /** Empty when the check says nothing about the template. */
  expect: Expected[];
}

/** Line of the `{` opening the resource object whose `"name"` is `name`. */
export function resourceLine(text: string, name: string): number {
  const at = text.indexOf(`"name": ${JSON.stringify(name)}`);
  if (at < 0) throw new Error(`resource ${name} not found`);
  let depth = 0;
  for (let i = at; i >= 0; i--) {
    if (text[i] === '}') depth++;
    else if (text[i] === '{') {
      if (depth === 0) return text.slice(0, i).split('\n').length;
      depth--;
    }
  }
  throw new Error(`no object around ${name}`);
}

export function lineFor(text: string, at: At): number {
  if (typeof at === 'string') return lineOf(text, at);
  if ('resource' in at) return resourceLine(text, at.resource);
  return lineOf(text, at.needle, at.from);
}

/** Runs one check over each case's template and compares the status and line of every finding. */
export function runCases(checkId: string, cases: Case[]): void {
  describe(checkId, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const text = templateText(c.resources, c.parameters ? { parameters: c.parameters } : {});
        const findings = await runCheck(checkId, text, undefined, c.options);
        const actual = findings.map((f) => `${f.status}@${f.location.line}`).sort();
        const expected = c.expect
          .map((e) => (Array.isArray(e) ? { status: e[0], at: e[1] } : e))
          .map((e) => `${e.status}@${lineFor(text, e.at)}`)
          .sort();
        assert.deepEqual(actual, expected, findings.map((f) => f.message).join('\n'));
      });
    }
  });
}
