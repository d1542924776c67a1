/**
 * Adds lock entries for the other platforms' native packages of @biomejs/biome and
 * @duckdb/node-bindings. The registry this project is developed against serves only the
 * Linux builds, so `npm install` leaves the others out of package-lock.json, and then
 * `npm ci` rejects the lock as out of sync (npm/cli#9846). Each entry records what npm
 * needs to skip or fetch the package on another platform: version, os, cpu, libc.
 * Run after `npm install` changes either package's version: node scripts/lock-platform-packages.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';

const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));

function platformOf(name) {
  const m = /-(android|darwin|linux|win32)-(arm64|x64)(-musl)?$/.exec(name);
  if (!m) throw new Error(`cannot tell the platform of ${name}`);
  const entry = { os: [m[1]], cpu: [m[2]] };
  if (m[1] === 'linux') entry.libc = [m[3] ? 'musl' : 'glibc'];
  return entry;
}

let added = 0;
for (const parent of ['@biomejs/biome', '@duckdb/node-bindings']) {
  const key = `node_modules/${parent}`;
  const pkg = lock.packages[key];
  if (!pkg) continue;
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const childKey = `node_modules/${name}`;
    if (lock.packages[childKey]) continue;
    lock.packages[childKey] = {
      version,
      ...platformOf(name),
      ...(pkg.dev ? { dev: true } : {}),
      license: pkg.license,
      optional: true,
    };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
lock.packages = sorted;
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform package entr${added === 1 ? 'y' : 'ies'} added`);
