import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Editor } from './editor';
import type { EditorState } from './editor-store';

const EditorContext = createContext<Editor | null>(null);

/** Makes one editor (and its store) available to everything drawn inside it. */
export function EditorProvider({ editor, children }: { editor: Editor; children: ReactNode }) {
  return <EditorContext.Provider value={editor}>{children}</EditorContext.Provider>;
}

/** The editing facade of the surrounding editor. */
export function useEditor(): Editor {
  const editor = useContext(EditorContext);
  if (!editor) throw new Error('useEditor outside <EditorProvider>');
  return editor;
}

/** Subscribes to a slice of the surrounding editor's state. */
export function useEditorState<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditor().store, selector);
}
