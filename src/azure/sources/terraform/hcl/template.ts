/**
 * Templates from the flat run of pieces the parser reads between a string's quotes or a
 * heredoc's markers: literal text, interpolations and directive headers. Here a `<<-` heredoc
 * loses its common indentation, strip markers (`~`) trim the literals beside them, and the
 * `%{ if }` / `%{ for }` directives are nested into a tree, with an explicit stack (no recursion).
 */
import {
  type Expression,
  type HclPos,
  HclSyntaxError,
  MAX_NESTING,
  type TemplateFor,
  type TemplateIf,
  type TemplatePart,
} from './ast.ts';

/** One piece of a template as read, before the work of this module. */
export type TemplateItem =
  | { kind: 'lit'; text: string; lineStart: boolean; start: HclPos; end: HclPos }
  | {
      kind: 'interp';
      expression: Expression;
      stripLeft: boolean;
      stripRight: boolean;
      start: HclPos;
      end: HclPos;
    }
  | {
      kind: 'directive';
      keyword: 'if' | 'else' | 'endif' | 'for' | 'endfor';
      /** The condition of `if`, the collection of `for`. */
      expression?: Expression;
      keyVar?: string;
      valueVar?: string;
      stripLeft: boolean;
      stripRight: boolean;
      start: HclPos;
      end: HclPos;
    };

type LitItem = TemplateItem & { kind: 'lit' };
type DirectiveItem = TemplateItem & { kind: 'directive' };

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Leading spaces and tabs of a heredoc line, or -1 for a line of only white space. */
function indentation(text: string): number {
  let n = 0;
  while (isBlank(text.charCodeAt(n))) n++;
  const rest = text.charCodeAt(n);
  if (rest === 10 || (rest === 13 && text.charCodeAt(n + 1) === 10)) return -1;
  return n;
}

/**
 * `<<-`: the smallest indentation of the lines is removed from every line. A line of only white
 * space neither counts nor changes (as in HashiCorp's implementation); a line that starts with
 * an interpolation or directive has no indentation, so nothing is removed.
 */
function stripIndentation(items: TemplateItem[]): void {
  let least = Number.POSITIVE_INFINITY;
  const lines: LitItem[] = [];
  for (const item of items) {
    if (item.kind !== 'lit' || !item.lineStart) continue;
    const n = indentation(item.text);
    if (n < 0) continue;
    lines.push(item);
    if (n < least) least = n;
  }
  if (least === Number.POSITIVE_INFINITY || least === 0) return;
  for (const line of lines) line.text = line.text.slice(least);
}

/** Adjacent literals (a heredoc's lines) joined into one. */
function joinLiterals(items: TemplateItem[]): TemplateItem[] {
  const out: TemplateItem[] = [];
  for (const item of items) {
    const last = out[out.length - 1];
    if (item.kind === 'lit' && last?.kind === 'lit') {
      const joined: LitItem = { ...last, text: last.text + item.text, end: item.end };
      out[out.length - 1] = joined;
    } else out.push(item);
  }
  return out;
}

/** Strip markers: `~}` trims the white space that follows, `${~` the white space before. */
function applyStripMarkers(items: TemplateItem[]): void {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind !== 'lit') continue;
    const before = items[i - 1];
    const after = items[i + 1];
    if (before && before.kind !== 'lit' && before.stripRight) item.text = item.text.trimStart();
    if (after && after.kind !== 'lit' && after.stripLeft) item.text = item.text.trimEnd();
  }
}

interface OpenDirective {
  item: DirectiveItem;
  node: TemplateIf | TemplateFor;
  parts: TemplatePart[];
}

/**
 * The parts of a template from its items. `flush` is a `<<-` heredoc; `depth` is the nesting the
 * template already sits in. Throws `HclSyntaxError` for a directive out of place or left open, or
 * directives that take the nesting past `MAX_NESTING`.
 */
export function buildTemplateParts(
  items: TemplateItem[],
  flush: boolean,
  file: string,
  depth: number,
): TemplatePart[] {
  if (flush) stripIndentation(items);
  const joined = joinLiterals(items);
  applyStripMarkers(joined);
  const root: TemplatePart[] = [];
  const open: OpenDirective[] = [];
  for (const item of joined) {
    const current = open.length > 0 ? open[open.length - 1].parts : root;
    if (item.kind === 'lit') {
      if (item.text !== '') {
        current.push({
          type: 'TemplateLiteral',
          value: item.text,
          range: { file, start: item.start, end: item.end },
        });
      }
      continue;
    }
    if (item.kind === 'interp') {
      current.push({
        type: 'TemplateInterpolation',
        expression: item.expression,
        range: { file, start: item.start, end: item.end },
      });
      continue;
    }
    const top = open[open.length - 1];
    switch (item.keyword) {
      case 'if':
      case 'for': {
        if (depth + open.length >= MAX_NESTING) {
          throw new HclSyntaxError(
            `Nesting too deep: more than ${MAX_NESTING} levels of blocks, brackets, operators or templates`,
            file,
            item.start,
          );
        }
        const parts: TemplatePart[] = [];
        const node: TemplateIf | TemplateFor =
          item.keyword === 'if'
            ? {
                type: 'TemplateIf',
                condition: item.expression!,
                thenParts: parts,
                range: { file, start: item.start, end: item.end },
              }
            : {
                type: 'TemplateFor',
                valueVar: item.valueVar!,
                collection: item.expression!,
                parts,
                range: { file, start: item.start, end: item.end },
              };
        if (node.type === 'TemplateFor' && item.keyVar !== undefined) node.keyVar = item.keyVar;
        current.push(node);
        open.push({ item, node, parts });
        break;
      }
      case 'else': {
        if (top?.node.type !== 'TemplateIf' || top.node.elseParts) {
          throw new HclSyntaxError("Unexpected '%{ else }': no '%{ if }' is open", file, item.start);
        }
        top.node.elseParts = [];
        top.parts = top.node.elseParts;
        break;
      }
      case 'endif':
      case 'endfor': {
        const wanted = item.keyword === 'endif' ? 'TemplateIf' : 'TemplateFor';
        if (top?.node.type !== wanted) {
          const opener = item.keyword === 'endif' ? 'if' : 'for';
          const detail = top
            ? `Unexpected '%{ ${item.keyword} }': the open directive is '%{ ${top.item.keyword} }' (line ${top.item.start.line})`
            : `Unexpected '%{ ${item.keyword} }': no '%{ ${opener} }' is open`;
          throw new HclSyntaxError(detail, file, item.start);
        }
        top.node.range = { file, start: top.item.start, end: item.end };
        open.pop();
        break;
      }
    }
  }
  const unclosed = open[open.length - 1];
  if (unclosed) {
    const closer = unclosed.item.keyword === 'if' ? 'endif' : 'endfor';
    throw new HclSyntaxError(
      `Unclosed '%{ ${unclosed.item.keyword} }' directive: '%{ ${closer} }' is missing`,
      file,
      unclosed.item.start,
    );
  }
  return root;
}
