import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { InputNote, SourceLocation } from '../../core/model.ts';
import { type DecodedText, decodeBytes, TextEncodingError } from '../../core/text-encoding.ts';
import {
  type JsonOffsets,
  JsonSyntaxError,
  type JsonValue,
  type LineIndex,
  parseJson,
} from '../../json/parse.ts';
import { TemplateError } from '../expressions/context.ts';

/** Files above this size are refused with a clear error rather than read into memory. */
export const MAX_TEMPLATE_BYTES = 16 * 1024 * 1024;

/** A parsed JSON file that can say where any part of itself came from. */
export class JsonDocument {
  readonly file: string;
  readonly absolutePath: string;
  readonly value: JsonValue;
  readonly sha256: string;
  readonly bytes: number;
  readonly notes: InputNote[];
  private readonly lines: LineIndex;
  private readonly offsets: JsonOffsets;

  /** `content` is the file's bytes (hashed as they are on disk) or text already decoded. */
  constructor(file: string, absolutePath: string, content: string | Buffer) {
    this.file = file;
    this.absolutePath = absolutePath;
    const decoded = typeof content === 'string' ? undefined : decodeTemplate(content, file);
    const text = decoded?.text ?? (content as string);
    this.bytes = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
    this.sha256 = createHash('sha256').update(content).digest('hex');
    let parsed: ReturnType<typeof parseJson>;
    try {
      parsed = parseJson(text);
    } catch (err) {
      if (err instanceof JsonSyntaxError) {
        throw new TemplateError('json-syntax', `invalid JSON: ${err.message}`, {
          file,
          line: err.line,
          column: err.column,
        });
      }
      throw err;
    }
    this.value = parsed.value;
    this.lines = parsed.lines;
    this.offsets = parsed.offsets;
    const syntaxNotes = parsed.issues.map((issue) => {
      const { line } = parsed.lines.position(issue.offset);
      const what = issue.kind === 'comment' ? 'comments' : 'trailing commas';
      return {
        file,
        line,
        level: 'warning' as const,
        message: `${what} are not standard JSON; tolerated as Azure Resource Manager does (first at line ${line})`,
      };
    });
    this.notes =
      decoded?.source === 'fallback'
        ? [
            {
              file,
              line: 1,
              level: 'warning' as const,
              message:
                'not valid UTF-8: read as windows-1252 (Latin-1); Azure Resource Manager expects UTF-8, so save the file as UTF-8',
            },
            ...syntaxNotes,
          ]
        : syntaxNotes;
  }

  at(offset: number): SourceLocation {
    // One object per location: every finding asks for one.
    const i = this.lines.lineIndex(offset);
    return { file: this.file, line: i + 1, column: offset - this.lines.lineStart(i) + 1 };
  }

  /** Location of a member or element of a parsed container (e.g. a resource within `resources`). */
  memberLocation(container: unknown, segment: string | number, fallback: SourceLocation): SourceLocation {
    const offset = this.offsets.member(container, segment);
    return offset === undefined ? fallback : this.at(offset);
  }

  /** Location of the deepest part of `path` found under `node`, or the fallback. */
  locate(node: unknown, path: readonly (string | number)[], fallback: SourceLocation): SourceLocation {
    const { offset } = this.offsets.locate(node, path);
    return offset === undefined ? fallback : this.at(offset);
  }

  /** Character offset of a member or element of a container of this document. */
  memberOffset(container: unknown, segment: string | number): number | undefined {
    return this.offsets.member(container, segment);
  }

  get start(): SourceLocation {
    return { file: this.file, line: 1, column: 1 };
  }
}

/**
 * A template's bytes as text: UTF-8, or UTF-16 with a byte order mark (what Windows
 * PowerShell's `Out-File` writes), decoded by the shared helper; bytes that cannot be decoded
 * are an input error that says so.
 */
function decodeTemplate(bytes: Buffer, file: string): DecodedText {
  try {
    return decodeBytes(bytes);
  } catch (err) {
    if (err instanceof TextEncodingError)
      throw new TemplateError('encoding', err.message, { file, line: 1, column: 1 });
    throw err;
  }
}

/**
 * Reads and parses one file; size and syntax problems become TemplateErrors naming the file.
 * The reads are synchronous on purpose: fs/promises `stat` + `readFile` cost about ten times
 * the CPU of their sync forms per small file (3,096 files: ~610 ms against ~55 ms), and the
 * scan is CPU-bound and sequential anyway.
 */
export async function loadDocument(file: string, absolutePath: string): Promise<JsonDocument> {
  const info = statSync(absolutePath);
  if (info.size > MAX_TEMPLATE_BYTES) {
    throw new TemplateError(
      'file-too-large',
      `file is ${(info.size / 1048576).toFixed(1)} MB, above the ${MAX_TEMPLATE_BYTES / 1048576} MB limit for a template`,
      { file, line: 1, column: 1 },
    );
  }
  return new JsonDocument(file, absolutePath, readFileSync(absolutePath));
}
