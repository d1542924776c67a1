import { readFileSync } from 'node:fs';
import { appendAll } from '../../core/extent.ts';
import type { ExpansionSink } from '../expand/resources.ts';
import type { StandaloneSettings } from '../expand/standalone.ts';
import { JsonDocument } from '../load/document.ts';
import type { RootResult, WorkerInit } from './protocol.ts';
import { fromWire } from './wire.ts';

/**
 * Below these, workers cost more than they save: the scan expands on its own thread. A worker
 * takes ~0.3 s of CPU to start (tsx loads the expander), and each root template is parsed again
 * there and its resources cloned back, ~60% more CPU in all (docs/benchmarks.md, "--jobs").
 */
export const PARALLEL_FROM = { templates: 32, bytes: 8 * 1024 * 1024 };

/**
 * `ASSAY_PARALLEL_FROM=templates:bytes` lowers the threshold for one process, so tests can run
 * the real worker entry (the compiled one included) on a small folder.
 */
function parallelFromEnv(): { templates: number; bytes: number } | undefined {
  const m = /^(\d{1,9}):(\d{1,12})$/.exec(process.env.ASSAY_PARALLEL_FROM ?? '');
  return m ? { templates: Number(m[1]), bytes: Number(m[2]) } : undefined;
}

/** How many workers expand the root templates: 1 (none) for a small scan or `jobs: 1`. */
export function parallelThreads(
  roots: readonly { doc: JsonDocument }[],
  options: { jobs?: number; parallelFrom?: { templates: number; bytes: number } },
): number {
  const from = options.parallelFrom ?? parallelFromEnv() ?? PARALLEL_FROM;
  // One thread unless asked: on 2 cores, 2 workers made the bench corpus 0.54-0.62x as fast
  // (docs/benchmarks.md, "--jobs"), so workers are for a user who measured a gain.
  const threads = Math.min(options.jobs ?? 1, roots.length);
  if (threads < 2 || roots.length < from.templates) return 1;
  let bytes = 0;
  for (const t of roots) bytes += t.doc.bytes;
  return bytes < from.bytes ? 1 : threads;
}

/** What the workers of this scan start with. */
export function workerInit(
  sink: ExpansionSink,
  parameterFiles: readonly string[],
  settings: StandaloneSettings,
): WorkerInit {
  return {
    root: sink.root,
    documents: [...(sink.documents ?? [])].map(([key, d]) => [
      key,
      { file: d.file, absolutePath: d.absolutePath },
    ]),
    parameterFiles: [...parameterFiles],
    cliValues: [...settings.cliValues],
    scope: settings.scope,
    now: settings.now,
    ...(settings.budgets ? { budgets: settings.budgets } : {}),
  };
}

/**
 * Adds a worker's expansion of one root template to the sink, as if the main thread had
 * expanded it there: its linked templates (first read first), the links it expanded, its
 * resources with `locate` rebuilt from the main thread's parse, its errors and notes.
 * `byPath` holds the scan's templates by absolute path; linked ones are added to it. False,
 * with the sink untouched, when the result does not fit the main thread's files.
 */
export function mergeResult(
  result: Extract<RootResult, { ok: true }>,
  sink: ExpansionSink,
  byPath: Map<string, JsonDocument>,
): boolean {
  const linked: [string, JsonDocument][] = [];
  const documentAt = (absolutePath: string): JsonDocument => {
    const doc = byPath.get(absolutePath) ?? linked.find(([, d]) => d.absolutePath === absolutePath)?.[1];
    if (!doc) throw new Error(`${absolutePath} was not read by the scan`);
    return doc;
  };
  let resources: ReturnType<typeof fromWire>;
  try {
    for (const l of result.linked) {
      if (sink.linked.has(l.key)) continue;
      const doc =
        sink.documents?.get(l.key) ?? new JsonDocument(l.file, l.absolutePath, readFileSync(l.absolutePath));
      linked.push([l.key, doc]);
    }
    resources = fromWire(result.wire, documentAt);
  } catch {
    // A file changed or went away since the worker read it.
    return false;
  }
  mergeRoot(
    {
      root: sink.root,
      resources,
      errors: result.errors,
      faults: result.faults,
      notes: result.notes,
      linked: new Map(linked),
      expanded: new Set(result.expanded),
    },
    sink,
    byPath,
  );
  return true;
}

/** A fresh sink for one root template: each is expanded on its own, in a worker or on the main thread. */
export function rootSink(root: string, documents?: ReadonlyMap<string, JsonDocument>): ExpansionSink {
  return {
    root,
    resources: [],
    errors: [],
    faults: [],
    notes: [],
    linked: new Map(),
    expanded: new Set(),
    ...(documents ? { documents } : {}),
  };
}

/** Adds a root expanded into its own sink (`rootSink`) to the scan's sink, as `mergeResult` does a worker's. */
export function mergeRoot(
  local: ExpansionSink,
  sink: ExpansionSink,
  byPath: Map<string, JsonDocument>,
): void {
  for (const [key, doc] of local.linked) {
    if (sink.linked.has(key)) continue;
    sink.linked.set(key, doc);
    byPath.set(doc.absolutePath, doc);
  }
  for (const path of local.expanded ?? []) sink.expanded?.add(path);
  appendAll(sink.resources, local.resources);
  appendAll(sink.errors, local.errors);
  appendAll(sink.faults, local.faults);
  appendAll(sink.notes, local.notes);
}
