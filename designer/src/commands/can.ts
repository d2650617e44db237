import type { EdgePort, FlowDefinition } from '@flowpath/engine';
import { KIND_META } from '../model/kinds';

/** Why a connection is refused; the UI shows `connect.refused.<reason>`. */
export type ConnectRefusal = 'missing' | 'self' | 'into-start' | 'out-of-end' | 'port' | 'duplicate' | 'port-taken';

export interface ConnectionSpec {
  source: string;
  target: string;
  port?: EdgePort | undefined;
}

/**
 * The one place that decides whether an edge may be drawn. `ignoreEdgeId` is the edge being
 * reconnected, which must not count against itself.
 */
export function canConnect(doc: FlowDefinition, c: ConnectionSpec, ignoreEdgeId?: string): ConnectRefusal | null {
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source || !target) return 'missing';
  if (source.id === target.id) return 'self';
  if (!KIND_META[target.kind].hasInput) return 'into-start';
  if (!KIND_META[source.kind].hasOutput) return 'out-of-end';
  if (c.port && !KIND_META[source.kind].ports.includes(c.port)) return 'port';
  const others = doc.edges.filter((e) => e.id !== ignoreEdgeId && e.source === c.source);
  if (others.some((e) => e.target === c.target && (e.port ?? null) === (c.port ?? null))) return 'duplicate';
  if (c.port && others.some((e) => e.port === c.port)) return 'port-taken';
  return null;
}
