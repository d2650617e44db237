import type { FlowDefinition, Position } from '@flowpath/engine';
import type { Dimensions } from '../store/editor-store';

const DEFAULT_SIZE: Dimensions = { width: 180, height: 64 };

/**
 * Lays the flow out with elkjs' layered algorithm, left to right. elkjs is loaded on first use
 * (it is large), so opening a flow does not pay for it.
 */
export async function elkLayout(doc: FlowDefinition, measured: Readonly<Record<string, Dimensions>> = {}): Promise<Record<string, Position>> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const ids = new Set(doc.nodes.map((n) => n.id));
  const graph = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.layered.spacing.edgeNodeBetweenLayers': '30',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
    },
    children: doc.nodes.map((n) => ({ id: n.id, ...(measured[n.id] ?? DEFAULT_SIZE) })),
    // Edges to missing nodes are validation problems, not something the layout can place.
    edges: doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const result = await elk.layout(graph);
  const positions: Record<string, Position> = {};
  for (const c of result.children ?? []) positions[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  return positions;
}
