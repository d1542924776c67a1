import { resolve } from 'node:path';
import type { Assessment, InputError } from '../../core/model.ts';
import type { JsonValue } from '../../json/parse.ts';
import { type BudgetLimits, ExpansionBudget } from '../expressions/budget.ts';
import { type DeploymentScope, TemplateError } from '../expressions/context.ts';
import { type JsonDocument, loadDocument } from '../load/document.ts';
import { TemplateEnv } from './environment.ts';
import { readParameterFile, type SuppliedParameter } from './parameters.ts';
import { recordProblem } from './problems.ts';
import { isTemplateFatal } from './resilient.ts';
import { type ExpansionSink, expandTemplate } from './resources.ts';

/** What every top-level expansion of one scan shares: the run's parameters, scope, clock and budgets. */
export interface StandaloneSettings {
  /** `--parameters` files' values, applied after a template's own parameter file. */
  extra: ReadonlyMap<string, SuppliedParameter>;
  /** `-p name=value` overrides by lower-cased name. */
  cliValues: Map<string, string>;
  scope: DeploymentScope;
  now: string;
  budgets?: Partial<BudgetLimits>;
}

/** A problem with an input file as the input error the assessment lists. */
export function inputError(err: unknown, file: string): InputError {
  if (err instanceof TemplateError) {
    const at = err.location;
    return {
      file: at?.file ?? file,
      line: at?.line,
      column: at?.column,
      code: err.code,
      message: err.message,
    };
  }
  return { file, code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Expands one template as a deployment of its own, with its parameter file and the run's
 * parameters, into the sink. A breached budget drops the template's half expansion.
 */
export function expandStandalone(
  doc: JsonDocument,
  linkRoot: string,
  own: () => Map<string, SuppliedParameter> | undefined,
  settings: StandaloneSettings,
  sink: ExpansionSink,
): void {
  sink.linkRoot = linkRoot;
  const kept = sink.resources.length;
  const reached = new Set(sink.expanded);
  try {
    const supplied = new Map<string, SuppliedParameter>(own());
    for (const [k, v] of settings.extra) supplied.set(k, v);
    const env = new TemplateEnv({
      doc,
      template: doc.value as Record<string, JsonValue>,
      supplied,
      cliValues: settings.cliValues,
      scope: settings.scope,
      now: settings.now,
      deploymentName: settings.scope.deploymentName,
      depth: 0,
      fileChain: [],
      deployments: [],
      budget: new ExpansionBudget(settings.budgets, doc.file),
    });
    expandTemplate(env, sink);
  } catch (err) {
    const error = inputError(err, doc.file);
    if (isTemplateFatal(err)) {
      // Half an expansion would be assessed as if it were the template: none of it is.
      sink.resources.length = kept;
      sink.expanded = reached;
      if (error.file !== doc.file) error.message += ` (while expanding ${doc.file})`;
    }
    recordProblem(sink, error);
  }
}

/** The `--parameters` files' values; problems go to `report` when given (the main scan), else are left to it. */
export async function readRunParameters(
  paths: readonly string[],
  report?: { errors: InputError[]; inputs: Assessment['inputs'] },
): Promise<Map<string, SuppliedParameter>> {
  const extra = new Map<string, SuppliedParameter>();
  for (const path of paths) {
    try {
      const doc = await loadDocument(path, resolve(path));
      for (const [k, v] of readParameterFile(doc.value, path, (name) =>
        doc.locate(doc.value, ['parameters', name], doc.start),
      )) {
        extra.set(k, { ...v, source: '--parameters' });
      }
      report?.inputs.push({ file: path, kind: 'arm-parameters', sha256: doc.sha256 });
    } catch (err) {
      report?.errors.push(inputError(err, path));
    }
  }
  return extra;
}

/** A template's own parameter file read; one ARM cannot read at all is reported and not applied. */
export function readOwnParameters(
  paired: JsonDocument,
  errors: InputError[],
): Map<string, SuppliedParameter> | undefined {
  try {
    return readParameterFile(paired.value, paired.file, (name) =>
      paired.locate(paired.value, ['parameters', name], paired.start),
    );
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    errors.push(inputError(err, paired.file));
    return undefined;
  }
}
