#!/usr/bin/env node
// Runs the compiled CLI when it is current (bin/entry.js says when), else the TypeScript sources
// through tsx's loader: a fresh clone works after `npm ci`, and an edit is never hidden by a
// stale build.
import { chooseEntry } from './entry.js';

let main;
if (chooseEntry(new URL('../', import.meta.url), process.env) === 'dist') {
  ({ main } = await import('../dist/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
