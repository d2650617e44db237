import type { Edge, EdgePort } from '@flowpath/engine';
import { canConnect } from './can';
import type { Command } from './types';

export interface EdgeReconnectParams {
  id: string;
  source: string;
  target: string;
  port?: EdgePort | undefined;
}

/**
 * `edge.reconnect`: moves an end of an existing edge, keeping its condition and labels.
 * Moved to another source, the edge drops `default` and `order`, which meant something only there.
 */
export const edgeReconnect: Command<EdgeReconnectParams> = (doc, { id, source, target, port }) => {
  const old = doc.edges.find((e) => e.id === id);
  if (!old) return doc;
  if (old.source === source && old.target === target && (old.port ?? undefined) === (port ?? undefined)) return doc;
  if (canConnect(doc, { source, target, port }, id) !== null) return doc;
  const { port: _p, default: _d, order: _o, ...rest } = old;
  const keepsSource = old.source === source;
  const next: Edge = {
    ...rest,
    source,
    target,
    ...(port ? { port } : {}),
    ...(keepsSource && old.default ? { default: true } : {}),
    ...(keepsSource && old.order !== undefined ? { order: old.order } : {}),
  };
  return { ...doc, edges: doc.edges.map((e) => (e.id === id ? next : e)) };
};
