import type { Edge } from '@flowpath/engine';
import { applyPatch, type Command } from './types';

export interface EdgeUpdateParams {
  id: string;
  patch: Partial<Pick<Edge, 'name' | 'condition' | 'default' | 'order'>>;
}

/**
 * `edge.update`: changes an edge's label, condition, default flag or order. Making an edge the
 * default clears the flag on its siblings, because a decision has exactly one default.
 */
export const edgeUpdate: Command<EdgeUpdateParams> = (doc, { id, patch }) => {
  const edge = doc.edges.find((e) => e.id === id);
  if (!edge) return doc;
  const normalised = patch.default === false ? { ...patch, default: undefined } : patch;
  const updated = applyPatch(edge, normalised, ['id', 'source', 'target', 'port']);
  const clearsSiblings = patch.default === true;
  if (updated === edge && !clearsSiblings) return doc;
  let changed = updated !== edge;
  const edges = doc.edges.map((e) => {
    if (e.id === id) return updated;
    if (clearsSiblings && e.source === edge.source && e.default) {
      changed = true;
      const { default: _d, ...rest } = e;
      return rest;
    }
    return e;
  });
  return changed ? { ...doc, edges } : doc;
};
