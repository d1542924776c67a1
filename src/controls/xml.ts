/**
 * A small XML reader: elements, attributes, text, CDATA, comments, processing instructions and
 * a DOCTYPE without an internal subset. Enough for documents like the NZISM export; no
 * namespaces, no DTD entities (a `<!ENTITY` is refused, so no entity expansion attacks).
 */

export interface XmlElement {
  name: string;
  /** Attributes by lower-cased name (exports differ in case: `CID` and `cid`). */
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
  line: number;
}

export class XmlError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'XmlError';
    this.line = line;
    this.column = column;
  }
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references; HTML names when `html` is set. */
export function decodeEntities(text: string, html = false): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    if (NAMED[ref] !== undefined) return NAMED[ref];
    if (html) {
      if (ref === 'nbsp') return ' ';
      if (ref === 'ndash') return '–';
      if (ref === 'mdash') return '—';
      if (ref === 'rsquo' || ref === 'lsquo') return "'";
      if (ref === 'rdquo' || ref === 'ldquo') return '"';
      if (ref === 'hellip') return '…';
    }
    return whole;
  });
}

const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;

export function parseXml(text: string): XmlElement {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = 0;

  const fail = (message: string): never => {
    throw new XmlError(message, line, pos - lineStart + 1);
  };
  /** Moves to `to`, counting lines on the way. */
  const advance = (to: number): void => {
    for (let i = pos; i < to; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    pos = to;
  };
  const skipTo = (marker: string, what: string): void => {
    const end = text.indexOf(marker, pos);
    if (end < 0) fail(`unterminated ${what}`);
    advance(end + marker.length);
  };
  const skipSpace = (): void => {
    let i = pos;
    while (i < text.length && /\s/.test(text[i])) i++;
    advance(i);
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) fail('expected a name');
    advance(pos + (m as RegExpExecArray)[0].length);
    return (m as RegExpExecArray)[0];
  };

  const root: XmlElement = { name: '#document', attrs: {}, children: [], line: 1 };
  const stack: XmlElement[] = [root];
  let text0 = pos;
  const flushText = (): void => {
    if (pos > text0) {
      const raw = text.slice(text0, pos);
      stack[stack.length - 1].children.push(decodeEntities(raw));
    }
  };

  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) {
      advance(text.length);
      break;
    }
    advance(lt);
    flushText();
    if (text.startsWith('<!--', pos)) skipTo('-->', 'comment');
    else if (text.startsWith('<![CDATA[', pos)) {
      const start = pos + 9;
      const end = text.indexOf(']]>', start);
      if (end < 0) fail('unterminated CDATA section');
      stack[stack.length - 1].children.push(text.slice(start, end));
      advance(end + 3);
    } else if (text.startsWith('<?', pos)) skipTo('?>', 'processing instruction');
    else if (text.startsWith('<!DOCTYPE', pos)) {
      if (text.slice(pos, text.indexOf('>', pos)).includes('['))
        fail('a DOCTYPE with an internal subset is not supported');
      skipTo('>', 'DOCTYPE');
    } else if (text.startsWith('<!', pos)) fail('unsupported markup declaration');
    else if (text.startsWith('</', pos)) {
      advance(pos + 2);
      const name = readName();
      skipSpace();
      if (text[pos] !== '>') fail(`expected '>' to close </${name}`);
      advance(pos + 1);
      const open = stack.pop();
      if (!open || open === root) fail(`</${name}> closes nothing`);
      if ((open as XmlElement).name !== name)
        fail(`</${name}> closes <${(open as XmlElement).name}> opened at line ${(open as XmlElement).line}`);
    } else {
      const elementLine = line;
      advance(pos + 1);
      const name = readName();
      const attrs: Record<string, string> = {};
      for (;;) {
        skipSpace();
        if (text.startsWith('/>', pos) || text[pos] === '>') break;
        if (pos >= text.length) fail(`unterminated <${name}>`);
        const attr = readName().toLowerCase();
        skipSpace();
        if (text[pos] !== '=') fail(`expected '=' after attribute ${attr}`);
        advance(pos + 1);
        skipSpace();
        const quote = text[pos];
        if (quote !== '"' && quote !== "'") fail(`expected a quoted value for attribute ${attr}`);
        const end = text.indexOf(quote, pos + 1);
        if (end < 0) fail(`unterminated value of attribute ${attr}`);
        attrs[attr] = decodeEntities(text.slice(pos + 1, end));
        advance(end + 1);
      }
      const element: XmlElement = { name, attrs, children: [], line: elementLine };
      stack[stack.length - 1].children.push(element);
      if (text[pos] === '/') advance(pos + 2);
      else {
        advance(pos + 1);
        stack.push(element);
      }
    }
    text0 = pos;
  }
  flushText();
  if (stack.length > 1) {
    const open = stack[stack.length - 1];
    throw new XmlError(`<${open.name}> is never closed`, open.line, 1);
  }
  const top = root.children.filter((c): c is XmlElement => typeof c !== 'string');
  if (top.length !== 1) throw new XmlError('expected exactly one root element', 1, 1);
  return top[0];
}

/** The concatenated text and CDATA of an element and its descendants. */
export function textOf(element: XmlElement): string {
  return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
