/**
 * Reading OSCAL 1.x JSON catalogs and profiles: the parts assay uses, validated with zod so a
 * malformed document is refused with the file, line and JSON path of the problem. Members
 * assay does not use are let through untouched.
 */
import { z } from 'zod';
import {
  type JsonOffsets,
  JsonSyntaxError,
  type JsonValue,
  type LineIndex,
  parseJson,
} from '../json/parse.ts';
import { type Catalog, type CatalogControl, CatalogError, type OscalProp } from './catalog.ts';

export interface OscalPart {
  id?: string;
  name: string;
  title?: string;
  prose?: string;
  parts?: OscalPart[];
  props?: OscalProp[];
}

export interface OscalControl {
  id: string;
  title: string;
  class?: string;
  props?: OscalProp[];
  parts?: OscalPart[];
  controls?: OscalControl[];
}

export interface OscalGroup {
  id?: string;
  title: string;
  groups?: OscalGroup[];
  controls?: OscalControl[];
}

const nonEmpty = z.string().min(1, 'expected a non-empty string');

const prop = z.looseObject({
  name: nonEmpty,
  value: z.string(),
  ns: z.string().optional(),
  class: z.string().optional(),
});

const part: z.ZodType<OscalPart> = z.lazy(() =>
  z.looseObject({
    id: z.string().optional(),
    name: nonEmpty,
    title: z.string().optional(),
    prose: z.string().optional(),
    parts: z.array(part).optional(),
    props: z.array(prop).optional(),
  }),
);

const control: z.ZodType<OscalControl> = z.lazy(() =>
  z.looseObject({
    id: nonEmpty,
    title: z.string(),
    class: z.string().optional(),
    props: z.array(prop).optional(),
    parts: z.array(part).optional(),
    controls: z.array(control).optional(),
  }),
);

const group: z.ZodType<OscalGroup> = z.lazy(() =>
  z.looseObject({
    id: z.string().optional(),
    title: z.string(),
    groups: z.array(group).optional(),
    controls: z.array(control).optional(),
  }),
);

const metadata = z.looseObject({
  title: nonEmpty,
  version: nonEmpty,
  'oscal-version': nonEmpty.regex(/^1\./, 'expected an OSCAL 1.x version'),
});

const catalogDocument = z.looseObject({
  catalog: z.looseObject({
    uuid: nonEmpty,
    metadata,
    groups: z.array(group).optional(),
    controls: z.array(control).optional(),
  }),
});

const selector = z.looseObject({
  'with-ids': z.array(nonEmpty).optional(),
  matching: z.array(z.looseObject({ pattern: nonEmpty })).optional(),
  'with-child-controls': z.enum(['yes', 'no']).optional(),
});

export type OscalSelector = z.infer<typeof selector>;

const rlink = z.looseObject({ href: nonEmpty, 'media-type': z.string().optional() });

const profileDocument = z.looseObject({
  profile: z.looseObject({
    uuid: nonEmpty,
    metadata,
    imports: z
      .array(
        z.looseObject({
          href: nonEmpty,
          'include-all': z.looseObject({}).optional(),
          'include-controls': z.array(selector).optional(),
          'exclude-controls': z.array(selector).optional(),
        }),
      )
      .min(1, 'a profile imports at least one catalog or profile'),
    'back-matter': z
      .looseObject({
        resources: z.array(z.looseObject({ uuid: nonEmpty, rlinks: z.array(rlink).optional() })).optional(),
      })
      .optional(),
  }),
});

export type ProfileDocument = z.infer<typeof profileDocument>;

/** `$.catalog.groups[3].controls[0].id` from a path of keys and indexes. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && /^[A-Za-z_][\w-]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

/** A parsed JSON document with what is needed to point at a place in it. */
export interface JsonSource {
  file: string;
  value: JsonValue;
  lines: LineIndex;
  /** Member offsets, when the document was parsed from its own text (a generated one has none). */
  offsets?: JsonOffsets;
}

export function parseJsonSource(text: string, file: string): JsonSource {
  try {
    const parsed = parseJson(text);
    return { file, value: parsed.value, lines: parsed.lines, offsets: parsed.offsets };
  } catch (err) {
    if (err instanceof JsonSyntaxError)
      throw new CatalogError(file, `invalid JSON: ${err.message}`, undefined, err.line);
    throw err;
  }
}

/** The line of the deepest part of `segments` present in the document. */
export function lineOf(src: JsonSource, segments: readonly (string | number)[]): number | undefined {
  const offset = src.offsets?.locate(src.value, segments).offset;
  return offset === undefined ? undefined : src.lines.position(offset).line;
}

export function errorAt(
  src: JsonSource,
  segments: readonly (string | number)[],
  message: string,
): CatalogError {
  return new CatalogError(src.file, message, jsonPath(segments), lineOf(src, segments));
}

function validate<T>(schema: z.ZodType<T>, src: JsonSource, what: string): T {
  const result = schema.safeParse(src.value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const segments = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const more =
    result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem(s))` : '';
  throw errorAt(src, segments, `not a valid OSCAL ${what}: ${issue.message}${more}`);
}

/** What a JSON document is, by its single root member. */
export function oscalModel(value: JsonValue): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.keys(value).find((k) =>
    [
      'catalog',
      'profile',
      'component-definition',
      'system-security-plan',
      'assessment-plan',
      'assessment-results',
      'plan-of-action-and-milestones',
    ].includes(k),
  );
}

function proseOf(parts: readonly OscalPart[] | undefined): string | undefined {
  const statement = parts?.find((p) => p.name === 'statement');
  if (!statement) return undefined;
  const lines: string[] = [];
  const walk = (p: OscalPart): void => {
    const label = p.props?.find((q) => q.name === 'label')?.value;
    if (p.prose !== undefined && p.prose.trim() !== '')
      lines.push(label ? `${label} ${p.prose.trim()}` : p.prose.trim());
    for (const child of p.parts ?? []) walk(child);
  };
  walk(statement);
  return lines.length > 0 ? lines.join('\n') : undefined;
}

function isManual(c: OscalControl): boolean {
  if (c.class !== undefined && /principle$/i.test(c.class)) return true;
  return (c.props ?? []).some((p) => p.name === 'assessment-method' && p.value.toLowerCase() === 'manual');
}

/** Builds the catalog model from a validated OSCAL catalog document; duplicate ids are an error. */
export function catalogFromSource(src: JsonSource, source = src.file): Catalog {
  if (oscalModel(src.value) === 'profile')
    throw new CatalogError(
      src.file,
      'this is an OSCAL profile, not a catalog; pass it with --baseline',
      '$.profile',
    );
  const doc = validate(catalogDocument, src, 'catalog');
  const controls: CatalogControl[] = [];
  const byId = new Map<string, CatalogControl>();
  const addControl = (
    c: OscalControl,
    groups: string[],
    parent: string | undefined,
    path: (string | number)[],
  ): void => {
    const k = c.id.toLowerCase();
    if (byId.has(k)) throw errorAt(src, [...path, 'id'], `duplicate control id '${c.id}'`);
    const props = (c.props ?? []).map((p) => {
      const out: OscalProp = { name: p.name, value: p.value };
      if (p.ns !== undefined) out.ns = p.ns;
      if (p.class !== undefined) out.class = p.class;
      return out;
    });
    const model: CatalogControl = { id: c.id, title: c.title, props, groups, manual: isManual(c) };
    if (c.class !== undefined) model.class = c.class;
    const statement = proseOf(c.parts);
    if (statement !== undefined) model.statement = statement;
    const label = props.find((p) => p.name === 'label')?.value;
    if (label !== undefined) model.label = label;
    if (parent !== undefined) model.parent = parent;
    controls.push(model);
    byId.set(k, model);
    (c.controls ?? []).forEach((child, i) => {
      addControl(child, groups, c.id, [...path, 'controls', i]);
    });
  };
  const walkGroup = (g: OscalGroup, trail: string[], path: (string | number)[]): void => {
    const here = [...trail, g.title];
    (g.controls ?? []).forEach((c, i) => {
      addControl(c, here, undefined, [...path, 'controls', i]);
    });
    (g.groups ?? []).forEach((child, i) => {
      walkGroup(child, here, [...path, 'groups', i]);
    });
  };
  const cat = doc.catalog;
  (cat.controls ?? []).forEach((c, i) => {
    addControl(c, [], undefined, ['catalog', 'controls', i]);
  });
  (cat.groups ?? []).forEach((g, i) => {
    walkGroup(g, [], ['catalog', 'groups', i]);
  });
  return {
    uuid: cat.uuid,
    title: cat.metadata.title,
    version: cat.metadata.version,
    oscalVersion: cat.metadata['oscal-version'],
    source,
    controls,
    byId,
  };
}

export function profileFromSource(src: JsonSource): ProfileDocument {
  const model = oscalModel(src.value);
  if (model === 'catalog')
    throw new CatalogError(
      src.file,
      'this is an OSCAL catalog, not a profile; pass it with --catalog',
      '$.catalog',
    );
  return validate(profileDocument, src, 'profile');
}
