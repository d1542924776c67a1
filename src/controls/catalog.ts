/**
 * Control catalogs as assay uses them: a flat list of controls with their statement and
 * properties, read from an OSCAL catalog (src/controls/oscal.ts) or converted from another
 * format (src/controls/nzism.ts).
 */
import type { ControlInfo } from '../core/compliance.ts';

export interface OscalProp {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}

export interface CatalogControl {
  id: string;
  title: string;
  class?: string;
  /** The statement part's prose (nested parts joined line by line). */
  statement?: string;
  props: OscalProp[];
  /** The `label` prop, e.g. `GOV-01` for an ISM principle or `13.6.6.C.01` for NZISM. */
  label?: string;
  /** Id of the enclosing control, for a control enhancement. */
  parent?: string;
  /** Titles of the groups the control sits in, outermost first. */
  groups: string[];
  /** No automated check can evidence it: an ISM principle, or marked `assessment-method: manual`. */
  manual: boolean;
}

export interface Catalog {
  uuid: string;
  title: string;
  version: string;
  oscalVersion: string;
  /** Where it was read from: a file path, a URL or `store:<name>`. */
  source: string;
  /** Every control in document order (enhancements after their parent). */
  controls: CatalogControl[];
  /** Lower-cased id -> control. */
  byId: Map<string, CatalogControl>;
}

export class CatalogError extends Error {
  readonly file: string;
  readonly path?: string;
  readonly line?: number;
  constructor(file: string, message: string, path?: string, line?: number) {
    const where = line ? `${file}:${line}` : file;
    super(`${where}: ${path ? `${path}: ` : ''}${message}`);
    this.name = 'CatalogError';
    this.file = file;
    this.path = path;
    this.line = line;
  }
}

export function propValues(control: CatalogControl, name: string): string[] {
  return control.props.filter((p) => p.name === name).map((p) => p.value);
}

export function findControl(catalog: Catalog, idOrLabel: string): CatalogControl | undefined {
  const k = idOrLabel.toLowerCase();
  const direct = catalog.byId.get(k);
  if (direct) return direct;
  // Labels are how people quote some catalogs (ISM principles, NZISM paragraph numbers).
  const bare = k.replace(/\.$/, '');
  return catalog.controls.find(
    (c) => c.label !== undefined && c.label.toLowerCase().replace(/\.$/, '') === bare,
  );
}

/**
 * A title worth showing: ISM controls are titled `Control: ism-1234`, which only repeats the
 * id, so their topic (the innermost group, e.g. `Configuring Transport Layer Security`) stands in.
 */
export function displayTitle(control: CatalogControl): string {
  if (control.title.toLowerCase() === `control: ${control.id.toLowerCase()}` && control.groups.length > 0)
    return control.groups[control.groups.length - 1];
  return control.title;
}

export function toControlInfo(control: CatalogControl): ControlInfo {
  const info: ControlInfo = { id: control.id, title: displayTitle(control), manual: control.manual };
  if (control.statement !== undefined) info.statement = control.statement;
  if (control.class !== undefined) info.class = control.class;
  return info;
}

/** The catalog as a compliance matrix names it. */
export function catalogRef(catalog: Catalog): { title: string; version?: string; source?: string } {
  return { title: catalog.title, version: catalog.version, source: catalog.source };
}

/** `ism` when the controls are ISM ones, `nzism` for a converted NZISM, else `oscal`. */
export function catalogKind(catalog: Catalog): 'ism' | 'nzism' | 'oscal' {
  if (catalog.controls.some((c) => c.class === 'NZISM-control')) return 'nzism';
  if (catalog.controls.some((c) => /^ism-\d+$/.test(c.id))) return 'ism';
  return 'oscal';
}

/** A catalog as check documentation reads it (undefined in, undefined out). */
export function controlText(
  catalog: Catalog | undefined,
): { lookup(id: string): { title?: string; statement?: string } | undefined; source: string } | undefined {
  if (!catalog) return undefined;
  return {
    lookup(id) {
      const c = catalog.byId.get(id.toLowerCase());
      return c ? { title: displayTitle(c), statement: c.statement } : undefined;
    },
    // The ISM is CC BY 4.0: reproducing its statements carries the attribution.
    source:
      catalogKind(catalog) === 'ism'
        ? `${catalog.title} ${catalog.version}, © Commonwealth of Australia (Australian Signals Directorate), CC BY 4.0`
        : `${catalog.title} ${catalog.version}`,
  };
}
