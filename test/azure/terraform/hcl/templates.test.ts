// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are HCL source, whose interpolations are written ${...}.
/**
 * HCL templates: quoted strings with escapes, interpolations and directives, strip markers, and
 * heredocs (`<<EOT`, `<<-EOT` with indentation removed), with positions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  TemplateExpr,
  TemplateFor,
  TemplateIf,
  TemplateInterpolation,
} from '../../../../src/azure/sources/terraform/hcl/ast.ts';
import { parseHcl } from '../../../../src/azure/sources/terraform/hcl/parser.ts';
import { endOf, sexpr, startOf, valueExpr } from './helpers.ts';

function template(source: string): TemplateExpr {
  const e = valueExpr(source);
  assert.equal(e.type, 'Template');
  return e as TemplateExpr;
}

describe('HCL parser: quoted strings', () => {
  it('decodes escapes', () => {
    const t = template('"a\\nb\\t\\"q\\" \\\\ \\r \\u00e9 \\U0001F600"');
    assert.equal(t.parts.length, 1);
    assert.deepEqual(t.parts[0], {
      type: 'TemplateLiteral',
      value: 'a\nb\t"q" \\ \r é 😀',
      range: t.parts[0].range,
    });
    assert.deepEqual(
      [startOf(t), endOf(t)],
      [
        [1, 5],
        [1, 42],
      ],
    );
  });

  it('reads $${ and %%{ as the literal ${ and %{', () => {
    assert.equal(sexpr(template('"$${x} %%{ if } $$ %% $"')), '(template "${x} %{ if } $$ %% $")');
  });

  it('reads comment markers inside a string as text', () => {
    assert.equal(sexpr(template('"a # b // c /* d"')), '(template "a # b // c /* d")');
  });

  it('reads an empty string as a template with no parts', () => {
    assert.deepEqual(template('""').parts, []);
  });

  it('reads interpolations with their positions, nested strings and braces inside', () => {
    const t = template('"a-${var.x}-${ "in${y}" }-${ {k = 1}.k }"');
    assert.equal(sexpr(t), '(template "a-" ${var.x} "-" ${(template "in" ${y})} "-" ${{k=1}.k})');
    const interp = t.parts[1] as TemplateInterpolation;
    assert.deepEqual(
      [startOf(interp), endOf(interp)],
      [
        [1, 8],
        [1, 16],
      ],
    );
    assert.deepEqual(startOf(interp.expression), [1, 10]);
    assert.deepEqual(startOf(t.parts[2]), [1, 16]);
  });

  it('keeps a lone interpolation as the only part (HCL unwraps it to its value)', () => {
    const t = template('"${var.count}"');
    assert.equal(t.parts.length, 1);
    assert.equal(t.parts[0].type, 'TemplateInterpolation');
  });

  it('ignores newlines inside an interpolation', () => {
    assert.equal(sexpr(template('"${\n  a +\n  b\n}"')), '(template ${(+ a b)})');
  });

  it('reads if/else/endif and for/endfor directives into a tree', () => {
    const t = template('"%{ if a }yes%{ else }no%{ endif } %{ for k, v in m }${k}=${v};%{ endfor }"');
    assert.equal(sexpr(t), '(template (if a ["yes"] ["no"]) " " (for k,v m [${k} "=" ${v} ";"]))');
    const ifPart = t.parts[0] as TemplateIf;
    assert.deepEqual(
      [startOf(ifPart), endOf(ifPart)],
      [
        [1, 6],
        [1, 39],
      ],
    );
    const forPart = t.parts[2] as TemplateFor;
    assert.deepEqual([forPart.keyVar, forPart.valueVar], ['k', 'v']);
    assert.deepEqual(startOf(forPart.collection), [1, 55]);
    assert.equal(sexpr(template('"%{ if a }x%{ endif }"')), '(template (if a ["x"]))');
    assert.equal(
      sexpr(template('"%{ for v in xs }%{ if v }+%{ endif }%{ endfor }"')),
      '(template (for v xs [(if v ["+"])]))',
    );
  });

  it('applies strip markers to the literals beside them only', () => {
    assert.equal(sexpr(template('"hello ${~ "world" }"')), '(template "hello" ${(template "world")})');
    assert.equal(sexpr(template('"%{ if true ~}  hello  %{~ endif }"')), '(template (if true ["hello"]))');
    assert.equal(sexpr(template('"${"a" ~}${" b"}"')), '(template ${(template "a")} ${(template " b")})');
    assert.equal(sexpr(template('"x ${a ~}  y"')), '(template "x " ${a} "y")');
  });
});

describe('HCL parser: heredocs', () => {
  it('reads <<EOT with its lines as written, the final newline included, and positions', () => {
    const text = 'a = <<EOT\n  first ${x}\n  \\n is not an escape\nEOT\nb = 2\n';
    const { body } = parseHcl(text, 'h.tf');
    const t = body.attributes[0].value as TemplateExpr;
    assert.deepEqual(t.heredoc, { marker: 'EOT', flush: false });
    assert.equal(sexpr(t), '(template "  first " ${x} "\\n  \\\\n is not an escape\\n")');
    assert.deepEqual(
      [startOf(t), endOf(t)],
      [
        [1, 5],
        [4, 4],
      ],
    );
    assert.deepEqual(startOf(t.parts[0]), [2, 1]);
    assert.deepEqual(startOf(t.parts[1]), [2, 9]);
    assert.deepEqual(
      body.attributes.map((x) => [x.name, ...startOf(x)]),
      [
        ['a', 1, 1],
        ['b', 5, 1],
      ],
    );
  });

  it('reads <<-EOT: the least indentation is removed, blank lines do not count, the marker may be indented', () => {
    const text = 'a = <<-EOT\n    one\n      two ${x}\n\n    three\n    EOT\n';
    const t = parseHcl(text, 'h.tf').body.attributes[0].value as TemplateExpr;
    assert.deepEqual(t.heredoc, { marker: 'EOT', flush: true });
    assert.equal(sexpr(t), '(template "one\\n  two " ${x} "\\n\\nthree\\n")');
  });

  it('leaves a line of only white space as it is', () => {
    const text = 'a = <<-EOT\n    one\n      \n    two\n    EOT\n';
    const t = parseHcl(text, 'h.tf').body.attributes[0].value as TemplateExpr;
    assert.equal(sexpr(t), '(template "one\\n      \\ntwo\\n")');
  });

  it('counts a line that starts with an interpolation as not indented', () => {
    const text = 'a = <<-EOT\n    one\n${x}\n    EOT\n';
    const t = parseHcl(text, 'h.tf').body.attributes[0].value as TemplateExpr;
    assert.equal(sexpr(t), '(template "    one\\n" ${x} "\\n")');
  });

  it('reads directives, escapes of ${ and %{, and a marker word inside a line', () => {
    const text = [
      'a = <<EOT',
      '%{ for s in subnets ~}',
      'subnet ${s} EOT',
      '%{ endfor ~}',
      '$${literal} %%{ literal }',
      'EOT',
      '',
    ].join('\n');
    const t = parseHcl(text, 'h.tf').body.attributes[0].value as TemplateExpr;
    assert.equal(
      sexpr(t),
      '(template (for s subnets ["subnet " ${s} " EOT\\n"]) "${literal} %{ literal }\\n")',
    );
  });

  it('reads an empty heredoc and one inside a call', () => {
    const empty = parseHcl('a = <<EOT\nEOT\n', 'h.tf').body.attributes[0].value as TemplateExpr;
    assert.deepEqual(empty.parts, []);
    const call = parseHcl('a = trimspace(<<EOT\nx\nEOT\n)\nb = 1\n', 'h.tf').body;
    assert.equal(sexpr(call.attributes[0].value), 'trimspace((template "x\\n"))');
    assert.deepEqual(startOf(call.attributes[1]), [5, 1]);
  });
});
