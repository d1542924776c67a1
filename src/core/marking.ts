/**
 * Protective markings (Australian PSPF, New Zealand PSR): the security classification, caveats
 * and information management markers a document carries at the top and bottom of every page.
 * Known values are matched case-insensitively and spelt the standard way; anything else is kept
 * as the free text given, with a notice. No I/O and no Node: the dashboard imports it too.
 */

export interface Marking {
  /** The marking as shown on every page, e.g. `PROTECTED // AUSTEO // Legal-Privilege`. */
  text: string;
  classification?: string;
  caveats?: string[];
  /** Information management markers (PSPF): Legal-Privilege, Legislative-Secrecy, Personal-Privacy. */
  imms?: string[];
}

/** What the flags or the config ask for. */
export interface MarkingRequest {
  classification?: string | undefined;
  caveats?: readonly string[] | undefined;
  imms?: readonly string[] | undefined;
}

/** Australian PSPF classifications, then New Zealand PSR ones not spelt the same, in the standards' spelling. */
export const CLASSIFICATIONS = [
  'UNOFFICIAL',
  'OFFICIAL',
  'OFFICIAL: Sensitive',
  'PROTECTED',
  'SECRET',
  'TOP SECRET',
  'UNCLASSIFIED',
  'IN-CONFIDENCE',
  'SENSITIVE',
  'RESTRICTED',
  'CONFIDENTIAL',
] as const;

export const IMMS = ['Legal-Privilege', 'Legislative-Secrecy', 'Personal-Privacy'] as const;

/** Letters only, upper case: `official:sensitive`, `Official Sensitive` and `OFFICIAL: Sensitive` match. */
const key = (text: string) => text.toUpperCase().replace(/[^A-Z]/g, '');

const byKey = (values: readonly string[]) => new Map(values.map((v) => [key(v), v]));
const KNOWN_CLASSIFICATIONS = byKey(CLASSIFICATIONS);
const KNOWN_IMMS = byKey(IMMS);

export const MARKING_SEPARATOR = ' // ';
const MAX_LENGTH = 200;

export class MarkingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MarkingError';
  }
}

/** One line of visible text: control characters and line breaks refused (they would forge page layout). */
function cleanPart(what: string, raw: string): string {
  const text = raw.trim().replace(/ {2,}/g, ' ');
  if (text === '') throw new MarkingError(`${what} is empty`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(text))
    throw new MarkingError(`${what} holds a control character or line break: '${JSON.stringify(raw)}'`);
  if (text.length > MAX_LENGTH) throw new MarkingError(`${what} is longer than ${MAX_LENGTH} characters`);
  return text;
}

/**
 * The marking a request asks for, or undefined for none. Known classifications and markers are
 * spelt the standard way; free text is kept, and `notices` says so. Throws MarkingError on text
 * no page could show (empty, control characters, too long).
 */
export function parseMarking(request: MarkingRequest): { marking?: Marking; notices: string[] } {
  const notices: string[] = [];
  let classification: string | undefined;
  if (request.classification !== undefined) {
    const text = cleanPart('the classification', request.classification);
    classification = KNOWN_CLASSIFICATIONS.get(key(text));
    if (!classification) {
      classification = text;
      notices.push(
        `classification '${text}' is not a PSPF or NZ PSR classification; it is shown as given (known: ${CLASSIFICATIONS.join(', ')})`,
      );
    }
  }
  const caveats = (request.caveats ?? []).map((c) => cleanPart('a caveat', c));
  const imms = (request.imms ?? []).map((raw) => {
    const text = cleanPart('an information management marker', raw);
    const known = KNOWN_IMMS.get(key(text));
    if (known) return known;
    notices.push(
      `information management marker '${text}' is not one of PSPF's (${IMMS.join(', ')}); it is shown as given`,
    );
    return text;
  });
  if (classification === undefined && caveats.length === 0 && imms.length === 0) return { notices };
  const marking: Marking = {
    text: [...(classification ? [classification] : []), ...caveats, ...imms].join(MARKING_SEPARATOR),
    ...(classification ? { classification } : {}),
    ...(caveats.length ? { caveats } : {}),
    ...(imms.length ? { imms } : {}),
  };
  return { marking, notices };
}
