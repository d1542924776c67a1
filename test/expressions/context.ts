import assert from 'node:assert/strict';
import { type EvalContext, TemplateError, type UserFunction } from '../../src/azure/expressions/context.ts';
import { evaluateString, evaluateValue } from '../../src/azure/expressions/index.ts';
import { Unknown, type Value, type ValueObject } from '../../src/azure/expressions/value.ts';

export const SCOPE = {
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  subscriptionDisplayName: 'Test subscription',
  resourceGroupName: 'rg-test',
  resourceGroupLocation: 'australiaeast',
  managementGroupName: 'mg-test',
  deploymentName: 'deploy-test',
  environmentName: 'AzureCloud',
};

export interface TestContextOptions {
  parameters?: Record<string, Value>;
  variables?: Record<string, unknown>;
  /** Copy loops by name; `''` is the current (unnamed) loop. */
  copy?: Record<string, number>;
  functions?: UserFunction[];
  now?: string;
  environmentName?: string;
  resolveReference?: EvalContext['resolveReference'];
}

/** A small EvalContext: parameters given as values (Unknown allowed), variables as raw JSON evaluated lazily. */
export function testContext(options: TestContextOptions = {}): EvalContext {
  const params = options.parameters ?? {};
  const vars = options.variables ?? {};
  const cache = new Map<string, Value>();
  const evaluating = new Set<string>();
  const userFunctions = new Map<string, UserFunction>();
  for (const fn of options.functions ?? []) userFunctions.set(`${fn.namespace}.${fn.name}`.toLowerCase(), fn);
  const ctx: EvalContext = {
    file: 'template.json',
    location: { file: 'template.json', line: 1, column: 1 },
    scope: { ...SCOPE, environmentName: options.environmentName ?? SCOPE.environmentName },
    now: options.now ?? '2026-01-02T03:04:05Z',
    parameter(name) {
      const key = Object.keys(params).find((k) => k.toLowerCase() === name.toLowerCase());
      if (key === undefined)
        throw new TemplateError('unknown-parameter', `The parameter '${name}' is not defined.`);
      return params[key];
    },
    variable(name) {
      const key = Object.keys(vars).find((k) => k.toLowerCase() === name.toLowerCase());
      if (key === undefined)
        throw new TemplateError('unknown-variable', `The variable '${name}' is not defined.`);
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      if (evaluating.has(key))
        throw new TemplateError('variable-cycle', `The variable '${name}' refers to itself.`);
      evaluating.add(key);
      try {
        const v = evaluateValue(vars[key], ctx);
        cache.set(key, v);
        return v;
      } finally {
        evaluating.delete(key);
      }
    },
    copyIndex(loopName) {
      const copy = options.copy ?? {};
      const v = copy[loopName ?? ''];
      if (v === undefined) {
        throw new TemplateError(
          'copy-index',
          `copyIndex('${loopName ?? ''}') is used outside its copy loop.`,
        );
      }
      return v;
    },
    lambdaVariables: new Map(),
    userFunctions,
    deployment: {
      name: SCOPE.deploymentName,
      properties: { templateLink: { uri: 'https://example.com/t.json' } },
    },
    callUserFunction(fn, args) {
      // A fresh scope: only the function's own parameters are visible.
      const own: Record<string, Value> = {};
      fn.parameters.forEach((p, i) => {
        own[p.name] = args[i];
      });
      const inner = testContext({ ...options, parameters: own, variables: {} });
      return evaluateValue(fn.output.value, inner);
    },
  };
  if (options.resolveReference) ctx.resolveReference = options.resolveReference;
  return ctx;
}

/** Evaluates one expression string in a default (or given) context. */
export function ev(expr: string, ctx: EvalContext = testContext()): Value {
  return evaluateString(expr, ctx);
}

/** Plain JSON form of a value (Unknowns become `{ $unknown }`), handy for deepEqual. */
export function plain(v: Value): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}

export type Case = [expression: string, expected: unknown];

/** Asserts each expression evaluates to the expected JSON value. */
export function checkCases(cases: Case[], ctx: EvalContext = testContext()): void {
  for (const [expr, expected] of cases) {
    const actual = ev(expr, ctx);
    assert.deepEqual(plain(actual), expected, expr);
  }
}

/** Asserts the expression throws a TemplateError with the given code (and message part). */
export function checkError(expr: string, code: string, messagePart?: string, ctx?: EvalContext): void {
  assert.throws(
    () => ev(expr, ctx),
    (e: unknown) => {
      assert.ok(e instanceof TemplateError, `${expr}: not a TemplateError: ${String(e)}`);
      assert.equal(e.code, code, `${expr}: ${e.message}`);
      if (messagePart) assert.ok(e.message.includes(messagePart), `${expr}: message '${e.message}'`);
      return true;
    },
  );
}

/** Asserts the expression yields an Unknown whose reason includes `reasonPart`. */
export function checkUnknown(expr: string, reasonPart: string, ctx?: EvalContext): void {
  const v = ev(expr, ctx);
  assert.ok(v instanceof Unknown, `${expr}: expected Unknown, got ${JSON.stringify(v)}`);
  assert.ok(v.reason.includes(reasonPart), `${expr}: reason '${v.reason}'`);
}

export const unknownParam = new Unknown('parameter secret has no value');

export type { ValueObject };
