import type { Node } from '@flowpath/engine';
import type { Command } from './types';

export interface ElementRemoveParams {
  nodeIds: readonly string[];
  edgeIds: readonly string[];
}

/**
 * `element.remove`: deletes nodes and edges. Edges touching a removed node, milestones
 * measured from or to it and four-eyes references to it go in the same step, so one undo
 * brings all of it back.
 */
export const elementRemove: Command<ElementRemoveParams> = (doc, { nodeIds, edgeIds }) => {
  const goneNodes = new Set(nodeIds.filter((id) => doc.nodes.some((n) => n.id === id)));
  const goneEdges = new Set(edgeIds);
  const edges = doc.edges.filter((e) => !goneEdges.has(e.id) && !goneNodes.has(e.source) && !goneNodes.has(e.target));
  if (goneNodes.size === 0 && edges.length === doc.edges.length) return doc;

  const nodes =
    goneNodes.size === 0
      ? doc.nodes
      : doc.nodes
          .filter((n) => !goneNodes.has(n.id))
          .map((n): Node => {
            if (n.kind !== 'user-task' || !n.notCompletedBy?.some((id) => goneNodes.has(id))) return n;
            const rest = n.notCompletedBy.filter((id) => !goneNodes.has(id));
            const { notCompletedBy: _drop, ...without } = n;
            return rest.length ? { ...n, notCompletedBy: rest } : without;
          });
  const next = { ...doc, nodes, edges };
  if (doc.milestones?.some((m) => goneNodes.has(m.to) || (m.from !== undefined && goneNodes.has(m.from)))) {
    next.milestones = doc.milestones.filter((m) => !goneNodes.has(m.to) && !(m.from !== undefined && goneNodes.has(m.from)));
  }
  return next;
};
