import type { Node } from '@flowpath/engine';
import { applyPatch, type Command, type NodePatch } from './types';

export interface NodeUpdateParams {
  id: string;
  patch: NodePatch;
}

/** `node.update`: changes a node's configuration (labels, queue, SLA, rules, ...). Id and kind stay. */
export const nodeUpdate: Command<NodeUpdateParams> = (doc, { id, patch }) => {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id) return n;
    const next = applyPatch<Node>(n, patch, ['id', 'kind']);
    if (next !== n) changed = true;
    return next;
  });
  return changed ? { ...doc, nodes } : doc;
};
