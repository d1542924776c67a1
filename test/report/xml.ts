/**
 * A tiny, strict XML 1.0 reader for tests: throws on anything not well-formed (unbalanced
 * tags, unquoted or duplicate attributes, raw `<` or bad `&` references, `]]>` in text,
 * characters XML forbids, more than one root) and returns the element tree with entities
 * decoded. No DTDs, no namespaces: what the JUnit report needs, no more.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/y;

function decode(raw: string, where: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '<') throw new Error(`raw '<' in ${where}`);
    if (c !== '&') {
      out += c;
      continue;
    }
    ENTITY.lastIndex = i;
    const m = ENTITY.exec(raw);
    if (!m) throw new Error(`bad '&' reference in ${where} at ${JSON.stringify(raw.slice(i, i + 12))}`);
    const body = m[0].slice(1, -1);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (body in named) out += named[body];
    else {
      const code = body.startsWith('#x')
        ? Number.parseInt(body.slice(2), 16)
        : Number.parseInt(body.slice(1), 10);
      const ch = String.fromCodePoint(code);
      if (ILLEGAL.test(ch)) throw new Error(`reference to a character XML forbids: ${m[0]}`);
      out += ch;
    }
    i += m[0].length - 1;
  }
  return out;
}

export function parseXml(xml: string): XmlElement {
  const bad = ILLEGAL.exec(xml);
  if (bad) throw new Error(`character XML forbids: U+${bad[0].codePointAt(0)?.toString(16)}`);
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? xml.length : lt;
    const text = xml.slice(i, textEnd);
    if (text.includes(']]>')) throw new Error("']]>' in text");
    if (stack.length === 0) {
      if (text.trim() !== '')
        throw new Error(`text outside the root element: ${JSON.stringify(text.slice(0, 20))}`);
    } else stack[stack.length - 1].text += decode(text, `text of <${stack[stack.length - 1].name}>`);
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) throw new Error('CDATA outside the root element');
      const end = xml.indexOf(']]>', i);
      if (end < 0) throw new Error('unterminated CDATA');
      stack[stack.length - 1].text += xml.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      if (!m) throw new Error('bad end tag');
      const after = i + 2 + m[0].length;
      const close = xml.indexOf('>', after);
      if (close < 0 || xml.slice(after, close).trim() !== '') throw new Error(`bad end tag </${m[0]}`);
      const open = stack.pop();
      if (!open || open.name !== m[0])
        throw new Error(`</${m[0]}> does not close <${open?.name ?? 'nothing'}>`);
      i = close + 1;
      continue;
    }
    // Start tag.
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) throw new Error(`bad start tag at ${i}`);
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    let j = i + 1 + m[0].length;
    let selfClosing = false;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(j))?.[0] ?? '';
      j += ws.length;
      if (xml.startsWith('/>', j)) {
        selfClosing = true;
        j += 2;
        break;
      }
      if (xml[j] === '>') {
        j += 1;
        break;
      }
      if (ws.length === 0) throw new Error(`attributes of <${el.name}> need white space between them`);
      const an = NAME.exec(xml.slice(j));
      if (!an) throw new Error(`bad attribute in <${el.name}>`);
      j += an[0].length;
      if (xml[j] !== '=' || (xml[j + 1] !== '"' && xml[j + 1] !== "'")) {
        throw new Error(`attribute ${an[0]} of <${el.name}> is not quoted`);
      }
      const quote = xml[j + 1];
      const end = xml.indexOf(quote, j + 2);
      if (end < 0) throw new Error(`unterminated attribute ${an[0]}`);
      if (an[0] in el.attrs) throw new Error(`duplicate attribute ${an[0]} in <${el.name}>`);
      el.attrs[an[0]] = decode(xml.slice(j + 2, end), `attribute ${an[0]}`);
      j = end + 1;
    }
    if (stack.length > 0) stack[stack.length - 1].children.push(el);
    else if (root) throw new Error('more than one root element');
    else root = el;
    if (!selfClosing) stack.push(el);
    i = j;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element named `name` in the tree, depth first. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (e.name === name) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}
