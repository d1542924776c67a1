/**
 * JUnit XML for CI test-result views: one <testsuite> per check (in the assessment's check
 * order), one <testcase> per finding (name = subject name, classname = check id). fail ->
 * <failure>, unknown -> <skipped>, error -> <error>; pass and waived pass (waived ones say
 * so in <system-out>); not-applicable findings are left out. Input errors form a suite,
 * `input-errors`, of <error> test cases (assay could not read the input); template faults a
 * last one, `template-faults`, of <failure> test cases (the input was read and ARM refuses the
 * deployment it describes). See docs/formats/junit.md.
 */

import { faultsOf } from '../core/assessment.ts';
import { appendAll } from '../core/extent.ts';
import type { Assessment, CheckMeta, Finding, InputError } from '../core/model.ts';
import type { RenderOptions } from './index.ts';
import {
  displayPath,
  formatLocation,
  linePieces,
  messageWithReason,
  sortFindings,
  waiverOf,
} from './util.ts';

export const INPUT_ERRORS_SUITE = 'input-errors';
export const TEMPLATE_FAULTS_SUITE = 'template-faults';

/**
 * Characters XML 1.0 forbids anywhere (C0 controls other than tab, LF, CR; U+FFFE/U+FFFF;
 * lone surrogates). With the `u` flag a lone surrogate is its own code point and matches.
 */
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripIllegalXml(s: string): string {
  return s.replace(ILLEGAL_XML, '');
}

/** Escapes text content: all five predefined entities, illegal characters removed. */
export function escapeXml(s: string): string {
  return stripIllegalXml(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Escapes an attribute value; tab, LF and CR become character references so parsers keep them. */
export function escapeAttr(s: string): string {
  return escapeXml(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join('');
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function detail(f: Finding): string {
  const lines = [
    formatLocation(f.location.file, f.location.line, f.location.column),
    messageWithReason(f),
    `Subject: ${f.subject.name} (${f.subject.type}) ${f.subject.id}`,
    `Check: ${f.checkId} ${f.title} [${f.severity}]`,
  ];
  if (f.controls.length > 0) lines.push(`Controls: ${f.controls.join(', ')}`);
  return lines.join('\n');
}

function testcase(f: Finding, name: string, counts: Counts): string {
  counts.tests++;
  const open = `    <testcase${attrs({
    name,
    classname: f.checkId,
    file: displayPath(f.location.file),
    line: f.location.line > 0 ? f.location.line : undefined,
    time: '0',
  })}`;
  switch (f.status) {
    case 'fail':
      counts.failures++;
      return `${open}>\n      <failure${attrs({ message: f.message, type: f.severity })}>${escapeXml(detail(f))}</failure>\n    </testcase>`;
    case 'error':
      counts.errors++;
      return `${open}>\n      <error${attrs({ message: f.message, type: 'check-error' })}>${escapeXml(detail(f))}</error>\n    </testcase>`;
    case 'unknown':
      counts.skipped++;
      return `${open}>\n      <skipped${attrs({ message: `unknown: ${messageWithReason(f)}` })}/>\n    </testcase>`;
    case 'waived': {
      const waiver = waiverOf(f);
      const out = [
        `waived${f.originalStatus ? ` (was ${f.originalStatus})` : ''}: ${f.message}`,
        ...(waiver?.justification ? [`Justification: ${waiver.justification}`] : []),
        ...(waiver?.id ? [`Waiver: ${waiver.id}`] : []),
        ...(waiver?.expires ? [`Expires: ${waiver.expires}`] : []),
      ].join('\n');
      return `${open}>\n      <system-out>${escapeXml(out)}</system-out>\n    </testcase>`;
    }
    default:
      return `${open}/>`;
  }
}

/** A test suite as lines; a check with a million findings makes a million-case suite. */
function suite(name: string, properties: Record<string, string>, cases: string[], counts: Counts): string[] {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `      <property${attrs({ name: k, value: v })}/>`);
  const head = `  <testsuite${attrs({
    name,
    tests: counts.tests,
    failures: counts.failures,
    errors: counts.errors,
    skipped: counts.skipped,
    time: '0',
  })}>`;
  const lines = [head];
  if (props.length > 0) {
    lines.push(`    <properties>`);
    appendAll(lines, props);
    lines.push(`    </properties>`);
  }
  appendAll(lines, cases);
  lines.push('  </testsuite>');
  return lines;
}

/** An input error as an <error> case of its suite, or a template fault as a <failure> case of its own. */
function problemCase(e: InputError, suiteName: string, element: 'error' | 'failure'): string {
  const where = formatLocation(e.file, e.line, e.column);
  return `    <testcase${attrs({ name: where, classname: suiteName, file: displayPath(e.file), line: e.line, time: '0' })}>\n      <${element}${attrs({ message: e.message, type: e.code })}>${escapeXml(`${where}\n${e.code}: ${e.message}`)}</${element}>\n    </testcase>`;
}

export function renderJunit(assessment: Assessment, options: RenderOptions): string {
  return [...junitPieces(assessment, options)].join('');
}

/** The JUnit XML as pieces, for writing a large report without one string. */
export function junitPieces(assessment: Assessment, _options: RenderOptions): Iterable<string> {
  const metas = new Map<string, CheckMeta>();
  for (const m of assessment.checks) if (!metas.has(m.id)) metas.set(m.id, m);
  const byCheck = new Map<string, Finding[]>();
  for (const m of metas.keys()) byCheck.set(m, []);
  for (const f of sortFindings(assessment.findings)) {
    if (f.status === 'not-applicable') continue;
    const list = byCheck.get(f.checkId);
    if (list) list.push(f);
    else byCheck.set(f.checkId, [f]);
  }

  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  const suites: string[][] = [];
  for (const [checkId, findings] of byCheck) {
    if (findings.length === 0) continue;
    const counts: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    const seen = new Map<string, number>();
    const cases = findings.map((f) => {
      const base = f.subject.name || f.subject.id;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      return testcase(f, n === 1 ? base : `${base} #${n}`, counts);
    });
    const meta = metas.get(checkId);
    const properties: Record<string, string> = meta
      ? {
          title: meta.title,
          severity: meta.severity,
          controls: meta.controls.join(', '),
          essentialEight: (meta.essentialEight ?? []).join(', '),
        }
      : {
          title: findings[0].title,
          severity: findings[0].severity,
          controls: findings[0].controls.join(', '),
        };
    suites.push(suite(checkId, properties, cases, counts));
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.errors += counts.errors;
    total.skipped += counts.skipped;
  }

  if (assessment.errors.length > 0) {
    const counts: Counts = {
      tests: assessment.errors.length,
      failures: 0,
      errors: assessment.errors.length,
      skipped: 0,
    };
    const cases = assessment.errors.map((e) => problemCase(e, INPUT_ERRORS_SUITE, 'error'));
    suites.push(suite(INPUT_ERRORS_SUITE, {}, cases, counts));
    total.tests += counts.tests;
    total.errors += counts.errors;
  }
  const faults = faultsOf(assessment);
  if (faults.length > 0) {
    const counts: Counts = { tests: faults.length, failures: faults.length, errors: 0, skipped: 0 };
    const cases = faults.map((e) => problemCase(e, TEMPLATE_FAULTS_SUITE, 'failure'));
    suites.push(suite(TEMPLATE_FAULTS_SUITE, {}, cases, counts));
    total.tests += counts.tests;
    total.failures += counts.failures;
  }

  const root = `<testsuites${attrs({
    name: `assay ${assessment.domain}`,
    tests: total.tests,
    failures: total.failures,
    errors: total.errors,
    skipped: total.skipped,
    time: '0',
  })}>`;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', root];
  for (const s of suites) appendAll(lines, s);
  lines.push('</testsuites>', '');
  return linePieces(lines);
}
