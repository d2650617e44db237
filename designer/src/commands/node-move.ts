import type { FlowDefinition, Position } from '@flowpath/engine';
import type { Command } from './types';

export interface NodeMoveParams {
  positions: Record<string, Position>;
}

/** Moves nodes to new positions, sharing every node that did not move. */
export function moveNodes(doc: FlowDefinition, positions: Record<string, Position>): FlowDefinition {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    const p = positions[n.id];
    if (!p) return n;
    const x = Math.round(p.x);
    const y = Math.round(p.y);
    if (n.position && n.position.x === x && n.position.y === y) return n;
    changed = true;
    return { ...n, position: { x, y } };
  });
  return changed ? { ...doc, nodes } : doc;
}

/** `node.move`: the end of a drag (or arrow-key nudge) of one or more nodes. */
export const nodeMove: Command<NodeMoveParams> = (doc, { positions }) => moveNodes(doc, positions);
