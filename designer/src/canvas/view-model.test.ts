import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { chainFlow, loanFlow } from '../test/fixtures';
import { countIssues, createViewModel, type ViewInputs } from './view-model';

const describeNode = (n: { id: string }) => n.id;

function inputs(store: ReturnType<typeof createEditorStore>): ViewInputs {
  const s = store.getState();
  return { doc: s.doc, selection: s.selection, drag: s.drag, measured: s.measured, issues: s.issues, overlay: s.overlay };
}

describe('canvas view model', () => {
  it('keeps unchanged nodes identical, so dragging one node re-renders one node', () => {
    // given the 300-node chain drawn once
    const store = createEditorStore(chainFlow(300));
    const vm = createViewModel();
    const first = vm.nodes(inputs(store), new Map(), false, describeNode);
    // when one node is dragged
    store.getState().setDrag({ 'task-7': { x: 1, y: 2 } });
    const second = vm.nodes(inputs(store), new Map(), false, describeNode);
    // then only that node is a new object
    const changed = second.filter((n, i) => n !== first[i]).map((n) => n.id);
    expect(changed).toEqual(['task-7']);
    expect(second.find((n) => n.id === 'task-7')?.position).toEqual({ x: 1, y: 2 });
  });

  it('marks selection, issues and run highlights on nodes and edges', () => {
    // given a selection, an issue and an overlay
    const store = createEditorStore(loanFlow());
    store.getState().setSelection({ nodes: ['review'], edges: ['e3'] });
    store.getState().setIssues([{ code: 'x', severity: 'error', path: '/nodes/3', params: {}, nodeId: 'review' }, { code: 'y', severity: 'warning', path: '/edges/2', params: {}, edgeId: 'e3' }]);
    store.getState().setOverlay({ mode: 'run', nodes: { start: 'visited' }, edges: { e1: 'visited' } });
    const counts = countIssues(store.getState().issues);
    const vm = createViewModel();
    // when the view is built
    const nodes = vm.nodes(inputs(store), counts.nodes, false, describeNode);
    const edges = vm.edges(inputs(store), counts.edges, false);
    // then the marks are on the right elements
    const review = nodes.find((n) => n.id === 'review');
    expect(review).toMatchObject({ selected: true, type: 'user-task', data: { issueCount: 1, mark: null } });
    expect(nodes.find((n) => n.id === 'start')?.data.mark).toBe('visited');
    expect(edges.find((e) => e.id === 'e3')).toMatchObject({ selected: true, data: { issueCount: 1 } });
    expect(edges.find((e) => e.id === 'e1')?.data?.mark).toBe('visited');
  });

  it('draws port edges from their own handle', () => {
    // given an edge from the gate's extra port
    const flow = loanFlow();
    flow.edges.push({ id: 'e9', source: 'gate', target: 'review', port: 'extra' });
    const store = createEditorStore(flow);
    // when the edges are built
    const edges = createViewModel().edges(inputs(store), new Map(), false);
    // then it leaves from the "extra" handle and plain edges from the default one
    expect(edges.find((e) => e.id === 'e9')?.sourceHandle).toBe('extra');
    expect(edges.find((e) => e.id === 'e1')?.sourceHandle).toBeNull();
  });

  it('makes nodes and edges inert in a read-only view', () => {
    // given a read-only view
    const store = createEditorStore(loanFlow(), { readOnly: true });
    const vm = createViewModel();
    // then nothing can be dragged, connected or deleted
    expect(vm.nodes(inputs(store), new Map(), true, describeNode)[0]).toMatchObject({ draggable: false, connectable: false, deletable: false });
    expect(vm.edges(inputs(store), new Map(), true)[0]).toMatchObject({ deletable: false, reconnectable: false });
  });
});
