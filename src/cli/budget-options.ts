import type { Command } from 'commander';
import {
  type BudgetLimits,
  DEFAULT_MAX_RESOURCES,
  DEFAULT_MAX_STEPS,
  DEFAULT_MAX_VALUE_SIZE,
  DEFAULT_TIMEOUT_MS,
  formatBytes,
} from '../azure/expressions/budget.ts';
import type { AssayConfig } from './config.ts';
import { UsageError } from './select-checks.ts';

/** The budget flags of `scan` and `tra` (docs/security.md). */
export interface BudgetFlags {
  maxValueSize?: string;
  maxResources?: string;
  maxSteps?: string;
  templateTimeout?: string;
}

type ConfigBudgets = NonNullable<NonNullable<AssayConfig['scan']>['budgets']>;

const KIB = 1024;
const MIB = KIB * KIB;
const GIB = MIB * KIB;
const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: KIB,
  kb: KIB,
  kib: KIB,
  m: MIB,
  mb: MIB,
  mib: MIB,
  g: GIB,
  gb: GIB,
  gib: GIB,
};

/** A size such as 4194304, 512KiB or 8 MiB (K, M and G are powers of 1024); undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d{1,15})\s?([a-z]{0,3})$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = UNITS[(m[2] as string).toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Number(m[1]) * unit;
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

function positiveInteger(text: string): number | undefined {
  if (!/^\d{1,15}$/.test(text.trim())) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}

function positiveSeconds(text: string): number | undefined {
  if (!/^\d{1,9}(\.\d{1,3})?$/.test(text.trim())) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}

/** Adds the budget flags to a command that expands templates. */
export function addBudgetOptions(command: Command): Command {
  return command
    .option(
      '--max-value-size <size>',
      `largest value a template may evaluate to, e.g. 8MiB (default ${formatBytes(DEFAULT_MAX_VALUE_SIZE)}, ARM's template size limit)`,
    )
    .option(
      '--max-resources <n>',
      `resources one template file may expand to, nested deployments included (default ${DEFAULT_MAX_RESOURCES})`,
    )
    .option('--max-steps <n>', `evaluation steps per template file (default ${DEFAULT_MAX_STEPS})`)
    .option(
      '--template-timeout <seconds>',
      `time one template file may take to expand (default ${DEFAULT_TIMEOUT_MS / 1000})`,
    );
}

interface BudgetSetting {
  /** The key in `scan.budgets` and in the flags. */
  setting: keyof ConfigBudgets & keyof BudgetFlags;
  flag: string;
  limit: keyof BudgetLimits;
  parse(text: string): number | undefined;
  expects: string;
  /** From the unit people write to the limit's unit. */
  scale: number;
}

const WHOLE = 'a whole number above 0';
const SETTINGS: BudgetSetting[] = [
  {
    setting: 'maxValueSize',
    flag: '--max-value-size',
    limit: 'maxValueSize',
    parse: parseSize,
    expects: 'a size in bytes, e.g. 4194304, 512KiB or 8MiB',
    scale: 1,
  },
  {
    setting: 'maxResources',
    flag: '--max-resources',
    limit: 'maxResources',
    parse: positiveInteger,
    expects: WHOLE,
    scale: 1,
  },
  {
    setting: 'maxSteps',
    flag: '--max-steps',
    limit: 'maxSteps',
    parse: positiveInteger,
    expects: WHOLE,
    scale: 1,
  },
  {
    setting: 'templateTimeout',
    flag: '--template-timeout',
    limit: 'timeoutMs',
    parse: positiveSeconds,
    expects: 'a number of seconds above 0, e.g. 30 or 2.5',
    scale: 1000,
  },
];

/**
 * The budgets from flags over `scan.budgets`; a malformed value is a usage error naming the
 * flag or setting and what it expects.
 */
export function budgetsFrom(flags: BudgetFlags, config: ConfigBudgets | undefined): Partial<BudgetLimits> {
  const limits: Partial<BudgetLimits> = {};
  for (const s of SETTINGS) {
    const given = flags[s.setting];
    const fromConfig = config?.[s.setting];
    const text = given ?? (fromConfig === undefined ? undefined : String(fromConfig));
    if (text === undefined) continue;
    const value = s.parse(text);
    if (value === undefined) {
      const where = given === undefined ? `scan.budgets.${s.setting}` : s.flag;
      throw new UsageError(`${where} expects ${s.expects}; got '${text}'`);
    }
    limits[s.limit] = Math.round(value * s.scale);
  }
  return limits;
}
