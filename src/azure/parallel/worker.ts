import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { expandStandalone, readOwnParameters, readRunParameters } from '../expand/standalone.ts';
import { JsonDocument, loadDocument } from '../load/document.ts';
import type { FileRef, JobMessage, ResultMessage, RootJob, RootResult, WorkerInit } from './protocol.ts';
import { rootSink } from './roots.ts';
import { toWire } from './wire.ts';

/** The scan's templates, each read and parsed the first time an expansion needs it. */
class LazyDocuments extends Map<string, JsonDocument> {
  constructor(private readonly refs: ReadonlyMap<string, FileRef>) {
    super();
  }
  override get(key: string): JsonDocument | undefined {
    let doc = super.get(key);
    const ref = doc ? undefined : this.refs.get(key);
    if (ref) {
      doc = new JsonDocument(ref.file, ref.absolutePath, readFileSync(ref.absolutePath));
      this.set(key, doc);
    }
    return doc;
  }
}

const init = (workerData as { init: WorkerInit }).init;
const documents = new LazyDocuments(new Map(init.documents));
const extra = await readRunParameters(init.parameterFiles);
const settings = {
  extra,
  cliValues: new Map(init.cliValues),
  scope: init.scope,
  now: init.now,
  ...(init.budgets ? { budgets: init.budgets } : {}),
};

async function expandRoot(job: RootJob): Promise<RootResult> {
  const doc = documents.get(job.key);
  if (!doc) return { ok: false, reason: `${job.key} is not a template of the scan` };
  const sink = rootSink(init.root, documents);
  const paired = job.paired ? await loadDocument(job.paired.file, job.paired.absolutePath) : undefined;
  expandStandalone(doc, job.linkRoot, () => paired && readOwnParameters(paired, sink.errors), settings, sink);
  return {
    ok: true,
    sha256: doc.sha256,
    wire: toWire(sink.resources),
    errors: sink.errors,
    faults: sink.faults,
    notes: sink.notes,
    linked: [...sink.linked].map(([key, d]) => ({ key, file: d.file, absolutePath: d.absolutePath })),
    expanded: [...(sink.expanded ?? [])],
  };
}

const port = parentPort;
port?.on('message', async ({ index, job }: JobMessage) => {
  let message: ResultMessage;
  try {
    message = { index, result: await expandRoot(job) };
  } catch (err) {
    message = { index, result: { ok: false, reason: err instanceof Error ? err.message : String(err) } };
  }
  try {
    port.postMessage(message);
  } catch (err) {
    // A value that cannot be cloned: the main thread expands this template itself.
    port.postMessage({ index, result: { ok: false, reason: String(err) } } satisfies ResultMessage);
  }
});
