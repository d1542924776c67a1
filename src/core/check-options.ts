/**
 * Checks with options: thresholds a project tunes in its config (`checks.options`) instead of
 * forking the check. A check declares a schema, defaults and a sentence per option; its run
 * takes the values as a parameter, bound when the check is built, so a configured check is a
 * new check value and nothing is shared or mutated. The defaults are the check's own verdicts.
 */
import type {
  Check,
  CheckMeta,
  CheckOptionInfo,
  CheckOptionsDeclaration,
  CheckOutcome,
  OptionsSchema,
  Subject,
} from './model.ts';

/** What a check author writes to give a check options. */
export interface CheckOptionsSpec<T extends Record<string, unknown>> {
  /** Validates the complete values (e.g. `z.object({ minRetentionDays: z.number().int().min(1) })`). */
  schema: OptionsSchema<T>;
  defaults: T;
  descriptions: { [K in keyof T]: string };
}

/** The options as `CheckMeta.options` records them: each with its default and the value in effect. */
export function optionInfos(
  declaration: Pick<CheckOptionsDeclaration, 'defaults' | 'descriptions'>,
  values: Readonly<Record<string, unknown>>,
): CheckOptionInfo[] {
  return Object.keys(declaration.defaults).map((name) => ({
    name,
    description: declaration.descriptions[name] ?? '',
    default: declaration.defaults[name],
    value: values[name],
  }));
}

/** A check whose run reads option values; `run` uses the defaults until the config binds others. */
export function checkWithOptions<S extends Subject, C, T extends Record<string, unknown>>(
  meta: Omit<CheckMeta, 'options'>,
  spec: CheckOptionsSpec<T>,
  run: (subject: S, context: C, options: Readonly<T>) => CheckOutcome | CheckOutcome[],
): Check<S, C> {
  const declaration: CheckOptionsDeclaration<S, C> = {
    schema: spec.schema as OptionsSchema<Record<string, unknown>>,
    defaults: spec.defaults,
    descriptions: spec.descriptions,
    runWith: (values) => (subject, context) => run(subject, context, values as Readonly<T>),
  };
  return {
    meta: { ...meta, options: optionInfos(declaration, spec.defaults) },
    run: declaration.runWith(spec.defaults),
    options: declaration,
  };
}
