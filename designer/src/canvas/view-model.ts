import type { Edge as FlowEdge, FlowDefinition, Issue, Node as FlowNode, Position } from '@flowpath/engine';
import type { Edge as RfEdge, Node as RfNode } from '@xyflow/react';
import type { Dimensions, Mark, Overlay, Selection } from '../store/editor-store';

/** What a canvas node component receives. */
export type FlowNodeData = {
  node: FlowNode;
  issueCount: number;
  mark: Mark | null;
};

/** What the canvas edge component receives. */
export type FlowEdgeData = {
  edge: FlowEdge;
  issueCount: number;
  mark: Mark | null;
};

export type FlowRfNode = RfNode<FlowNodeData, FlowNode['kind']>;
export type FlowRfEdge = RfEdge<FlowEdgeData, 'flow'>;

export interface ViewInputs {
  doc: FlowDefinition;
  selection: Selection;
  drag: Readonly<Record<string, Position>> | null;
  measured: Readonly<Record<string, Dimensions>>;
  issues: readonly Issue[];
  overlay: Overlay | null;
}

/** Issue counts per node and per edge id. */
export function countIssues(issues: readonly Issue[]): { nodes: Map<string, number>; edges: Map<string, number> } {
  const nodes = new Map<string, number>();
  const edges = new Map<string, number>();
  for (const i of issues) {
    if (i.nodeId) nodes.set(i.nodeId, (nodes.get(i.nodeId) ?? 0) + 1);
    if (i.edgeId) edges.set(i.edgeId, (edges.get(i.edgeId) ?? 0) + 1);
  }
  return { nodes, edges };
}

interface NodeEntry {
  src: FlowNode;
  selected: boolean;
  issues: number;
  mark: Mark | null;
  x: number;
  y: number;
  dims: Dimensions | undefined;
  readOnly: boolean;
  label: string;
  rf: FlowRfNode;
}

interface EdgeEntry {
  src: FlowEdge;
  selected: boolean;
  issues: number;
  mark: Mark | null;
  rf: FlowRfEdge;
}

/**
 * Builds React Flow's nodes and edges from the document. Unchanged elements keep their object
 * identity between calls, so React Flow and the memoised node components skip them: with 300
 * nodes, dragging one re-renders one.
 */
export function createViewModel() {
  const nodeCache = new Map<string, NodeEntry>();
  const edgeCache = new Map<string, EdgeEntry>();

  /** `describe` gives the accessible name of a node ("User task: Manual review"). */
  function nodes(input: ViewInputs, counts: Map<string, number>, readOnly: boolean, describe: (node: FlowNode) => string): FlowRfNode[] {
    const selected = new Set(input.selection.nodes);
    const seen = new Set<string>();
    const out = input.doc.nodes.map((src) => {
      seen.add(src.id);
      const pos = input.drag?.[src.id] ?? src.position ?? { x: 0, y: 0 };
      const dims = input.measured[src.id];
      const entry = nodeCache.get(src.id);
      const isSelected = selected.has(src.id);
      const issues = counts.get(src.id) ?? 0;
      const mark = input.overlay?.nodes[src.id] ?? null;
      const label = describe(src);
      if (
        entry &&
        entry.src === src &&
        entry.label === label &&
        entry.selected === isSelected &&
        entry.issues === issues &&
        entry.mark === mark &&
        entry.x === pos.x &&
        entry.y === pos.y &&
        entry.dims === dims &&
        entry.readOnly === readOnly
      ) {
        return entry.rf;
      }
      const rf: FlowRfNode = {
        id: src.id,
        type: src.kind,
        position: { x: pos.x, y: pos.y },
        data: { node: src, issueCount: issues, mark },
        selected: isSelected,
        ariaLabel: label,
        ...(dims ? { measured: dims } : {}),
        ...(readOnly ? { draggable: false, connectable: false, deletable: false } : {}),
        ...(mark === 'removed' ? { className: 'mark-removed' } : {}),
      };
      nodeCache.set(src.id, { src, selected: isSelected, issues, mark, x: pos.x, y: pos.y, dims, readOnly, label, rf });
      return rf;
    });
    for (const id of nodeCache.keys()) if (!seen.has(id)) nodeCache.delete(id);
    return out;
  }

  function edges(input: ViewInputs, counts: Map<string, number>, readOnly: boolean): FlowRfEdge[] {
    const selected = new Set(input.selection.edges);
    const seen = new Set<string>();
    const out = input.doc.edges.map((src) => {
      seen.add(src.id);
      const entry = edgeCache.get(src.id);
      const isSelected = selected.has(src.id);
      const issues = counts.get(src.id) ?? 0;
      const mark = input.overlay?.edges[src.id] ?? null;
      if (entry && entry.src === src && entry.selected === isSelected && entry.issues === issues && entry.mark === mark) return entry.rf;
      const rf: FlowRfEdge = {
        id: src.id,
        type: 'flow',
        source: src.source,
        target: src.target,
        sourceHandle: src.port ?? null,
        data: { edge: src, issueCount: issues, mark },
        selected: isSelected,
        ...(readOnly ? { deletable: false, reconnectable: false } : {}),
      };
      edgeCache.set(src.id, { src, selected: isSelected, issues, mark, rf });
      return rf;
    });
    for (const id of edgeCache.keys()) if (!seen.has(id)) edgeCache.delete(id);
    return out;
  }

  return { nodes, edges };
}
