/**
 * Terraform configurations without a plan: every folder of `.tf` files a scan finds is read as
 * a root module (`hcl-config/`) and mapped onto the Azure model (`mapping/`), as a plan is.
 * Two rules keep each resource assessed once: a folder beside a plan or state JSON the scan
 * read is that plan's configuration (the plan decides values; its `.tf` files only give
 * lines), and a folder another root calls as a local module is assessed through that call,
 * with the inputs it is given, as a linked ARM template is assessed through its parent.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import type { InputError, InputNote } from '../../../core/model.ts';
import type { DeploymentScope } from '../../expressions/context.ts';
import { type DiscoveredFile, displayPath } from '../../load/discover.ts';
import type { AzureResource } from '../../resource.ts';
import { readTerraformConfig } from './hcl-config/config.ts';
import type { TerraformInstance } from './instance.ts';
import { mapInstances } from './mapping/index.ts';
import { withProviderDefaults } from './mapping/provider-defaults.ts';

export const TERRAFORM_CONFIG_KIND = 'terraform-config';

export interface TerraformFolderOptions {
  root: string;
  scope: DeploymentScope;
  /** `--var-file` files and `--var name=value` values, as Terraform's own flags. */
  varFiles?: string[];
  vars?: Record<string, string>;
  /** Folders whose plan or state JSON the scan read: their `.tf` files are that plan's configuration. */
  planned: ReadonlySet<string>;
}

export interface TerraformFolderRead {
  resources: AzureResource[];
  errors: InputError[];
  notes: InputNote[];
  inputs: { file: string; kind: string; sha256: string }[];
}

const within = (folder: string, file: string) => file.startsWith(`${folder}${sep}`);

/** Reads every folder of `.tf` files among the discovered files. */
export async function readTerraformFolders(
  files: readonly DiscoveredFile[],
  options: TerraformFolderOptions,
): Promise<TerraformFolderRead> {
  const out: TerraformFolderRead = { resources: [], errors: [], notes: [], inputs: [] };
  const folders = [...new Set(files.map((f) => dirname(f.absolutePath)))].sort();
  const reads = new Map<
    string,
    { instances: TerraformInstance[]; errors: InputError[]; notes: InputNote[] }
  >();
  for (const folder of folders) {
    if (options.planned.has(folder)) {
      out.notes.push({
        file: displayPath(options.root, folder),
        level: 'info',
        message:
          'Terraform configuration beside a plan or state: assessed through the plan, its .tf files give the lines',
      });
      continue;
    }
    reads.set(
      folder,
      await readTerraformConfig(folder, {
        ...(options.varFiles ? { varFiles: options.varFiles } : {}),
        ...(options.vars ? { vars: options.vars } : {}),
      }),
    );
  }
  // A folder whose files another root read as a module is that root's module, not a root.
  const called = new Set<string>();
  for (const [folder, read] of reads)
    for (const i of read.instances)
      if (i.module !== '') {
        const at = dirname(i.location.file);
        for (const other of reads.keys())
          if (other !== folder && (at === other || within(other, at))) called.add(other);
      }
  for (const [folder, read] of reads) {
    const shown = displayPath(options.root, folder);
    if (called.has(folder)) {
      out.notes.push({
        file: shown,
        level: 'info',
        message: 'a local module another configuration calls: assessed through that call',
      });
      continue;
    }
    // What the provider sends for an attribute left out, as a plan would show it.
    const mapped = mapInstances(read.instances.map(withProviderDefaults), {
      scope: options.scope,
      file: shown,
    });
    // The reader names files by absolute path; findings show them from the scan root, as elsewhere.
    const rel = <T extends { file: string }>(x: T): T => ({ ...x, file: displayPath(options.root, x.file) });
    for (const r of mapped.resources)
      out.resources.push({ ...r, location: rel(r.location), locate: (path) => rel(r.locate(path)) });
    out.errors.push(...[...read.errors, ...mapped.errors].map(rel));
    out.notes.push(...[...read.notes, ...mapped.notes].map(rel));
  }
  for (const f of files) {
    if (options.planned.has(dirname(f.absolutePath))) continue;
    out.inputs.push({
      file: f.file,
      kind: TERRAFORM_CONFIG_KIND,
      sha256: createHash('sha256').update(readFileSync(f.absolutePath)).digest('hex'),
    });
  }
  return out;
}
