/** File extensions to language names, for the portal. Only languages, not data or docs formats. */
const LANGUAGES: Record<string, string> = {
  ts: 'TypeScript',
  tsx: 'TypeScript',
  mts: 'TypeScript',
  js: 'JavaScript',
  jsx: 'JavaScript',
  mjs: 'JavaScript',
  cjs: 'JavaScript',
  py: 'Python',
  java: 'Java',
  kt: 'Kotlin',
  kts: 'Kotlin',
  scala: 'Scala',
  go: 'Go',
  rs: 'Rust',
  c: 'C',
  h: 'C',
  cc: 'C++',
  cpp: 'C++',
  cxx: 'C++',
  hpp: 'C++',
  cs: 'C#',
  fs: 'F#',
  vb: 'Visual Basic',
  rb: 'Ruby',
  php: 'PHP',
  swift: 'Swift',
  m: 'Objective-C',
  dart: 'Dart',
  sh: 'Shell',
  bash: 'Shell',
  ps1: 'PowerShell',
  psm1: 'PowerShell',
  sql: 'SQL',
  r: 'R',
  jl: 'Julia',
  lua: 'Lua',
  pl: 'Perl',
  ex: 'Elixir',
  exs: 'Elixir',
  erl: 'Erlang',
  clj: 'Clojure',
  hs: 'Haskell',
  tf: 'HCL',
  bicep: 'Bicep',
  vue: 'Vue',
  svelte: 'Svelte',
  groovy: 'Groovy',
};

/** The most common languages by file count, at most `limit`. */
export function topLanguages(extensions: Map<string, number>, limit = 3): string[] {
  const counts = new Map<string, number>();
  for (const [ext, n] of extensions) {
    const lang = LANGUAGES[ext];
    if (lang) counts.set(lang, (counts.get(lang) ?? 0) + n);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en'))
    .slice(0, limit)
    .map(([l]) => l);
}
