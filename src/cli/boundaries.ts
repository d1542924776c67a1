import type { Command } from 'commander';
import {
  type Boundary,
  BoundaryError,
  BUILT_IN_BOUNDARIES,
  boundaryRegionList,
  resolveBoundary,
} from '../azure/residency/boundary.ts';
import { type AssayConfig, loadConfig } from './config.ts';
import { UsageError } from './select-checks.ts';

/**
 * The boundary named by `--boundary` (else config `scan.boundary`), from the config's
 * profiles or the built-in ones; undefined when none is asked for. Shared by `scan` and `tra`.
 */
export function boundaryFromFlags(flag: string | undefined, config: AssayConfig): Boundary | undefined {
  const name = flag ?? config.scan?.boundary;
  if (!name) return undefined;
  try {
    return resolveBoundary(name, config.boundaries ?? {});
  } catch (err) {
    if (err instanceof BoundaryError) throw new UsageError(err.message);
    throw err;
  }
}

export const BOUNDARY_HELP =
  'sovereign boundary: au, au-canberra, nz, eu-data-boundary, fr, de, sg, us-gov or a config profile';

/** `assay boundaries`: the profiles `--boundary` accepts, with their regions. */
export function registerBoundaries(program: Command): void {
  program
    .command('boundaries')
    .description('list the sovereign boundary profiles for --boundary, with their regions')
    .option(
      '-c, --config <file>',
      'config file with project profiles (default: ./assay.config.yaml when present)',
    )
    .action((flags: { config?: string }) => {
      const { config } = loadConfig(flags.config);
      const names = [
        ...new Set([...Object.keys(BUILT_IN_BOUNDARIES), ...Object.keys(config.boundaries ?? {})]),
      ];
      for (const name of names) {
        const b = boundaryFromFlags(name, config) as Boundary;
        const source = config.boundaries?.[name] ? ' (config)' : '';
        process.stdout.write(`${name}${source}  ${b.title}\n    ${boundaryRegionList(b)}\n`);
      }
    });
}
