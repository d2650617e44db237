import type { Node } from '@flowpath/engine';
import type { Command } from './types';

export interface NodeAddParams {
  node: Node;
}

/** `node.add`: puts a new node on the canvas. A duplicate id is refused (no change). */
export const nodeAdd: Command<NodeAddParams> = (doc, { node }) => {
  if (doc.nodes.some((n) => n.id === node.id)) return doc;
  return { ...doc, nodes: [...doc.nodes, node] };
};
