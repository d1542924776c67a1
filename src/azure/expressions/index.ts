/**
 * ARM template expression language: parser, evaluator and the template functions.
 * Importing this module registers every built-in function.
 */
import './functions/array.ts';
import './functions/cidr.ts';
import './functions/comparison.ts';
import './functions/date.ts';
import './functions/deployment.ts';
import './functions/hashing.ts';
import './functions/lambda.ts';
import './functions/logical.ts';
import './functions/numeric.ts';
import './functions/object.ts';
import './functions/resource.ts';
import './functions/scope.ts';
import './functions/string.ts';
import { registeredNames } from './functions/registry.ts';

export { evaluateNode, evaluateString, evaluateValue } from './evaluator.ts';
export { armGuid, uniqueString } from './functions/hashing.ts';
export { type ExprNode, isExpression, MAX_EXPRESSION_LENGTH, parseExpression } from './parser.ts';

/** Names of the built-in functions, for documentation (`list*` stands for every list function). */
export function functionNames(): string[] {
  return registeredNames();
}
