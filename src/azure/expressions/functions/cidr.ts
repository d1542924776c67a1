import type { ValueObject } from '../value.ts';
import { asInt, asString, type CallSite, define, valueError } from './registry.ts';

interface Cidr {
  v6: boolean;
  /** Address bits: 32 or 128. */
  bits: number;
  network: bigint;
  prefix: number;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-f:]+$/i.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    n = (n << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return n;
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 255n)).join('.');
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups written as `::`. */
function formatV6(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function parseCidr(text: string, site: CallSite): Cidr {
  const m = /^\s*([^/\s]+)\/(\d{1,3})\s*$/.exec(text);
  const bad = () => valueError(site, `the value '${text}' is not a valid IP address range in CIDR notation.`);
  if (!m) throw bad();
  const v6 = m[1].includes(':');
  const bits = v6 ? 128 : 32;
  const addr = v6 ? parseV6(m[1]) : parseV4(m[1]);
  const prefix = Number(m[2]);
  if (addr === undefined || prefix > bits) throw bad();
  const hostBits = BigInt(bits - prefix);
  const network = (addr >> hostBits) << hostBits;
  return { v6, bits, network, prefix };
}

const format = (c: { v6: boolean }, n: bigint) => (c.v6 ? formatV6(n) : formatV4(n));

function mask(c: Cidr): bigint {
  const all = (1n << BigInt(c.bits)) - 1n;
  return all ^ ((1n << BigInt(c.bits - c.prefix)) - 1n);
}

define('parseCidr', 1, 1, (args, site): ValueObject => {
  const c = parseCidr(asString(args, 0, site), site);
  const size = 1n << BigInt(c.bits - c.prefix);
  const last = c.network + size - 1n;
  if (c.v6) {
    // IPv6 has no broadcast address: the whole range is usable.
    return {
      network: format(c, c.network),
      netmask: format(c, mask(c)),
      firstUsable: format(c, c.network),
      lastUsable: format(c, last),
      cidr: c.prefix,
    };
  }
  const small = c.prefix >= 31;
  return {
    network: format(c, c.network),
    netmask: format(c, mask(c)),
    broadcast: format(c, last),
    firstUsable: format(c, small ? c.network : c.network + 1n),
    lastUsable: format(c, small ? last : last - 1n),
    cidr: c.prefix,
  };
});

define('cidrSubnet', 3, 3, (args, site) => {
  const c = parseCidr(asString(args, 0, site), site);
  const newCidr = asInt(args, 1, site);
  const index = asInt(args, 2, site);
  if (newCidr < c.prefix || newCidr > c.bits) {
    throw valueError(site, `the new CIDR ${newCidr} must be between ${c.prefix} and ${c.bits}.`);
  }
  const count = 1n << BigInt(newCidr - c.prefix);
  if (index < 0 || BigInt(index) >= count) {
    throw valueError(site, `the subnet index ${index} is out of range: there are ${count} subnets.`);
  }
  const start = c.network + (BigInt(index) << BigInt(c.bits - newCidr));
  return `${format(c, start)}/${newCidr}`;
});

// cidrHost counts usable addresses: index 0 is the address after the network address.
define('cidrHost', 2, 2, (args, site) => {
  const c = parseCidr(asString(args, 0, site), site);
  const index = asInt(args, 1, site);
  const size = 1n << BigInt(c.bits - c.prefix);
  const usable = c.v6 ? size - 1n : size - 2n;
  if (index < 0 || BigInt(index) >= usable) {
    throw valueError(
      site,
      `the host index ${index} is out of range: the range has ${usable} usable addresses.`,
    );
  }
  return format(c, c.network + 1n + BigInt(index));
});
