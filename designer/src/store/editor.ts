import type { CaseField, Edge, EdgePort, FlowDefinition, NodeKind, Position, Rule } from '@flowpath/engine';
import { canConnect, type ConnectRefusal } from '../commands/can';
import type { EdgeUpdateParams } from '../commands/edge-update';
import type { FlowPatch } from '../commands/flow-update';
import type { Fragment } from '../commands/fragment-paste';
import type { RuleTarget } from '../commands/rule-set';
import type { NodePatch } from '../commands/types';
import { nextId } from '../model/ids';
import { isNodeKind, KIND_META } from '../model/kinds';
import { createNode, ID_PREFIX } from '../model/new-node';
import type { EditorStore, Selection } from './editor-store';

/** A connection as React Flow reports it: handle ids name the ports. */
export interface ConnectionInput {
  source: string | null;
  target: string | null;
  sourceHandle?: string | null;
}

/** Computes node positions for a document (elkjs in the app, a stub in tests). */
export type LayoutFn = (doc: FlowDefinition) => Promise<Record<string, Position>>;

const PASTE_STEP = 40;

/**
 * The editing facade: turns user intentions into command params. Components call this, never
 * the commands, so "what does this gesture mean" lives in one place.
 */
export function createEditor(store: EditorStore, deps: { layout?: LayoutFn } = {}) {
  const get = () => store.getState();

  const portOf = (handle: string | null | undefined): EdgePort | undefined =>
    handle === 'extra' || handle === 'timeout' || handle === 'error' ? handle : undefined;

  const editor = {
    store,

    /** Drops a node of `kind` at a canvas position and selects it; returns its id. */
    addNode(kind: NodeKind, position: Position): string | null {
      if (!isNodeKind(kind)) return null;
      const id = nextId(ID_PREFIX[kind], get().doc.nodes.map((n) => n.id));
      if (!get().run('node.add', { node: createNode(kind, id, position) })) return null;
      get().setSelection({ nodes: [id], edges: [] });
      return id;
    },

    /** Live positions during a drag: view state only, no history. */
    dragNodes(positions: Record<string, Position>) {
      get().setDrag({ ...(get().drag ?? {}), ...positions });
    },

    /** The drop at the end of a drag: one history entry for all nodes moved together. */
    endDrag(positions: Record<string, Position>) {
      const all = { ...(get().drag ?? {}), ...positions };
      // Commit first so the nodes never flash back to where the drag began.
      get().run('node.move', { positions: all });
      get().setDrag(null);
    },

    moveNodes(positions: Record<string, Position>) {
      return get().run('node.move', { positions });
    },

    /** Why a connection would be refused, or null when it may be drawn. */
    checkConnection(c: ConnectionInput, ignoreEdgeId?: string): ConnectRefusal | null {
      if (!c.source || !c.target) return 'missing';
      return canConnect(get().doc, { source: c.source, target: c.target, port: portOf(c.sourceHandle) }, ignoreEdgeId);
    },

    /** Draws an edge; returns the refusal reason when the connection is not allowed. */
    connect(c: ConnectionInput): ConnectRefusal | null {
      const refusal = editor.checkConnection(c);
      if (refusal || !c.source || !c.target) return refusal;
      const id = nextId('edge', get().doc.edges.map((e) => e.id));
      get().run('edge.connect', { id, source: c.source, target: c.target, port: portOf(c.sourceHandle) });
      return null;
    },

    reconnect(edgeId: string, c: ConnectionInput): ConnectRefusal | null {
      const refusal = editor.checkConnection(c, edgeId);
      if (refusal || !c.source || !c.target) return refusal;
      get().run('edge.reconnect', { id: edgeId, source: c.source, target: c.target, port: portOf(c.sourceHandle) });
      return null;
    },

    removeElements(nodeIds: readonly string[], edgeIds: readonly string[]) {
      return get().run('element.remove', { nodeIds, edgeIds });
    },

    deleteSelection() {
      const { nodes, edges } = get().selection;
      if (nodes.length === 0 && edges.length === 0) return false;
      return editor.removeElements(nodes, edges);
    },

    updateNode(id: string, patch: NodePatch) {
      return get().run('node.update', { id, patch });
    },

    updateEdge(id: string, patch: EdgeUpdateParams['patch']) {
      return get().run('edge.update', { id, patch });
    },

    setRule(target: RuleTarget, rule: Rule | undefined) {
      return get().run('rule.set', { target, rule });
    },

    updateFlow(patch: FlowPatch) {
      return get().run('flow.update', { patch });
    },

    addField(path: string, field: CaseField, required = false) {
      return get().run('field.add', { path, field, required });
    },

    updateField(path: string, patch: Partial<CaseField>, required?: boolean) {
      return get().run('field.update', { path, patch, ...(required !== undefined ? { required } : {}) });
    },

    removeField(path: string) {
      return get().run('field.remove', { path });
    },

    select(selection: Selection) {
      get().setSelection(selection);
    },

    selectAll() {
      const { doc } = get();
      get().setSelection({ nodes: doc.nodes.map((n) => n.id), edges: doc.edges.map((e) => e.id) });
    },

    clearSelection() {
      get().setSelection({ nodes: [], edges: [] });
    },

    /** Copies the selected nodes and the edges between them. */
    copy(): boolean {
      const { doc, selection } = get();
      const ids = new Set(selection.nodes);
      if (ids.size === 0) return false;
      const fragment: Fragment = {
        nodes: structuredClone(doc.nodes.filter((n) => ids.has(n.id))),
        edges: structuredClone(doc.edges.filter((e: Edge) => ids.has(e.source) && ids.has(e.target))),
      };
      get().setClipboard(fragment);
      return true;
    },

    cut(): boolean {
      if (!editor.copy()) return false;
      return editor.deleteSelection();
    },

    /** Pastes the clipboard, offset a little further each time, and selects the copy. */
    paste(): boolean {
      const { clipboard, pasteCount, doc } = get();
      if (!clipboard || clipboard.nodes.length === 0) return false;
      const step = PASTE_STEP * (pasteCount + 1);
      const before = new Set(doc.nodes.map((n) => n.id));
      const beforeEdges = new Set(doc.edges.map((e) => e.id));
      if (!get().run('fragment.paste', { fragment: clipboard, offset: { x: step, y: step } })) return false;
      const after = get().doc;
      store.setState({ pasteCount: pasteCount + 1 });
      get().setSelection({
        nodes: after.nodes.filter((n) => !before.has(n.id)).map((n) => n.id),
        edges: after.edges.filter((e) => !beforeEdges.has(e.id)).map((e) => e.id),
      });
      return true;
    },

    undo: () => get().undo(),
    redo: () => get().redo(),

    /** Lays the whole flow out left to right as one undoable step. */
    async autoLayout(): Promise<boolean> {
      if (!deps.layout) return false;
      const doc = get().doc;
      const positions = await deps.layout(doc);
      // The user may have edited while the layout ran; place only nodes that still exist.
      const ids = new Set(get().doc.nodes.map((n) => n.id));
      const kept = Object.fromEntries(Object.entries(positions).filter(([id]) => ids.has(id)));
      return get().run('layout.apply', { positions: kept });
    },

    /** Ports that `nodeId` offers, for handles and the edge panel. */
    portsOf(nodeId: string): readonly EdgePort[] {
      const node = get().doc.nodes.find((n) => n.id === nodeId);
      return node ? KIND_META[node.kind].ports : [];
    },
  };
  return editor;
}

export type Editor = ReturnType<typeof createEditor>;
