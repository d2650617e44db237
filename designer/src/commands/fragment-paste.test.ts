import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('fragment.paste', () => {
  it('pastes nodes with fresh ids and the edges between them', () => {
    // given a fragment of decide → review (+ an edge to end that was not copied)
    const flow = loanFlow();
    const store = createEditorStore(flow);
    const before = store.getState().doc;
    const fragment = {
      nodes: flow.nodes.filter((n) => n.id === 'decide' || n.id === 'review'),
      edges: flow.edges.filter((e) => e.id === 'e4' || e.id === 'e3'),
    };
    // when it is pasted with an offset
    store.getState().run('fragment.paste', { fragment, offset: { x: 40, y: 40 } });
    // then two new nodes and only the inner edge arrive, with new ids and moved positions
    const doc = store.getState().doc;
    expect(doc.nodes.slice(-2).map((n) => [n.id, n.kind, n.position])).toEqual([
      ['decision-1', 'decision', { x: 440, y: 40 }],
      ['task-1', 'user-task', { x: 640, y: 140 }],
    ]);
    expect(doc.edges.slice(-1)).toEqual([{ id: 'edge-1', source: 'decision-1', target: 'task-1', default: true }]);
    expectUndoRedo(store, before);
  });

  it('copies deeply, so editing the paste leaves the original alone', () => {
    // given the gate pasted
    const flow = loanFlow();
    const store = createEditorStore(flow);
    const gate = flow.nodes.find((n) => n.id === 'gate')!;
    store.getState().run('fragment.paste', { fragment: { nodes: [gate], edges: [] }, offset: { x: 0, y: 0 } });
    // then the pasted rules array is a different object
    const pasted = store.getState().doc.nodes.at(-1)!;
    expect(pasted.kind === 'compliance-gate' && pasted.rules).not.toBe(gate.kind === 'compliance-gate' && gate.rules);
  });
});
