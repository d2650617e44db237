import type { Edge, Node, Position } from '@flowpath/engine';
import { nextId } from '../model/ids';
import { ID_PREFIX } from '../model/new-node';
import type { Command } from './types';

/** What Ctrl+C puts on the clipboard: nodes and the edges between them. */
export interface Fragment {
  nodes: Node[];
  edges: Edge[];
}

export interface FragmentPasteParams {
  fragment: Fragment;
  /** Added to every pasted position so the copy does not sit on the original. */
  offset: Position;
}

/**
 * `fragment.paste`: inserts a copy of the fragment with fresh ids. Edges whose ends were not
 * both copied are left out; a pasted decision keeps at most one default.
 */
export const fragmentPaste: Command<FragmentPasteParams> = (doc, { fragment, offset }) => {
  if (fragment.nodes.length === 0) return doc;
  const taken = new Set(doc.nodes.map((n) => n.id));
  const idMap = new Map<string, string>();
  const nodes = fragment.nodes.map((n): Node => {
    const id = nextId(ID_PREFIX[n.kind], taken);
    taken.add(id);
    idMap.set(n.id, id);
    const p = n.position ?? { x: 0, y: 0 };
    return { ...structuredClone(n), id, position: { x: Math.round(p.x + offset.x), y: Math.round(p.y + offset.y) } };
  });
  const takenEdges = new Set(doc.edges.map((e) => e.id));
  const edges: Edge[] = [];
  for (const e of fragment.edges) {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    if (!source || !target) continue;
    const id = nextId('edge', takenEdges);
    takenEdges.add(id);
    edges.push({ ...structuredClone(e), id, source, target });
  }
  return { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] };
};
