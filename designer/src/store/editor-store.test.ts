import { describe, expect, it } from 'vitest';
import { createNode } from '../model/new-node';
import { loanFlow } from '../test/fixtures';
import { createEditorStore, HISTORY_LIMIT } from './editor-store';

describe('editor store', () => {
  it('keeps one history entry per command and forgets the redo branch on a new edit', () => {
    // given a store with two edits undone once
    const store = createEditorStore(loanFlow());
    const s = () => store.getState();
    s().run('node.add', { node: createNode('wait', 'wait-1', { x: 0, y: 0 }) });
    s().run('node.update', { id: 'wait-1', patch: { message: 'docs' } });
    s().undo();
    expect(s().future.map((e) => e.command)).toEqual(['node.update']);
    // when a different edit is made
    s().run('node.move', { positions: { 'wait-1': { x: 5, y: 5 } } });
    // then history is add, move and there is nothing to redo
    expect(s().past.map((e) => e.command)).toEqual(['node.add', 'node.move']);
    expect(s().future).toEqual([]);
    expect(s().redo()).toBe(false);
  });

  it('does not record commands that change nothing', () => {
    // given a fresh store
    const store = createEditorStore(loanFlow());
    // when an edit that changes nothing runs
    const changed = store.getState().run('node.update', { id: 'review', patch: { queue: 'credit-review' } });
    // then there is nothing to undo
    expect(changed).toBe(false);
    expect(store.getState().undo()).toBe(false);
  });

  it('tells unsaved changes apart by document identity, so undoing to the saved state is clean', () => {
    // given a loaded document
    const store = createEditorStore(loanFlow(), { revision: 3 });
    const s = () => store.getState();
    expect(s().doc).toBe(s().saved);
    // when edited
    s().run('node.update', { id: 'review', patch: { queue: 'x' } });
    // then it is dirty, and clean again after undo
    expect(s().doc).not.toBe(s().saved);
    s().undo();
    expect(s().doc).toBe(s().saved);
    // and markSaved records the new revision
    s().redo();
    s().markSaved(s().doc, 4);
    expect(s().revision).toBe(4);
    expect(s().doc).toBe(s().saved);
  });

  it('drops selected ids that an undo removed', () => {
    // given an added node that is selected
    const store = createEditorStore(loanFlow());
    const s = () => store.getState();
    s().run('node.add', { node: createNode('end', 'end-2', { x: 0, y: 0 }) });
    s().setSelection({ nodes: ['end-2', 'review'], edges: ['e1'] });
    // when the add is undone
    s().undo();
    // then only the ids that still exist stay selected
    expect(s().selection).toEqual({ nodes: ['review'], edges: ['e1'] });
  });

  it('forgets history on load (reload after a conflict)', () => {
    // given a store with history
    const store = createEditorStore(loanFlow(), { revision: 1 });
    const s = () => store.getState();
    s().run('node.update', { id: 'review', patch: { queue: 'x' } });
    // when another document is loaded
    const theirs = loanFlow();
    s().load(theirs, 2);
    // then it is the document, clean, with no undo
    expect(s().doc).toBe(theirs);
    expect(s().revision).toBe(2);
    expect(s().past).toEqual([]);
    expect(s().undo()).toBe(false);
  });

  it(`keeps at most ${HISTORY_LIMIT} undo steps`, () => {
    // given more edits than the limit
    const store = createEditorStore(loanFlow());
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) store.getState().run('node.move', { positions: { review: { x: i + 1, y: 0 } } });
    // then the oldest are dropped
    expect(store.getState().past).toHaveLength(HISTORY_LIMIT);
  });

  it('refuses every command when read-only (diff views)', () => {
    // given a read-only store
    const store = createEditorStore(loanFlow(), { readOnly: true });
    // when a command runs
    // then nothing changes
    expect(store.getState().run('element.remove', { nodeIds: ['review'], edgeIds: [] })).toBe(false);
    expect(store.getState().doc.nodes).toHaveLength(5);
  });

  it('gives each editor its own store', () => {
    // given two stores made from the factory
    const a = createEditorStore(loanFlow());
    const b = createEditorStore(loanFlow());
    // when one is edited
    a.getState().run('node.update', { id: 'review', patch: { queue: 'x' } });
    // then the other is untouched
    expect(b.getState().past).toHaveLength(0);
  });
});
