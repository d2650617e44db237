/** Every node kind the engine knows, one line each. */
import { complianceGate } from './compliance-gate';
import { decision } from './decision';
import { end } from './end';
import { parallelJoin } from './parallel-join';
import { parallelSplit } from './parallel-split';
import { serviceTask } from './service-task';
import { setData } from './set-data';
import { start } from './start';
import { subFlow } from './sub-flow';
import type { NodeKindSpec } from './types';
import { userTask } from './user-task';
import { wait } from './wait';

export const nodeKinds: readonly NodeKindSpec[] = [
  start,
  end,
  userTask,
  serviceTask,
  complianceGate,
  decision,
  parallelSplit,
  parallelJoin,
  wait,
  subFlow,
  setData,
];

const byKind = new Map(nodeKinds.map((k) => [k.kind as string, k]));

/** The spec of a kind, or undefined for a kind this engine does not know. */
export function getKind(kind: string): NodeKindSpec | undefined {
  return byKind.get(kind);
}

export type { NodeKindSpec, KindValidateContext, Arity } from './types';
