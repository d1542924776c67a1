/**
 * The threat-and-risk assessment end to end: scan (with residency checks when a boundary is
 * given), build the architecture model, enumerate and rate threats, and add them to the
 * assessment as findings before waivers apply.
 */
import { buildArchitecture } from '../architecture/graph.ts';
import type { ArchitectureModel } from '../architecture/model.ts';
import type { Boundary } from '../residency/boundary.ts';
import type { AzureResource } from '../resource.ts';
import { type AzureScanOptions, type AzureScanResult, scanAzure } from '../scan.ts';
import { boundaryBreaches } from './document.ts';
import { threatFindings } from './findings.ts';
import type { RiskRating } from './matrix.ts';
import { enumerateThreats, type Threat } from './threats.ts';

export interface TraOptions extends Omit<AzureScanOptions, 'analyse'> {
  /** Classification of data without a classification tag, e.g. `PROTECTED`. */
  classification?: string;
  /** Highest residual rating accepted without treatment (default Medium). */
  appetite?: RiskRating;
}

export interface TraResult extends AzureScanResult {
  model: ArchitectureModel;
  threats: Threat[];
  boundary?: Boundary;
  classification?: string;
  appetite: RiskRating;
}

export async function runTra(paths: string[], options: TraOptions = {}): Promise<TraResult> {
  let model: ArchitectureModel | undefined;
  let threats: Threat[] = [];
  const threatOptions = {
    ...(options.classification ? { classification: options.classification } : {}),
    ...(options.appetite ? { appetite: options.appetite } : {}),
  };
  const result = await scanAzure(paths, {
    ...options,
    analyse: (input) => {
      const subjectIds = new Map<AzureResource, string>(input.subjects.map((s) => [s.data, s.id]));
      const sovereign = options.boundary
        ? { name: options.boundary.name, outside: boundaryBreaches(input.findings) }
        : undefined;
      model = buildArchitecture(input.resources, { subjectIds, ...(sovereign ? { sovereign } : {}) });
      threats = enumerateThreats(model, input.subjects, input.findings, threatOptions);
      return threatFindings(threats);
    },
  });
  return {
    ...result,
    model: model ?? buildArchitecture([]),
    threats,
    ...(options.boundary ? { boundary: options.boundary } : {}),
    ...(options.classification ? { classification: options.classification } : {}),
    appetite: options.appetite ?? 'Medium',
  };
}
