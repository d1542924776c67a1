/**
 * A synthetic git repository for the InnerSource benchmark, generated with `git fast-import`
 * (no process per commit): a bare clone of N commits (200,000 by default) by a few hundred
 * people from three organisations, with aliases joined by a .mailmap, bots, merges of
 * topic branches and release tags. Deterministic for a given size, and cached under
 * bench/.corpus/ with a manifest; regenerated when the generator version changes.
 *
 *   tsx bench/innersource-corpus.ts [--commits N] [--out DIR] [--force]
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainScript } from './args.ts';

export const GENERATOR_VERSION = 1;
export const DEFAULT_COMMITS = 200_000;
export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

export function defaultCorpusDir(commits: number): string {
  return join(BENCH_DIR, '.corpus', `innersource-${commits}`);
}

export interface InnerSourceCorpus {
  generatorVersion: number;
  commits: number;
  /** The bare repository. */
  repo: string;
  head: string;
  people: number;
  files: number;
  generatedMs: number;
}

export function readCorpus(dir: string, commits: number): InnerSourceCorpus | undefined {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as InnerSourceCorpus;
    if (m.generatorVersion !== GENERATOR_VERSION || m.commits !== commits || !existsSync(m.repo))
      return undefined;
    return m;
  } catch {
    return undefined;
  }
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Ada',
  'Ben',
  'Chen',
  'Dana',
  'Eli',
  'Fatima',
  'Gus',
  'Hana',
  'Ivan',
  'Jade',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
];
const LAST = [
  'Ng',
  'Okafor',
  'Silva',
  'Novak',
  'Kim',
  'Haddad',
  'Berg',
  'Rossi',
  'Tanaka',
  'Walsh',
  'Diaz',
  'Meyer',
];
const DOMAINS = [
  'example.com',
  'example.com',
  'example.com',
  'example.com',
  'example.com',
  'example.com',
  'example.com',
  'partner.example',
  'partner.example',
  'contractor.example',
];

interface Person {
  name: string;
  email: string;
  alias?: string;
  weight: number;
}

function people(rand: () => number): Person[] {
  const out: Person[] = [];
  let i = 0;
  for (const first of FIRST)
    for (const last of LAST) {
      const domain = DOMAINS[Math.floor(rand() * DOMAINS.length)];
      const email = `${first}.${last}@${domain}`.toLowerCase();
      // Activity follows a long tail, as in real projects: a few people make most commits.
      const p: Person = { name: `${first} ${last}`, email, weight: 1 / (i + 1) ** 0.8 };
      if (i % 12 === 0) p.alias = `${first[0]}${last}@old.example.com`.toLowerCase();
      out.push(p);
      i++;
    }
  return out;
}

function pick<T extends { weight: number }>(items: T[], total: number, rand: () => number): T {
  let r = rand() * total;
  for (const it of items) {
    r -= it.weight;
    if (r <= 0) return it;
  }
  return items[items.length - 1];
}

/** Writes the fast-import stream, honouring back-pressure so memory stays flat. */
export async function generate(commits: number, outDir: string): Promise<InnerSourceCorpus> {
  const started = performance.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const repo = join(outDir, 'repo.git');
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: outDir, LC_ALL: 'C' };
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', repo], { env });
  const child = spawn('git', ['fast-import', '--quiet', '--done'], {
    cwd: repo,
    env,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((res, rej) =>
    child.on('close', (code) => (code === 0 ? res() : rej(new Error(`git fast-import exited with ${code}`)))),
  );
  const stdin = child.stdin;
  let buffer = '';
  const write = async (s: string): Promise<void> => {
    buffer += s;
    if (buffer.length < 1 << 16) return;
    const chunk = buffer;
    buffer = '';
    if (!stdin.write(chunk)) await new Promise<void>((r) => stdin.once('drain', () => r()));
  };
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;

  const rand = prng(20240501);
  const team = people(rand);
  const humans = team.reduce((a, p) => a + p.weight, 0);
  const bots = [
    { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' },
    { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' },
  ];
  const dirs = 60;
  const perDir = 50;
  const files: string[][] = [];
  const paths: string[] = [];
  for (let d = 0; d < dirs; d++)
    for (let f = 0; f < perDir; f++) {
      paths.push(`src/module${d}/file${f}.ts`);
      files.push(Array.from({ length: 8 + Math.floor(rand() * 16) }, (_, l) => `export const v${l} = ${l};`));
    }
  const mailmap = team
    .filter((p) => p.alias)
    .map((p) => `${p.name} <${p.email}> <${p.alias}>`)
    .join('\n');

  let t = Date.parse('2021-01-04T09:00:00Z') / 1000;
  let mark = 0;
  let mainMark = 0;
  let written = 0;
  const who = (i: number): { name: string; email: string } => {
    const r = rand();
    if (r < 0.03) return bots[0];
    if (r < 0.04) return bots[1];
    const p = pick(team, humans, rand);
    // Aliased people used their old address in the first quarter of the history.
    return p.alias && i < commits / 4 ? { name: p.name.toLowerCase(), email: p.alias } : p;
  };
  const change = (): string => {
    let out = '';
    const n = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < n; k++) {
      const f = Math.floor(rand() * files.length);
      const lines = files[f];
      const l = Math.floor(rand() * lines.length);
      lines[l] = `export const v${l} = ${Math.floor(rand() * 1e6)};`;
      if (rand() < 0.3 && lines.length < 60) lines.push(`export const w${lines.length} = ${written};`);
      else if (rand() < 0.1 && lines.length > 4) lines.splice(Math.floor(rand() * lines.length), 1);
      out += `M 100644 inline ${paths[f]}\n${data(`${lines.join('\n')}\n`)}`;
    }
    return out;
  };
  const commitText = (
    ref: string,
    author: { name: string; email: string },
    msg: string,
    body: string,
    from?: number,
    merge?: number,
  ) => {
    mark++;
    t += 1 + Math.floor(rand() * 1200);
    const sig = `${author.name} <${author.email}> ${t} +0000`;
    return `commit ${ref}\nmark :${mark}\nauthor ${sig}\ncommitter ${sig}\n${data(msg)}${from ? `from :${from}\n` : ''}${merge ? `merge :${merge}\n` : ''}${body}`;
  };

  // The first commit: standard documents and the mailmap.
  let initial = '';
  for (const [path, text] of [
    [
      'README.md',
      '# Synthetic service\n\nA generated service used to benchmark the InnerSource history scan of assay.\n\n## Getting started\n\nRun it.\n',
    ],
    ['CONTRIBUTING.md', '# Contributing\n\nOpen a pull request against main.\n'],
    ['.github/CODEOWNERS', '* @example/platform\n'],
    ['.mailmap', `${mailmap}\n`],
  ] as const)
    initial += `M 100644 inline ${path}\n${data(text)}`;
  for (let f = 0; f < files.length; f++)
    initial += `M 100644 inline ${paths[f]}\n${data(`${files[f].join('\n')}\n`)}`;
  await write(commitText('refs/heads/main', team[0], 'Initial import\n', initial));
  mainMark = mark;
  written = 1;

  while (written < commits) {
    if (written % 500 === 250 && commits - written >= 2) {
      // A topic branch with one commit, merged into main with a merge commit.
      await write(commitText('refs/heads/topic', who(written), `Topic ${written}\n`, change(), mainMark));
      const topic = mark;
      await write(commitText('refs/heads/main', team[1], `Merge topic ${written}\n`, '', mainMark, topic));
      mainMark = mark;
      written += 2;
    } else {
      await write(commitText('refs/heads/main', who(written), `Change ${written}\n`, change(), mainMark));
      mainMark = mark;
      written++;
    }
    if (written % 2000 === 0)
      await write(
        `tag v1.${written / 2000}.0\nfrom :${mainMark}\ntagger Release <release@example.com> ${t} +0000\n${data(`Release ${written}\n`)}`,
      );
  }
  await write('reset refs/heads/topic\nfrom 0000000000000000000000000000000000000000\n\ndone\n');
  if (buffer) stdin.write(buffer);
  stdin.end();
  await exited;
  // fast-import leaves the topic ref deleted; HEAD is main.
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, env, encoding: 'utf8' }).trim();
  const manifest: InnerSourceCorpus = {
    generatorVersion: GENERATOR_VERSION,
    commits,
    repo: resolve(repo),
    head,
    people: team.length,
    files: paths.length,
    generatedMs: Math.round(performance.now() - started),
  };
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (isMainScript(import.meta.url)) {
  const argv = process.argv.slice(2);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const commits = Number(value('--commits') ?? DEFAULT_COMMITS);
  const out = resolve(value('--out') ?? defaultCorpusDir(commits));
  const existing = argv.includes('--force') ? undefined : readCorpus(out, commits);
  (existing ? Promise.resolve(existing) : generate(commits, out)).then(
    (m) => {
      console.error(`corpus ${m.repo}: ${m.commits} commits, head ${m.head.slice(0, 12)}`);
    },
    (err: unknown) => {
      console.error(
        `corpus generation failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      process.exit(1);
    },
  );
}
