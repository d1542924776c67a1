/**
 * The system's Chromium, driven by playwright-core (which never downloads a browser of its
 * own). Used by `assay report --pdf`, the browser tests and the dashboard benchmark.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Browser } from 'playwright-core';

export const CHROMIUM_ENV = 'ASSAY_CHROMIUM';

export const CHROMIUM_NOT_FOUND = `Chromium not found: install Debian's chromium package (apt-get install chromium) or set ${CHROMIUM_ENV}`;

export class ChromiumNotFoundError extends Error {
  constructor(message = CHROMIUM_NOT_FOUND) {
    super(message);
    this.name = 'ChromiumNotFoundError';
  }
}

/**
 * Flags for a headless Chromium on a machine with no network but loopback: without the
 * background-networking ones it keeps trying to reach Google's services.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
const KNOWN_PATHS = [
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
];

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** `ASSAY_CHROMIUM`, else the first Chromium on PATH, else a known install path. */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  knownPaths: readonly string[] = KNOWN_PATHS,
): string | undefined {
  const chosen = env[CHROMIUM_ENV];
  if (chosen) {
    if (!executable(chosen))
      throw new ChromiumNotFoundError(
        `Chromium not found at ${CHROMIUM_ENV}=${chosen}: install Debian's chromium package (apt-get install chromium) or point ${CHROMIUM_ENV} at a Chromium executable`,
      );
    return chosen;
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const name of NAMES) if (executable(join(dir, name))) return join(dir, name);
  return knownPaths.find(executable);
}

/** Why no Chromium can be used here (none found, or `ASSAY_CHROMIUM` names no executable), or undefined. */
export function chromiumProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    return findChromium(env) ? undefined : CHROMIUM_NOT_FOUND;
  } catch (err) {
    if (err instanceof ChromiumNotFoundError) return err.message;
    throw err;
  }
}

export async function launchChromium(
  env: NodeJS.ProcessEnv = process.env,
  knownPaths: readonly string[] = KNOWN_PATHS,
): Promise<Browser> {
  const executablePath = findChromium(env, knownPaths);
  if (!executablePath) throw new ChromiumNotFoundError();
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new ChromiumNotFoundError('playwright-core is not installed: run npm install playwright-core');
  }
  return playwright.chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}
