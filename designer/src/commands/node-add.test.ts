import { describe, expect, it } from 'vitest';
import { createNode } from '../model/new-node';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('node.add', () => {
  it('adds the node with its kind defaults; undo removes it, redo brings it back', () => {
    // given a flow without a wait node
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when a wait node is added
    store.getState().run('node.add', { node: createNode('wait', 'wait-1', { x: 10.4, y: 20.6 }) });
    // then it is in the document with both labels and a rounded position
    const added = store.getState().doc.nodes.find((n) => n.id === 'wait-1');
    expect(added).toEqual({ id: 'wait-1', kind: 'wait', name: { 'zh-CN': '等待', en: 'Wait' }, position: { x: 10, y: 21 } });
    expectUndoRedo(store, before);
  });

  it('refuses a duplicate id without a history entry', () => {
    // given a flow with node "decide"
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when a node with the same id is added
    const changed = store.getState().run('node.add', { node: createNode('end', 'decide', { x: 0, y: 0 }) });
    // then nothing changed
    expect(changed).toBe(false);
    expect(store.getState().doc).toBe(before);
    expect(store.getState().past).toHaveLength(0);
  });
});
