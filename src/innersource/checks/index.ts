/** Every built-in InnerSource check, in id order. */
import { activityChecks } from './activity.ts';
import type { InnerSourceCheck } from './define.ts';
import { documentChecks } from './documents.ts';
import { responsivenessChecks } from './responsiveness.ts';

export const innerSourceChecks: InnerSourceCheck[] = [
  ...documentChecks,
  ...activityChecks,
  ...responsivenessChecks,
];
export type { InnerSourceCheck };
