import type { Node as FlowNode, Position } from '@flowpath/engine';
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type NodeChange,
  type OnReconnect,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectRefusal } from '../commands/can';
import { asLang } from '../i18n';
import { isNodeKind, KIND_META } from '../model/kinds';
import { useEditor, useEditorState } from '../store/context';
import type { Dimensions } from '../store/editor-store';
import { EDGE_TYPES } from './FlowEdgeView';
import { NODE_TYPES } from './nodes/node-types';
import { countIssues, createViewModel, type FlowRfEdge, type FlowRfNode } from './view-model';

/** Data type a palette item puts on the drag. */
export const PALETTE_MIME = 'application/x-flowpath-kind';

/** Above this many nodes, only what is on screen is rendered. */
const VISIBLE_ONLY_FROM = 120;

const DEFAULT_EDGE_OPTIONS = { markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } };
const PRO_OPTIONS = { hideAttribution: true };

function minimapColour(n: FlowRfNode): string {
  return KIND_META[n.data.node.kind]?.colour ?? '#999';
}

/**
 * The drawing surface. React Flow reports gestures as changes; they are turned into editor
 * calls here and never applied to the document directly.
 */
export function Canvas({ onRefused }: { onRefused?: (reason: ConnectRefusal) => void }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const editor = useEditor();
  const doc = useEditorState((s) => s.doc);
  const selection = useEditorState((s) => s.selection);
  const drag = useEditorState((s) => s.drag);
  const measured = useEditorState((s) => s.measured);
  const issues = useEditorState((s) => s.issues);
  const overlay = useEditorState((s) => s.overlay);
  const readOnly = useEditorState((s) => s.readOnly);
  const { screenToFlowPosition } = useReactFlow();

  // One view model per canvas: it remembers the React Flow objects it made, to reuse them.
  const [viewModel] = useState(createViewModel);
  const counts = useMemo(() => countIssues(issues), [issues]);
  const describe = useCallback((n: FlowNode) => `${t(`kinds.${n.kind}`)}: ${n.name?.[lang] || n.id}`, [t, lang]);
  const nodes = useMemo(
    () => viewModel.nodes({ doc, selection, drag, measured, issues, overlay }, counts.nodes, readOnly, describe),
    [viewModel, doc, selection, drag, measured, issues, overlay, counts, readOnly, describe],
  );
  const edges = useMemo(
    () => viewModel.edges({ doc, selection, drag, measured, issues, overlay }, counts.edges, readOnly),
    [viewModel, doc, selection, drag, measured, issues, overlay, counts, readOnly],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowRfNode>[]) => {
      const state = editor.store.getState();
      let dims: Record<string, Dimensions> | null = null;
      let selected: Set<string> | null = null;
      const dragging: Record<string, Position> = {};
      const dropped: Record<string, Position> = {};
      let dropSeen = false;
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) {
          const old = state.measured[c.id];
          if (!old || old.width !== c.dimensions.width || old.height !== c.dimensions.height) {
            dims ??= { ...state.measured };
            dims[c.id] = { width: c.dimensions.width, height: c.dimensions.height };
          }
        } else if (c.type === 'select') {
          selected ??= new Set(state.selection.nodes);
          if (c.selected) selected.add(c.id);
          else selected.delete(c.id);
        } else if (c.type === 'position') {
          if (c.dragging && c.position) dragging[c.id] = c.position;
          else if (!c.dragging) {
            dropSeen = true;
            if (c.position) dropped[c.id] = c.position;
          }
        }
        // 'remove' is ignored: deleting goes through the editor (Delete key), as one command.
      }
      if (dims) state.setMeasured(dims);
      if (selected) editor.select({ nodes: [...selected], edges: editor.store.getState().selection.edges });
      if (Object.keys(dragging).length) editor.dragNodes(dragging);
      if (dropSeen) editor.endDrag(dropped);
    },
    [editor],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowRfEdge>[]) => {
      const state = editor.store.getState();
      let selected: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'select') {
          selected ??= new Set(state.selection.edges);
          if (c.selected) selected.add(c.id);
          else selected.delete(c.id);
        }
      }
      if (selected) editor.select({ nodes: editor.store.getState().selection.nodes, edges: [...selected] });
    },
    [editor],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const refusal = editor.connect(c);
      if (refusal) onRefused?.(refusal);
    },
    [editor, onRefused],
  );

  const onReconnect: OnReconnect<FlowRfEdge> = useCallback(
    (old, c) => {
      const refusal = editor.reconnect(old.id, c);
      if (refusal) onRefused?.(refusal);
    },
    [editor, onRefused],
  );

  // isValidConnection only greys out a refused target; dropping on it must still say why.
  const reconnecting = useRef(false);
  const onConnectEnd = useCallback(
    (_e: MouseEvent | TouchEvent, c: FinalConnectionState) => {
      if (reconnecting.current || c.isValid !== false || !c.fromNode || !c.fromHandle || !c.toHandle || c.toHandle.type === c.fromHandle.type) return;
      const fromSource = c.fromHandle.type === 'source';
      const refusal = editor.checkConnection(
        fromSource
          ? { source: c.fromNode.id, target: c.toHandle.nodeId, sourceHandle: c.fromHandle.id ?? null }
          : { source: c.toHandle.nodeId, target: c.fromNode.id, sourceHandle: c.toHandle.id ?? null },
      );
      if (refusal) onRefused?.(refusal);
    },
    [editor, onRefused],
  );

  const isValidConnection = useCallback(
    (c: FlowRfEdge | Connection) => editor.checkConnection({ source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? null }) === null,
    [editor],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(PALETTE_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(PALETTE_MIME);
      if (!isNodeKind(kind)) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      // Centre the node under the pointer (nodes are about 180 × 64).
      editor.addNode(kind, { x: p.x - 90, y: p.y - 32 });
    },
    [editor, screenToFlowPosition],
  );

  const ariaLabels = useMemo(
    () => ({
      'node.a11yDescription.default': t('canvas.a11yNode'),
      'edge.a11yDescription.default': t('canvas.a11yEdge'),
      'controls.ariaLabel': t('canvas.controls'),
      'controls.zoomIn.ariaLabel': t('canvas.zoomIn'),
      'controls.zoomOut.ariaLabel': t('canvas.zoomOut'),
      'controls.fitView.ariaLabel': t('canvas.fitViewControl'),
      'minimap.ariaLabel': t('canvas.minimap'),
    }),
    [t],
  );

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} role="region" aria-label={t('canvas.label')}>
      <ReactFlow<FlowRfNode, FlowRfEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onReconnect={readOnly ? undefined : onReconnect}
        onReconnectStart={() => (reconnecting.current = true)}
        onReconnectEnd={() => (reconnecting.current = false)}
        isValidConnection={isValidConnection}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        deleteKeyCode={null}
        onlyRenderVisibleElements={doc.nodes.length >= VISIBLE_ONLY_FROM}
        fitView
        minZoom={0.1}
        proOptions={PRO_OPTIONS}
        ariaLabelConfig={ariaLabels}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable nodeColor={minimapColour} ariaLabel={t('canvas.minimap')} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
