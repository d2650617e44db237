import type { FlowDefinition, Node } from '@flowpath/engine';

/**
 * A document edit: takes the current flow and its params, returns the next flow.
 * Returning the same object means "nothing changed" and records no history entry.
 * Commands never mutate their input: unchanged parts are shared with the previous document.
 */
export type Command<P> = (doc: FlowDefinition, params: P) => FlowDefinition;

/** Fields of one node kind that an edit may set; `undefined` removes the field. */
export type NodePatch = Node extends infer N ? (N extends Node ? Partial<Omit<N, 'id' | 'kind'>> : never) : never;

/** Copies `target` with `patch` applied; keys set to undefined are removed. */
export function applyPatch<T extends object>(target: T, patch: object, protectedKeys: readonly string[] = []): T {
  let changed = false;
  const next: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    if (protectedKeys.includes(k)) continue;
    if (v === undefined) {
      if (k in next) {
        delete next[k];
        changed = true;
      }
    } else if (next[k] !== v) {
      next[k] = v;
      changed = true;
    }
  }
  return changed ? (next as T) : target;
}
