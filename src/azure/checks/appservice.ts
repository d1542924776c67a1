import type { AzureCheck } from './define.ts';

export const checks: AzureCheck[] = [];
