/**
 * Reads a repository's history with one `git log` process and folds it into a History as
 * the bytes arrive: no array of commits, no process per commit, memory bounded by the
 * number of (author, day) buckets rather than by the number of commits.
 *
 * The format is NUL-separated (`-z`): per commit `hash NUL parents NUL author-time NUL
 * name NUL email NUL co-authors` (the values of the `Co-authored-by:` trailers, separated
 * by US, 0x1f; git finds them, so message bodies are never printed), then, when the commit changed files, a newline and one
 * `added TAB deleted TAB path NUL` per file. A commit hash never contains a tab and a
 * numstat record always does, which is how the next commit is told from another file.
 */
import { History } from '../history.ts';
import { gitStream } from './run.ts';

const NUL = 0;
const TAB = 9;
const LF = 10;
const SPACE = 32;
const DASH = 45;
const ZERO = 48;

const UNIT_SEPARATOR = '\x1f';

/**
 * The format of one commit header; `%aN`/`%aE` apply `.mailmap`. The trailer placeholder
 * (git 2.22 or later) prints only the `Co-authored-by:` values, not the message.
 */
export const LOG_FORMAT =
  '%H%x00%P%x00%at%x00%aN%x00%aE%x00%(trailers:key=Co-authored-by,valueonly,separator=%x1f)';

/**
 * `Name <email>` of a trailer value, or null when it has no address. Plain index
 * arithmetic (no regular expression): the value comes from a commit message.
 */
export function parseCoauthor(value: string): { name: string; email: string } | null {
  const open = value.lastIndexOf('<');
  const close = value.lastIndexOf('>');
  if (open < 0 || close < open) return null;
  const email = value.slice(open + 1, close).trim();
  if (!email.includes('@')) return null;
  return { name: value.slice(0, open).trim(), email };
}

export interface LogOptions {
  /**
   * What to read: a revision range such as `HEAD` or `<watermark>..HEAD`, or a list of
   * revisions (branch tips, and `^<old tip>` exclusions) that git walks once, so a commit
   * on several branches is read once.
   */
  range: string | readonly string[];
  /**
   * Detect renames (`-M`), as plain `git log` does by default (`diff.renames`); a renamed
   * file then counts as its changed lines, not as every line deleted and added again.
   * Default true; false gives `--no-renames`.
   */
  renames?: boolean;
  /** A bare clone reads `.mailmap` from HEAD's tree only when told to. */
  bare?: boolean;
  /** Called every `progressEvery` commits with the number read so far. */
  onProgress?(commits: number): void;
  progressEvery?: number;
}

/** The argument list; exported so the benchmark and the docs show exactly what runs. */
export function logArgs(options: Pick<LogOptions, 'range' | 'renames' | 'bare'>): string[] {
  const args: string[] = [];
  if (options.bare) args.push('-c', 'mailmap.blob=HEAD:.mailmap');
  // Signatures would interleave gpg output; external diff and textconv drivers would run
  // programs from the scanned repository's config and change the numbers.
  args.push('-c', 'log.showSignature=false', 'log', '-z', '--numstat', '--no-color', '--no-ext-diff');
  // No `--encoding`: names are decoded here (decodeText), which also reads the legacy
  // commits git cannot re-encode because they carry Latin-1 bytes without an `encoding` header.
  args.push('--no-textconv', `--format=${LOG_FORMAT}`);
  args.push(options.renames === false ? '--no-renames' : '-M');
  if (typeof options.range === 'string') args.push(options.range);
  else args.push(...options.range);
  args.push('--');
  return args;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
// The WHATWG "latin1" label is windows-1252, the superset legacy tools wrote.
const LEGACY = new TextDecoder('windows-1252');

/**
 * A name, address or trailer from git's output: UTF-8 when the bytes are UTF-8 (git's
 * output encoding by default), else the legacy single-byte encoding, so a name is never
 * turned into replacement characters. ASCII, the common case, takes the fast path.
 */
export function decodeText(buf: Buffer, s: number, e: number): string {
  let ascii = true;
  for (let i = s; i < e; i++)
    if (buf[i] >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) return buf.toString('latin1', s, e);
  const bytes = buf.subarray(s, e);
  try {
    return UTF8.decode(bytes);
  } catch {
    return LEGACY.decode(bytes);
  }
}

function hasByte(buf: Buffer, s: number, e: number, byte: number): boolean {
  for (let i = s; i < e; i++) if (buf[i] === byte) return true;
  return false;
}

/** Where the parser is within a commit: which header field comes next, or the file list. */
const State = { Hash: 0, Parents: 1, Time: 2, Name: 3, Email: 4, Trailers: 5, Body: 6 } as const;
type State = (typeof State)[keyof typeof State];

/** Parses the byte stream of `git log` in the format above into a History. Exported for tests. */
export class LogParser {
  readonly history: History;
  private carry: Buffer | undefined;
  private state: State = State.Hash;
  private renamePaths = 0;
  private inCommit = false;
  private merge = false;
  private at = 0;
  private nameStart = '';
  private identity = 0;
  private email = '';
  /** Identities named in the commit's `Co-authored-by:` trailers, the author and repeats left out. */
  private coauthors: number[] = [];
  private added = 0;
  private deleted = 0;
  private files = 0;
  private readonly onCommit: ((commits: number) => void) | undefined;
  private readonly every: number;

  constructor(history = new History(), onCommit?: (commits: number) => void, every = 5000) {
    this.history = history;
    this.onCommit = onCommit;
    this.every = every;
  }

  push(chunk: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let start = 0;
    for (;;) {
      const end = buf.indexOf(NUL, start);
      if (end < 0) break;
      this.token(buf, start, end);
      start = end + 1;
    }
    this.carry = start < buf.length ? Buffer.from(buf.subarray(start)) : undefined;
  }

  /** Flushes the last commit; a trailing partial token means git's output was cut short. */
  end(): History {
    if (this.carry && this.carry.length > 0) {
      const buf = this.carry;
      this.carry = undefined;
      this.token(buf, 0, buf.length);
    }
    this.finishCommit();
    return this.history;
  }

  private token(buf: Buffer, s: number, e: number): void {
    switch (this.state) {
      case State.Body:
        if (this.renamePaths > 0) {
          this.renamePaths--;
          return;
        }
        if (s < e && buf[s] === LF) s++;
        if (s === e) return;
        if (!hasByte(buf, s, e, TAB)) {
          // Not a numstat record: the hash of the next commit.
          this.finishCommit();
          this.startCommit();
          return;
        }
        this.numstat(buf, s, e);
        return;
      case State.Hash:
        this.startCommit();
        return;
      case State.Parents: {
        // One parent hash per word: a space means more than one parent, a merge.
        this.merge = hasByte(buf, s, e, SPACE);
        this.state = State.Time;
        return;
      }
      case State.Time: {
        let n = 0;
        let neg = false;
        for (let i = s; i < e; i++) {
          const c = buf[i];
          if (c === DASH) neg = true;
          else n = n * 10 + (c - ZERO);
        }
        this.at = neg ? -n : n;
        this.state = State.Name;
        return;
      }
      case State.Name:
        this.nameStart = decodeText(buf, s, e);
        this.state = State.Email;
        return;
      case State.Email:
        this.email = decodeText(buf, s, e);
        this.identity = this.history.identityFor(`${this.nameStart}\0${this.email}`);
        this.state = State.Trailers;
        return;
      case State.Trailers:
        if (s < e) this.readCoauthors(decodeText(buf, s, e));
        this.state = State.Body;
        return;
    }
  }

  private startCommit(): void {
    this.inCommit = true;
    this.merge = false;
    this.added = 0;
    this.deleted = 0;
    this.files = 0;
    this.renamePaths = 0;
    if (this.coauthors.length > 0) this.coauthors = [];
    this.state = State.Parents;
  }

  private readCoauthors(values: string): void {
    const author = this.email.toLowerCase();
    for (const value of values.split(UNIT_SEPARATOR)) {
      const who = parseCoauthor(value);
      if (!who || who.email.toLowerCase() === author) continue;
      const id = this.history.identityFor(`${who.name}\0${who.email}`);
      if (!this.coauthors.includes(id)) this.coauthors.push(id);
    }
  }

  private finishCommit(): void {
    if (!this.inCommit) return;
    this.inCommit = false;
    // A truncated header leaves nothing reliable to add; an empty co-author field may end the output.
    if (this.state !== State.Body && this.state !== State.Trailers) return;
    this.history.addCommit(this.identity, this.at, this.merge, this.added, this.deleted, this.files);
    // Co-authors are credited on the commits that count as work: merges are counted apart.
    if (!this.merge) for (const id of this.coauthors) this.history.addCoauthor(id, this.at);
    if (this.onCommit && this.history.commitsRead % this.every === 0) this.onCommit(this.history.commitsRead);
  }

  /** `added TAB deleted TAB path`; `-` for binary files; an empty path starts a rename pair. */
  private numstat(buf: Buffer, s: number, e: number): void {
    let i = s;
    let added = 0;
    while (i < e && buf[i] !== TAB) {
      const c = buf[i++];
      if (c !== DASH) added = added * 10 + (c - ZERO);
    }
    i++;
    let deleted = 0;
    while (i < e && buf[i] !== TAB) {
      const c = buf[i++];
      if (c !== DASH) deleted = deleted * 10 + (c - ZERO);
    }
    i++;
    if (i >= e) this.renamePaths = 2; // with -M -z, a rename's two paths follow as separate tokens
    this.added += added;
    this.deleted += deleted;
    this.files++;
  }
}

/** Runs `git log` over `range` and returns the aggregate of the commits it printed. */
export async function readHistory(repoDir: string, options: LogOptions): Promise<History> {
  const parser = new LogParser(new History(), options.onProgress, options.progressEvery);
  await gitStream(repoDir, logArgs(options), (chunk) => parser.push(chunk));
  return parser.end();
}
