/**
 * Terraform's JSON configuration syntax (`*.tf.json`) read into the same syntax tree as a `.tf`
 * file, so one evaluator serves both (docs/terraform-hcl.md, "Files"). Each attribute and block
 * carries the line of its key in the JSON file, so findings point into it.
 *
 * Terraform decides from the provider's schema whether a JSON object is a nested block or a map
 * attribute; without the schema, an object (or an array of objects) is a nested block, except
 * under the names in `MAP_ATTRIBUTES` (`tags`, azapi's `body`...). Strings are templates
 * (`"${var.x}"`), as Terraform reads them in expressions; a variable's `default` is taken
 * literally, and `type` and `provider` are read as expressions.
 */
import type { JsonValue } from '../../../../json/parse.ts';
import { JsonSyntaxError, type LineIndex, parseJson } from '../../../../json/parse.ts';
import {
  type Attribute,
  type Block,
  type Body,
  type Expression,
  type HclRange,
  HclSyntaxError,
  parseHcl,
} from '../hcl/parser.ts';

/** Attributes whose value is an object (a map), never a nested block. */
const MAP_ATTRIBUTES = new Set([
  'tags',
  'body',
  'app_settings',
  'headers',
  'labels',
  'node_labels',
  'metadata',
  'parameters',
  'settings',
  'protected_settings',
  'variables',
  'outputs',
  'response_export_values',
  'default_tags',
]);
/** Terraform's blocks inside a resource: not the provider's, and not read. */
const META_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection']);

type JsonObject = { [key: string]: JsonValue };

const isJsonObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class JsonReader {
  constructor(
    private readonly file: string,
    private readonly offsets: ReturnType<typeof parseJson>['offsets'],
    private readonly lines: LineIndex,
  ) {}

  /** The range of a member of a container: where its key (or element) starts. */
  rangeOf(container: JsonValue, key: string | number, fallback: HclRange): HclRange {
    const offset = this.offsets.member(container, key);
    if (offset === undefined) return fallback;
    const { line, column } = this.lines.position(offset);
    const pos = { line, column, offset };
    return { file: this.file, start: pos, end: pos };
  }

  /**
   * A string as Terraform reads it in an expression: a template (`"${var.x}"`, `"%{if}..."`).
   * It is parsed as a heredoc, whose text is taken as written (JSON has already decoded its
   * escapes) and whose interpolations may hold quoted strings; the heredoc's final newline is
   * then dropped, so `"${x}"` alone is `x`'s value, as Terraform reads it.
   */
  template(text: string, range: HclRange): Expression {
    let marker = 'TFJSON';
    while (text.includes(marker)) marker += 'X';
    const expr = this.parsed(`<<${marker}\n${text}\n${marker}`, range);
    if (expr.type !== 'Template') return expr;
    delete expr.heredoc;
    const last = expr.parts[expr.parts.length - 1];
    if (last?.type === 'TemplateLiteral' && last.value.endsWith('\n')) {
      last.value = last.value.slice(0, -1);
      if (last.value === '') expr.parts.pop();
    }
    if (expr.parts.length === 0) expr.parts.push({ type: 'TemplateLiteral', value: '', range });
    return expr;
  }

  /** Text parsed as an HCL expression (a `type`, a `provider` reference, a template), placed at `range`. */
  parsed(source: string, range: HclRange): Expression {
    let body: Body;
    try {
      body = parseHcl(`v = ${source}\n`, range.file).body;
    } catch (err) {
      if (err instanceof HclSyntaxError)
        throw new HclSyntaxError(`in a JSON string: ${err.detail}`, range.file, range.start);
      throw err;
    }
    const value = (body.attributes[0] as Attribute).value;
    relocate(value, range);
    return value;
  }

  /** A JSON value as an expression: strings as templates (`literal`: as plain text). */
  expression(value: JsonValue, range: HclRange, literal = false): Expression {
    if (typeof value === 'string') {
      return literal
        ? { type: 'Template', parts: [{ type: 'TemplateLiteral', value, range }], range }
        : this.template(value, range);
    }
    if (value === null || typeof value === 'number' || typeof value === 'boolean')
      return { type: 'Literal', value, raw: String(value), range };
    if (Array.isArray(value))
      return {
        type: 'Tuple',
        items: value.map((v, i) => this.expression(v, this.rangeOf(value, i, range), literal)),
        range,
      };
    return {
      type: 'Object',
      items: Object.keys(value)
        .filter((k) => k !== '//')
        .map((k) => {
          const at = this.rangeOf(value, k, range);
          return {
            key: { type: 'Template', parts: [{ type: 'TemplateLiteral', value: k, range: at }], range: at },
            value: this.expression(value[k] as JsonValue, at, literal),
            range: at,
          };
        }),
      range,
    };
  }

  attribute(name: string, value: Expression | undefined, range: HclRange): Attribute[] {
    if (!value) return [];
    return [{ type: 'Attribute', name, nameRange: range, value, range }];
  }

  block(blockType: string, labels: string[], body: Body, range: HclRange): Block {
    return {
      type: 'Block',
      blockType,
      typeRange: range,
      labels: labels.map((value) => ({ value, quoted: true, range })),
      body,
      range,
    };
  }

  /** The body of a resource, data source, nested block or `content`: attributes and nested blocks. */
  resourceBody(obj: JsonObject, range: HclRange): Body {
    const body: Body = { type: 'Body', attributes: [], blocks: [], range };
    for (const key of Object.keys(obj)) {
      if (key === '//' || META_BLOCKS.has(key)) continue;
      const value = obj[key] as JsonValue;
      const at = this.rangeOf(obj, key, range);
      if (key === 'dynamic' && isJsonObject(value)) {
        for (const name of Object.keys(value)) {
          for (const spec of asList(value[name] as JsonValue)) {
            if (isJsonObject(spec)) body.blocks.push(this.dynamic(name, spec, this.rangeOf(value, name, at)));
          }
        }
        continue;
      }
      if (key === 'provider' && typeof value === 'string') {
        body.attributes.push(...this.attribute(key, this.parsed(value, at), at));
        continue;
      }
      if (!MAP_ATTRIBUTES.has(key)) {
        if (isJsonObject(value)) {
          body.blocks.push(this.block(key, [], this.resourceBody(value, at), at));
          continue;
        }
        if (Array.isArray(value) && value.length > 0 && value.every(isJsonObject)) {
          value.forEach((element, i) => {
            const elementAt = this.rangeOf(value, i, at);
            body.blocks.push(
              this.block(key, [], this.resourceBody(element as JsonObject, elementAt), elementAt),
            );
          });
          continue;
        }
      }
      body.attributes.push(...this.attribute(key, this.expression(value, at), at));
    }
    return body;
  }

  /** `"dynamic": { "rule": { "for_each": "...", "iterator": "r", "content": { ... } } }`. */
  private dynamic(name: string, spec: JsonObject, range: HclRange): Block {
    const body: Body = { type: 'Body', attributes: [], blocks: [], range };
    for (const key of Object.keys(spec)) {
      const value = spec[key] as JsonValue;
      const at = this.rangeOf(spec, key, range);
      if (key === 'content' && isJsonObject(value))
        body.blocks.push(this.block('content', [], this.resourceBody(value, at), at));
      else if (key === 'iterator' && typeof value === 'string')
        body.attributes.push(...this.attribute(key, { type: 'Variable', name: value, range: at }, at));
      else if (key !== '//') body.attributes.push(...this.attribute(key, this.expression(value, at), at));
    }
    return this.block('dynamic', [name], body, range);
  }

  /** A body whose members are all attributes: `locals`, an `output`, a `module` call, a `variable`. */
  attributesBody(
    obj: JsonObject,
    range: HclRange,
    read: (key: string, value: JsonValue, at: HclRange) => Expression,
  ): Body {
    const body: Body = { type: 'Body', attributes: [], blocks: [], range };
    for (const key of Object.keys(obj)) {
      if (key === '//') continue;
      const at = this.rangeOf(obj, key, range);
      body.attributes.push(...this.attribute(key, read(key, obj[key] as JsonValue, at), at));
    }
    return body;
  }
}

function asList(v: JsonValue): JsonValue[] {
  return Array.isArray(v) ? v : [v];
}

/** Sets every range in a parsed expression to `range`: the JSON string it came from. */
function relocate(node: unknown, range: HclRange): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) relocate(item, range);
    return;
  }
  const record = node as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key === 'range' || key === 'nameRange' || key === 'typeRange') record[key] = range;
    else relocate(record[key], range);
  }
}

/**
 * Parses a `.tf.json` file into the body a `.tf` file gives. Throws `HclSyntaxError` (file,
 * line, column) for JSON that does not parse, a top level that is not an object, or a string
 * that is not a valid template.
 */
export function parseTerraformJson(text: string, file: string): Body {
  let parsed: ReturnType<typeof parseJson>;
  try {
    parsed = parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError)
      throw new HclSyntaxError(err.message.slice(0, err.message.lastIndexOf(' at line ')), file, {
        line: err.line,
        column: err.column,
        offset: err.offset,
      });
    throw err;
  }
  const root = parsed.value;
  const start = { line: 1, column: 1, offset: 0 };
  const top: HclRange = { file, start, end: start };
  if (!isJsonObject(root))
    throw new HclSyntaxError('a Terraform JSON configuration is an object at the top level', file, start);
  const reader = new JsonReader(file, parsed.offsets, parsed.lines);
  const body: Body = { type: 'Body', attributes: [], blocks: [], range: top };
  const templated = (_key: string, value: JsonValue, at: HclRange) => reader.expression(value, at);
  for (const kind of Object.keys(root)) {
    const section = root[kind] as JsonValue;
    const sectionAt = reader.rangeOf(root, kind, top);
    for (const part of asList(section)) {
      if (!isJsonObject(part)) continue;
      switch (kind) {
        case 'resource':
        case 'data':
          for (const type of Object.keys(part)) {
            const byName = part[type] as JsonValue;
            if (!isJsonObject(byName)) continue;
            for (const name of Object.keys(byName)) {
              const at = reader.rangeOf(byName, name, reader.rangeOf(part, type, sectionAt));
              for (const decl of asList(byName[name] as JsonValue))
                if (isJsonObject(decl))
                  body.blocks.push(reader.block(kind, [type, name], reader.resourceBody(decl, at), at));
            }
          }
          break;
        case 'locals':
          body.blocks.push(
            reader.block('locals', [], reader.attributesBody(part, sectionAt, templated), sectionAt),
          );
          break;
        case 'variable':
        case 'output':
        case 'module':
          for (const name of Object.keys(part)) {
            const decl = part[name] as JsonValue;
            const at = reader.rangeOf(part, name, sectionAt);
            if (!isJsonObject(decl)) continue;
            const read = (key: string, value: JsonValue, valueAt: HclRange): Expression => {
              if (kind === 'variable' && key === 'type' && typeof value === 'string')
                return reader.parsed(value, valueAt);
              // A variable's default and description, and a module's source, are taken as written.
              const literal =
                kind === 'variable' || (kind === 'module' && (key === 'source' || key === 'version'));
              return reader.expression(value, valueAt, literal);
            };
            body.blocks.push(reader.block(kind, [name], reader.attributesBody(decl, at, read), at));
          }
          break;
        case 'terraform': {
          const providers = part.required_providers;
          if (!isJsonObject(providers)) break;
          const at = reader.rangeOf(part, 'required_providers', sectionAt);
          const literal = (_key: string, value: JsonValue, valueAt: HclRange) =>
            reader.expression(value, valueAt, true);
          const inner = reader.block(
            'required_providers',
            [],
            reader.attributesBody(providers, at, literal),
            at,
          );
          body.blocks.push(
            reader.block(
              'terraform',
              [],
              { type: 'Body', attributes: [], blocks: [inner], range: at },
              sectionAt,
            ),
          );
          break;
        }
        // provider, moved, import, check: not read (as for `.tf` files).
      }
    }
  }
  return body;
}
