/**
 * `assay init`: a project's starting files. The config names its JSON Schema so an editor
 * completes and checks it; the waiver file starts empty with one commented example; `--ci`
 * adds a pipeline that runs the scan on every change. Nothing is overwritten without `--force`.
 */
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Command } from 'commander';
import { packagePath } from '../core/package-root.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { CONFIG_FILE } from './config.ts';
import { UsageError } from './select-checks.ts';
import { WAIVERS_FILE } from './waivers.ts';

const SCHEMA = packagePath('schemas', 'assay.config.schema.json');
export const CI_KINDS = ['github', 'azure'] as const;
type CiKind = (typeof CI_KINDS)[number];

interface InitFlags {
  dir?: string;
  paths?: string;
  ci?: string;
  force?: boolean;
}

/** The schema reference an editor resolves from the config's folder (forward slashes on every OS). */
function schemaReference(folder: string): string {
  const rel = relative(folder, SCHEMA).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

export function configText(folder: string, paths: string): string {
  return `# yaml-language-server: $schema=${schemaReference(folder)}
# assay project settings: command-line flags win over these (docs/cli.md).
scan:
  paths: [${JSON.stringify(paths)}]
  failOn: high
  reports:
    - { format: sarif, output: out/assay.sarif }
    - { format: markdown, output: out/assay.md }
  # baselines: [ism-protected]
  # boundary: au
store:
  path: .assay/assay.duckdb
`;
}

export const WAIVERS_TEXT = `# Risk acceptances: a finding a waiver covers is reported as waived, with its justification,
# until the waiver expires (then it fails again and the expiry is a finding). docs/cli.md.
waivers: []
#  - id: W-001
#    check: AZ-STORAGE-006
#    subjects: [{ name: legacy-* }]
#    justification: legacy accounts are retired in the next release
#    approvedBy: agency CISO
#    created: 2026-01-15
#    expires: 2026-06-30
#    ticket: https://example.gov.au/risk/123
`;

export function ciText(kind: CiKind, paths: string): { file: string; text: string } {
  if (kind === 'github')
    return {
      file: join('.github', 'workflows', 'assay.yml'),
      text: `name: assay
on: [push, pull_request]
permissions:
  contents: read
  security-events: write
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 22 }
      - run: npm ci
      - run: npx assay scan ${paths} --format github --report sarif=out/assay.sarif --no-save
      - if: always()
        uses: github/codeql-action/upload-sarif@v3
        with: { sarif_file: out/assay.sarif, category: assay }
`,
    };
  return {
    file: 'azure-pipelines.assay.yml',
    text: `trigger: [main]
pool: { vmImage: ubuntu-latest }
steps:
  - task: NodeTool@0
    inputs: { versionSpec: '22.x' }
  - script: npm ci
  - script: npx assay scan ${paths} --report sarif=out/assay.sarif --report junit=out/assay.junit.xml --no-save
    displayName: assay scan
  - task: PublishTestResults@2
    condition: always()
    inputs: { testResultsFormat: JUnit, testResultsFiles: out/assay.junit.xml }
  - task: PublishBuildArtifacts@1
    condition: always()
    inputs: { PathtoPublish: out/assay.sarif, ArtifactName: CodeAnalysisLogs }
`,
  };
}

/** Writes the files; returns the ones written. Existing files stop the run unless `force`. */
export function initProject(flags: InitFlags): string[] {
  const folder = flags.dir ?? process.cwd();
  const paths = flags.paths ?? 'infra';
  if (flags.ci !== undefined && !(CI_KINDS as readonly string[]).includes(flags.ci))
    throw new UsageError(`--ci expects one of ${CI_KINDS.join(', ')}; got '${flags.ci}'`);
  const files: { file: string; text: string }[] = [
    { file: CONFIG_FILE, text: configText(folder, paths) },
    { file: WAIVERS_FILE, text: WAIVERS_TEXT },
    ...(flags.ci ? [ciText(flags.ci as CiKind, paths)] : []),
  ];
  const present = files.filter((f) => existsSync(join(folder, f.file))).map((f) => f.file);
  if (present.length > 0 && !flags.force)
    throw new UsageError(
      `${present.join(', ')} already exist${present.length === 1 ? 's' : ''}: nothing written (--force overwrites)`,
    );
  for (const f of files) writeFileAtomic(join(folder, f.file), f.text);
  return files.map((f) => f.file);
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(`write ${CONFIG_FILE} and ${WAIVERS_FILE} for a project, and a CI pipeline with --ci`)
    .option('--dir <folder>', 'project folder (default: the working folder)')
    .option('--paths <path>', 'what the scan reads (default: infra)')
    .option('--ci <kind>', `also write a pipeline: ${CI_KINDS.join(', ')}`)
    .option('--force', 'overwrite files that exist')
    .action((flags: InitFlags) => {
      for (const file of initProject(flags)) process.stdout.write(`wrote ${join(flags.dir ?? '.', file)}\n`);
      process.stderr.write(
        `assay: next: npx assay scan (reads ${CONFIG_FILE}); docs/cli.md lists the settings\n`,
      );
    });
}
