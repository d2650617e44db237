import type { Edge, EdgePort } from '@flowpath/engine';
import { canConnect } from './can';
import type { Command } from './types';

export interface EdgeConnectParams {
  id: string;
  source: string;
  target: string;
  port?: EdgePort | undefined;
}

/**
 * `edge.connect`: draws an edge. A refused connection (see `canConnect`) changes nothing.
 * The first normal edge out of a decision becomes its default, since a decision needs one.
 */
export const edgeConnect: Command<EdgeConnectParams> = (doc, { id, source, target, port }) => {
  if (doc.edges.some((e) => e.id === id)) return doc;
  if (canConnect(doc, { source, target, port }) !== null) return doc;
  const edge: Edge = { id, source, target, ...(port ? { port } : {}) };
  const sourceNode = doc.nodes.find((n) => n.id === source);
  if (sourceNode?.kind === 'decision' && !port && !doc.edges.some((e) => e.source === source && e.default)) {
    edge.default = true;
  }
  return { ...doc, edges: [...doc.edges, edge] };
};
