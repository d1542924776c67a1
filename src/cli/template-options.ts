import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AzureScanOptions } from '../azure/scan.ts';
import type { AssayConfig } from './config.ts';
import { UsageError } from './select-checks.ts';

/**
 * The options every command that expands templates shares (`scan`, `tra`, `drift`, `expand`):
 * parameters, deployment scope, clock and root, with the config's `scan` section as defaults. One
 * definition, so the same flag means the same thing on each command.
 */

export interface TemplateFlags {
  parameter?: string[];
  parameters?: string[];
  config?: string;
  root?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  location?: string;
  tenantId?: string;
  now?: string;
  jobs?: string;
  /** Terraform `-var` values and `-var-file` files, for `.tf` folders read without a plan. */
  var?: string[];
  varFile?: string[];
  /** The Terraform configuration folder of the plan JSON, for `.tf` lines. */
  terraformConfig?: string;
}

/** `--root` means the same for every command: each expands templates through scanAzure. */
export const ROOT_OPTION_HELP =
  "folder linked templates may not leave, and reported paths are relative to (default: each scanned folder, or a file's folder; paths shown relative to cwd)";

export const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addTemplateOptions(
  command: Command,
  nowHelp = 'fixed time for utcNow(), ISO 8601 (default: now)',
): Command {
  return command
    .option('-p, --parameter <name=value>', 'set a template parameter; repeatable', collect)
    .option('--parameters <file>', 'parameter file applied to every template; repeatable', collect)
    .option('-c, --config <file>', 'config file (default: ./assay.config.yaml when present)')
    .option('--root <dir>', ROOT_OPTION_HELP)
    .option('--subscription-id <id>', 'subscription id seen by subscription() and resourceId()')
    .option('--resource-group <name>', 'resource group name seen by resourceGroup()')
    .option(
      '--location <region>',
      'location seen by resourceGroup().location, and by deployment().location at subscription, management group or tenant scope (unknown when unset)',
    )
    .option('--tenant-id <id>', 'tenant id seen by tenant() and subscription()')
    .option('--now <iso>', nowHelp)
    .option(
      '-j, --jobs <n>',
      'worker threads expanding template files at once (default 1; used only by a scan of 32 templates and 8 MiB or more; slower than one on 2 cores, see docs/benchmarks.md)',
    )
    .option(
      '--var <name=value>',
      'set a Terraform input variable of the .tf folders read without a plan, as terraform -var; repeatable',
      collect,
    )
    .option(
      '--var-file <file>',
      'Terraform variable file (.tfvars, .tfvars.json) for the .tf folders read without a plan, as terraform -var-file; repeatable',
      collect,
    )
    .option(
      '--terraform-config <dir>',
      "the Terraform configuration folder of the plan JSON, whose .tf files give findings their lines (default: the plan's own folder)",
    );
}

/** `NAME=VALUE`; an empty VALUE only where it means something (`-p name=` sets an empty string). */
function parseSpec(spec: string, flag: string, allowEmpty = false): [string, string] {
  const at = spec.indexOf('=');
  if (at <= 0 || (!allowEmpty && at === spec.length - 1))
    throw new UsageError(`${flag} expects NAME=VALUE, got '${spec}'`);
  return [spec.slice(0, at), spec.slice(at + 1)];
}

export interface TemplateInputs {
  targets: string[];
  options: Pick<
    AzureScanOptions,
    | 'root'
    | 'parameterFiles'
    | 'parameterOverrides'
    | 'scope'
    | 'now'
    | 'jobs'
    | 'terraformVarFiles'
    | 'terraformVars'
    | 'terraformConfig'
  >;
}

/** The paths and expansion options a command's flags and config ask for; a bad value is a usage error. */
export function templateInputs(paths: string[], flags: TemplateFlags, config: AssayConfig): TemplateInputs {
  const cfg = config.scan ?? {};
  const overrides: Record<string, string> = {};
  for (const [k, v] of Object.entries(cfg.parameters ?? {})) overrides[k] = String(v);
  for (const spec of flags.parameter ?? []) {
    const [k, v] = parseSpec(spec, '-p', true);
    overrides[k] = v;
  }
  const scope = {
    ...cfg.scope,
    ...(flags.subscriptionId ? { subscriptionId: flags.subscriptionId } : {}),
    ...(flags.resourceGroup ? { resourceGroupName: flags.resourceGroup } : {}),
    ...(flags.location ? { resourceGroupLocation: flags.location } : {}),
    ...(flags.tenantId ? { tenantId: flags.tenantId } : {}),
  };
  // A parameter file the user named and that is not there is a usage error (exit 2), not an
  // input error of the scan: nothing was assessed with it, so the run stops and says so.
  for (const file of flags.parameters ?? [])
    if (!existsSync(file)) throw new UsageError(`--parameters: file not found: ${file}`);
  for (const file of cfg.parameterFiles ?? [])
    if (!existsSync(file)) throw new UsageError(`scan.parameterFiles: file not found: ${file}`);
  for (const file of flags.varFile ?? [])
    if (!existsSync(file)) throw new UsageError(`--var-file: file not found: ${file}`);
  const configDir = flags.terraformConfig;
  if (configDir !== undefined && !(existsSync(configDir) && statSync(configDir).isDirectory()))
    throw new UsageError(`--terraform-config: folder not found: ${configDir}`);
  const terraformVars: Record<string, string> = {};
  for (const spec of flags.var ?? []) {
    const [k, v] = parseSpec(spec, '--var', true);
    terraformVars[k] = v;
  }
  const now = flags.now ?? cfg.now;
  if (now !== undefined && Number.isNaN(Date.parse(now)))
    throw new UsageError(`--now expects an ISO 8601 time, got '${now}'`);
  let jobs = cfg.jobs;
  if (flags.jobs !== undefined) {
    jobs = Number(flags.jobs);
    if (!Number.isInteger(jobs) || jobs < 1)
      throw new UsageError(`--jobs expects a positive whole number, got '${flags.jobs}'`);
  }
  return {
    targets: paths.length > 0 ? paths : (cfg.paths ?? ['.']),
    options: {
      ...(flags.root ? { root: flags.root } : {}),
      parameterFiles: [...(cfg.parameterFiles ?? []), ...(flags.parameters ?? [])],
      parameterOverrides: overrides,
      scope,
      ...(now ? { now } : {}),
      ...(jobs ? { jobs } : {}),
      ...(flags.varFile?.length ? { terraformVarFiles: flags.varFile.map((f) => resolve(f)) } : {}),
      ...(flags.var?.length ? { terraformVars } : {}),
      ...(configDir !== undefined ? { terraformConfig: resolve(configDir) } : {}),
    },
  };
}
