/** Rules: json-logic evaluation with Flowpath's extra operations, limits and static validation. */
export { applyRule, evaluateRule, RuleEvaluationError } from './evaluate';
export type { RuleContext, RuleError, RuleErrorCode, RuleEvaluation } from './evaluate';
export { defaultRuleLimits } from './limits';
export type { RuleLimits } from './limits';
export { ruleOperations } from './operations';
export type { RuleOperationCategory, RuleOperationExample, RuleOperationInfo } from './operations';
export { ruleVars, validateRule } from './validate';
export type { ValidateRuleOptions } from './validate';
export { ruleMessages } from './messages';
