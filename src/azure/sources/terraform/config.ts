/**
 * What a plan's `configuration` adds to its values: which attributes each resource block sets
 * and which resources they refer to (so a split-out resource finds its parent even when the
 * parent's id is known only after apply), and the folder of each module, so a finding can
 * point at the `.tf` line of the resource block rather than at the plan JSON.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { SourceLocation } from '../../../core/model.ts';
import type { JsonValue } from '../../../json/parse.ts';
import { displayPath } from '../../load/discover.ts';
import { isJsonObject } from './values.ts';

/** `.tf` files above this size are not read for locations (the plan JSON is used instead). */
const MAX_TF_BYTES = 4 * 1024 * 1024;

/** `module.net[0].module.sub["a"]` -> `module.net.module.sub`: the configuration's form of an address. */
export function withoutIndexes(address: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < address.length; i++) {
    const c = address[i] as string;
    if (depth > 0) {
      if (c === '"' && address[i - 1] !== '\\') quoted = !quoted;
      else if (!quoted && c === ']') depth--;
      continue;
    }
    if (c === '[') depth++;
    else out += c;
  }
  return out;
}

/** `azurerm_x.y.id` or `data.azurerm_x.y` -> the resource address, or undefined for var., local., module outputs. */
function resourceOf(reference: string): string | undefined {
  const parts = withoutIndexes(reference).split('.');
  if (parts[0] === 'data') return parts.length >= 3 ? parts.slice(0, 3).join('.') : undefined;
  const first = parts[0] ?? '';
  if (parts.length < 2 || !first.includes('_')) return undefined;
  return parts.slice(0, 2).join('.');
}

/** The `references` of an expression, and of the expressions in a nested block (arrays of objects). */
function referencesIn(expr: JsonValue | undefined, depth: number): string[] {
  if (depth > 8) return [];
  if (Array.isArray(expr)) return expr.flatMap((e) => referencesIn(e, depth + 1));
  if (!isJsonObject(expr)) return [];
  if (Array.isArray(expr.references))
    return expr.references.filter((r): r is string => typeof r === 'string');
  return Object.values(expr).flatMap((e) => referencesIn(e, depth + 1));
}

export interface PlanConfiguration {
  /** By configuration address (`module.net.azurerm_subnet.app`): attribute -> referenced resource addresses. */
  references: Map<string, Map<string, string[]>>;
  /** By module path (`module.net`, '' for the root): the module's folder, when local and inside the scan root. */
  moduleDirs: Map<string, string>;
}

/**
 * Reads `configuration.root_module` and its `module_calls`. `planDir` is the folder of the
 * plan (the root module's folder when the plan sits beside the `.tf` files); `scanRoot` bounds
 * the folders read, as linked templates are bounded.
 */
export function readConfiguration(
  configuration: JsonValue | undefined,
  planDir: string,
  scanRoot: string,
): PlanConfiguration {
  const out: PlanConfiguration = { references: new Map(), moduleDirs: new Map() };
  if (!isJsonObject(configuration)) return out;
  const visit = (
    module: JsonValue | undefined,
    path: string,
    dir: string | undefined,
    depth: number,
  ): void => {
    if (!isJsonObject(module) || depth > 32) return;
    if (dir !== undefined) out.moduleDirs.set(path, dir);
    const resources = module.resources;
    if (Array.isArray(resources)) {
      for (const r of resources) {
        if (!isJsonObject(r) || typeof r.address !== 'string') continue;
        const attrs = new Map<string, string[]>();
        const expressions = isJsonObject(r.expressions) ? r.expressions : {};
        for (const [attr, expr] of Object.entries(expressions)) {
          const refs = new Set<string>();
          for (const ref of referencesIn(expr, 0)) {
            const target = resourceOf(ref);
            if (target) refs.add(path === '' ? target : `${path}.${target}`);
          }
          attrs.set(attr, [...refs]);
        }
        out.references.set(path === '' ? r.address : `${path}.${r.address}`, attrs);
      }
    }
    const calls = module.module_calls;
    if (!isJsonObject(calls)) return;
    for (const [name, call] of Object.entries(calls)) {
      if (!isJsonObject(call)) continue;
      const source = typeof call.source === 'string' ? call.source : '';
      const local = source.startsWith('./') || source.startsWith('../');
      const childDir = local && dir !== undefined ? resolve(dir, source) : undefined;
      const inside = childDir !== undefined && !relative(scanRoot, childDir).startsWith('..');
      visit(
        call.module,
        path === '' ? `module.${name}` : `${path}.module.${name}`,
        inside ? childDir : undefined,
        depth + 1,
      );
    }
  };
  visit(configuration.root_module, '', planDir, 0);
  return out;
}

/** One resource block found in a `.tf` file. */
interface Block {
  location: SourceLocation;
  lines: readonly string[];
  /** 0-based index of the `resource` line and of the line that closes the block. */
  start: number;
  end: number;
}

/**
 * Finds resource blocks in a module's `.tf` files by a linear scan of their lines (no HCL
 * parser): the line that starts with `resource "TYPE" "NAME"`, and the block's extent by
 * counting braces outside strings. Attribute lines are found the same way.
 */
export class TfBlocks {
  private readonly root: string;
  private readonly files = new Map<string, { file: string; lines: string[] }[]>();

  constructor(root: string) {
    this.root = root;
  }

  /** The `.tf` files of a folder, read once; unreadable ones are skipped (the plan JSON is the fallback). */
  private filesOf(dir: string): { file: string; lines: string[] }[] {
    let files = this.files.get(dir);
    if (files) return files;
    files = [];
    let names: string[] = [];
    try {
      names = readdirSync(dir)
        .filter((n) => n.endsWith('.tf'))
        .sort();
    } catch {
      names = [];
    }
    for (const name of names) {
      const path = join(dir, name);
      try {
        if (statSync(path).size > MAX_TF_BYTES) continue;
        files.push({ file: displayPath(this.root, path), lines: readFileSync(path, 'utf8').split('\n') });
      } catch {
        // An unreadable file only costs its locations.
      }
    }
    this.files.set(dir, files);
    return files;
  }

  /** The block declaring `type`.`name` in the folder, if any. */
  find(dir: string, type: string, name: string): Block | undefined {
    const head = `resource "${type}" "${name}"`;
    for (const { file, lines } of this.filesOf(dir)) {
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i] as string;
        const trimmed = line.trimStart();
        if (!trimmed.startsWith(head)) continue;
        const after = trimmed.slice(head.length).trimStart();
        if (!after.startsWith('{')) continue;
        const column = line.length - trimmed.length + 1;
        return { location: { file, line: i + 1, column }, lines, start: i, end: blockEnd(lines, i) };
      }
    }
    return undefined;
  }
}

/** 0-based index of the line whose braces close the block opened on line `start`. */
function blockEnd(lines: readonly string[], start: number): number {
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    depth += braceBalance(lines[i] as string);
    if (depth <= 0 && i > start) return i;
    if (depth <= 0 && i === start && (lines[i] as string).includes('}')) return i;
  }
  return lines.length - 1;
}

/** `{` minus `}` on a line, outside double-quoted strings and `#` or `//` comments. */
function braceBalance(line: string): number {
  let n = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '#' || (c === '/' && line[i + 1] === '/')) break;
    else if (c === '{') n++;
    else if (c === '}') n--;
  }
  return n;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 48 || s.charCodeAt(i) > 57) return false;
  return true;
}

/** Whether a trimmed line sets `name` (`name = ...`) or opens a block of it (`name {`). */
function setsName(trimmed: string, name: string): boolean {
  if (!trimmed.startsWith(name)) return false;
  const rest = trimmed.slice(name.length).trimStart();
  return rest.startsWith('=') || rest.startsWith('{');
}

/**
 * The line of an attribute path (`network_rules[0].default_action`) in a block: the top-level
 * attribute or nested block at the block's first level, then the last name segment below it;
 * the nearest found, else the block.
 */
export function locateInBlock(block: Block, path: string): SourceLocation {
  const names = withoutIndexes(path)
    .split('.')
    .filter((n) => n !== '' && !isDigits(n));
  const top = names[0];
  if (top === undefined) return block.location;
  let depth = 0;
  let found: number | undefined;
  for (let i = block.start; i <= block.end; i++) {
    const line = block.lines[i] as string;
    if (depth === 1 && setsName(line.trimStart(), top)) {
      found = i;
      break;
    }
    depth += braceBalance(line);
  }
  if (found === undefined) return block.location;
  const leaf = names[names.length - 1] as string;
  let at = found;
  if (names.length > 1) {
    const end = blockEnd(block.lines, found);
    for (let i = found + 1; i <= end; i++) {
      if (setsName((block.lines[i] as string).trimStart(), leaf)) {
        at = i;
        break;
      }
    }
  }
  const line = block.lines[at] as string;
  return { file: block.location.file, line: at + 1, column: line.length - line.trimStart().length + 1 };
}
