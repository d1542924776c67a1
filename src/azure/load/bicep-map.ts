import type { SourceLocation } from '../../core/model.ts';
import { type JsonValue, LineIndex } from '../../json/parse.ts';
import type { JsonDocument } from './document.ts';

/** A top-level declaration of a Bicep file: `resource`, `module`, `param`, `var` or `output`. */
interface Declaration {
  keyword: string;
  name: string;
  /** The quoted type (`'Microsoft.Storage/storageAccounts@2023-01-01'`) or module path, when there is one. */
  quoted: string;
  offset: number;
}

const KEYWORDS = new Set(['resource', 'module', 'param', 'var', 'output']);

function isIdentChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
}

/**
 * Where the parts of a Bicep file are: its declarations and the members of their object
 * bodies. A small scanner (strings, interpolation, comments, nesting), not a Bicep parser:
 * enough to point a finding at a line.
 */
export class BicepSource {
  readonly file: string;
  private readonly text: string;
  private readonly lines: LineIndex;
  private readonly declarations: Declaration[] = [];

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.lines = new LineIndex(text);
    for (let start = 0; start >= 0 && start <= text.length; ) {
      const d = this.declarationAt(start);
      if (d) this.declarations.push(d);
      const eol = text.indexOf('\n', start);
      start = eol < 0 ? -1 : eol + 1;
    }
  }

  /** A declaration starting on the line that begins at `start`: `keyword name ...`. */
  private declarationAt(start: number): Declaration | undefined {
    const t = this.text;
    let i = start;
    while (t[i] === ' ' || t[i] === '\t') i++;
    let j = i;
    while (j < t.length && isIdentChar(t[j] as string)) j++;
    const keyword = t.slice(i, j);
    if (!KEYWORDS.has(keyword) || (t[j] !== ' ' && t[j] !== '\t')) return undefined;
    while (t[j] === ' ' || t[j] === '\t') j++;
    let k = j;
    while (k < t.length && isIdentChar(t[k] as string)) k++;
    if (k === j) return undefined;
    const name = t.slice(j, k);
    while (t[k] === ' ' || t[k] === '\t') k++;
    let quoted = '';
    if (t[k] === "'") {
      const end = t.indexOf("'", k + 1);
      const eol = t.indexOf('\n', k);
      if (end > k && (eol < 0 || end < eol)) quoted = t.slice(k + 1, end);
    }
    return { keyword, name, quoted, offset: i };
  }

  location(offset: number): SourceLocation {
    const { line, column } = this.lines.position(offset);
    return { file: this.file, line, column };
  }

  get start(): SourceLocation {
    return { file: this.file, line: 1, column: 1 };
  }

  lineText(line: number): string {
    const start = this.lines.lineStart(line - 1) ?? this.text.length;
    const end = this.text.indexOf('\n', start);
    return this.text.slice(start, end < 0 ? this.text.length : end);
  }

  /** The declaration of a keyword and name (`resource`/`module` by symbolic name, `param` ...). */
  find(keywords: readonly string[], name: string): Declaration | undefined {
    return this.declarations.find((d) => keywords.includes(d.keyword) && d.name === name);
  }

  /** Local module files this file declares (`module x './store.bicep'`), as written; registry and spec references excluded. */
  localModules(): string[] {
    return this.declarations
      .filter((d) => d.keyword === 'module' && d.quoted !== '' && !d.quoted.includes(':'))
      .map((d) => d.quoted);
  }

  /** Declarations of a keyword whose quoted part satisfies `test`. */
  filter(keyword: string, test: (quoted: string) => boolean): Declaration[] {
    return this.declarations.filter((d) => d.keyword === keyword && test(d.quoted));
  }

  /**
   * The line of a property path (`properties.supportsHttpsTrafficOnly`) inside a declaration's
   * object body; the nearest declared ancestor when a part is not written as an object member.
   */
  locateIn(declaration: Declaration, parts: readonly string[]): SourceLocation {
    let location = this.location(declaration.offset);
    const equals = this.text.indexOf('=', declaration.offset);
    let brace = equals < 0 ? -1 : this.text.indexOf('{', equals);
    for (const part of parts) {
      if (brace < 0) break;
      const member = this.members(brace).get(part.toLowerCase());
      if (member === undefined) break;
      location = this.location(member.key);
      brace = this.text[member.value] === '{' ? member.value : -1;
    }
    return location;
  }

  /**
   * Members of the object whose `{` is at `open`: lower-cased key to the offsets of the key
   * and of its value. Strings (with `${}` interpolation), comments and nested brackets are skipped.
   */
  private members(open: number): Map<string, { key: number; value: number }> {
    const t = this.text;
    const out = new Map<string, { key: number; value: number }>();
    let depth = 0;
    let memberStart = true;
    for (let i = open; i < t.length; i++) {
      const c = t[i] as string;
      if (c === "'") {
        i = this.skipString(i);
        memberStart = false;
        continue;
      }
      if (c === '/' && t[i + 1] === '/') {
        const eol = t.indexOf('\n', i);
        i = (eol < 0 ? t.length : eol) - 1;
        continue;
      }
      if (c === '/' && t[i + 1] === '*') {
        const end = t.indexOf('*/', i + 2);
        i = end < 0 ? t.length : end + 1;
        continue;
      }
      if (c === '{' || c === '[' || c === '(') {
        depth++;
        memberStart = depth === 1;
        continue;
      }
      if (c === '}' || c === ']' || c === ')') {
        depth--;
        if (depth === 0) break;
        continue;
      }
      if (c === '\n' || c === ',') {
        memberStart = depth === 1;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') continue;
      if (memberStart && depth === 1 && isIdentChar(c)) {
        let j = i;
        while (j < t.length && isIdentChar(t[j] as string)) j++;
        let k = j;
        while (t[k] === ' ' || t[k] === '\t') k++;
        if (t[k] === ':') {
          let v = k + 1;
          while (t[v] === ' ' || t[v] === '\t') v++;
          const key = t.slice(i, j).toLowerCase();
          if (!out.has(key)) out.set(key, { key: i, value: v });
        }
        i = j - 1;
      }
      memberStart = false;
    }
    return out;
  }

  /** The offset of the closing quote of the string opening at `i` (`'''` strings and `${...}` included). */
  private skipString(i: number): number {
    const t = this.text;
    if (t.startsWith("'''", i)) {
      const end = t.indexOf("'''", i + 3);
      return end < 0 ? t.length : end + 2;
    }
    let nested = 0;
    for (let j = i + 1; j < t.length; j++) {
      const c = t[j];
      if (c === '\\') j++;
      else if (c === '\n' && nested === 0) return j;
      else if (c === '$' && t[j + 1] === '{') {
        nested++;
        j++;
      } else if (c === '}' && nested > 0) nested--;
      else if (c === "'" && nested > 0) j = this.skipString(j);
      else if (c === "'") return j;
    }
    return t.length;
  }
}

/** One entry of a compiled template section, from its first line to the next entry's. */
interface Entry {
  line: number;
  section: 'parameters' | 'variables' | 'resources' | 'outputs' | 'other';
  key: string | number;
  value: JsonValue;
}

const SECTION_KEYWORD: Record<string, string[]> = {
  parameters: ['param'],
  variables: ['var'],
  outputs: ['output'],
};

/** The name a compiled resource was declared with, when it is a literal. */
function literalName(value: JsonValue): string | undefined {
  const name = (value as { name?: JsonValue } | null)?.name;
  return typeof name === 'string' && !name.startsWith('[') ? name : undefined;
}

/**
 * Maps lines of a template compiled from a Bicep file back to that file. In languageVersion
 * 2.0 output a resource is keyed by its symbolic name (`resource <name> '...'` or
 * `module <name> '...'`); in classic output it is matched by type and API version, or by a
 * literal name. Parameters, variables and outputs map to their `param`, `var` and `output` lines.
 */
export class CompiledBicepMap {
  private readonly entries: Entry[] = [];
  readonly source: BicepSource;

  constructor(compiled: JsonDocument, source: BicepSource) {
    this.source = source;
    const root = compiled.value as Record<string, JsonValue>;
    if (root === null || typeof root !== 'object' || Array.isArray(root)) return;
    for (const section of Object.keys(root)) {
      const at = compiled.memberOffset(root, section);
      if (at !== undefined)
        this.entries.push({ line: compiled.at(at).line, section: 'other', key: section, value: null });
      const known = ['parameters', 'variables', 'resources', 'outputs'].includes(section);
      const container = root[section];
      if (!known || container === null || typeof container !== 'object') continue;
      const keys: (string | number)[] = Array.isArray(container)
        ? container.map((_, i) => i)
        : Object.keys(container);
      for (const key of keys) {
        const offset = compiled.memberOffset(container, key);
        if (offset === undefined) continue;
        const value = (container as Record<string | number, JsonValue>)[key] as JsonValue;
        this.entries.push({
          line: compiled.at(offset).line,
          section: section as Entry['section'],
          key,
          value,
        });
      }
    }
    this.entries.sort((a, b) => a.line - b.line);
  }

  /** The compiled entry a line of the compiled template falls in. */
  private entryAt(line: number): Entry | undefined {
    let found: Entry | undefined;
    for (const e of this.entries) {
      if (e.line > line) break;
      found = e;
    }
    return found;
  }

  /** The Bicep declaration of a compiled entry, when it can be told. */
  private declarationOf(entry: Entry): Declaration | undefined {
    const keywords = SECTION_KEYWORD[entry.section];
    if (keywords && typeof entry.key === 'string') return this.source.find(keywords, entry.key);
    if (entry.section !== 'resources') return undefined;
    if (typeof entry.key === 'string') {
      // languageVersion 2.0: the symbolic name; a nested child is `parent::child`.
      const symbolic = entry.key.slice(entry.key.lastIndexOf(':') + 1);
      return this.source.find(['resource', 'module'], symbolic);
    }
    return this.classicDeclaration(entry.value);
  }

  /** Classic output has no symbolic names: a declaration of the same type and API version, if only one. */
  private classicDeclaration(value: JsonValue): Declaration | undefined {
    const decl = value as { type?: JsonValue; apiVersion?: JsonValue } | null;
    if (typeof decl?.type !== 'string') return undefined;
    if (decl.type.toLowerCase() === 'microsoft.resources/deployments') {
      const modules = this.source.filter('module', () => true);
      return modules.length === 1 ? modules[0] : undefined;
    }
    const typeRef = `${decl.type}@${String(decl.apiVersion)}`.toLowerCase();
    const same = this.source.filter('resource', (q) => q.toLowerCase() === typeRef);
    if (same.length <= 1) return same[0];
    const name = literalName(value);
    if (name === undefined) return undefined;
    // Several of one type: the one whose `name:` line holds the same literal.
    return same.find((d) => {
      const at = this.source.locateIn(d, ['name']);
      return (
        at.line !== this.source.location(d.offset).line && this.source.lineText(at.line).includes(`'${name}'`)
      );
    });
  }

  /**
   * A location in the compiled template mapped to the Bicep file: the declaration's line, or
   * the property's line when `parts` is given and the location is the declaration itself.
   * Undefined when the compiled output does not tell (the caller points at line 1 and says so).
   */
  /** The path a `module` declaration names, when a location in the compiled template falls inside it. */
  modulePathAt(location: SourceLocation): string | undefined {
    const entry = this.entryAt(location.line);
    const declaration = entry && this.declarationOf(entry);
    return declaration?.keyword === 'module' ? declaration.quoted : undefined;
  }

  map(location: SourceLocation, parts?: readonly string[]): SourceLocation | undefined {
    const entry = this.entryAt(location.line);
    if (!entry) return undefined;
    const declaration = this.declarationOf(entry);
    if (!declaration) return undefined;
    // A resource inside a module's inline template maps to the `module` line, not into its body.
    const direct = entry.line === location.line;
    return parts && direct
      ? this.source.locateIn(declaration, parts)
      : this.source.location(declaration.offset);
  }
}
