import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AzureCheck } from '../../src/azure/checks/define.ts';
import { azureChecks } from '../../src/azure/checks/index.ts';
import type { AzureResource } from '../../src/azure/resource.ts';
import { type AzureScanOptions, scanAzure } from '../../src/azure/scan.ts';
import { type CheckOptionsConfig, withCheckOptions } from '../../src/cli/check-options.ts';
import type { Finding, InputError, TemplateFault } from '../../src/core/model.ts';

export const DEPLOYMENT_SCHEMA =
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
export const PARAMETERS_SCHEMA =
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

/** A network security group declaration: the smallest resource the expansion tests build on. */
export function nsgDeclaration(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'Microsoft.Network/networkSecurityGroups',
    apiVersion: '2023-09-01',
    name,
    location: 'australiaeast',
    ...extra,
  };
}

/** Wraps resources into a template text, pretty-printed so that lines are predictable. */
export function templateText(resources: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    { $schema: DEPLOYMENT_SCHEMA, contentVersion: '1.0.0.0', ...extra, resources },
    null,
    2,
  );
}

/** 1-based line of the first occurrence of `needle` in `text` (at or after `from`, a needle too). */
export function lineOf(text: string, needle: string, from?: string): number {
  const start = from === undefined ? 0 : text.indexOf(from);
  if (start < 0) throw new Error(`lineOf: anchor ${from} not found`);
  const at = text.indexOf(needle, start);
  if (at < 0) throw new Error(`lineOf: ${needle} not found`);
  return text.slice(0, at).split('\n').length;
}

export interface TemplateScan {
  findings: Finding[];
  errors: InputError[];
  /** Template faults (expressions ARM refuses at deployment); [] when none. */
  faults: TemplateFault[];
  resources: AzureResource[];
  file: string;
}

/**
 * Scans one template text (plus optional files beside it, by name) in a temp folder with
 * the real pipeline. `checkIds` limits the checks run.
 */
export async function scanTemplate(
  text: string,
  options: {
    checkIds?: string[];
    /** The checks to run instead of the built-in ones (e.g. a plugin's). */
    checks?: AzureCheck[];
    files?: Record<string, string>;
    scan?: AzureScanOptions;
    /** `checks.options` of a config, applied with withCheckOptions. */
    checkOptions?: CheckOptionsConfig;
  } = {},
): Promise<TemplateScan> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-arm-'));
  try {
    const file = join(dir, 'template.json');
    writeFileSync(file, text);
    for (const [name, content] of Object.entries(options.files ?? {}))
      writeFileSync(join(dir, name), content);
    const selected =
      options.checks ??
      (options.checkIds ? azureChecks.filter((c) => options.checkIds!.includes(c.meta.id)) : azureChecks);
    const checks = withCheckOptions(selected, options.checkOptions, azureChecks);
    if (options.checkIds && !options.checks && checks.length !== options.checkIds.length) {
      throw new Error(`unknown check id among ${options.checkIds.join(', ')}`);
    }
    const result = await scanAzure([dir], {
      root: dir,
      now: '2026-01-01T00:00:00Z',
      ...options.scan,
      checks,
    });
    return {
      findings: result.assessment.findings,
      errors: result.assessment.errors,
      faults: result.assessment.faults ?? [],
      resources: result.resources,
      file: 'template.json',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The findings of one check on one template. */
export async function runCheck(
  checkId: string,
  text: string,
  scan?: AzureScanOptions,
  checkOptions?: Record<string, unknown>,
): Promise<Finding[]> {
  const result = await scanTemplate(text, {
    checkIds: [checkId],
    ...(scan ? { scan } : {}),
    ...(checkOptions ? { checkOptions: { [checkId]: checkOptions } } : {}),
  });
  if (result.errors.length > 0)
    throw new Error(`template errors: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.findings;
}
