import type { Assessment } from '../core/model.ts';
import type { AzureCheck } from './checks/define.ts';
import type { DeploymentScope } from './expressions/context.ts';
import type { AzureResource } from './resource.ts';

export interface AzureScanOptions {
  /** Root that reported file paths are relative to, and that linked templates may not leave. Default: cwd. */
  root?: string;
  /** Extra parameter files (`--parameters`), applied to every template after its own parameter file. */
  parameterFiles?: string[];
  /** `-p name=value` overrides, applied last. */
  parameterOverrides?: Record<string, unknown>;
  /** Deployment scope used by `resourceGroup()`, `subscription()` and friends. */
  scope?: Partial<DeploymentScope>;
  /** Fixed clock for `utcNow()` (ISO 8601). Default: the scan's start time. */
  now?: string;
  /** Checks to run. Default: every built-in Azure check. */
  checks?: AzureCheck[];
  /** Report skipped JSON files and other info notes. */
  verbose?: boolean;
  /** Called after each template file. */
  onProgress?(done: number, total: number, file: string): void;
}

export interface AzureScanResult {
  assessment: Assessment;
  resources: AzureResource[];
}

export async function scanAzure(_paths: string[], _options: AzureScanOptions = {}): Promise<AzureScanResult> {
  throw new Error('not implemented yet');
}
