import type { InputError, SourceLocation } from '../../core/model.ts';
import type { JsonValue } from '../../json/parse.ts';
import { TemplateError } from '../expressions/context.ts';
import { isExpression } from '../expressions/index.ts';
import { Unknown, type Value, type ValueObject } from '../expressions/value.ts';
import type { JsonDocument } from '../load/document.ts';
import { type EvalScope, evaluateBody } from './environment.ts';
import { type ProblemLists, recordProblem } from './problems.ts';

/**
 * Errors that must stop the template rather than one property: a budget on hostile input
 * is breached once and would be breached again by every property that follows.
 */
const TEMPLATE_FATAL = new Set(['budget-exceeded']);

export function isTemplateFatal(err: unknown): boolean {
  return err instanceof TemplateError && TEMPLATE_FATAL.has(err.code);
}

interface Problem {
  error: InputError;
  /** Copy-loop instances (or 0 for a single declaration) the problem touched. */
  instances: Set<number>;
  /** What became unknown: a property path, "the name", "the condition". */
  what: string;
}

/**
 * Expression errors of one resource declaration, collected over its copy instances and
 * reported once each with what they made unknown and how many resources that touched:
 * the resources themselves are still assessed.
 */
export class DeclarationProblems {
  private readonly problems = new Map<string, Problem>();

  /**
   * Records an error that made `what` unknown. `scopeLocation` is where the evaluation context
   * stood (the declaration): an error placed there only for want of a better place is put at
   * `at`, the property; one raised elsewhere (a variable, a user function) keeps its own place.
   */
  add(
    err: unknown,
    at: SourceLocation,
    what: string,
    instance: number,
    scopeLocation?: SourceLocation,
  ): void {
    const te = err instanceof TemplateError ? err : undefined;
    const own = te?.location;
    const where = own && own.line !== undefined && own !== scopeLocation ? own : at;
    const message = err instanceof Error ? err.message : String(err);
    const key = `${where.file}:${where.line}:${where.column}:${message}:${what}`;
    let problem = this.problems.get(key);
    if (!problem) {
      problem = {
        error: {
          file: where.file,
          line: where.line,
          column: where.column,
          code: te?.code ?? 'internal',
          message,
        },
        instances: new Set(),
        what,
      };
      this.problems.set(key, problem);
    }
    problem.instances.add(instance);
  }

  /**
   * Files each problem as an input error or a template fault, saying what it made unknown and
   * for how many resources.
   */
  flush(into: ProblemLists, resourceType: string): void {
    for (const p of this.problems.values()) {
      const n = p.instances.size;
      const resources =
        n === 1 ? `1 ${resourceType} resource, which is` : `${n} ${resourceType} resources, which are`;
      recordProblem(into, {
        ...p.error,
        message: `${p.error.message} (${p.what} is assessed as unknown on ${resources} still assessed)`,
      });
    }
    this.problems.clear();
  }
}

export function unknownFromError(err: unknown, at: SourceLocation): Unknown {
  const message = err instanceof Error ? err.message : String(err);
  return new Unknown(`the template expression could not be evaluated: ${message}`, at);
}

/** The parts of a property path, joined as `properties.a[2].b`. */
function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function hasPropertyCopy(raw: Record<string, JsonValue>): boolean {
  for (const key in raw) if (key.length === 4 && key.toLowerCase() === 'copy') return true;
  return false;
}

/**
 * Evaluates part of a resource declaration as `evaluateBody` does, but an expression that
 * fails makes only its own property unknown: the error goes to `problems` with the property's
 * place, and the rest of the value is still evaluated. The fast path is `evaluateBody` itself;
 * only a failing subtree is walked member by member.
 */
export function evaluateResilient(
  raw: JsonValue | undefined,
  ctx: EvalScope,
  doc: JsonDocument,
  at: SourceLocation,
  path: string,
  problems: DeclarationProblems,
  instance: number,
): Value {
  try {
    return evaluateBody(raw, ctx);
  } catch (err) {
    if (isTemplateFatal(err)) throw err;
    if (raw === null || typeof raw !== 'object') {
      problems.add(err, at, path, instance, ctx.location);
      return unknownFromError(err, at);
    }
    if (Array.isArray(raw)) {
      const items: Value[] = [];
      for (let i = 0; i < raw.length; i++) {
        const where = doc.memberLocation(raw, i, at);
        items.push(evaluateResilient(raw[i], ctx, doc, where, childPath(path, i), problems, instance));
      }
      return items;
    }
    const obj = raw as Record<string, JsonValue>;
    const out: ValueObject = {};
    const copies = hasPropertyCopy(obj);
    for (const key in obj) {
      const where = doc.memberLocation(obj, key, at);
      if (copies && key.toLowerCase() === 'copy' && Array.isArray(obj[key])) {
        // Each property copy loop on its own: a failing loop leaves its array unknown.
        for (const loop of obj[key] as JsonValue[]) {
          const name = String((loop as Record<string, JsonValue> | null)?.name ?? 'copy');
          try {
            Object.assign(out, evaluateBody({ copy: [loop] }, ctx) as ValueObject);
          } catch (loopErr) {
            if (isTemplateFatal(loopErr)) throw loopErr;
            problems.add(loopErr, where, childPath(path, name), instance, ctx.location);
            out[name] = unknownFromError(loopErr, where);
          }
        }
        continue;
      }
      let name = key;
      if (isExpression(key)) {
        try {
          const k = evaluateBody(key, ctx);
          name = typeof k === 'string' ? k : `<unknown:${key}>`;
        } catch (keyErr) {
          if (isTemplateFatal(keyErr)) throw keyErr;
          problems.add(keyErr, where, childPath(path, key), instance, ctx.location);
          name = `<unknown:${key}>`;
        }
      }
      const value = evaluateResilient(obj[key], ctx, doc, where, childPath(path, name), problems, instance);
      if (name === '__proto__') {
        Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      } else out[name] = value;
    }
    return out;
  }
}
