import { diffFlows, type FlowDefinition, type FlowDiff } from '@flowpath/engine';
import type { Mark, Overlay } from '../store/editor-store';

/** A document to draw a diff on: the newer flow plus the removed elements of the older one. */
export interface DiffView {
  doc: FlowDefinition;
  overlay: Overlay;
  diff: FlowDiff;
}

/** Compares two versions and prepares the canvas: added green, removed red (ghosted), changed amber. */
export function diffView(from: FlowDefinition, to: FlowDefinition): DiffView {
  const diff = diffFlows(from, to);
  const nodes: Record<string, Mark> = {};
  const edges: Record<string, Mark> = {};
  for (const n of diff.nodes.added) nodes[n.id] = 'added';
  for (const n of diff.nodes.removed) nodes[n.id] = 'removed';
  for (const c of diff.nodes.changed) nodes[c.id] = 'changed';
  for (const e of diff.edges.added) edges[e.id] = 'added';
  for (const e of diff.edges.removed) edges[e.id] = 'removed';
  for (const c of diff.edges.changed) edges[c.id] = 'changed';
  // A changed rule marks its node or edge even when nothing else about it changed.
  for (const r of diff.rules) {
    if (r.nodeId && !nodes[r.nodeId]) nodes[r.nodeId] = 'changed';
    if (r.edgeId && !edges[r.edgeId]) edges[r.edgeId] = 'changed';
  }
  const doc: FlowDefinition = {
    ...to,
    nodes: [...to.nodes, ...diff.nodes.removed],
    edges: [...to.edges, ...diff.edges.removed],
  };
  return { doc, overlay: { mode: 'diff', nodes, edges }, diff };
}
