/**
 * Baselines: the controls a compliance matrix covers. Built-in names select ISM controls by
 * the catalog's own properties, so they need only the ISM catalog, not the profile files:
 *
 * | name | ISM property | official profile |
 * | --- | --- | --- |
 * | ism-non-classified | applicability = NC | ISM_NON_CLASSIFIED (983) |
 * | ism-official | applicability = OS | ISM_OFFICIAL_SENSITIVE (992) |
 * | ism-protected | applicability = P | ISM_PROTECTED (992) |
 * | ism-secret | applicability = S | ISM_SECRET (1,057) |
 * | ism-top-secret | applicability = TS | ISM_TOP_SECRET (1,066) |
 * | e8-ml1, e8-ml2, e8-ml3 | essential-eight-applicability = ML1, ML2, ML3 | ISM_E8_ML1/2/3 (46/87/123) |
 * | nzism | any `cid` (every control of an imported NZISM catalog) | none published |
 *
 * (Counts for the December 2025 ISM; test/controls/baselines.test.ts compares every built-in
 * with its profile file.) Any other baseline is an OSCAL profile file.
 */
import { existsSync } from 'node:fs';
import type { BaselineInput } from '../core/compliance.ts';
import { citedControls } from '../core/compliance.ts';
import type { CheckMeta } from '../core/model.ts';
import { type Catalog, catalogRef, propValues, toControlInfo } from './catalog.ts';
import { resolveProfileFile } from './profile.ts';

export interface BuiltinBaseline {
  name: string;
  title: string;
  /** The catalog property and value that put a control in the baseline; value `*`: any value. */
  prop: 'applicability' | 'essential-eight-applicability' | 'cid';
  value: string;
  /** The official profile file of the same baseline, in the ISM OSCAL release. */
  profile?: string;
  /** The catalog it needs, for messages. */
  needs: string;
  /** Without a catalog, the cited ids that belong to it. */
  idPrefix: string;
}

export const BUILTIN_BASELINES: readonly BuiltinBaseline[] = [
  {
    name: 'ism-non-classified',
    title: 'ISM NON-CLASSIFIED baseline',
    prop: 'applicability',
    value: 'NC',
    needs: 'the ISM OSCAL catalog',
    idPrefix: 'ism-',
    profile: 'ISM_NON_CLASSIFIED-baseline_profile.json',
  },
  {
    name: 'ism-official',
    title: 'ISM OFFICIAL: Sensitive baseline',
    prop: 'applicability',
    value: 'OS',
    needs: 'the ISM OSCAL catalog',
    idPrefix: 'ism-',
    profile: 'ISM_OFFICIAL_SENSITIVE-baseline_profile.json',
  },
  {
    name: 'ism-protected',
    title: 'ISM PROTECTED baseline',
    prop: 'applicability',
    value: 'P',
    needs: 'the ISM OSCAL catalog',
    idPrefix: 'ism-',
    profile: 'ISM_PROTECTED-baseline_profile.json',
  },
  {
    name: 'ism-secret',
    title: 'ISM SECRET baseline',
    prop: 'applicability',
    value: 'S',
    needs: 'the ISM OSCAL catalog',
    idPrefix: 'ism-',
    profile: 'ISM_SECRET-baseline_profile.json',
  },
  {
    name: 'ism-top-secret',
    title: 'ISM TOP SECRET baseline',
    prop: 'applicability',
    value: 'TS',
    needs: 'the ISM OSCAL catalog',
    idPrefix: 'ism-',
    profile: 'ISM_TOP_SECRET-baseline_profile.json',
  },
  {
    name: 'e8-ml1',
    title: 'Essential Eight Maturity Level One',
    prop: 'essential-eight-applicability',
    value: 'ML1',
    needs: 'the ISM OSCAL catalog',
    idPrefix: 'ism-',
    profile: 'ISM_E8_ML1-baseline_profile.json',
  },
  {
    name: 'e8-ml2',
    title: 'Essential Eight Maturity Level Two',
    prop: 'essential-eight-applicability',
    value: 'ML2',
    needs: 'the ISM OSCAL catalog',
    idPrefix: 'ism-',
    profile: 'ISM_E8_ML2-baseline_profile.json',
  },
  {
    name: 'e8-ml3',
    title: 'Essential Eight Maturity Level Three',
    prop: 'essential-eight-applicability',
    value: 'ML3',
    needs: 'the ISM OSCAL catalog',
    idPrefix: 'ism-',
    profile: 'ISM_E8_ML3-baseline_profile.json',
  },
  {
    name: 'nzism',
    title: 'NZISM: every control of the NZISM catalog',
    prop: 'cid',
    value: '*',
    needs: 'an NZISM catalog (assay controls import NZISM.xml, or --catalog NZISM.xml)',
    idPrefix: 'nzism-',
  },
];

export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

export function builtinBaseline(name: string): BuiltinBaseline | undefined {
  return BUILTIN_BASELINES.find((b) => b.name === name.toLowerCase());
}

/** The catalog's controls in a built-in baseline (an empty list when the catalog lacks the property). */
export function builtinControls(baseline: BuiltinBaseline, catalog: Catalog) {
  return catalog.controls.filter((c) => {
    const values = propValues(c, baseline.prop);
    return baseline.value === '*' ? values.length > 0 : values.includes(baseline.value);
  });
}

export interface ResolvedBaseline {
  input: BaselineInput;
  warnings: string[];
  /** A built-in name resolved without a catalog: the controls checks cite, with no statements. */
  withoutCatalog: boolean;
}

export interface BaselineOptions {
  /** The catalog to resolve against (`--catalog`, or the one imported into the store). */
  catalog?: Catalog;
  /** The checks of the run: without a catalog a built-in baseline is the controls they cite. */
  checks: readonly CheckMeta[];
}

function looksLikePath(spec: string): boolean {
  return /[\\/]/.test(spec) || /\.json$/i.test(spec) || existsSync(spec);
}

/** A built-in baseline name or the path of an OSCAL profile, resolved to its controls. */
export function resolveBaseline(spec: string, options: BaselineOptions): ResolvedBaseline {
  const builtin = builtinBaseline(spec);
  if (builtin) {
    if (!options.catalog) {
      // Essential Eight baselines are about the strategies; without the catalog, the checks that name one stand in.
      const filter =
        builtin.prop === 'essential-eight-applicability'
          ? (c: CheckMeta) => (c.essentialEight?.length ?? 0) > 0
          : () => true;
      return {
        input: {
          name: builtin.name,
          title: `${builtin.title} (no catalog: the controls the checks cite)`,
          controls: citedControls(options.checks, filter).filter((c) =>
            c.id.toLowerCase().startsWith(builtin.idPrefix),
          ),
        },
        warnings: [],
        withoutCatalog: true,
      };
    }
    const controls = builtinControls(builtin, options.catalog);
    if (controls.length === 0)
      throw new BaselineError(
        `baseline '${builtin.name}' selects controls by the catalog property ${builtin.prop}=${builtin.value}, which no control of '${options.catalog.title}' (${options.catalog.source}) has; it needs ${builtin.needs}`,
      );
    return {
      input: {
        name: builtin.name,
        title: builtin.title,
        source: `${options.catalog.source} (${builtin.prop}=${builtin.value})`,
        catalog: catalogRef(options.catalog),
        controls: controls.map(toControlInfo),
      },
      warnings: [],
      withoutCatalog: false,
    };
  }
  if (!looksLikePath(spec))
    throw new BaselineError(
      `unknown baseline '${spec}'; expected one of ${BUILTIN_BASELINES.map((b) => b.name).join(', ')}, or the path of an OSCAL profile (.json)`,
    );
  const profile = resolveProfileFile(spec, { catalog: options.catalog });
  return {
    input: {
      name: spec,
      title: profile.title,
      source: profile.file,
      catalog: catalogRef(profile.catalog),
      controls: profile.controls.map(toControlInfo),
    },
    warnings: profile.warnings,
    withoutCatalog: false,
  };
}
