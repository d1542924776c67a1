import { createHash } from 'node:crypto';
import type { Value } from '../value.ts';
import { argError, type CallSite, define } from './registry.ts';

const rotl = (x: number, r: number): number => ((x << r) | (x >>> (32 - r))) >>> 0;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function readU32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** Little-endian word from up to 4 trailing bytes. */
function readTail(b: Uint8Array, i: number, n: number): number {
  let k = 0;
  for (let j = n - 1; j >= 0; j--) k = (k << 8) | b[i + j];
  return k >>> 0;
}

/**
 * Microsoft's 64-bit MurmurHash variant (two interleaved 32-bit lanes with their own constants),
 * as used by ARM's uniqueString(); returns the high and low 32-bit halves.
 */
export function murmurHash64(data: Uint8Array, seed = 0): [number, number] {
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const c3 = 0x38b34ae5;
  const c4 = 0xa1e38b93;
  const len = data.length;
  let h1 = seed >>> 0;
  let h2 = seed >>> 0;
  let i = 0;
  for (; i + 7 < len; i += 8) {
    let k1 = readU32(data, i);
    let k2 = readU32(data, i + 4);
    k1 = Math.imul(k1, c1);
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, c2);
    h1 = (h1 ^ k1) >>> 0;
    h1 = rotl(h1, 19);
    h1 = (h1 + h2) >>> 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) >>> 0;
    k2 = Math.imul(k2, c2);
    k2 = rotl(k2, 17);
    k2 = Math.imul(k2, c1);
    h2 = (h2 ^ k2) >>> 0;
    h2 = rotl(h2, 13);
    h2 = (h2 + h1) >>> 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) >>> 0;
  }
  const tail = len - i;
  if (tail > 0) {
    let k1 = tail >= 4 ? readU32(data, i) : readTail(data, i, tail);
    k1 = Math.imul(k1, c1);
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, c2);
    h1 = (h1 ^ k1) >>> 0;
    if (tail > 4) {
      let k2 = readTail(data, i + 4, tail - 4);
      k2 = Math.imul(k2, c2);
      k2 = rotl(k2, 17);
      k2 = Math.imul(k2, c1);
      h2 = (h2 ^ k2) >>> 0;
    }
  }
  h1 = (h1 ^ len) >>> 0;
  h2 = (h2 ^ len) >>> 0;
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  void c3;
  void c4;
  return [h2, h1];
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

const utf8 = new TextEncoder();

/**
 * Results of the hash functions by input: templates hash the same few inputs over and over
 * (`uniqueString(resourceGroup().id)` in every template of a scan). Pure functions, so a
 * bounded cache changes nothing but time.
 */
class Memo {
  private readonly results = new Map<string, string>();
  constructor(private readonly compute: (text: string) => string) {}
  get(text: string): string {
    let out = this.results.get(text);
    if (out === undefined) {
      out = this.compute(text);
      if (this.results.size >= 10_000) this.results.clear();
      this.results.set(text, out);
    }
    return out;
  }
}

const uniqueStrings = new Memo(computeUniqueString);

/** ARM's uniqueString(): the 64-bit hash of the UTF-8 text, 13 base32 characters from the top bits. */
export function uniqueString(text: string): string {
  return uniqueStrings.get(text);
}

function computeUniqueString(text: string): string {
  const [hi, lo] = murmurHash64(utf8.encode(text));
  let v = (BigInt(hi) << 32n) | BigInt(lo);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out += BASE32[Number(v >> 59n)];
    v = (v << 5n) & 0xffffffffffffffffn;
  }
  return out;
}

const GUID_NAMESPACE = '11fb06fb-712d-4ddd-98c7-e71bbd588830';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function formatUuid(b: Uint8Array): string {
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const GUID_NAMESPACE_BYTES = uuidBytes(GUID_NAMESPACE);

/** RFC 4122 name-based UUID v5 (SHA-1) of `name` under `namespace`; the name is hashed as UTF-8. */
export function uuidV5(name: string, namespace = GUID_NAMESPACE): string {
  const space = namespace === GUID_NAMESPACE ? GUID_NAMESPACE_BYTES : uuidBytes(namespace);
  const hash = createHash('sha1').update(space).update(Buffer.from(name, 'utf8')).digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  return formatUuid(b);
}

const guids = new Memo((name) => uuidV5(name));

/** ARM's guid(): a UUID v5 over the arguments joined by '-'. */
export function armGuid(parts: string[]): string {
  return guids.get(parts.join('-'));
}

function stringArgs(args: Value[], site: CallSite): string[] {
  return args.map((a, i) => {
    if (typeof a !== 'string') {
      throw argError(site, `all arguments must be strings; argument ${i + 1} is not.`);
    }
    return a;
  });
}

define('guid', 1, Number.POSITIVE_INFINITY, (args, site) => armGuid(stringArgs(args, site)));

define('uniqueString', 1, Number.POSITIVE_INFINITY, (args, site) =>
  uniqueString(stringArgs(args, site).join('-')),
);

/**
 * newGuid() is random in ARM. Here it is derived from the run's fixed clock (ctx.now) and a
 * per-clock counter so that repeated runs over the same input give the same output.
 */
const newGuidCounters = new Map<string, number>();
define('newGuid', 0, 0, (_args, site) => {
  const n = newGuidCounters.get(site.ctx.now) ?? 0;
  newGuidCounters.set(site.ctx.now, n + 1);
  const hash = createHash('sha1').update(`assay-newGuid-${site.ctx.now}-${n}`).digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return formatUuid(b);
});
