import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Unknown } from '../../src/azure/expressions/value.ts';
import { checkCases, checkError, checkUnknown, ev, testContext } from './context.ts';

const at = (now: string) => testContext({ now });

describe('date functions', () => {
  it('utcNow formats the fixed clock', () => {
    const c = at('2019-03-05T17:53:18.123Z');
    checkCases(
      [
        ['[utcNow()]', '20190305T175318Z'],
        ["[utcNow('u')]", '2019-03-05 17:53:18Z'],
        ["[utcNow('d')]", '3/5/2019'],
        ["[utcNow('yyyy-MM-dd')]", '2019-03-05'],
        ["[utcNow('HH:mm:ss')]", '17:53:18'],
        ["[utcNow('s')]", '2019-03-05T17:53:18'],
        ["[utcNow('o')]", '2019-03-05T17:53:18.1230000Z'],
        ["[utcNow('T')]", '5:53:18 PM'],
        ["[utcNow('MMMM dd, yyyy')]", 'March 05, 2019'],
        ["[utcNow('ddd')]", 'Tue'],
        ["[utcNow('yy-M-d h tt')]", '19-3-5 5 PM'],
        ["[utcNow('''day'' d')]", 'day 5'],
      ],
      c,
    );
    assert.equal(ev('[utcNow()]', c), ev('[utcNow()]', c));
  });

  it('dateTimeAdd with ISO 8601 durations (a year is 365 days, a month 30)', () => {
    checkCases([
      ["[dateTimeAdd('2023-01-01 00:00:00Z', 'P1Y')]", '2024-01-01T00:00:00Z'],
      ["[dateTimeAdd('2024-01-01 00:00:00Z', 'P1Y')]", '2024-12-31T00:00:00Z'],
      ["[dateTimeAdd('2023-02-01 00:00:00Z', 'P1M')]", '2023-03-03T00:00:00Z'],
      ["[dateTimeAdd('2024-02-01 00:00:00Z', 'P1M')]", '2024-03-02T00:00:00Z'],
      ["[dateTimeAdd('2020-04-07T14:53:14Z', '-PT9H')]", '2020-04-07T05:53:14Z'],
      ["[dateTimeAdd('2020-04-07T14:53:14Z', 'P1W')]", '2020-04-14T14:53:14Z'],
      ["[dateTimeAdd('2020-04-07T14:53:14Z', 'PT1H30M', 'yyyy-MM-dd HH:mm')]", '2020-04-07 16:23'],
      ["[dateTimeAdd('20200407T145314Z', 'P1D')]", '20200408T145314Z'],
      ["[dateTimeAdd(utcNow(), 'P1D', 'd')]", '1/3/2026'],
    ]);
    checkError("[dateTimeAdd('2020-01-01', 'P')]", 'function-evaluation', 'duration');
    checkError("[dateTimeAdd('not a date', 'P1D')]", 'function-evaluation', "'dateTimeAdd'");
  });

  it('dateTimeFromEpoch and dateTimeToEpoch', () => {
    checkCases([
      ['[dateTimeFromEpoch(1683040573)]', '2023-05-02T15:16:13Z'],
      ['[dateTimeFromEpoch(0)]', '1970-01-01T00:00:00Z'],
      ['[dateTimeFromEpoch(86400)]', '1970-01-02T00:00:00Z'],
      ["[dateTimeToEpoch('2023-05-02T15:16:13Z')]", 1683040573],
      ["[dateTimeToEpoch(dateTimeAdd('2023-05-02T15:16:13Z', 'P1Y'))]", 1714576573],
      ["[dateTimeToEpoch('1970-01-01T00:00:00Z')]", 0],
    ]);
    checkError("[dateTimeToEpoch('soon')]", 'function-evaluation', "'dateTimeToEpoch'");
  });
});

describe('lambda functions', () => {
  const ctx = () =>
    testContext({
      parameters: {
        dogs: [
          { name: 'Evie', age: 5, interests: ['Ball', 'Frisbee'] },
          { name: 'Casper', age: 3, interests: ['Other dogs'] },
          { name: 'Indy', age: 2, interests: ['Butter'] },
          { name: 'Kira', age: 8, interests: ['Rubs'] },
        ],
        secret: new Unknown('secret has no value'),
      },
    });

  it('lambda and lambdaVariables', () => {
    const v = ev("[lambda('x', lambdaVariables('x'))]");
    assert.equal(typeof v === 'object' && v !== null && '$lambda' in v, true);
    checkCases([
      [
        "[map(createArray('a'), lambda('x', filter(createArray('a', 'b'), lambda('y', equals(lambdaVariables('x'), lambdaVariables('y'))))))]",
        [['a']],
      ],
      [
        "[map(createArray(1, 2), lambda('x', map(createArray(10), lambda('y', add(lambdaVariables('x'), lambdaVariables('y'))))))]",
        [[11], [12]],
      ],
      [
        "[reduce(createArray(1, 2, 3), 0, lambda('acc', 'cur', add(lambdaVariables('acc'), lambdaVariables('cur'))))]",
        6,
      ],
    ]);
    checkError("[lambdaVariables('nope')]", 'unknown-lambda-variable', "'nope'");
    checkError("[lambda('x', 1).params]", 'property-access', 'lambda');
    checkError('[lambda(1, 2)]', 'function-arguments', "'lambda'");
  });

  it('filter', () => {
    checkCases(
      [
        [
          "[filter(parameters('dogs'), lambda('dog', greaterOrEquals(lambdaVariables('dog').age, 5)))]",
          [
            { name: 'Evie', age: 5, interests: ['Ball', 'Frisbee'] },
            { name: 'Kira', age: 8, interests: ['Rubs'] },
          ],
        ],
        ["[filter(range(0, 10), lambda('i', equals(mod(lambdaVariables('i'), 3), 0)))]", [0, 3, 6, 9]],
        ["[filter(createArray('a', 'b'), lambda('x', 'i', equals(lambdaVariables('i'), 1)))]", ['b']],
      ],
      ctx(),
    );
    checkError("[filter(createArray(1), lambda('x', 1))]", 'function-arguments', 'bool');
    checkError("[filter(createArray(1), 'x')]", 'function-arguments', "'filter'");
  });

  it('map', () => {
    checkCases(
      [
        [
          "[map(parameters('dogs'), lambda('dog', lambdaVariables('dog').name))]",
          ['Evie', 'Casper', 'Indy', 'Kira'],
        ],
        [
          "[map(range(0, 3), lambda('i', format('Hi {0}!', lambdaVariables('i'))))]",
          ['Hi 0!', 'Hi 1!', 'Hi 2!'],
        ],
        [
          "[map(createArray('a', 'b'), lambda('x', 'i', concat(lambdaVariables('x'), string(lambdaVariables('i')))))]",
          ['a0', 'b1'],
        ],
        [
          "[map(createArray(1, parameters('secret')), lambda('x', lambdaVariables('x')))]",
          [1, { $unknown: 'secret has no value' }],
        ],
      ],
      ctx(),
    );
    checkError("[map(createArray(1), lambda('a', 'b', 'c', 1))]", 'function-arguments', 'parameter');
  });

  it('reduce', () => {
    checkCases(
      [
        [
          "[reduce(map(parameters('dogs'), lambda('d', lambdaVariables('d').age)), 0, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]",
          18,
        ],
        ["[reduce(createArray(), 7, lambda('a', 'b', 0))]", 7],
        [
          "[reduce(createArray(createObject('a', 1), createObject('b', 2)), createObject(), lambda('cur', 'next', union(lambdaVariables('cur'), lambdaVariables('next'))))]",
          { a: 1, b: 2 },
        ],
        [
          "[reduce(createArray(5, 6), 0, lambda('acc', 'x', 'i', add(lambdaVariables('acc'), lambdaVariables('i'))))]",
          1,
        ],
      ],
      ctx(),
    );
  });

  it('sort', () => {
    checkCases(
      [
        [
          "[map(sort(parameters('dogs'), lambda('a', 'b', less(lambdaVariables('a').age, lambdaVariables('b').age))), lambda('d', lambdaVariables('d').name))]",
          ['Indy', 'Casper', 'Evie', 'Kira'],
        ],
        [
          "[sort(createArray(3, 1, 2), lambda('a', 'b', greater(lambdaVariables('a'), lambdaVariables('b'))))]",
          [3, 2, 1],
        ],
        [
          "[sort(createArray('b', 'a'), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]",
          ['a', 'b'],
        ],
      ],
      ctx(),
    );
    checkUnknown(
      "[sort(createArray(parameters('secret'), 1), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]",
      'secret',
      ctx(),
    );
  });

  it('toObject', () => {
    checkCases(
      [
        ["[toObject(parameters('dogs'), lambda('d', lambdaVariables('d').name))['Kira'].age]", 8],
        [
          "[toObject(parameters('dogs'), lambda('d', lambdaVariables('d').name), lambda('d', lambdaVariables('d').age))]",
          { Evie: 5, Casper: 3, Indy: 2, Kira: 8 },
        ],
        ["[toObject(createArray(), lambda('d', 'k'))]", {}],
      ],
      ctx(),
    );
    checkError("[toObject(createArray(1), lambda('d', 1))]", 'function-arguments', 'string');
  });

  it('mapValues', () => {
    checkCases([
      [
        "[mapValues(createObject('foo', 'foo', 'bar', 'bar'), lambda('val', toUpper(lambdaVariables('val'))))]",
        { foo: 'FOO', bar: 'BAR' },
      ],
      ["[mapValues(createObject(), lambda('v', 1))]", {}],
      ["[mapValues(createObject('a', 1), lambda('v', mul(lambdaVariables('v'), 10)))]", { a: 10 }],
    ]);
  });

  it('groupBy', () => {
    checkCases([
      [
        "[groupBy(createArray('foo', 'bar', 'baz'), lambda('x', substring(lambdaVariables('x'), 0, 1)))]",
        { f: ['foo'], b: ['bar', 'baz'] },
      ],
      ["[groupBy(createArray(), lambda('x', 'k'))]", {}],
      [
        "[groupBy(range(1, 4), lambda('x', if(equals(mod(lambdaVariables('x'), 2), 0), 'even', 'odd')))]",
        { odd: [1, 3], even: [2, 4] },
      ],
    ]);
  });
});

describe('CIDR functions', () => {
  it('parseCidr (docs examples)', () => {
    checkCases([
      [
        "[parseCidr('10.144.0.0/20')]",
        {
          network: '10.144.0.0',
          netmask: '255.255.240.0',
          broadcast: '10.144.15.255',
          firstUsable: '10.144.0.1',
          lastUsable: '10.144.15.254',
          cidr: 20,
        },
      ],
      [
        "[parseCidr('fdad:3236:5555::/48')]",
        {
          network: 'fdad:3236:5555::',
          netmask: 'ffff:ffff:ffff::',
          firstUsable: 'fdad:3236:5555::',
          lastUsable: 'fdad:3236:5555:ffff:ffff:ffff:ffff:ffff',
          cidr: 48,
        },
      ],
      ["[parseCidr('192.168.1.77/24').network]", '192.168.1.0'],
      ["[parseCidr('10.0.0.4/32').firstUsable]", '10.0.0.4'],
    ]);
    checkError("[parseCidr('10.0.0.0/33')]", 'function-evaluation', 'CIDR');
    checkError("[parseCidr('300.0.0.0/8')]", 'function-evaluation', 'CIDR');
  });

  it('cidrSubnet (docs examples)', () => {
    checkCases([
      ["[cidrSubnet('10.144.0.0/20', 24, 0)]", '10.144.0.0/24'],
      ["[cidrSubnet('10.144.0.0/20', 24, 4)]", '10.144.4.0/24'],
      ["[cidrSubnet('fdad:3236:5555::/48', 52, 0)]", 'fdad:3236:5555::/52'],
      ["[cidrSubnet('fdad:3236:5555::/48', 52, 3)]", 'fdad:3236:5555:3000::/52'],
      ["[cidrSubnet('10.0.0.0/16', 16, 0)]", '10.0.0.0/16'],
    ]);
    checkError("[cidrSubnet('10.144.0.0/20', 24, 16)]", 'function-evaluation', 'out of range');
    checkError("[cidrSubnet('10.144.0.0/20', 19, 0)]", 'function-evaluation', "'cidrSubnet'");
  });

  it('cidrHost skips the network address (docs examples)', () => {
    checkCases([
      ["[cidrHost('10.144.3.0/24', 0)]", '10.144.3.1'],
      ["[cidrHost('10.144.3.0/24', 4)]", '10.144.3.5'],
      ["[cidrHost('fdad:3236:5555:3000::/52', 0)]", 'fdad:3236:5555:3000::1'],
      ["[cidrHost('fdad:3236:5555:3000::/52', 4)]", 'fdad:3236:5555:3000::5'],
      ["[cidrHost('192.168.1.0/24', 253)]", '192.168.1.254'],
    ]);
    checkError("[cidrHost('192.168.1.0/24', 254)]", 'function-evaluation', 'out of range');
  });
});
