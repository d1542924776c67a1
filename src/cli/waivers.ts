/**
 * `assay.waivers.yaml`: risk acceptances, validated with zod; every problem names the file,
 * line and field. Shape (docs/controls.md has the whole story):
 *
 *   waivers:
 *     - id: W-001
 *       check: AZ-STORAGE-001          # a check id or glob, and/or
 *       control: ism-1139              # a control id: findings evidencing it
 *       subjects:                      # optional; each entry: id, name glob, file glob
 *         - name: legacy-*
 *       justification: Legacy client cannot use TLS 1.2 until it is replaced.
 *       approvedBy: CISO
 *       created: 2025-07-01
 *       expires: 2026-06-30            # last day the waiver holds
 *       ticket: https://example.org/RISK-42
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { yaml } from '../core/lazy-yaml.ts';
import type { Waiver } from '../core/waivers.ts';
import { ConfigError } from './config.ts';

export const WAIVERS_FILE = 'assay.waivers.yaml';

/** True for YYYY-MM-DD naming a real day (2025-02-30 is not one). */
function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/** A real calendar date written YYYY-MM-DD (a YAML 1.1 timestamp is accepted too). */
const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v.trim()))
  .refine(isCalendarDate, {
    message: 'expected a date written YYYY-MM-DD',
  });

const text = z.string().trim().min(1, 'must not be empty');

const subject = z
  .object({
    id: text.optional().describe('Exact subject id (an ARM resource id; case-insensitive).'),
    name: text.optional().describe('Glob over the subject name, e.g. legacy-*.'),
    file: text
      .optional()
      .describe('Glob over the file path relative to the scan root, e.g. infra/legacy/**.'),
  })
  .strict()
  .refine((s) => s.id !== undefined || s.name !== undefined || s.file !== undefined, {
    message: 'a subject selector needs id, name or file',
  });

const waiver = z
  .object({
    id: text.describe('Stable id of the risk acceptance, e.g. W-001.'),
    check: text.optional().describe('Check id or glob the waiver covers.'),
    control: text.optional().describe('Control id: the waiver covers findings that evidence it.'),
    subjects: z.array(subject).optional().describe('Subjects covered; every subject when omitted.'),
    justification: text.describe('Why the risk is accepted.'),
    approvedBy: text.describe('Who accepted the risk.'),
    created: isoDate.describe('When the risk was accepted.'),
    expires: isoDate.describe('Last day the waiver holds.'),
    ticket: text.optional().describe('Link to the risk record or ticket.'),
  })
  .strict()
  .refine((w) => w.check !== undefined || w.control !== undefined, {
    message: 'a waiver names a check or a control',
  })
  .refine((w) => w.created <= w.expires, { message: 'expires is before created', path: ['expires'] });

export const waiversSchema = z.object({ $schema: z.string().optional(), waivers: z.array(waiver) }).strict();

export interface LoadedWaivers {
  file?: string;
  waivers: Waiver[];
}

/**
 * Loads waivers: the given file, else `assay.waivers.yaml` in the working folder, else none.
 * Locations are relative to `root` (the scan root) so findings about waivers read like the rest.
 */
export function loadWaivers(path: string | undefined, root: string, cwd = process.cwd()): LoadedWaivers {
  const file = path ? resolve(cwd, path) : resolve(cwd, WAIVERS_FILE);
  if (!existsSync(file)) {
    if (path) throw new ConfigError(`waiver file not found: ${path}`);
    return { waivers: [] };
  }
  const rel = relative(resolve(root), file);
  const shown = rel.startsWith('..') || isAbsolute(rel) ? file : rel;
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const { line, col } = lineCounter.linePos(e.pos[0]);
    throw new ConfigError(`${shown}:${line}:${col}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const where = (path: (string | number)[]): { line: number; col: number } | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]);
    }
    return undefined;
  };
  const result = waiversSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const p = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
      const at = where(p);
      return `${at ? `${shown}:${at.line}:${at.col}` : shown}: ${p.join('.') || '(root)'}: ${issue.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const seen = new Map<string, number>();
  const waivers = result.data.waivers.map((w, i): Waiver => {
    const line = where(['waivers', i])?.line ?? 1;
    const earlier = seen.get(w.id.toLowerCase());
    if (earlier !== undefined)
      throw new ConfigError(
        `${shown}:${line}: waivers.${i}.id: '${w.id}' is already used at line ${earlier}`,
      );
    seen.set(w.id.toLowerCase(), line);
    const out: Waiver = {
      id: w.id,
      source: 'waiver-file',
      justification: w.justification,
      approvedBy: w.approvedBy,
      created: w.created,
      expires: w.expires,
      location: { file: shown, line, column: 1 },
    };
    if (w.check) out.checks = [w.check];
    if (w.control) out.controls = [w.control];
    if (w.subjects && w.subjects.length > 0) out.subjects = w.subjects;
    if (w.ticket) out.ticket = w.ticket;
    return out;
  });
  return { file, waivers };
}
