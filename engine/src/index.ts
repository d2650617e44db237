/**
 * @flowpath/engine: the flow model, its validation, the rule evaluator and case execution.
 * Pure TypeScript with no I/O, so it runs the same in the server and in the designer.
 */
export type * from './model';
export type * from './case';

export { flowSchema, FLOW_SCHEMA_ID } from './schema/flow-schema';
export { validateFlow, isValid, type ValidateContext } from './validate';
export { step, isRejected, type StepEnv, type StepOutcome } from './step';
export { validateCaseData, findCaseField, caseFields, toJsonSchema } from './case-data';
export { validateTaskData } from './forms';
export { formatIssue, issueCatalogue, type Lang, type Catalogue } from './messages';
export { diffFlows, canonicalJson, same, type FlowDiff, type Change, type RuleChange } from './diff';
export { nodeKinds, getKind, type NodeKindSpec } from './node-kinds';
export { getPath, setPath, isSafePath } from './data-path';
export { createSimulator, Simulator, type SimulatorOptions, type SimulatorResult, type ServiceResponder, type PendingCall, type ScheduledTimer } from './simulator';
export { runScenario, type Scenario, type ScenarioStep, type ScenarioExpect, type ScenarioResult, type RunScenarioOptions } from './scenario';
export * from './rules';
export * from './calendar';
export * from './health';
