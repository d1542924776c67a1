/**
 * Source lines of a run's input files, for the subject page. Only a file that the run
 * read (listed in `assessment.inputs`) and that resolves inside the run's root is ever
 * opened: the API takes the file name from a query string, so this is the only guard
 * between a request and the disk.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Assessment } from '../core/model.ts';
import { decodeBytes, TextEncodingError } from '../core/text-encoding.ts';

/**
 * Input kinds whose lines are never shown: Terraform's JSON holds sensitive values in clear
 * (variables, marked attributes), which the readers drop but the file keeps.
 */
const UNSHOWN_KINDS = new Set(['terraform-plan', 'terraform-state']);

/** Larger files are not read for snippets (a template over this is not one a person reads). */
const MAX_BYTES = 32 * 1024 * 1024;

export interface InputLines {
  lines: string[];
  /** False when the file's content no longer matches the hash recorded at scan time. */
  unchanged: boolean;
}

function inside(root: string, full: string): boolean {
  const rel = relative(root, full);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The lines of one input file of the run, or a note saying why they cannot be shown. */
export function readInputLines(
  assessment: Pick<Assessment, 'root' | 'inputs'>,
  file: string,
): InputLines | { note: string } {
  const input = assessment.inputs.find((i) => i.file === file);
  if (!input) return { note: 'not an input of this run' };
  if (UNSHOWN_KINDS.has(input.kind))
    return { note: 'Terraform JSON may hold sensitive values, so its lines are not shown' };
  try {
    const root = realpathSync(assessment.root);
    const full = resolve(root, file);
    if (!inside(root, full) || !inside(root, realpathSync(full)))
      return { note: 'the file is outside the run root' };
    if (statSync(full).size > MAX_BYTES) return { note: 'the file is too large to show' };
    // Hashed as the scanner hashes it (the bytes on disk), and decoded as the scanner decodes
    // it, so a UTF-16 or Latin-1 template shows the lines the findings point at.
    const bytes = readFileSync(full);
    const unchanged = createHash('sha256').update(bytes).digest('hex') === input.sha256;
    let text: string;
    try {
      text = decodeBytes(bytes).text;
    } catch (err) {
      if (err instanceof TextEncodingError) return { note: `the file cannot be decoded: ${err.message}` };
      throw err;
    }
    return { lines: text.split(/\r?\n/), unchanged };
  } catch {
    return { note: 'the file is no longer readable where the run read it' };
  }
}
