import type { InputError, InputNote, TemplateFault } from '../../core/model.ts';
import type { BudgetLimits } from '../expressions/budget.ts';
import type { DeploymentScope } from '../expressions/context.ts';
import type { WireResources } from './wire.ts';

/** A file of the scan a worker may read, as the main thread named it. */
export interface FileRef {
  file: string;
  absolutePath: string;
}

/** What every worker of one scan is started with. */
export interface WorkerInit {
  root: string;
  /** The scan's templates by real path (`ExpansionSink.documents`), read by a worker when a link reaches them. */
  documents: [string, FileRef][];
  parameterFiles: string[];
  cliValues: [string, string][];
  scope: DeploymentScope;
  now: string;
  budgets?: Partial<BudgetLimits>;
}

/** One root template to expand as a deployment of its own. */
export interface RootJob {
  /** Its key in `WorkerInit.documents`. */
  key: string;
  linkRoot: string;
  /** Its own parameter file, when the scan paired one. */
  paired?: FileRef;
}

/** A linked template an expansion read, in the order it was first read. */
export interface LinkedRef extends FileRef {
  key: string;
}

export type RootResult =
  | {
      ok: true;
      /** Of the template as the worker read it: the main thread expands it itself when it differs. */
      sha256: string;
      wire: WireResources;
      errors: InputError[];
      faults: TemplateFault[];
      notes: InputNote[];
      linked: LinkedRef[];
      expanded: string[];
    }
  | { ok: false; reason: string };

export interface JobMessage {
  index: number;
  job: RootJob;
}

export interface ResultMessage {
  index: number;
  result: RootResult;
}
