/**
 * The aggregates a history scan keeps per repository: commit counts, merges and churn per
 * raw author identity and UTC day. Everything the metrics need for any window can be
 * computed from them, and two of them for disjoint commit ranges add up to the aggregate
 * of the union, which is what makes incremental scans exact.
 */

/** An author exactly as git printed it after applying `.mailmap` (`%aN`, `%aE`). */
export interface RawIdentity {
  name: string;
  email: string;
}

/** Days are counted from 1970-01-01 UTC; this bounds the key space (year 4840). */
const DAY_LIMIT = 1 << 20;
const DAY_SECONDS = 86_400;

export function dayOf(epochSeconds: number): number {
  const d = Math.floor(epochSeconds / DAY_SECONDS);
  return d < 0 ? 0 : d >= DAY_LIMIT ? DAY_LIMIT - 1 : d;
}

/** The JSON form kept in the store: columns rather than objects, so it stays compact. */
export interface HistoryJson {
  identities: [string, string][];
  commitsRead: number;
  firstAt: number | null;
  lastAt: number | null;
  /** Columns of the day buckets, all the same length. */
  identity: number[];
  day: number[];
  commits: number[];
  merges: number[];
  added: number[];
  deleted: number[];
  files: number[];
  /**
   * Commits the identity co-authored (a `Co-authored-by:` trailer), per bucket. Absent in
   * aggregates stored before co-authors were read; such a state is read again in full.
   */
  coauthored?: number[];
}

/** One day bucket as handed to metric code. */
export interface Bucket {
  identity: number;
  day: number;
  /** Non-merge commits. */
  commits: number;
  merges: number;
  added: number;
  deleted: number;
  files: number;
  /** Non-merge commits this identity co-authored (named in a `Co-authored-by:` trailer). */
  coauthored: number;
}

export class History {
  readonly identities: RawIdentity[] = [];
  private readonly identityIndex = new Map<string, number>();
  private readonly slots = new Map<number, number>();
  private size = 0;
  private cap = 0;
  private colIdentity = new Int32Array(0);
  private colDay = new Int32Array(0);
  private colCommits = new Float64Array(0);
  private colMerges = new Float64Array(0);
  private colAdded = new Float64Array(0);
  private colDeleted = new Float64Array(0);
  private colFiles = new Float64Array(0);
  private colCoauthored = new Float64Array(0);
  /** Commits (merges included) that went into this aggregate. */
  commitsRead = 0;
  /** Earliest and latest author time seen, epoch seconds. */
  firstAt: number | null = null;
  lastAt: number | null = null;

  /** Index of an identity, keyed by `name\0email` (the form the log parser already has). */
  identityFor(key: string): number {
    let idx = this.identityIndex.get(key);
    if (idx === undefined) {
      const nul = key.indexOf('\0');
      idx = this.identities.length;
      this.identities.push({ name: key.slice(0, nul), email: key.slice(nul + 1) });
      this.identityIndex.set(key, idx);
    }
    return idx;
  }

  /** Adds one commit. */
  addCommit(
    identity: number,
    at: number,
    merge: boolean,
    added: number,
    deleted: number,
    files: number,
  ): void {
    this.commitsRead++;
    if (this.firstAt === null || at < this.firstAt) this.firstAt = at;
    if (this.lastAt === null || at > this.lastAt) this.lastAt = at;
    const slot = this.slot(identity, dayOf(at));
    if (merge) this.colMerges[slot]++;
    else this.colCommits[slot]++;
    this.colAdded[slot] += added;
    this.colDeleted[slot] += deleted;
    this.colFiles[slot] += files;
  }

  /** Credits a co-author (a `Co-authored-by:` trailer) with a commit made at `at`. */
  addCoauthor(identity: number, at: number): void {
    this.colCoauthored[this.slot(identity, dayOf(at))]++;
  }

  private slot(identity: number, day: number): number {
    const key = identity * DAY_LIMIT + day;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      if (this.size === this.cap) this.grow();
      slot = this.size++;
      this.slots.set(key, slot);
      this.colIdentity[slot] = identity;
      this.colDay[slot] = day;
    }
    return slot;
  }

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    const widen = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.colIdentity = widen(this.colIdentity, (n) => new Int32Array(n));
    this.colDay = widen(this.colDay, (n) => new Int32Array(n));
    this.colCommits = widen(this.colCommits, (n) => new Float64Array(n));
    this.colMerges = widen(this.colMerges, (n) => new Float64Array(n));
    this.colAdded = widen(this.colAdded, (n) => new Float64Array(n));
    this.colDeleted = widen(this.colDeleted, (n) => new Float64Array(n));
    this.colFiles = widen(this.colFiles, (n) => new Float64Array(n));
    this.colCoauthored = widen(this.colCoauthored, (n) => new Float64Array(n));
    this.cap = cap;
  }

  get bucketCount(): number {
    return this.size;
  }

  /** Visits every day bucket; cheaper than materialising them. */
  forEachBucket(fn: (b: Bucket) => void): void {
    const b: Bucket = {
      identity: 0,
      day: 0,
      commits: 0,
      merges: 0,
      added: 0,
      deleted: 0,
      files: 0,
      coauthored: 0,
    };
    for (let i = 0; i < this.size; i++) {
      b.identity = this.colIdentity[i];
      b.day = this.colDay[i];
      b.commits = this.colCommits[i];
      b.merges = this.colMerges[i];
      b.added = this.colAdded[i];
      b.deleted = this.colDeleted[i];
      b.files = this.colFiles[i];
      b.coauthored = this.colCoauthored[i];
      fn(b);
    }
  }

  /** Adds another aggregate (of a disjoint range of commits) into this one. */
  merge(other: History): void {
    const map = other.identities.map((id) => this.identityFor(`${id.name}\0${id.email}`));
    other.forEachBucket((b) => {
      const slot = this.slot(map[b.identity], b.day);
      this.colCommits[slot] += b.commits;
      this.colMerges[slot] += b.merges;
      this.colAdded[slot] += b.added;
      this.colDeleted[slot] += b.deleted;
      this.colFiles[slot] += b.files;
      this.colCoauthored[slot] += b.coauthored;
    });
    this.commitsRead += other.commitsRead;
    if (other.firstAt !== null && (this.firstAt === null || other.firstAt < this.firstAt))
      this.firstAt = other.firstAt;
    if (other.lastAt !== null && (this.lastAt === null || other.lastAt > this.lastAt))
      this.lastAt = other.lastAt;
  }

  toJSON(): HistoryJson {
    const cols: HistoryJson = {
      identities: this.identities.map((i) => [i.name, i.email]),
      commitsRead: this.commitsRead,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      identity: [],
      day: [],
      commits: [],
      merges: [],
      added: [],
      deleted: [],
      files: [],
      coauthored: [],
    };
    this.forEachBucket((b) => {
      cols.identity.push(b.identity);
      cols.day.push(b.day);
      cols.commits.push(b.commits);
      cols.merges.push(b.merges);
      cols.added.push(b.added);
      cols.deleted.push(b.deleted);
      cols.files.push(b.files);
      cols.coauthored?.push(b.coauthored);
    });
    return cols;
  }

  static fromJSON(json: HistoryJson): History {
    const h = new History();
    for (const [name, email] of json.identities) h.identityFor(`${name}\0${email}`);
    for (let i = 0; i < json.identity.length; i++) {
      const slot = h.slot(json.identity[i], json.day[i]);
      h.colCommits[slot] += json.commits[i];
      h.colMerges[slot] += json.merges[i];
      h.colAdded[slot] += json.added[i];
      h.colDeleted[slot] += json.deleted[i];
      h.colFiles[slot] += json.files[i];
      h.colCoauthored[slot] += json.coauthored?.[i] ?? 0;
    }
    h.commitsRead = json.commitsRead;
    h.firstAt = json.firstAt;
    h.lastAt = json.lastAt;
    return h;
  }
}
