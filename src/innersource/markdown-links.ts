/**
 * Markdown images `![alt](url)` and links `[text](url)` in one left-to-right scan, as the
 * patterns `!\[[^\]]*\]\([^)]*\)` and `\[([^\]]*)\]\([^)]*\)` matched them. The patterns rescanned
 * the rest of the text from every `[` that no `]` or `)` followed, which is quadratic; here the
 * next `]` and `)` are remembered, so each character is read a bounded number of times.
 */
function replaceBracketed(text: string, prefix: string, keepText: boolean): string {
  let out = '';
  let copied = 0;
  let from = 0;
  // The first ']' (and ')') at or after the last place searched; -1 once none is left.
  let close = -2;
  let paren = -2;
  while (from < text.length) {
    const at = text.indexOf(prefix, from);
    if (at < 0) break;
    const inner = at + prefix.length;
    if (close !== -1 && close < inner) close = text.indexOf(']', inner);
    if (close < 0) break;
    if (text[close + 1] !== '(') {
      from = at + 1;
      continue;
    }
    if (paren !== -1 && paren < close + 2) paren = text.indexOf(')', close + 2);
    // Any later match would need a ')' after this one's '(' too.
    if (paren < 0) break;
    out += text.slice(copied, at) + (keepText ? text.slice(inner, close) : '');
    copied = from = paren + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The text with images removed and each link replaced by its text. */
export function linksToText(text: string): string {
  return replaceBracketed(replaceBracketed(text, '![', false), '[', true);
}
