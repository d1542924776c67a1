import type { SourceLocation } from '../../core/model.ts';
import type { ExpansionBudget } from './budget.ts';
import type { Value, ValueObject } from './value.ts';

/**
 * Codes of template faults: errors raised only from fully known operands where Azure Resource
 * Manager's documented behaviour is a failed deployment (a division by zero, an array index out
 * of range). They are reported as template faults, not input errors: assay read the evidence
 * and found that ARM would refuse it. The one place that decides what is a fault.
 */
export const FAULT_CODES: ReadonlySet<string> = new Set(['division-by-zero', 'index-out-of-range']);

/** True for the code of a template fault (see FAULT_CODES). */
export function isFaultCode(code: string): boolean {
  return FAULT_CODES.has(code);
}

/** Raised for a template error: a bad argument, an unknown function, a limit. Carries a short code. */
export class TemplateError extends Error {
  readonly code: string;
  location: SourceLocation | undefined;
  constructor(code: string, message: string, location?: SourceLocation) {
    super(message);
    this.name = 'TemplateError';
    this.code = code;
    this.location = location;
  }

  /** A template fault (ARM refuses the deployment) rather than something assay could not evaluate. */
  get fault(): boolean {
    return isFaultCode(this.code);
  }
}

/** A user-defined function from a template's `functions` section, already keyed `namespace.member` (lower case). */
export interface UserFunction {
  namespace: string;
  name: string;
  parameters: { name: string; type: string }[];
  /** The raw `output.value`: an expression string or a JSON value containing expressions. */
  output: { type: string; value: unknown };
}

/** The deployment scope, configurable per run; values mirror what ARM returns for `resourceGroup()` etc. */
export interface DeploymentScope {
  tenantId: string;
  subscriptionId: string;
  subscriptionDisplayName: string;
  resourceGroupName: string;
  /** The run's location (`--location`); '' when not configured, and then locations are unknown. */
  resourceGroupLocation: string;
  /**
   * Location of a subscription, management group or tenant scope deployment, set by a nested
   * deployment's own `location` ('' when that is unknown); absent at the top level, where the
   * run's location applies.
   */
  deploymentLocation?: string;
  managementGroupName: string;
  deploymentName: string;
  /** Azure cloud environment for `environment()`: AzureCloud, AzureUSGovernment, AzureChinaCloud. */
  environmentName: string;
}

/**
 * What an expression may read. The template expander builds one per template (and a
 * child one per nested deployment, per copy iteration, per lambda).
 */
export interface EvalContext {
  /** File the expression came from, for messages. */
  file: string;
  /** Location of the JSON value holding the expression; used for Unknown provenance and errors. */
  location: SourceLocation | undefined;
  scope: DeploymentScope;
  /** Fixed clock for `utcNow()`, an ISO 8601 string. */
  now: string;
  /** Returns the parameter's value, Unknown when it has none, or throws TemplateError when undeclared. */
  parameter(name: string): Value;
  /** Returns the variable's value, evaluating it lazily; throws TemplateError on a cycle or when undeclared. */
  variable(name: string): Value;
  /** `copyIndex(loopName?)`: the current iteration; throws when not inside that loop. */
  copyIndex(loopName: string | undefined): number;
  /** Bound lambda variables, innermost last. */
  lambdaVariables: Map<string, Value>;
  /** User-defined functions by lower-case `namespace.name`. */
  userFunctions: Map<string, UserFunction>;
  /** `deployment()` object (name, properties.templateLink, ...). */
  deployment: ValueObject;
  /** Evaluates a user-defined function with the given arguments in a fresh scope (no parameters/variables of the caller). */
  callUserFunction(fn: UserFunction, args: Value[]): Value;
  /** Limits on the work of the template being expanded; none outside a scan. */
  budget?: ExpansionBudget;
  /**
   * Optional resolver for `reference()` of resources declared in the same template: returns the
   * declared value when it is statically known (e.g. `properties` set in the template), else undefined.
   */
  resolveReference?(resourceId: Value, full: boolean): Value | undefined;
}
