import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('element.remove', () => {
  it('removes a node with its edges and the milestones that point at it, as one step', () => {
    // given the review task with two edges and a milestone
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    store.getState().setSelection({ nodes: ['review'], edges: [] });
    // when it is deleted
    store.getState().run('element.remove', { nodeIds: ['review'], edgeIds: [] });
    // then the node, edges e4 and e5 and the milestone are gone, in one history entry
    const doc = store.getState().doc;
    expect(doc.nodes.map((n) => n.id)).toEqual(['start', 'gate', 'decide', 'end']);
    expect(doc.edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect(doc.milestones).toEqual([]);
    expect(store.getState().past).toHaveLength(1);
    // and the selection no longer names it
    expect(store.getState().selection.nodes).toEqual([]);
    expectUndoRedo(store, before);
  });

  it('removes only the chosen edge when no node is chosen', () => {
    // given the loan flow
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when edge e3 is deleted
    store.getState().run('element.remove', { nodeIds: [], edgeIds: ['e3'] });
    // then only e3 is gone and all nodes are the same objects
    expect(store.getState().doc.edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e4', 'e5']);
    expect(store.getState().doc.nodes).toBe(before.nodes);
    expectUndoRedo(store, before);
  });

  it('drops four-eyes references to a removed task', () => {
    // given a second task that may not be completed by whoever completed "review"
    const flow = loanFlow();
    flow.nodes.push({ id: 'check', kind: 'user-task', queue: 'q', name: { 'zh-CN': '复核', en: 'Check' }, notCompletedBy: ['review'] });
    const store = createEditorStore(flow);
    // when "review" is removed
    store.getState().run('element.remove', { nodeIds: ['review'], edgeIds: [] });
    // then "check" has no notCompletedBy left
    const check = store.getState().doc.nodes.find((n) => n.id === 'check');
    expect(check && 'notCompletedBy' in check).toBe(false);
  });
});
