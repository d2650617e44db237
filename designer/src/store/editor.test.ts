import type { FlowDefinition } from '@flowpath/engine';
import { describe, expect, it } from 'vitest';
import { loanFlow } from '../test/fixtures';
import { createEditor } from './editor';
import { createEditorStore } from './editor-store';

function setup(flow: FlowDefinition = loanFlow()) {
  const store = createEditorStore(flow);
  const editor = createEditor(store, {
    // A stand-in layout: every node on one row, in document order.
    layout: async (doc) => Object.fromEntries(doc.nodes.map((n, i) => [n.id, { x: i * 250, y: 0 }])),
  });
  return { store, editor, s: () => store.getState() };
}

describe('editor facade', () => {
  it('drops a palette kind as a new, selected node with a readable id', () => {
    // given the loan flow
    const { editor, s } = setup();
    // when a user task and a second one are dropped
    const a = editor.addNode('user-task', { x: 10, y: 20 });
    const b = editor.addNode('user-task', { x: 10, y: 120 });
    // then they get ids task-1 and task-2, and the last is selected
    expect([a, b]).toEqual(['task-1', 'task-2']);
    expect(s().selection).toEqual({ nodes: ['task-2'], edges: [] });
    expect(s().doc.nodes.find((n) => n.id === 'task-1')).toMatchObject({ kind: 'user-task', queue: '', name: { 'zh-CN': '人工任务', en: 'User task' } });
  });

  it('records a whole drag as one history entry when it ends', () => {
    // given the loan flow
    const { editor, s } = setup();
    // when two nodes are dragged through several positions and dropped
    editor.dragNodes({ review: { x: 610, y: 100 }, end: { x: 810, y: 0 } });
    editor.dragNodes({ review: { x: 650, y: 130 }, end: { x: 850, y: 30 } });
    expect(s().past).toHaveLength(0);
    expect(s().drag).toEqual({ review: { x: 650, y: 130 }, end: { x: 850, y: 30 } });
    editor.endDrag({ review: { x: 660, y: 140 } });
    // then there is one node.move entry with the last positions and no drag state left
    expect(s().past.map((e) => e.command)).toEqual(['node.move']);
    expect(s().drag).toBeNull();
    expect(s().doc.nodes.find((n) => n.id === 'review')?.position).toEqual({ x: 660, y: 140 });
    expect(s().doc.nodes.find((n) => n.id === 'end')?.position).toEqual({ x: 850, y: 30 });
    // and one undo puts both back
    editor.undo();
    expect(s().doc.nodes.find((n) => n.id === 'end')?.position).toEqual({ x: 800, y: 0 });
  });

  it('connects handles, with the port taken from the source handle id', () => {
    // given a new task
    const { editor, s } = setup();
    editor.addNode('user-task', { x: 0, y: 0 });
    // when the gate's extra handle is connected to it
    const refusal = editor.connect({ source: 'gate', target: 'task-1', sourceHandle: 'extra' });
    // then the edge has the extra port
    expect(refusal).toBeNull();
    expect(s().doc.edges.at(-1)).toMatchObject({ source: 'gate', target: 'task-1', port: 'extra' });
  });

  it('says why a connection is refused and changes nothing', () => {
    // given the loan flow
    const { editor, s } = setup();
    const before = s().doc;
    // when an edge into the start is drawn
    // then the reason is returned
    expect(editor.connect({ source: 'review', target: 'start' })).toBe('into-start');
    expect(editor.checkConnection({ source: 'start', target: 'gate' })).toBe('duplicate');
    expect(s().doc).toBe(before);
  });

  it('deletes the selection, nodes with their edges, as one undo step', () => {
    // given the decision and edge e1 selected
    const { editor, s } = setup();
    editor.select({ nodes: ['decide'], edges: ['e1'] });
    // when deleted
    expect(editor.deleteSelection()).toBe(true);
    // then decide, its three edges and e1 are gone in one step
    expect(s().doc.edges.map((e) => e.id)).toEqual(['e5']);
    expect(s().past).toHaveLength(1);
    editor.undo();
    expect(s().doc.edges).toHaveLength(5);
  });

  it('pastes copies further along each time and selects them', () => {
    // given the review task copied
    const { editor, s } = setup();
    editor.select({ nodes: ['review', 'end'], edges: [] });
    expect(editor.copy()).toBe(true);
    // when pasted twice
    editor.paste();
    const first = s().selection.nodes;
    editor.paste();
    // then each paste is a new pair with the inner edge, offset by 40 then 80
    expect(first).toEqual(['task-1', 'end-1']);
    expect(s().selection.nodes).toEqual(['task-2', 'end-2']);
    expect(s().selection.edges).toHaveLength(1);
    expect(s().doc.nodes.find((n) => n.id === 'task-2')?.position).toEqual({ x: 680, y: 180 });
    expect(s().past.map((e) => e.command)).toEqual(['fragment.paste', 'fragment.paste']);
  });

  it('cut is copy plus delete', () => {
    // given the review task selected
    const { editor, s } = setup();
    editor.select({ nodes: ['review'], edges: [] });
    // when cut and pasted
    editor.cut();
    expect(s().doc.nodes.some((n) => n.id === 'review')).toBe(false);
    editor.paste();
    // then a copy is back (without the edges to nodes that were not cut)
    expect(s().doc.nodes.at(-1)).toMatchObject({ kind: 'user-task', queue: 'credit-review' });
  });

  it('selects everything', () => {
    // given the loan flow
    const { editor, s } = setup();
    // when select all
    editor.selectAll();
    // then every node and edge is selected
    expect(s().selection.nodes).toHaveLength(5);
    expect(s().selection.edges).toHaveLength(5);
  });

  it('applies an automatic layout as one undoable step', async () => {
    // given the loan flow
    const { editor, s } = setup();
    const before = s().doc;
    // when laid out
    expect(await editor.autoLayout()).toBe(true);
    // then all nodes moved in one layout.apply entry, and one undo restores them
    expect(s().doc.nodes.map((n) => n.position?.x)).toEqual([0, 250, 500, 750, 1000]);
    expect(s().past.map((e) => e.command)).toEqual(['layout.apply']);
    editor.undo();
    expect(s().doc).toBe(before);
  });
});
