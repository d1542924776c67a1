import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MarkingError, parseMarking } from '../../src/core/marking.ts';

describe('protective markings', () => {
  it('spells known PSPF and NZ PSR classifications the standard way, whatever the case or punctuation', () => {
    const spelt = (c: string) => parseMarking({ classification: c }).marking?.classification;
    assert.equal(spelt('official:sensitive'), 'OFFICIAL: Sensitive');
    assert.equal(spelt('Official Sensitive'), 'OFFICIAL: Sensitive');
    assert.equal(spelt('protected'), 'PROTECTED');
    assert.equal(spelt('top-secret'), 'TOP SECRET');
    assert.equal(spelt('in confidence'), 'IN-CONFIDENCE');
    assert.equal(spelt('Restricted'), 'RESTRICTED');
    assert.deepEqual(parseMarking({ classification: 'secret' }).notices, []);
  });

  it('keeps free text as given, with a notice', () => {
    const { marking, notices } = parseMarking({ classification: '  Cabinet  in confidence draft ' });
    assert.equal(marking?.text, 'Cabinet in confidence draft');
    assert.equal(notices.length, 1);
    assert.match(notices[0] as string, /not a PSPF or NZ PSR classification/);
  });

  it('joins classification, caveats and information management markers in that order', () => {
    const { marking, notices } = parseMarking({
      classification: 'PROTECTED',
      caveats: ['AUSTEO'],
      imms: ['legal privilege', 'PERSONAL-PRIVACY'],
    });
    assert.deepEqual(notices, []);
    assert.deepEqual(marking, {
      text: 'PROTECTED // AUSTEO // Legal-Privilege // Personal-Privacy',
      classification: 'PROTECTED',
      caveats: ['AUSTEO'],
      imms: ['Legal-Privilege', 'Personal-Privacy'],
    });
    const unknown = parseMarking({ imms: ['Sensitive-Personal'] });
    assert.equal(unknown.marking?.text, 'Sensitive-Personal');
    assert.match(unknown.notices[0] as string, /not one of PSPF's/);
  });

  it('has no marking by default', () => {
    assert.deepEqual(parseMarking({}), { notices: [] });
    assert.deepEqual(parseMarking({ caveats: [], imms: [] }), { notices: [] });
  });

  it('refuses text no page can show: empty, control characters or line breaks, too long', () => {
    assert.throws(() => parseMarking({ classification: '  ' }), MarkingError);
    assert.throws(() => parseMarking({ classification: 'PROTECTED\nSECRET' }), /line break/);
    assert.throws(() => parseMarking({ caveats: ['a\u0007'] }), MarkingError);
    assert.throws(() => parseMarking({ classification: 'x'.repeat(201) }), /longer than 200/);
  });
});
