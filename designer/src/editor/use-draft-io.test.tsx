import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../api/context';
import { ApiError, type ApiClient } from '../api/client';
import type { Draft } from '../api/types';
import { createEditorStore } from '../store/editor-store';
import { loanFlow } from '../test/fixtures';
import { useDraftIo } from './use-draft-io';

afterEach(() => cleanup());

/** A fake server draft with optimistic concurrency, like the runtime's. */
function fakeServer(start: Draft) {
  let draft = start;
  const saves: { revision: number | null }[] = [];
  const api = {
    async getDraft() {
      return draft;
    },
    async saveDraft(key, definition, revision) {
      saves.push({ revision });
      if (revision !== draft.revision) throw new ApiError({ type: 'about:blank', title: 'Conflict', status: 409, code: 'draft.revision.stale', currentRevision: draft.revision });
      draft = { key, definition, revision: draft.revision + 1 };
      return draft;
    },
    async publish() {
      return { key: 'small-loan', version: 1, publishedAt: '2026-01-01T00:00:00Z' };
    },
  } as Partial<ApiClient> as ApiClient;
  return {
    api,
    saves,
    theySave(definition = loanFlow()) {
      draft = { key: draft.key, definition, revision: draft.revision + 1 };
    },
  };
}

function setup() {
  const server = fakeServer({ key: 'small-loan', revision: 1, definition: loanFlow() });
  const store = createEditorStore(loanFlow(), { revision: 1 });
  const wrapper = ({ children }: { children: ReactNode }) => <ApiProvider client={server.api}>{children}</ApiProvider>;
  const { result } = renderHook(() => useDraftIo('small-loan', store), { wrapper });
  return { server, store, io: () => result.current };
}

describe('saving the draft', () => {
  it('saves with the loaded revision and records the new one', async () => {
    // given an edit
    const { store, io, server } = setup();
    store.getState().run('node.update', { id: 'review', patch: { queue: 'x' } });
    // when saved
    await act(() => io().save());
    // then it went with If-Match 1 and the store is clean at revision 2
    expect(server.saves).toEqual([{ revision: 1 }]);
    expect(store.getState().revision).toBe(2);
    expect(store.getState().doc).toBe(store.getState().saved);
  });

  it("shows a conflict instead of overwriting someone else's save", async () => {
    // given someone else saved revision 2 meanwhile
    const { store, io, server } = setup();
    server.theySave();
    store.getState().run('node.update', { id: 'review', patch: { queue: 'mine' } });
    // when saving
    let ok = true;
    await act(async () => {
      ok = await io().save();
    });
    // then nothing was written and the conflict names their revision
    expect(ok).toBe(false);
    expect(io().conflict).toEqual({ theirRevision: 2 });
    expect(store.getState().doc).not.toBe(store.getState().saved);
  });

  it('overwrites only when asked, against the revision the server has', async () => {
    // given a conflict
    const { store, io, server } = setup();
    server.theySave();
    store.getState().run('node.update', { id: 'review', patch: { queue: 'mine' } });
    await act(async () => void (await io().save()));
    // when the user chooses to overwrite
    await act(() => io().overwrite());
    // then the save went with revision 2 and ours is revision 3
    expect(server.saves).toEqual([{ revision: 1 }, { revision: 2 }]);
    expect(store.getState().revision).toBe(3);
    expect(io().conflict).toBeNull();
  });

  it('reloads their version when asked, dropping our edits and history', async () => {
    // given a conflict with their draft renamed
    const { store, io, server } = setup();
    const theirs = loanFlow();
    theirs.name = { 'zh-CN': '他们的', en: 'Theirs' };
    server.theySave(theirs);
    store.getState().run('node.update', { id: 'review', patch: { queue: 'mine' } });
    await act(async () => void (await io().save()));
    // when reloading theirs
    await act(() => io().reloadTheirs());
    // then their document is open at their revision with nothing to undo
    expect(store.getState().doc.name.en).toBe('Theirs');
    expect(store.getState().revision).toBe(2);
    expect(store.getState().past).toEqual([]);
  });

  it('saves pending edits before publishing', async () => {
    // given an unsaved edit
    const { store, io, server } = setup();
    store.getState().run('node.update', { id: 'review', patch: { queue: 'x' } });
    // when publishing
    let version: unknown;
    await act(async () => {
      version = await io().publish('first', false);
    });
    // then it saved first, then published
    expect(server.saves).toHaveLength(1);
    expect(version).toMatchObject({ version: 1 });
  });
});
