import { validateFlow, type ValidateContext } from '@flowpath/engine';
import { useEffect } from 'react';
import type { EditorStore } from '../store/editor-store';

/** Delay after the last edit before validating, so typing and dragging stay smooth. */
export const VALIDATION_DELAY_MS = 250;

/** Re-validates the document with the engine a moment after every change. */
export function useLiveValidation(store: EditorStore, ctx: ValidateContext = {}, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => store.getState().setIssues(validateFlow(store.getState().doc, ctx));
    run();
    const unsubscribe = store.subscribe((state, prev) => {
      if (state.doc === prev.doc) return;
      clearTimeout(timer);
      timer = setTimeout(run, VALIDATION_DELAY_MS);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [store, ctx, enabled]);
}
