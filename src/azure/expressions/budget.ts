import type { SourceLocation } from '../../core/model.ts';
import { TemplateError } from './context.ts';
import { estimatedSize, estimatedSizeOfFresh, type SizeWork } from './size.ts';
import type { Value } from './value.ts';

/**
 * Limits on the work one scanned template file may cause, nested and linked deployments
 * included, so that a hostile template stops with an input error instead of stalling or
 * exhausting the run (docs/security.md).
 */
export interface BudgetLimits {
  /** Largest evaluated value, as estimated compact JSON, in bytes. */
  maxValueSize: number;
  /** Resource instances the template may expand to (copies and nested deployments count). */
  maxResources: number;
  /** Evaluation steps: a function call or copy instance is one, and every 64 bytes it builds one more. */
  maxSteps: number;
  /** Wall-clock time for the template's expansion, in milliseconds. */
  timeoutMs: number;
}

/** ARM's 4 MB template size limit. */
export const DEFAULT_MAX_VALUE_SIZE = 4 * 1024 * 1024;
/** ARM's 800 resources per template. */
export const DEFAULT_MAX_RESOURCES = 800;
/** Over a thousand times the most any template of the ARM benchmark corpus takes (4,304). */
export const DEFAULT_MAX_STEPS = 5_000_000;
export const DEFAULT_TIMEOUT_MS = 10_000;

export const DEFAULT_BUDGETS: BudgetLimits = {
  maxValueSize: DEFAULT_MAX_VALUE_SIZE,
  maxResources: DEFAULT_MAX_RESOURCES,
  maxSteps: DEFAULT_MAX_STEPS,
  timeoutMs: DEFAULT_TIMEOUT_MS,
};

/** Bytes of newly built value that cost one step. */
const BYTES_PER_STEP = 64;
/** Steps between two looks at the clock. */
const CLOCK_EVERY = 1024;

type BudgetName = 'value size' | 'resources' | 'steps' | 'time';

/** How each budget is raised, for the message. */
const RAISE: Record<BudgetName, string> = {
  'value size': '--max-value-size or scan.budgets.maxValueSize',
  resources: '--max-resources or scan.budgets.maxResources',
  steps: '--max-steps or scan.budgets.maxSteps',
  time: '--template-timeout or scan.budgets.templateTimeout',
};

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(1))} MiB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
  return `${n} bytes`;
}

/**
 * The budget of one scanned template file. The expander makes one per file and hands it to
 * every evaluation context of that file's expansion; once breached it stays breached, so
 * every later step fails at once and no catch on the way up can keep the work going.
 */
export class ExpansionBudget {
  readonly limits: BudgetLimits;
  /** The scanned file the budget is charged to (named in messages about linked templates). */
  readonly file: string;
  private steps = 0;
  private resources = 0;
  private readonly deadline: number;
  private breached: TemplateError | undefined;
  private readonly work: SizeWork = { fresh: 0 };

  constructor(limits: Partial<BudgetLimits> | undefined, file: string) {
    this.limits = { ...DEFAULT_BUDGETS, ...limits };
    this.file = file;
    this.deadline = Date.now() + this.limits.timeoutMs;
  }

  /** One evaluation step (a function call, a copy instance); also watches the clock. */
  step(cost = 1): void {
    if (this.breached) throw this.breached;
    this.steps += cost;
    if (this.steps > this.limits.maxSteps)
      this.fail('steps', `more than ${this.limits.maxSteps} evaluation steps`, this.limits.maxSteps);
    if (this.steps % CLOCK_EVERY < cost && Date.now() > this.deadline)
      this.fail('time', `more than ${this.limits.timeoutMs / 1000} s of evaluation`, this.limits.timeoutMs);
  }

  /** A resource instance the expansion produced. */
  resource(location: SourceLocation): void {
    if (this.breached) throw this.breached;
    this.resources++;
    if (this.resources > this.limits.maxResources)
      this.fail(
        'resources',
        `more than ${this.limits.maxResources} resources after copy loops and nested deployments`,
        this.limits.maxResources,
        location,
      );
  }

  /**
   * Refuses to build a value larger than the budget: `bound` is an upper estimate of its
   * size, worked out from the inputs before anything is built.
   */
  ensure(bound: number, what: string): void {
    if (this.breached) throw this.breached;
    if (bound > this.limits.maxValueSize)
      this.fail(
        'value size',
        `${what} would be about ${formatBytes(bound)} (${bound} bytes)`,
        formatBytes(this.limits.maxValueSize),
      );
  }

  /**
   * Before a built-in function runs: a function whose result can outgrow its arguments many
   * times over (array concat of many copies, a format repeating one argument, a replace) is
   * refused before it builds anything. Other results are bounded by their arguments, which
   * already fit, and are held to the budget once made (`produced`).
   */
  beforeCall(name: string, args: readonly Value[]): void {
    if (this.breached) throw this.breached;
    const bound = growthBound(name, args);
    if (bound !== undefined) this.ensure(bound, `the result of ${name}()`);
    // Splitting on many delimiters tries each at every character: charged before it runs.
    if (name === 'split' && typeof args[0] === 'string' && Array.isArray(args[1]))
      this.step(Math.floor((args[0].length * args[1].length) / BYTES_PER_STEP));
  }

  /**
   * A value evaluation produced: charged for what it newly built, and held to the size budget.
   * `fn` names the function that made it (`what` is built only for a message).
   */
  produced(value: Value, what: string, fn?: string, fresh = false): void {
    if (this.breached) throw this.breached;
    const before = this.work.fresh;
    const size = fresh ? estimatedSizeOfFresh(value, this.work) : estimatedSize(value, this.work);
    const built = this.work.fresh - before;
    if (size > this.limits.maxValueSize)
      this.fail(
        'value size',
        `${fn === undefined ? what : `the result of ${fn}()`} is about ${formatBytes(size)} (${size} bytes)`,
        formatBytes(this.limits.maxValueSize),
      );
    this.step(1 + Math.floor(built / BYTES_PER_STEP));
  }

  private fail(name: BudgetName, what: string, limit: number | string, location?: SourceLocation): never {
    const unit = name === 'time' ? ' ms' : '';
    this.breached = new TemplateError(
      'budget-exceeded',
      `the ${name} budget (${limit}${unit}) is exceeded: ${what}. The template is not assessed; if it is trusted, raise the budget with ${RAISE[name]}`,
      location,
    );
    throw this.breached;
  }
}

/** Sum of the estimated sizes of the arguments from `from` on. */
function sizeOfArgs(args: readonly Value[], from = 0): number {
  let total = 0;
  for (let i = from; i < args.length; i++) total += estimatedSize(args[i] as Value);
  return total;
}

/** Upper bound of `format`'s result: the format plus each `{n}` placeholder's argument, as often as it occurs. */
function formatBound(fmt: string, args: readonly Value[]): number {
  let total = fmt.length;
  for (let i = fmt.indexOf('{'); i >= 0; i = fmt.indexOf('{', i + 1)) {
    let n = 0;
    let j = i + 1;
    while (j < fmt.length && j - i < 9 && fmt.charCodeAt(j) >= 48 && fmt.charCodeAt(j) <= 57) {
      n = n * 10 + fmt.charCodeAt(j) - 48;
      j++;
    }
    if (j > i + 1 && n + 1 < args.length) total += estimatedSize(args[n + 1] as Value);
  }
  return total;
}

/** Upper bound of `replace`'s result: each occurrence of `from` grows by the difference in length. */
function replaceBound(s: string, from: string, to: string): number {
  if (from === '' || to.length <= from.length) return s.length;
  let count = 0;
  for (let i = s.indexOf(from); i >= 0; i = s.indexOf(from, i + from.length)) count++;
  return s.length + count * (to.length - from.length);
}

/** The functions whose result may be much larger than any one argument, by registered name. */
function growthBound(name: string, args: readonly Value[]): number | undefined {
  switch (name) {
    case 'concat':
    case 'union':
    case 'createArray':
    case 'createObject':
      return sizeOfArgs(args);
    case 'format':
      return typeof args[0] === 'string' ? formatBound(args[0], args) : undefined;
    case 'replace':
      return typeof args[0] === 'string' && typeof args[1] === 'string' && typeof args[2] === 'string'
        ? replaceBound(args[0], args[1], args[2])
        : undefined;
    case 'join':
      return Array.isArray(args[0]) && typeof args[1] === 'string'
        ? estimatedSize(args[0]) + args[0].length * args[1].length
        : undefined;
    default:
      return undefined;
  }
}
