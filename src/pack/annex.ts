/**
 * What the SSP annex needs from a control catalog: each control's applicability levels (the
 * ISM's `applicability` property: NC, OS, P, S, TS). Kept out of src/report/, which reads only
 * the core model.
 */
import { type Catalog, propValues } from '../controls/catalog.ts';

/** Per lower-cased control id, the catalog's applicability values. */
export function catalogApplicability(
  catalog: Catalog | undefined,
): (controlId: string) => string[] | undefined {
  return (id) => {
    const control = catalog?.byId.get(id.toLowerCase());
    return control ? propValues(control, 'applicability') : undefined;
  };
}
