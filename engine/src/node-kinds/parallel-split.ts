import type { ParallelSplitNode } from '../model';
import { defineKind } from './types';

/** Starts every outgoing branch at once. */
export const parallelSplit = defineKind<ParallelSplitNode>({
  kind: 'parallel-split',
  versions: [1],
  properties: {},
  required: [],
  arity: { incoming: { min: 1 }, outgoing: { min: 2 } },
  enter(node, token, rt) {
    rt.fork(token, rt.outgoing(node.id));
  },
});
