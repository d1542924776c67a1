import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Assessment, InputError, SourceLocation } from '../core/model.ts';
import type { JsonValue } from '../json/parse.ts';
import { readParameterFile, type SuppliedParameter } from './expand/parameters.ts';
import type { ExpansionSink } from './expand/resources.ts';
import { TemplateError } from './expressions/context.ts';
import { BICEP_HOWTO, type BicepCli, compileBicep } from './load/bicep.ts';
import { BicepSource, CompiledBicepMap } from './load/bicep-map.ts';
import { type DiscoveredFile, displayPath } from './load/discover.ts';
import { JsonDocument, MAX_TEMPLATE_BYTES } from './load/document.ts';
import { pathParts } from './resource.ts';

export interface BicepScanContext {
  root: string;
  sink: ExpansionSink;
  inputs: Assessment['inputs'];
  /** The compiler; undefined or null when there is none. */
  cli: BicepCli | null | undefined;
  timeoutMs?: number;
  verbose?: boolean;
  /** Expands a compiled template as a deployment of its own (the scan's standalone expansion). */
  expand(doc: JsonDocument, linkRoot: string, own: () => Map<string, SuppliedParameter> | undefined): void;
  /** The parameters of a JSON parameter file paired with the template (`main.parameters.json` beside `main.bicep`). */
  pairedParameters(doc: JsonDocument): Map<string, SuppliedParameter> | undefined;
  progress(file: string): void;
}

function errorOf(err: unknown, file: string): InputError {
  if (err instanceof TemplateError) {
    const at = err.location ?? { file, line: 1, column: 1 };
    return { file: at.file, line: at.line, column: at.column, code: err.code, message: err.message };
  }
  return {
    file,
    line: 1,
    column: 1,
    code: 'internal',
    message: err instanceof Error ? err.message : String(err),
  };
}

function readSource(found: { file: string; absolutePath: string }): { text: string; sha256: string } {
  if (statSync(found.absolutePath).size > MAX_TEMPLATE_BYTES)
    throw new TemplateError(
      'file-too-large',
      `above the ${MAX_TEMPLATE_BYTES / 1048576} MB limit for a template`,
      {
        file: found.file,
        line: 1,
        column: 1,
      },
    );
  const bytes = readFileSync(found.absolutePath);
  return { text: bytes.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The file a `.bicepparam` is for: its `using '<path>'` statement, relative to it. */
function usingTarget(text: string, absolutePath: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('using ')) continue;
    const open = line.indexOf("'");
    const close = line.indexOf("'", open + 1);
    if (open > 0 && close > open) return resolve(dirname(absolutePath), line.slice(open + 1, close));
  }
  return undefined;
}

/**
 * Expands a compiled template, then points what it produced back at the Bicep file: each
 * resource at its declaration (and a property at its line there), input errors and notes
 * at the declaration they came from; what the compiled output cannot tell points at line 1,
 * said once in a note.
 */
function expandCompiled(
  doc: JsonDocument,
  source: BicepSource,
  linkRoot: string,
  own: () => Map<string, SuppliedParameter> | undefined,
  ctx: BicepScanContext,
): Set<string> {
  const { sink } = ctx;
  const reached = new Set<string>();
  const from = {
    resources: sink.resources.length,
    errors: sink.errors.length,
    faults: sink.faults.length,
    notes: sink.notes.length,
  };
  ctx.expand(doc, linkRoot, own);
  const map = new CompiledBicepMap(doc, source);
  let unmapped = 0;
  for (let i = from.resources; i < sink.resources.length; i++) {
    const r = sink.resources[i]!;
    if (r.file !== doc.file) continue;
    const compiled = r.location;
    const module = map.modulePathAt(compiled);
    if (module !== undefined) reached.add(resolve(dirname(doc.absolutePath), module));
    const declared = map.map(compiled);
    if (!declared) unmapped++;
    const at = declared ?? source.start;
    r.location = at;
    r.locate = declared ? (path) => map.map(compiled, pathParts(path)) ?? at : () => at;
  }
  const remap = (e: { file: string; line?: number; column?: number; message: string }) => {
    if (e.file !== doc.file || e.line === undefined) return;
    const at = map.map({ file: doc.file, line: e.line, column: e.column ?? 1 });
    if (!at) e.message = `${e.message} (line ${e.line} of the compiled template)`;
    e.line = at?.line ?? 1;
    e.column = at?.column ?? 1;
  };
  for (let i = from.errors; i < sink.errors.length; i++) remap(sink.errors[i]!);
  for (let i = from.faults; i < sink.faults.length; i++) remap(sink.faults[i]!);
  for (let i = from.notes; i < sink.notes.length; i++) remap(sink.notes[i]!);
  if (unmapped > 0)
    sink.notes.push({
      file: doc.file,
      line: 1,
      level: 'info',
      message: `${unmapped} resource(s) compiled from this file could not be traced to their declaration; their findings point at line 1 (see docs/bicep.md)`,
    });
  return reached;
}

/** The compiler's output as a document; output that is not JSON is the compiler's fault, said so. */
function compiledDocument(file: string, absolutePath: string, text: string): JsonDocument {
  try {
    return new JsonDocument(file, absolutePath, text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new TemplateError('bicep-output', `the Bicep CLI's output is not a template: ${why}`, {
      file,
      line: 1,
      column: 1,
    });
  }
}

function listInput(ctx: BicepScanContext, input: Assessment['inputs'][number]): void {
  if (!ctx.inputs.some((i) => i.file === input.file)) ctx.inputs.push(input);
}

/** Compiles one `.bicepparam` and scans the template it is `using`, with its values; returns that template and the modules it reached. */
async function scanBicepParams(
  found: DiscoveredFile,
  cli: BicepCli,
  ctx: BicepScanContext,
): Promise<{ target: string; reached: Set<string> }> {
  const show = (p: string) => displayPath(ctx.root, p);
  const { text, sha256 } = readSource(found);
  const target = usingTarget(text, found.absolutePath);
  if (!target)
    throw new TemplateError(
      'bicepparam-using',
      "no `using '<file>'` statement: the template it is for is unknown",
      {
        file: found.file,
        line: 1,
        column: 1,
      },
    );
  const out = await compileBicep(cli, found.absolutePath, found.file, {
    params: true,
    show,
    timeoutMs: ctx.timeoutMs,
  });
  const at = { file: found.file, line: 1, column: 1 };
  let built: { parametersJson?: unknown; templateJson?: unknown };
  try {
    built = JSON.parse(out);
  } catch {
    throw new TemplateError('bicep-output', 'the Bicep CLI printed no JSON for build-params', at);
  }
  const asText = (v: unknown) =>
    typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v);
  const templateText = asText(built.templateJson);
  const parametersText = asText(built.parametersJson);
  if (templateText === undefined || parametersText === undefined)
    throw new TemplateError('bicep-output', 'build-params output has no templateJson and parametersJson', at);
  ctx.inputs.push({ file: found.file, kind: 'arm-parameters', sha256 });
  const templateFile = show(target);
  let templateSource = '';
  try {
    templateSource = readSource({ file: templateFile, absolutePath: target }).text;
  } catch {
    // The template is still scanned; its findings point at line 1.
  }
  const params = new BicepSource(found.file, text);
  const doc = compiledDocument(templateFile, target, templateText);
  listInput(ctx, { file: templateFile, kind: 'arm-template', sha256: doc.sha256 });
  const parameters = JSON.parse(parametersText) as JsonValue;
  const locate = (name: string): SourceLocation => {
    const d = params.find(['param'], name);
    return d ? params.location(d.offset) : params.start;
  };
  const reached = expandCompiled(
    doc,
    new BicepSource(templateFile, templateSource),
    found.linkRoot,
    () => readParameterFile(parameters, found.file, locate),
    ctx,
  );
  return { target, reached };
}

/**
 * Scans Bicep source: compiles each `.bicepparam` (with the template it is `using`) and each
 * `.bicep` file no scanned `.bicepparam` uses, with the Bicep CLI, and scans the result.
 * Without a CLI, a Bicep file named on the command line is an input error saying how to
 * compile it, and those found in folders are listed in one note.
 */
export async function scanBicepFiles(files: readonly DiscoveredFile[], ctx: BicepScanContext): Promise<void> {
  if (files.length === 0) return;
  const { sink } = ctx;
  if (!ctx.cli) {
    const found = files.filter((f) => !f.explicit);
    for (const f of files.filter((f) => f.explicit))
      sink.errors.push({
        file: f.file,
        line: 1,
        column: 1,
        code: 'bicep-cli-missing',
        message: `Bicep source, not assessed: no Bicep CLI found (bicep or az on PATH, or ASSAY_BICEP); ${BICEP_HOWTO.replace('<file>', f.file)}`,
      });
    if (found.length > 0)
      sink.notes.push({
        file: found[0]!.file,
        level: 'warning',
        message: `${found.length} Bicep file(s) skipped, no Bicep CLI found (bicep or az on PATH, or ASSAY_BICEP): ${found.map((f) => f.file).join(', ')}; ${BICEP_HOWTO}`,
      });
    return;
  }
  const cli = ctx.cli;
  // A .bicep file is assessed through what uses it: a .bicepparam's `using`, or a local
  // `module` another scanned file declares and whose compilation produced its resources.
  const used = new Set<string>();
  const reached = new Set<string>();
  for (const f of files) {
    if (f.source !== 'bicepparam') continue;
    try {
      const result = await scanBicepParams(f, cli, ctx);
      used.add(result.target);
      for (const m of result.reached) reached.add(m);
    } catch (err) {
      sink.errors.push(errorOf(err, f.file));
    }
    ctx.progress(f.file);
  }
  const sources = new Map<string, { text: string; sha256: string } | Error>();
  const modules = new Set<string>();
  for (const f of files) {
    if (f.source !== 'bicep') continue;
    try {
      const read = readSource(f);
      sources.set(f.absolutePath, read);
      const dir = dirname(f.absolutePath);
      for (const m of new BicepSource(f.file, read.text).localModules()) modules.add(resolve(dir, m));
    } catch (err) {
      sources.set(f.absolutePath, err instanceof Error ? err : new Error(String(err)));
    }
  }
  const compile = async (f: DiscoveredFile): Promise<void> => {
    try {
      const read = sources.get(f.absolutePath);
      if (read instanceof Error || read === undefined) throw read ?? new Error('not read');
      ctx.inputs.push({ file: f.file, kind: 'arm-template', sha256: read.sha256 });
      const out = await compileBicep(cli, f.absolutePath, f.file, {
        params: false,
        show: (p) => displayPath(ctx.root, p),
        timeoutMs: ctx.timeoutMs,
      });
      const doc = compiledDocument(f.file, f.absolutePath, out);
      const own = () => ctx.pairedParameters(doc);
      for (const m of expandCompiled(doc, new BicepSource(f.file, read.text), f.linkRoot, own, ctx))
        reached.add(m);
    } catch (err) {
      sink.errors.push(errorOf(err, f.file));
    }
    ctx.progress(f.file);
  };
  /** A file assessed through another: said only with --verbose. */
  const through = (f: DiscoveredFile, why: string): void => {
    if (ctx.verbose) sink.notes.push({ file: f.file, level: 'info', message: why });
    ctx.progress(f.file);
  };
  const bicep = files.filter((f) => f.source === 'bicep');
  for (const f of bicep) {
    if (used.has(f.absolutePath)) through(f, 'assessed through the .bicepparam file that uses it');
    else if (!modules.has(f.absolutePath)) await compile(f);
  }
  for (const f of bicep) {
    if (used.has(f.absolutePath) || !modules.has(f.absolutePath)) continue;
    if (reached.has(f.absolutePath)) {
      through(f, 'a module of another Bicep file; assessed through it');
      continue;
    }
    sink.notes.push({
      file: f.file,
      level: 'info',
      message:
        'a module of another Bicep file, but no compiled deployment of it produced resources (a false condition, a loop of 0, a module of a module, or an error in the parent); assessed standalone',
    });
    await compile(f);
  }
}
