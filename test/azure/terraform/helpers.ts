import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { azureChecks } from '../../../src/azure/checks/index.ts';
import { type AzureScanResult, scanAzure } from '../../../src/azure/scan.ts';

/** One `resource_changes` entry for `planText`. */
export interface Change {
  address?: string;
  type: string;
  name: string;
  module?: string;
  mode?: 'managed' | 'data';
  actions?: string[];
  after: Record<string, unknown>;
  after_unknown?: Record<string, unknown>;
  after_sensitive?: Record<string, unknown> | false;
  /** The attributes the configuration sets (adds the plan's `configuration` for this instance). */
  configured?: string[];
}

/** A plan JSON text (`terraform show -json` shape, no configuration), pretty-printed so lines are predictable. */
export function planText(changes: Change[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
      format_version: '1.2',
      terraform_version: '1.9.5',
      planned_values: { root_module: {} },
      resource_changes: changes.map((c) => ({
        address:
          c.address ??
          `${c.module ? `${c.module}.` : ''}${c.mode === 'data' ? 'data.' : ''}${c.type}.${c.name}`,
        ...(c.module ? { module_address: c.module } : {}),
        mode: c.mode ?? 'managed',
        type: c.type,
        name: c.name,
        provider_name: 'registry.terraform.io/hashicorp/azurerm',
        change: {
          actions: c.actions ?? ['create'],
          before: null,
          after: c.after,
          after_unknown: c.after_unknown ?? {},
          before_sensitive: false,
          after_sensitive: c.after_sensitive ?? {},
        },
      })),
      ...(changes.some((c) => c.configured)
        ? {
            configuration: {
              root_module: {
                resources: changes
                  .filter((c) => c.configured)
                  .map((c) => ({
                    address: `${c.type}.${c.name}`,
                    mode: 'managed',
                    type: c.type,
                    name: c.name,
                    expressions: Object.fromEntries(
                      (c.configured ?? []).map((a) => [a, { constant_value: null }]),
                    ),
                  })),
              },
            },
          }
        : {}),
      ...extra,
    },
    null,
    2,
  );
}

/** Scans files (by relative path) in a temp folder with the real pipeline; `checkIds` limits the checks. */
export async function scanFiles(
  files: Record<string, string>,
  checkIds?: string[],
): Promise<AzureScanResult & { dir: string }> {
  const checks = checkIds ? azureChecks.filter((c) => checkIds.includes(c.meta.id)) : azureChecks;
  return withTempFiles(files, async (dir) => ({
    ...(await scanAzure([dir], { root: dir, now: '2026-01-01T00:00:00Z', checks })),
    dir,
  }));
}

/** Writes files (by relative path) in a temp folder, runs `fn` on it, and removes it. */
export async function withTempFiles<T>(
  files: Record<string, string>,
  fn: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-tf-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
