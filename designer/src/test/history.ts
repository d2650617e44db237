import type { FlowDefinition } from '@flowpath/engine';
import { expect } from 'vitest';
import type { EditorStore } from '../store/editor-store';

/** Asserts the undo/redo contract of a command that has just run on `store`. */
export function expectUndoRedo(store: EditorStore, before: FlowDefinition): void {
  const after = store.getState().doc;
  expect(after).not.toBe(before);
  expect(store.getState().past).toHaveLength(1);

  // when undo
  expect(store.getState().undo()).toBe(true);
  // then the previous document is back, exactly
  expect(store.getState().doc).toBe(before);

  // when redo
  expect(store.getState().redo()).toBe(true);
  // then the edit is re-applied
  expect(store.getState().doc).toBe(after);
}
