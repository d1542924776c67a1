import { describe, it } from 'node:test';
import { type Case, checkCases, checkError, testContext } from './context.ts';

const ctx = () =>
  testContext({
    parameters: { name: 'Contoso', n: 7, tags: { env: 'prod' }, list: ['a', 'b'] },
  });

describe('string functions', () => {
  it('base64, base64ToString, base64ToJson', () => {
    checkCases([
      ["[base64('one, two, three')]", 'b25lLCB0d28sIHRocmVl'],
      ["[base64('')]", ''],
      ["[base64('héllo')]", 'aMOpbGxv'],
      ["[base64ToString('b25lLCB0d28sIHRocmVl')]", 'one, two, three'],
      ["[base64ToString('aMOpbGxv')]", 'héllo'],
      ["[base64ToString('')]", ''],
      ["[base64ToJson('eyJvbmUiOiAiYSIsICJ0d28iOiAiYiJ9')]", { one: 'a', two: 'b' }],
      ["[base64ToJson(base64('[1,2]'))]", [1, 2]],
      ["[base64ToJson(base64('null'))]", null],
    ]);
    checkError("[base64ToString('not base64!')]", 'function-evaluation', "'base64ToString'");
    checkError("[base64ToJson(base64('{bad'))]", 'function-evaluation', 'JSON');
    checkError('[base64(1)]', 'function-arguments', "'base64'");
  });

  it('concat with strings and primitives', () => {
    checkCases(
      [
        ["[concat('prefix', '-', parameters('name'))]", 'prefix-Contoso'],
        ["[concat('n', parameters('n'))]", 'n7'],
        ["[concat('a', true())]", 'aTrue'],
        ["[concat('x')]", 'x'],
      ],
      ctx(),
    );
    checkError("[concat('a', createArray(1))]", 'function-arguments', "'concat'");
  });

  it('contains on strings is case-sensitive', () => {
    checkCases([
      ["[contains('OneTwoThree', 'e')]", true],
      ["[contains('OneTwoThree', 'z')]", false],
      ["[contains('OneTwoThree', 'one')]", false],
      ["[contains('abc1', 1)]", true],
    ]);
  });

  it('dataUri and dataUriToString', () => {
    checkCases([
      ["[dataUri('Hello')]", 'data:text/plain;charset=utf8;base64,SGVsbG8='],
      ["[dataUri('')]", 'data:text/plain;charset=utf8;base64,'],
      ["[dataUri('Hello, World!')]", 'data:text/plain;charset=utf8;base64,SGVsbG8sIFdvcmxkIQ=='],
      ["[dataUriToString('data:;base64,SGVsbG8sIFdvcmxkIQ==')]", 'Hello, World!'],
      ["[dataUriToString(dataUri('round trip'))]", 'round trip'],
      ["[dataUriToString('data:text/plain,a%20b')]", 'a b'],
    ]);
    checkError("[dataUriToString('nope')]", 'function-evaluation', 'data URI');
  });

  it('empty on strings', () => {
    checkCases([
      ["[empty('')]", true],
      ["[empty('a')]", false],
      ["[empty(' ')]", false],
    ]);
  });

  it('startsWith and endsWith compare case-insensitively', () => {
    checkCases([
      ["[startsWith('abcdef', 'ab')]", true],
      ["[startsWith('abcdef', 'AB')]", true],
      ["[startsWith('abcdef', 'e')]", false],
      ["[endsWith('abcdef', 'ef')]", true],
      ["[endsWith('abcdef', 'EF')]", true],
      ["[endsWith('abcdef', 'b')]", false],
    ]);
  });

  it('first and last on strings', () => {
    checkCases([
      ["[first('One Two Three')]", 'O'],
      ["[first('')]", ''],
      ["[first('x')]", 'x'],
      ["[last('One Two Three')]", 'e'],
      ["[last('')]", ''],
      ["[last('xy')]", 'y'],
    ]);
  });

  it('format: .NET composite formatting', () => {
    checkCases(
      [
        [
          "[format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)]",
          'Hello, User. Formatted number: 8,175,133',
        ],
        ["[format('{0:D3}', 7)]", '007'],
        ["[format('{0:D3}', -7)]", '-007'],
        ["[format('{{literal}} {0}', 'x')]", '{literal} x'],
        ["[format('{0}-{0}-{1}', 'a', 'b')]", 'a-a-b'],
        ["[format('{0:X}', 255)]", 'FF'],
        ["[format('{0:x4}', 255)]", '00ff'],
        ["[format('{0:N2}', 1234.5)]", '1,234.50'],
        ["[format('{0:F1}', 3)]", '3.0'],
        ["[format('{0:P0}', 0.25)]", '25%'],
        ["[format('{0,5}|{1,-3}|', 'ab', 'c')]", '   ab|c  |'],
        ["[format('{0:000}', 5)]", '005'],
        ["[format('{0:#,##0}', 1234567)]", '1,234,567'],
        ["[format('{0}', true())]", 'True'],
        ["[format('vm-{0}', parameters('n'))]", 'vm-7'],
        ["[format('{0}', null())]", ''],
      ],
      ctx(),
    );
    checkError("[format('{1}', 'a')]", 'function-evaluation', "'format'");
    checkError("[format('{0', 'a')]", 'function-evaluation', 'correct format');
    checkError("[format('}', 'a')]", 'function-evaluation', 'correct format');
  });

  it('indexOf and lastIndexOf on strings are case-insensitive', () => {
    checkCases([
      ["[indexOf('test', 't')]", 0],
      ["[indexOf('abcdef', 'CD')]", 2],
      ["[indexOf('abcdef', 'z')]", -1],
      ["[lastIndexOf('test', 't')]", 3],
      ["[lastIndexOf('abcdef', 'AB')]", 0],
      ["[lastIndexOf('abcdef', 'z')]", -1],
    ]);
  });

  it('join', () => {
    checkCases(
      [
        ["[join(createArray('one', 'two', 'three'), ',')]", 'one,two,three'],
        ["[join(createArray('one', 'two', 'three'), ';')]", 'one;two;three'],
        ["[join(createArray(), '-')]", ''],
        ["[join(createArray(1, true()), '/')]", '1/True'],
        ["[join(parameters('list'), '')]", 'ab'],
      ],
      ctx(),
    );
    checkError("[join(createArray(createArray(1)), ',')]", 'function-arguments', "'join'");
  });

  it('length on strings', () => {
    checkCases([
      ["[length('One Two Three')]", 13],
      ["[length('')]", 0],
      ["[length('héllo')]", 5],
    ]);
  });

  it('padLeft', () => {
    checkCases([
      ["[padLeft('123', 10, '0')]", '0000000123'],
      ["[padLeft(7, 3, '0')]", '007'],
      ["[padLeft('abc', 2, '0')]", 'abc'],
      ["[padLeft('abc', 5)]", '  abc'],
    ]);
    checkError("[padLeft('a', 3, 'xy')]", 'function-arguments', 'single character');
  });

  it('replace', () => {
    checkCases([
      ["[replace('123-123-1234', '-', '')]", '1231231234'],
      ["[replace('123-123-1234', '1234', 'xxxx')]", '123-123-xxxx'],
      ["[replace('aaa', 'A', 'b')]", 'aaa'],
    ]);
    checkError("[replace('a', '', 'b')]", 'function-evaluation', "'replace'");
  });

  it('skip and take on strings', () => {
    checkCases([
      ["[skip('one two three', 4)]", 'two three'],
      ["[skip('abc', 0)]", 'abc'],
      ["[skip('abc', 10)]", ''],
      ["[skip('abc', -1)]", 'abc'],
      ["[take('on the rocks', 2)]", 'on'],
      ["[take('abc', 10)]", 'abc'],
      ["[take('abc', -2)]", ''],
    ]);
  });

  it('split', () => {
    checkCases([
      ["[split('one,two,three', ',')]", ['one', 'two', 'three']],
      ["[split('one;two,three', createArray(',', ';'))]", ['one', 'two', 'three']],
      ["[split('a,,b', ',')]", ['a', '', 'b']],
      ["[split('abc', ',')]", ['abc']],
      ["[split('a--b-c', '--')]", ['a', 'b-c']],
    ]);
    checkError("[split('a', 1)]", 'function-arguments', "'split'");
  });

  it('string', () => {
    checkCases(
      [
        ["[string(parameters('tags'))]", '{"env":"prod"}'],
        ["[string(createArray('a', 'b', 'c'))]", '["a","b","c"]'],
        ['[string(5)]', '5'],
        ['[string(true())]', 'True'],
        ["[string('text')]", 'text'],
        ['[string(null())]', ''],
      ],
      ctx(),
    );
  });

  it('substring', () => {
    checkCases([
      ["[substring('one two three', 4, 3)]", 'two'],
      ["[substring('abc', 1)]", 'bc'],
      ["[substring('abc', 0, 0)]", ''],
      ["[substring('abc', 3)]", ''],
    ]);
    checkError("[substring('hello', 1, 10)]", 'function-evaluation', 'The index parameter');
    checkError("[substring('hello', -1)]", 'function-evaluation', "'substring'");
  });

  it('toLower, toUpper, trim', () => {
    checkCases(
      [
        ["[toLower('One Two Three')]", 'one two three'],
        ["[toLower(parameters('name'))]", 'contoso'],
        ["[toLower('')]", ''],
        ["[toUpper('One Two Three')]", 'ONE TWO THREE'],
        ["[toUpper('abc-1')]", 'ABC-1'],
        ["[toUpper('')]", ''],
        ["[trim('    one two three   ')]", 'one two three'],
        ["[trim('\tx\n')]", 'x'],
        ["[trim('')]", ''],
      ],
      ctx(),
    );
    checkError('[toUpper(1)]', 'function-arguments', "'toUpper'");
  });

  it('uri: base path rules as documented', () => {
    checkCases([
      [
        "[uri('http://contoso.com/resources/', 'nested/azuredeploy.json')]",
        'http://contoso.com/resources/nested/azuredeploy.json',
      ],
      [
        "[uri('http://contoso.com/resources/azuredeploy.json', 'nested/x.json')]",
        'http://contoso.com/resources/nested/x.json',
      ],
      ["[uri('http://contoso.com', 'x.json')]", 'http://contoso.com/x.json'],
      ["[uri('http://contoso.com/a/', '/b')]", 'http://contoso.com/a/b'],
    ]);
  });

  it('uriComponent and uriComponentToString', () => {
    checkCases([
      [
        "[uriComponent('http://contoso.com/resources/nested/azuredeploy.json')]",
        'http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json',
      ],
      ["[uriComponent('a b!')]", 'a%20b%21'],
      ["[uriComponent('')]", ''],
      [
        "[uriComponentToString('http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json')]",
        'http://contoso.com/resources/nested/azuredeploy.json',
      ],
      ["[uriComponentToString('a%20b')]", 'a b'],
      ["[uriComponentToString('plain')]", 'plain'],
    ]);
    checkError("[uriComponentToString('%E0%A4%A')]", 'function-evaluation', "'uriComponentToString'");
  });

  it('guid, uniqueString and newGuid shapes', () => {
    const cases: Case[] = [
      ["[length(guid('a'))]", 36],
      ["[equals(guid('a', 'b'), guid('a-b'))]", true],
      ["[equals(guid('a', 'b'), guid('ab'))]", false],
      ["[length(uniqueString('a'))]", 13],
      ["[equals(uniqueString('a', 'b'), uniqueString('a-b'))]", true],
      ['[length(newGuid())]', 36],
    ];
    checkCases(cases);
    checkError('[guid(1)]', 'function-arguments', "'guid'");
    checkError('[uniqueString()]', 'function-arguments', "'uniqueString'");
  });
});
