import type { NodeKind } from '@flowpath/engine';
import type { NodeTypes } from '@xyflow/react';
import { EndNode, GateNode, PlainNode, ServiceTaskNode, SetDataNode, SubFlowNode, UserTaskNode, WaitNode } from './KindNodes';

/**
 * Kind → canvas component. A module constant: React Flow re-creates every node when this
 * object changes identity.
 */
export const NODE_TYPES = {
  start: PlainNode,
  end: EndNode,
  'user-task': UserTaskNode,
  'service-task': ServiceTaskNode,
  'compliance-gate': GateNode,
  decision: PlainNode,
  'parallel-split': PlainNode,
  'parallel-join': PlainNode,
  wait: WaitNode,
  'sub-flow': SubFlowNode,
  'set-data': SetDataNode,
} satisfies Record<NodeKind, NodeTypes[string]>;
