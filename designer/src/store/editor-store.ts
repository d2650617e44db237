import type { FlowDefinition, Issue, Position } from '@flowpath/engine';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { COMMANDS, type CommandName, type CommandParams } from '../commands';
import type { Fragment } from '../commands/fragment-paste';

/** One undo step: the document as it was before `command` ran. */
export interface HistoryEntry {
  command: CommandName;
  doc: FlowDefinition;
}

export interface Selection {
  nodes: readonly string[];
  edges: readonly string[];
}

export interface Dimensions {
  width: number;
  height: number;
}

/** How a node or edge is highlighted outside normal editing (test run, version diff). */
export type Mark = 'visited' | 'active' | 'added' | 'removed' | 'changed';

export interface Overlay {
  mode: 'run' | 'diff';
  nodes: Readonly<Record<string, Mark>>;
  edges: Readonly<Record<string, Mark>>;
}

export interface EditorState {
  doc: FlowDefinition;
  /** Older documents, newest last. */
  past: readonly HistoryEntry[];
  /** Undone documents, next redo last. */
  future: readonly HistoryEntry[];
  selection: Selection;
  /** The document as last loaded or saved; `doc !== saved` means unsaved changes. */
  saved: FlowDefinition;
  /** Draft revision the server gave us; sent as If-Match on save. Null for a document never saved. */
  revision: number | null;
  /** Issues of the current document from the engine's validator. */
  issues: readonly Issue[];
  /** Positions of nodes while they are being dragged; committed as one command on drop. */
  drag: Readonly<Record<string, Position>> | null;
  /** Sizes React Flow measured, kept so re-rendered nodes need no new measurement. */
  measured: Readonly<Record<string, Dimensions>>;
  clipboard: Fragment | null;
  pasteCount: number;
  overlay: Overlay | null;
  readOnly: boolean;

  /** Runs a named command; returns false when it changed nothing (no history entry then). */
  run<N extends CommandName>(name: N, params: CommandParams[N]): boolean;
  undo(): boolean;
  redo(): boolean;
  /** Replaces the document (open, reload) and forgets history. */
  load(doc: FlowDefinition, revision: number | null): void;
  /** Records that `doc` is what the server now holds at `revision`. */
  markSaved(doc: FlowDefinition, revision: number): void;
  setSelection(selection: Selection): void;
  setIssues(issues: readonly Issue[]): void;
  setDrag(drag: Readonly<Record<string, Position>> | null): void;
  setMeasured(dims: Readonly<Record<string, Dimensions>>): void;
  setClipboard(fragment: Fragment | null): void;
  setOverlay(overlay: Overlay | null): void;
}

export type EditorStore = StoreApi<EditorState>;

/** Undo reaches back this many commands; older ones are dropped. */
export const HISTORY_LIMIT = 300;

const EMPTY_SELECTION: Selection = { nodes: [], edges: [] };

/** Keeps only selected ids that still exist (after undo, redo or load). */
function pruneSelection(doc: FlowDefinition, sel: Selection): Selection {
  if (sel.nodes.length === 0 && sel.edges.length === 0) return sel;
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const nodes = sel.nodes.filter((id) => nodeIds.has(id));
  const edges = sel.edges.filter((id) => edgeIds.has(id));
  return nodes.length === sel.nodes.length && edges.length === sel.edges.length ? sel : { nodes, edges };
}

/** One store per editor: each open flow (and each diff view) gets its own. */
export function createEditorStore(doc: FlowDefinition, options: { revision?: number | null; readOnly?: boolean } = {}): EditorStore {
  return createStore<EditorState>()((set, get) => ({
    doc,
    past: [],
    future: [],
    selection: EMPTY_SELECTION,
    saved: doc,
    revision: options.revision ?? null,
    issues: [],
    drag: null,
    measured: {},
    clipboard: null,
    pasteCount: 0,
    overlay: null,
    readOnly: options.readOnly ?? false,

    run(name, params) {
      const state = get();
      if (state.readOnly) return false;
      const next = COMMANDS[name](state.doc, params);
      if (next === state.doc) return false;
      const past = [...state.past, { command: name, doc: state.doc }];
      set({
        doc: next,
        past: past.length > HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT) : past,
        future: [],
        selection: pruneSelection(next, state.selection),
      });
      return true;
    },

    undo() {
      const { past, future, doc: current, selection } = get();
      const entry = past[past.length - 1];
      if (!entry) return false;
      set({
        doc: entry.doc,
        past: past.slice(0, -1),
        future: [...future, { command: entry.command, doc: current }],
        selection: pruneSelection(entry.doc, selection),
        drag: null,
      });
      return true;
    },

    redo() {
      const { past, future, doc: current, selection } = get();
      const entry = future[future.length - 1];
      if (!entry) return false;
      set({
        doc: entry.doc,
        future: future.slice(0, -1),
        past: [...past, { command: entry.command, doc: current }],
        selection: pruneSelection(entry.doc, selection),
        drag: null,
      });
      return true;
    },

    load(next, revision) {
      set({ doc: next, saved: next, revision, past: [], future: [], selection: EMPTY_SELECTION, drag: null, issues: [], pasteCount: 0 });
    },

    markSaved(savedDoc, revision) {
      set({ saved: savedDoc, revision });
    },

    setSelection(selection) {
      const current = get().selection;
      if (sameIds(current.nodes, selection.nodes) && sameIds(current.edges, selection.edges)) return;
      set({ selection });
    },
    setIssues: (issues) => set({ issues }),
    setDrag: (drag) => set({ drag }),
    setMeasured: (measured) => set({ measured }),
    setClipboard: (clipboard) => set({ clipboard, pasteCount: 0 }),
    setOverlay: (overlay) => set({ overlay }),
  }));
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
