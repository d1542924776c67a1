/**
 * Server tokens (docs/server.md). A token reads `assay_<id>_<secret>`: the id is public and
 * finds the token's row; only a scrypt hash of the secret is kept (node:crypto, salted, the
 * parameters stored with it). The full token is shown once, when it is created.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export const TOKEN_SCOPES = ['push', 'read', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** scrypt cost: N = 2^14, r = 8, p = 1 (about 16 MiB and tens of milliseconds per hash). */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

const ID_PATTERN = /^[0-9a-f]{16}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface NewToken {
  id: string;
  /** The whole token, to be shown once and never stored. */
  token: string;
  /** What is stored: `scrypt$N$r$p$salt$hash` (base64url). */
  hash: string;
}

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function newToken(): Promise<NewToken> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, R, P);
  return {
    id,
    token: `assay_${id}_${secret}`,
    hash: `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`,
  };
}

/** The id and secret of a well-formed token; undefined for anything else. */
export function parseToken(token: string): { id: string; secret: string } | undefined {
  if (token.length !== 6 + 16 + 1 + 43 || !token.startsWith('assay_')) return undefined;
  const id = token.slice(6, 22);
  const secret = token.slice(23);
  if (token[22] !== '_' || !ID_PATTERN.test(id) || !SECRET_PATTERN.test(secret)) return undefined;
  return { id, secret };
}

/** Whether `secret` hashes to `stored`, compared in constant time. */
export async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(secret, salt, n, r, p);
  return timingSafeEqual(key, expected);
}

/**
 * Remembers tokens already verified, by a SHA-256 of the whole token, so that each request of a
 * dashboard does not pay for scrypt again. The token's row is still read on every request, so a
 * revoked token stops at once.
 */
export class VerifiedTokens {
  private readonly known = new Map<string, Buffer>();
  constructor(private readonly max = 1000) {}

  async verify(id: string, token: string, secret: string, stored: string): Promise<boolean> {
    const digest = createHash('sha256').update(token).digest();
    const seen = this.known.get(id);
    if (seen && timingSafeEqual(seen, digest)) return true;
    if (!(await secretMatches(secret, stored))) return false;
    this.known.set(id, digest);
    if (this.known.size > this.max) this.known.delete(this.known.keys().next().value as string);
    return true;
  }

  forget(id: string): void {
    this.known.delete(id);
  }
}
