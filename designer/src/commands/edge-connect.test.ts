import { describe, expect, it } from 'vitest';
import { createNode } from '../model/new-node';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('edge.connect', () => {
  it('draws an edge from a port', () => {
    // given a gate and a new second-ID-check task
    const flow = loanFlow();
    flow.nodes.push(createNode('user-task', 'task-1', { x: 0, y: 0 }));
    const store = createEditorStore(flow);
    const before = store.getState().doc;
    // when the gate's extra port is connected to the task
    store.getState().run('edge.connect', { id: 'edge-1', source: 'gate', target: 'task-1', port: 'extra' });
    // then the edge carries the port
    expect(store.getState().doc.edges.at(-1)).toEqual({ id: 'edge-1', source: 'gate', target: 'task-1', port: 'extra' });
    expectUndoRedo(store, before);
  });

  it('makes the first edge out of a decision its default', () => {
    // given a new decision without edges
    const flow = loanFlow();
    flow.nodes.push(createNode('decision', 'decision-1', { x: 0, y: 0 }));
    const store = createEditorStore(flow);
    // when two edges are drawn from it
    store.getState().run('edge.connect', { id: 'edge-1', source: 'decision-1', target: 'end' });
    store.getState().run('edge.connect', { id: 'edge-2', source: 'decision-1', target: 'review' });
    // then only the first is the default
    const edges = store.getState().doc.edges.filter((e) => e.source === 'decision-1');
    expect(edges.map((e) => [e.id, e.default ?? false])).toEqual([
      ['edge-1', true],
      ['edge-2', false],
    ]);
  });

  it.each([
    ['into a start', { source: 'gate', target: 'start' }],
    ['out of an end', { source: 'end', target: 'review' }],
    ['to itself', { source: 'gate', target: 'gate' }],
    ['twice the same way', { source: 'start', target: 'gate' }],
    ['from a port the kind lacks', { source: 'review', target: 'end', port: 'timeout' as const }],
    ['to a missing node', { source: 'start', target: 'nowhere' }],
  ])('refuses an edge %s', (_, c) => {
    // given the loan flow
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when the refused edge is drawn
    const changed = store.getState().run('edge.connect', { id: 'edge-x', ...c });
    // then nothing changed
    expect(changed).toBe(false);
    expect(store.getState().doc).toBe(before);
  });
});
