import { useEffect } from 'react';
import type { Editor } from '../store/editor';

/** True when the key press belongs to a text field, not to the canvas. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/**
 * The shortcuts diagram-tool users expect: Ctrl/⌘+Z undo, Ctrl/⌘+Shift+Z and Ctrl/⌘+Y redo,
 * Ctrl/⌘+C/X/V copy, cut, paste, Ctrl/⌘+A select all, Delete/Backspace delete.
 * Keys typed into fields are left to the fields.
 */
export function useShortcuts(editor: Editor, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e.target)) return;
      // Dialogs own their keys.
      if (e.target instanceof HTMLElement && e.target.closest('[role="dialog"]')) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      // Text selected on the page (a problem message, a rule summary) is copied as text.
      if (mod && (key === 'c' || key === 'x') && (window.getSelection()?.toString() ?? '') !== '') return;
      let handled = true;
      if (mod && key === 'z' && !e.shiftKey) editor.undo();
      else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) editor.redo();
      else if (mod && key === 'c') handled = editor.copy();
      else if (mod && key === 'x') handled = editor.cut();
      else if (mod && key === 'v') handled = editor.paste();
      else if (mod && key === 'a') editor.selectAll();
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) handled = editor.deleteSelection();
      else handled = false;
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [editor, enabled]);
}
