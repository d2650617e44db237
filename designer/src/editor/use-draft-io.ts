import { useCallback, useState } from 'react';
import { useApi } from '../api/context';
import { toProblem } from '../api/problem';
import type { Problem, VersionSummary } from '../api/types';
import { completeDefinition } from '../model/complete';
import type { EditorStore } from '../store/editor-store';

export interface Conflict {
  theirRevision: number | null;
}

/**
 * Saving and publishing the draft: optimistic concurrency with If-Match, a conflict surfaced as
 * a choice (never a silent overwrite), publishing saves pending edits first.
 */
export function useDraftIo(key: string, store: EditorStore) {
  const api = useApi();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [publishProblem, setPublishProblem] = useState<Problem | null>(null);

  const save = useCallback(
    async (revisionOverride?: number): Promise<boolean> => {
      const { doc, revision } = store.getState();
      setSaving(true);
      setProblem(null);
      try {
        const draft = await api.saveDraft(key, doc, revisionOverride ?? revision);
        store.getState().markSaved(doc, draft.revision);
        return true;
      } catch (err) {
        const p = toProblem(err);
        if (p.status === 409) setConflict({ theirRevision: typeof p.currentRevision === 'number' ? p.currentRevision : null });
        else setProblem(p);
        return false;
      } finally {
        setSaving(false);
      }
    },
    [api, key, store],
  );

  const reloadTheirs = useCallback(async () => {
    setConflict(null);
    try {
      const draft = await api.getDraft(key);
      store.getState().load(completeDefinition(draft.definition, key), draft.revision);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, [api, key, store]);

  const overwrite = useCallback(async () => {
    const known = conflict?.theirRevision ?? null;
    setConflict(null);
    try {
      const revision = known ?? (await api.getDraft(key)).revision;
      await save(revision);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, [api, conflict, key, save]);

  const publish = useCallback(
    async (note: string, setDefault: boolean): Promise<VersionSummary | null> => {
      setPublishProblem(null);
      setPublishing(true);
      try {
        const state = store.getState();
        if (state.doc !== state.saved || state.revision === null) {
          if (!(await save())) return null;
        }
        const revision = store.getState().revision;
        return await api.publish(key, { note, setDefault, ...(revision !== null ? { revision } : {}) });
      } catch (err) {
        setPublishProblem(toProblem(err));
        return null;
      } finally {
        setPublishing(false);
      }
    },
    [api, key, save, store],
  );

  return {
    save,
    saving,
    conflict,
    cancelConflict: () => setConflict(null),
    reloadTheirs,
    overwrite,
    problem,
    clearProblem: () => setProblem(null),
    publish,
    publishing,
    publishProblem,
    clearPublishProblem: () => setPublishProblem(null),
  };
}
