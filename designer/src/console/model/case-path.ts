/**
 * The path a case took and where it waits, read from its audit trail, as marks on the flow
 * drawing: every node it entered and every edge it came along are `visited`; nodes where it
 * waits now (a task, a message, a timer, an incident) are `active`.
 */
import type { FlowDefinition } from '@flowpath/engine';
import type { AuditEntry, CaseDetail } from '../../api/console-types';
import type { Mark, Overlay } from '../../store/editor-store';

export function casePathOverlay(def: FlowDefinition, audit: readonly AuditEntry[], kase: Pick<CaseDetail, 'status' | 'waits' | 'incidents'>): Overlay {
  const nodeIds = new Set(def.nodes.map((n) => n.id));
  const edgeIds = new Set(def.edges.map((e) => e.id));
  const nodes: Record<string, Mark> = {};
  const edges: Record<string, Mark> = {};
  for (const e of audit) {
    if (e.type !== 'node.entered' || !e.nodeId) continue;
    if (nodeIds.has(e.nodeId)) nodes[e.nodeId] = 'visited';
    const via = e.details.via;
    if (typeof via === 'string' && edgeIds.has(via)) edges[via] = 'visited';
  }
  if (kase.status === 'waiting') {
    for (const w of kase.waits) if (nodeIds.has(w.nodeId)) nodes[w.nodeId] = 'active';
    for (const i of kase.incidents) if (nodeIds.has(i.nodeId)) nodes[i.nodeId] = 'active';
  }
  return { mode: 'run', nodes, edges };
}
