import type { InputError, TemplateFault } from '../../core/model.ts';
import { isFaultCode } from '../expressions/context.ts';

/** Where expansion problems go: input errors, and template faults kept apart from them. */
export interface ProblemLists {
  errors: InputError[];
  faults: TemplateFault[];
}

/**
 * Files one expansion problem: a template fault (ARM refuses the deployment, decided from known
 * values) goes to `faults`, anything else to `errors`. The code alone decides (FAULT_CODES), so a
 * problem that crossed a worker thread as plain data is filed the same way.
 */
export function recordProblem(into: ProblemLists, problem: InputError): void {
  (isFaultCode(problem.code) ? into.faults : into.errors).push(problem);
}
