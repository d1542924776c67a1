import { type CheckOptionsSpec, checkWithOptions } from '../../core/check-options.ts';
import type { Check, CheckMeta, CheckOutcome, SourceLocation } from '../../core/model.ts';
import { Unknown, type Value } from '../expressions/value.ts';
import {
  AZURE_RESOURCE_KIND,
  type AzureCheckContext,
  type AzureResource,
  type AzureSubject,
  getPath,
} from '../resource.ts';
import { indexResources, type ResourceIndex } from '../resource-index.ts';

export type AzureCheck = Check<AzureSubject, AzureCheckContext>;

/**
 * What a check author writes: metadata plus a function of one resource. Control ids come from
 * the framework mapping files (src/controls/mappings/), so `controls` is optional here. A check
 * with thresholds a project may tune declares `options` (schema, defaults, a sentence each) and
 * reads the values in effect as `evaluate`'s third argument (config `checks.options`).
 */
export interface AzureCheckSpec<T extends Record<string, unknown> = Record<string, never>>
  extends Omit<CheckMeta, 'subjectKind' | 'subjectTypes' | 'controls' | 'options'> {
  controls?: string[];
  /** Resource types (case-insensitive) the check reads. */
  resourceTypes: string[];
  options?: CheckOptionsSpec<T>;
  evaluate(
    resource: AzureResource,
    context: AzureCheckContext,
    options: Readonly<T>,
  ): CheckOutcome | CheckOutcome[];
}

export function defineCheck<T extends Record<string, unknown> = Record<string, never>>(
  spec: AzureCheckSpec<T>,
): AzureCheck {
  const { resourceTypes, evaluate, options, ...rest } = spec;
  const meta = {
    ...rest,
    controls: rest.controls ?? [],
    subjectKind: AZURE_RESOURCE_KIND,
    subjectTypes: resourceTypes,
  };
  if (options)
    return checkWithOptions<AzureSubject, AzureCheckContext, T>(meta, options, (subject, context, values) =>
      evaluate(subject.data, context, values),
    );
  const none = {} as Readonly<T>;
  return { meta, run: (subject, context) => evaluate(subject.data, context, none) };
}

function display(v: Value | undefined): string {
  if (v === undefined) return 'not set';
  if (v instanceof Unknown) return 'unknown';
  return JSON.stringify(v);
}

/** An outcome at a path (or the resource), with evidence when given (built directly: checks make one per finding). */
function outcome(
  status: 'pass' | 'fail',
  r: AzureResource,
  message: string,
  path: string | undefined,
  evidence: Record<string, unknown> | undefined,
): CheckOutcome {
  const o: CheckOutcome = { status, message, location: path ? r.locate(path) : r.location };
  if (evidence) o.evidence = evidence;
  return o;
}

export function pass(
  r: AzureResource,
  message: string,
  path?: string,
  evidence?: Record<string, unknown>,
): CheckOutcome {
  return outcome('pass', r, message, path, evidence);
}

export function fail(
  r: AzureResource,
  message: string,
  path?: string,
  evidence?: Record<string, unknown>,
): CheckOutcome {
  return outcome('fail', r, message, path, evidence);
}

/** An undecidable verdict; the location is the property read (where a person would look), the reason says why. */
export function unknown(r: AzureResource, message: string, path?: string, value?: Unknown): CheckOutcome {
  const evidence: Record<string, unknown> = {};
  if (path) evidence.path = path;
  if (value) {
    evidence.reason = value.reason;
    if (value.location) evidence.unknownFrom = `${value.location.file}:${value.location.line}`;
  }
  return { status: 'unknown', message, location: path ? r.locate(path) : r.location, evidence };
}

export function notApplicable(r: AzureResource, message: string): CheckOutcome {
  return { status: 'not-applicable', message, location: r.location };
}

export interface PropertyRule {
  /** Dotted path from the resource root, e.g. `properties.minimumTlsVersion`. */
  path: string;
  /** Decides a present, known value. */
  test(value: Value): boolean;
  /** Verdict when the property is absent (usually the Azure default decides). */
  whenMissing: 'pass' | 'fail';
  /** Says what good looks like, e.g. `minimumTlsVersion is TLS1_2`. */
  expectation: string;
}

/**
 * The common shape of a check: read one property, decide it, and say `unknown` with the
 * reason when the template cannot decide it.
 */
export function checkProperty(r: AzureResource, rule: PropertyRule): CheckOutcome {
  const value = getPath(r.body, rule.path);
  const evidence = { path: rule.path, value: value instanceof Unknown ? value.toJSON() : (value ?? null) };
  if (value instanceof Unknown) {
    return unknown(
      r,
      `cannot decide whether ${rule.expectation}: ${rule.path} is unknown (${value.reason})`,
      rule.path,
      value,
    );
  }
  if (value === undefined) {
    const ok = rule.whenMissing === 'pass';
    const message = ok
      ? `${rule.path} is not set; the Azure default satisfies: ${rule.expectation}`
      : `${rule.path} is not set; the Azure default does not satisfy: ${rule.expectation}`;
    return ok ? pass(r, message, rule.path, evidence) : fail(r, message, rule.path, evidence);
  }
  return rule.test(value)
    ? pass(r, `${rule.expectation} (${rule.path} = ${display(value)})`, rule.path, evidence)
    : fail(r, `expected ${rule.expectation}, found ${rule.path} = ${display(value)}`, rule.path, evidence);
}

/** Case-insensitive string equality, for enum-like ARM values. */
export function sameText(value: Value, expected: string): boolean {
  return typeof value === 'string' && value.toLowerCase() === expected.toLowerCase();
}

/**
 * The Unknown a lookup of related resources starts from: set when the evidence may leave the
 * resource's children and extension resources out (a live export), so "none found" is unknown.
 */
export function unlistedRelations(r: AzureResource): Unknown | undefined {
  return r.unlistedRelations ? new Unknown(r.unlistedRelations, r.location) : undefined;
}

/** The scan's resource index: the context's own, or one built once for its resource list. */
export function resourceIndex(context: AzureCheckContext): ResourceIndex {
  return context.index ?? indexResources(context.resources);
}

/** Resources of a type in the same scan (scan order), e.g. diagnostic settings scoped to a vault. */
export function resourcesOfType(context: AzureCheckContext, type: string): readonly AzureResource[] {
  return resourceIndex(context).ofType(type);
}

/**
 * Resources of a type declared by the same template file and nested deployment as `beside`
 * (scan order). A child (`parent/child`) belongs to the parent declared beside it: two
 * templates of one scan may give different resources the same name.
 */
export function resourcesBeside(
  context: AzureCheckContext,
  beside: AzureResource,
  type: string,
): readonly AzureResource[] {
  return resourceIndex(context).inDeployment(beside, type);
}

export type { SourceLocation };
