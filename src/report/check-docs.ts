/**
 * Documentation pages for checks, rendered from their metadata (the single source of truth),
 * and an index of them. `scripts/generate-docs.ts` writes them to docs/checks/ and
 * `assay explain` prints one.
 *
 * Titles, rationale and remediation are written by check authors in this repository and are
 * Markdown; they are rendered as is. Identifiers and types are shown as code.
 */
import { ESSENTIAL_EIGHT, isEssentialEightId } from '../controls/essential-eight.ts';
import { compareText } from '../core/compare.ts';
import { type CheckMeta, SEVERITIES } from '../core/model.ts';
import { markdownCell } from './markdown-escape.ts';
import { capitalise } from './util.ts';

/** Catalog text for the controls a page cites, when a catalog is loaded (`--catalog` or imported). */
export interface ControlText {
  /** Title and statement of a control id; undefined when the catalog does not hold it. */
  lookup(id: string): { title?: string; statement?: string } | undefined;
  /** The catalog as the page credits it, e.g. `Information security manual 2025.12.9`. */
  source: string;
}

/** The page's file name for a check id (ids are expected to be file-name safe already). */
export function checkDocFileName(id: string): string {
  return `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.md`;
}

/** Inline code that survives any content: the fence is longer than the longest backtick run inside. */
function code(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function codeList(values: readonly string[], none: string): string {
  return values.length === 0 ? none : values.map(code).join(', ');
}

/** Table cells hold only short values; a `|` inside one would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** `E8-MFA` -> `` `E8-MFA` (Multi-factor authentication) ``; unknown ids are shown as they are. */
function essentialEight(id: string): string {
  return isEssentialEightId(id) ? `${code(id)} (${ESSENTIAL_EIGHT[id]})` : code(id);
}

function ismControls(meta: CheckMeta): string[] {
  return meta.controls.filter((c) => /^ism-/i.test(c));
}

function otherControls(meta: CheckMeta): string[] {
  return meta.controls.filter((c) => !/^ism-/i.test(c));
}

/** `- `ism-1139` (topic): statement` when the catalog holds the control, else the bare id. */
function controlItem(id: string, text: ControlText | undefined): string {
  const found = text?.lookup(id);
  if (!found || (!found.title && !found.statement)) return `- ${code(id)}`;
  const title = found.title ? ` (${markdownCell(found.title)})` : '';
  return `- ${code(id)}${title}${found.statement ? `: ${markdownCell(found.statement)}` : ''}`;
}

export function renderCheckDoc(meta: CheckMeta, controlText?: ControlText): string {
  const ism = ismControls(meta);
  const other = otherControls(meta);
  const e8 = meta.essentialEight ?? [];
  const lines: string[] = [
    `# ${meta.id}: ${meta.title.trim()}`,
    '',
    '| | |',
    '| --- | --- |',
    `| **ID** | ${cell(code(meta.id))} |`,
    `| **Severity** | ${capitalise(meta.severity)} |`,
    `| **Subject** | ${cell(code(meta.subjectKind))} |`,
    `| **Resource types** | ${cell(codeList(meta.subjectTypes, `every ${meta.subjectKind}`))} |`,
    `| **ISM controls** | ${cell(codeList(ism, 'none'))} |`,
  ];
  if (other.length > 0) lines.push(`| **Other controls** | ${cell(codeList(other, 'none'))} |`);
  lines.push(
    `| **Essential Eight** | ${cell(e8.length === 0 ? 'none' : e8.map(essentialEight).join(', '))} |`,
  );
  if (meta.tags && meta.tags.length > 0) lines.push(`| **Tags** | ${cell(codeList(meta.tags, 'none'))} |`);
  lines.push(
    '',
    '## Rationale',
    '',
    meta.rationale.trim(),
    '',
    '## Remediation',
    '',
    meta.remediation.trim(),
    '',
  );

  if (meta.options && meta.options.length > 0) {
    lines.push(
      '## Options',
      '',
      `A project tunes this check in \`assay.config.yaml\` under \`checks.options\` (docs/library.md), e.g. \`${meta.id}: { ${meta.options[0].name}: ${JSON.stringify(meta.options[0].default)} }\`. Unset options keep their defaults.`,
      '',
      '| Option | Default | Meaning |',
      '| --- | --- | --- |',
      ...meta.options.map(
        (o) =>
          `| ${cell(code(o.name))} | ${cell(code(JSON.stringify(o.default)))} | ${cell(o.description)} |`,
      ),
      '',
    );
  }

  lines.push('## Controls', '');
  if (meta.controls.length === 0 && e8.length === 0) {
    lines.push('This check is not mapped to a control.', '');
  } else {
    if (ism.length > 0) {
      lines.push(
        'A pass is evidence towards, and a failure evidence against, these controls of the Australian Government Information Security Manual (ISM):',
        '',
        ...ism.map((c) => controlItem(c, controlText)),
        '',
      );
    }
    if (other.length > 0)
      lines.push('Other controls:', '', ...other.map((c) => controlItem(c, controlText)), '');
    if (controlText && meta.controls.some((c) => controlText.lookup(c)?.statement))
      lines.push(`Control statements: ${markdownCell(controlText.source)}.`, '');
    if (e8.length > 0) {
      lines.push(
        'Essential Eight mitigation strategies:',
        '',
        ...e8.map((c) => `- ${essentialEight(c)}`),
        '',
      );
    }
  }

  lines.push('## Results', '');
  lines.push(
    '- **pass**: the evidence meets the expectation (for a template: the value set, or the default it leaves, meets it).',
    '- **fail**: the evidence does not meet the expectation.',
    '- **unknown**: the evidence cannot decide (for example a template value that comes from `reference()` or a parameter without a value); the finding gives the reason.',
    '',
  );

  if (meta.references && meta.references.length > 0) {
    lines.push(
      '## References',
      '',
      ...meta.references.map((r) => (/^https?:\/\//.test(r) ? `- <${r}>` : `- ${r}`)),
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function renderCheckIndex(metas: readonly CheckMeta[]): string {
  const sorted = [...metas].sort((a, b) => compareText(a.id, b.id));
  const counts = SEVERITIES.map((s) => `${sorted.filter((m) => m.severity === s).length} ${s}`).join(', ');
  const lines = ['# Checks', '', `${sorted.length} check${sorted.length === 1 ? '' : 's'}: ${counts}.`, ''];
  if (sorted.length === 0) {
    lines.push('No checks are registered yet.');
  } else {
    lines.push('| ID | Title | Severity | Resource types | Controls |', '| --- | --- | --- | --- | --- |');
    for (const m of sorted) {
      const types =
        m.subjectTypes.length === 0 ? `every ${m.subjectKind}` : m.subjectTypes.map(code).join('<br>');
      const controls = [...m.controls, ...(m.essentialEight ?? [])].map(code).join(', ');
      lines.push(
        `| [${m.id}](${checkDocFileName(m.id)}) | ${cell(m.title.trim())} | ${capitalise(m.severity)} | ${cell(types)} | ${cell(controls)} |`,
      );
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
