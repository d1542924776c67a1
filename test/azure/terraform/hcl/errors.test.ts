// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are HCL source, whose interpolations are written ${...}.
/**
 * HCL syntax errors: each with its file, line, column and message; hostile input (nesting bombs,
 * a 1 MB file, long flat lists and traversals) ends with an error or a tree, never a hang or a
 * stack overflow.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HclSyntaxError, MAX_NESTING, parseHcl } from '../../../../src/azure/sources/terraform/hcl/parser.ts';
import { syntaxError } from './helpers.ts';

/** Asserts the error `source` raises: `[line, column]` and a message pattern. */
function fails(source: string, line: number, column: number, message: RegExp): void {
  const error = syntaxError(source);
  assert.ok(error instanceof HclSyntaxError);
  assert.deepEqual(
    [error.line, error.column],
    [line, column],
    `${JSON.stringify(source.slice(0, 60))}: ${error.message.slice(0, 200)}`,
  );
  assert.match(error.detail, message);
  assert.equal(error.file, 'bad.tf');
  assert.equal(error.message, `bad.tf:${line}:${column}: ${error.detail}`);
}

describe('HCL parser errors: strings, heredocs and comments', () => {
  it('reports an unterminated string where it opens', () => {
    fails('a = "abc\nb = 1\n', 1, 5, /Unterminated string: a quoted string cannot span lines/);
    fails('a = 1\nb = "abc', 2, 5, /Unterminated string: the closing '"' is missing/);
    fails('a = "${x}\n"', 1, 5, /Unterminated string/);
  });

  it('reports an interpolation left open', () => {
    fails('a = "${x', 1, 6, /Unterminated template sequence: missing '}'/);
    fails('a = "${x y}"', 1, 10, /Expected '}' to close the interpolation; found 'y'/);
  });

  it('reports invalid escapes at the backslash', () => {
    fails('a = "x\\q"', 1, 7, /Invalid escape sequence: '\\' followed by 'q'/);
    fails('a = "\\u12"', 1, 6, /needs 4 hexadecimal digits/);
    fails('a = "\\UFFFFFFFF"', 1, 6, /beyond U\+10FFFF/);
  });

  it('reports heredocs without a closing marker, a marker name or a line end', () => {
    fails('a = <<EOT\nline\nEOTX\n', 1, 5, /Unterminated heredoc: no line holds only the closing marker EOT/);
    fails('a = <<-EOT\n${x}', 1, 5, /Unterminated heredoc/);
    fails('a = << EOT\n', 1, 5, /'<<' must be followed by a marker name/);
    fails('a = <<EOT x\nEOT\n', 1, 10, /the line must end right after the marker <<EOT/);
  });

  it('reports an unterminated block comment where it opens', () => {
    fails('a = 1\n  /* never closed\n', 2, 3, /Unterminated comment/);
  });

  it('reports template directives out of place', () => {
    fails('a = "%{ if x }y"', 1, 6, /Unclosed '%\{ if \}' directive: '%\{ endif \}' is missing/);
    fails('a = "x%{ endif }"', 1, 7, /Unexpected '%\{ endif \}': no '%\{ if \}' is open/);
    fails('a = "%{ else }"', 1, 6, /Unexpected '%\{ else \}'/);
    fails('a = "%{ if a }%{ else }%{ else }%{ endif }"', 1, 24, /Unexpected '%\{ else \}'/);
    fails('a = "%{ for v in xs }%{ endif }"', 1, 22, /the open directive is '%\{ for \}'/);
    fails('a = "%{ while x }"', 1, 9, /Invalid template directive: expected if, else, endif, for or endfor/);
    fails('a = "%{ for v xs }%{ endfor }"', 1, 15, /Expected 'in' after the variables of a 'for'/);
  });
});

describe('HCL parser errors: structure', () => {
  it('reports a block left open at its brace', () => {
    fails(
      'resource "a" "b" {\n  x = 1\n',
      1,
      18,
      /Unclosed block 'resource': this '\{' has no matching '\}' before the end of the file/,
    );
    fails('a {\n  b {\n    c = 1\n  }\n', 1, 3, /Unclosed block 'a'/);
  });

  it('reports an extra closing brace', () => {
    fails('a = 1\n}\n', 2, 1, /Unexpected '\}': no block is open/);
    fails('a {\n}\n}\n', 3, 1, /Unexpected '\}': no block is open/);
  });

  it('reports unclosed objects, tuples, parentheses and calls', () => {
    fails('a = {\n  b = 1\n', 1, 5, /Unclosed object/);
    fails('a = [1, 2', 1, 10, /Expected ',' or '\]' after a tuple element; found the end of the file/);
    fails('a = (1 + 2\n', 2, 1, /Expected '\)' to close '\('; found the end of the file/);
    fails('a = f(1\nb = 2\n', 2, 1, /Expected ',' or '\)' in the arguments of 'f'; found 'b'/);
    fails('a = x[1\n', 2, 1, /Expected '\]' to close the index/);
  });

  it('reports bad tokens with a hint where one helps', () => {
    fails('a = 1 @ 2', 1, 7, /Invalid character '@'/);
    fails("a = 'x'", 1, 5, /strings are written in double quotes/);
    fails('a = b & c', 1, 7, /the logical and is '&&'/);
    fails('a = b | c', 1, 7, /the logical or is '\|\|'/);
    fails('a = ${x}', 1, 5, /an interpolation '\$\{' is only valid inside a string/);
    fails('a = 1;', 1, 6, /Invalid character ';'/);
    fails('a = 1\u0007', 1, 6, /Invalid character U\+0007/);
    fails('a = ~x', 1, 5, /Invalid character '~'/);
  });

  it('reports attributes and blocks written wrong', () => {
    fails('a 1', 1, 3, /Expected '=' or a block after 'a'; found the number 1/);
    fails('= 1', 1, 1, /Expected an attribute or block definition; found '='/);
    fails('a = 1 b = 2', 1, 7, /Expected a newline after the value of 'a'; found 'b'/);
    fails('a = 1\nb = 2\na = 3\n', 3, 1, /Attribute 'a' is already defined at line 1/);
    fails('a = \nb = 1', 1, 5, /Expected an expression before the end of the line/);
    fails('a =', 1, 4, /Expected an expression; found the end of the file/);
    fails('resource "${x}" {}', 1, 11, /A block label is a plain string/);
    fails('b { x = 1, y = 2 }', 1, 10, /A one-line block holds one attribute .* found ','/);
    fails('b { x = 1\n}', 1, 10, /A one-line block holds one attribute .* found a newline/);
    fails('b { c {} }', 1, 5, /Invalid one-line block/);
    fails('b {} c = 1', 1, 6, /Expected a newline after a block; found 'c'/);
  });

  it('cuts a long name short in a message', () => {
    const error = syntaxError(`${'x'.repeat(100_000)} 1`);
    assert.equal(error.detail, `Expected '=' or a block after '${'x'.repeat(40)}...'; found the number 1`);
  });

  it('reports expressions written wrong', () => {
    fails('a = x ? 1', 1, 10, /Expected ':' after the true result of a conditional/);
    fails('a = [for x xs : x]', 1, 12, /Expected 'in' after the variables of a 'for'/);
    fails('a = {for k, v in m : k v}', 1, 24, /Expected '=>' between the key and the value/);
    fails('a = [for v in xs : v', 1, 21, /Expected '\]' to close the 'for' expression/);
    fails('a = { b }', 1, 9, /Expected '=' or ':' after an object key; found '\}'/);
    fails('a = x.', 1, 7, /Expected an attribute name after '\.'/);
    fails('a = x[*', 1, 8, /Expected '\]' to close the splat/);
    fails('a = provider::(1)', 1, 15, /Expected a function name after '::'/);
  });
});

describe('HCL parser errors: hostile input', () => {
  const column = 5 + MAX_NESTING;

  it('stops a nesting bomb of each kind with an error at the level past the limit', () => {
    const depth = 100_000;
    fails(`a = ${'['.repeat(depth)}`, 1, column, /Nesting too deep: more than 200 levels/);
    fails(`a = ${'('.repeat(depth)}`, 1, column, /Nesting too deep/);
    fails(`a = ${'{a='.repeat(depth)}`, 1, 5 + 3 * MAX_NESTING, /Nesting too deep/);
    fails(`a = ${'!'.repeat(depth)}x`, 1, column, /Nesting too deep/);
    fails(`a = ${'-'.repeat(depth)}x`, 1, column, /Nesting too deep/);
    fails(`a = ${'f('.repeat(depth)}`, 1, 6 + 2 * MAX_NESTING, /Nesting too deep/);
    fails(`a = x${'[0'.repeat(depth)}`, 1, 6 + 2 * MAX_NESTING, /Nesting too deep/);
    fails(`a = ${'"${'.repeat(depth)}x${'}"'.repeat(depth)}`, 1, 5 + 3 * MAX_NESTING, /Nesting too deep/);
    fails(`a = "${'%{ if x }'.repeat(depth)}"`, 1, 6 + 9 * (MAX_NESTING - 1), /Nesting too deep/);
    fails(`a = ${'x ? y : '.repeat(depth)}z`, 1, 7 + 8 * MAX_NESTING, /Nesting too deep/);
    fails(`a = ${'1 + '.repeat(depth)}1`, 1, 7 + 4 * MAX_NESTING, /Nesting too deep/);
    fails('b {\n'.repeat(depth), MAX_NESTING + 1, 3, /Nesting too deep/);
  });

  it('parses up to the limit', () => {
    const levels = MAX_NESTING - 1;
    const { body } = parseHcl(`a = ${'['.repeat(levels)}${']'.repeat(levels)}\n`, 'deep.tf');
    assert.equal(body.attributes[0].value.type, 'Tuple');
  });

  it('parses long flat lists, traversals and strings without recursion', () => {
    const n = 200_000;
    const list = parseHcl(`a = [${'1,'.repeat(n)}]\n`, 'flat.tf').body.attributes[0].value;
    assert.equal(list.type === 'Tuple' && list.items.length, n);
    const path = parseHcl(`a = x${'.y'.repeat(n)}\n`, 'flat.tf').body.attributes[0].value;
    assert.equal(path.type === 'Traversal' && path.steps.length, n);
    const text = parseHcl(`a = "${'$$${'.repeat(n)}"\n`, 'flat.tf').body.attributes[0].value;
    assert.equal(
      text.type === 'Template' && text.parts[0].type === 'TemplateLiteral' && text.parts[0].value.length,
      3 * n,
    );
    const comment = parseHcl(`# ${' '.repeat(n)}\na = 1`, 'flat.tf').body;
    assert.equal(comment.attributes[0].range.start.line, 2);
  });

  it('parses a 1 MB file and counts its blocks', () => {
    const chunk = (i: number): string =>
      [
        `resource "azurerm_storage_account" "sa${i}" {`,
        `  name     = "sa${i}\${var.suffix}"`,
        `  location = var.locations[${i % 3}]`,
        '  tags     = { for k, v in local.tags : k => upper(v) if v != "" }',
        '  network_rules {',
        '    default_action = var.open ? "Allow" : "Deny"',
        '    ip_rules       = [for ip in var.ips : "${ip}/32"]',
        '  }',
        '}',
        '',
      ].join('\n');
    const pieces: string[] = [];
    let size = 0;
    let count = 0;
    while (size < 1_000_000) {
      const piece = chunk(count++);
      pieces.push(piece);
      size += piece.length;
    }
    const { body } = parseHcl(pieces.join('\n'), 'big.tf');
    assert.equal(body.blocks.length, count);
    assert.ok(count > 2000);
    const last = body.blocks[count - 1];
    assert.equal(last.labels[1].value, `sa${count - 1}`);
    assert.equal(last.range.start.line, 1 + (count - 1) * 10);
    assert.equal(last.body.blocks[0].blockType, 'network_rules');
  });
});
