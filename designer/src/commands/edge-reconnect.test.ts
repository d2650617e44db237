import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { expectUndoRedo } from '../test/history';

describe('edge.reconnect', () => {
  it('moves the target and keeps the condition and order', () => {
    // given e3 decide → end with a condition
    const store = createEditorStore(loanFlow());
    const before = store.getState().doc;
    // when its target is moved back to the gate (a rework loop)
    store.getState().run('edge.reconnect', { id: 'e3', source: 'decide', target: 'gate' });
    // then the edge points at the gate with its condition and order intact
    expect(store.getState().doc.edges.find((e) => e.id === 'e3')).toEqual({
      id: 'e3',
      source: 'decide',
      target: 'gate',
      condition: { '<=': [{ var: 'amount' }, 50000] },
      order: 1,
    });
    expectUndoRedo(store, before);
  });

  it('drops the default flag when the edge leaves its decision', () => {
    // given e4, the decision's default
    const store = createEditorStore(loanFlow());
    // when its source becomes the gate
    store.getState().run('edge.reconnect', { id: 'e4', source: 'gate', target: 'review' });
    // then it is no longer a default
    expect(store.getState().doc.edges.find((e) => e.id === 'e4')).toEqual({ id: 'e4', source: 'gate', target: 'review' });
  });

  it('refuses a reconnection that would duplicate a sibling edge', () => {
    // given e3 decide → end and e4 decide → review
    const store = createEditorStore(loanFlow());
    // when e3 is moved onto review
    // then nothing changed
    expect(store.getState().run('edge.reconnect', { id: 'e3', source: 'decide', target: 'review' })).toBe(false);
  });

  it('refuses to reconnect into a start', () => {
    // given the loan flow
    const store = createEditorStore(loanFlow());
    // when e5 is dragged onto the start
    const changed = store.getState().run('edge.reconnect', { id: 'e5', source: 'review', target: 'start' });
    // then nothing changed
    expect(changed).toBe(false);
  });
});
