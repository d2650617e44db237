/**
 * Conformance: flows, draft revisions, published versions and release policies behave the same
 * on every store.
 */
import { expect, it } from 'vitest';
import { StoreConflictError } from '@flowpath/runtime-api';
import { describeStores } from './harness';
import { at, awkwardDocument, definition, flowRecord, T0 } from './records';

/** The conflict a promise rejects with, for asserting code and current values. */
async function conflictOf(p: Promise<unknown>): Promise<StoreConflictError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(StoreConflictError);
  return e as StoreConflictError;
}

describeStores('flows and drafts', (open) => {
  it('stores a flow and refuses a second one with the same key', async () => {
    const { store } = await open();
    await store.insertFlow(flowRecord('loan'));
    const e = await conflictOf(store.insertFlow(flowRecord('loan', { other: true })));
    expect(e.code).toBe('flow.exists');
    expect((await store.getFlow('loan'))?.draft).toEqual({ key: 'loan', name: { en: 'loan' } });
    expect(await store.getFlow('nope')).toBeUndefined();
  });

  it('keeps a draft exactly as written: key order, U+0000, unpaired surrogates, edge numbers', async () => {
    const { store } = await open();
    await store.insertFlow(flowRecord('loan', awkwardDocument));
    expect(JSON.stringify((await store.getFlow('loan'))?.draft)).toBe(JSON.stringify(awkwardDocument));
    const saved = await store.saveDraft('loan', 1, { ...awkwardDocument, extra: 'ü' }, 'analyst2', at(1000));
    expect(JSON.stringify(saved.draft)).toBe(JSON.stringify({ ...awkwardDocument, extra: 'ü' }));
    expect((await store.listFlows())[0]?.name).toBeNull();
  });

  it('bumps the draft revision on each save and refuses a save naming an older revision with the current one', async () => {
    const { store } = await open();
    await store.insertFlow(flowRecord('loan'));
    const r2 = await store.saveDraft('loan', 1, { step: 2 }, 'analyst', at(1000));
    expect(r2).toMatchObject({ draftRevision: 2, draft: { step: 2 }, updatedBy: 'analyst', updatedAt: at(1000), createdAt: T0 });
    const e = await conflictOf(store.saveDraft('loan', 1, { step: 'late' }, 'analyst2', at(2000)));
    expect(e.code).toBe('draft.revision.stale');
    expect(e.current).toEqual({ revision: 2 });
    expect((await store.getFlow('loan'))?.draft).toEqual({ step: 2 });
    expect((await conflictOf(store.saveDraft('ghost', 1, {}, 'analyst', T0))).code).toBe('flow.missing');
  });

  it('lists flows by key with their name, latest version and default version', async () => {
    const { store } = await open();
    await store.insertFlow(flowRecord('b-flow', { name: { en: 'B' } }));
    await store.insertFlow(flowRecord('A-flow', { name: 'plain name' }));
    await store.insertFlow(flowRecord('a-flow', {}));
    await store.insertVersion({ key: 'b-flow', version: 1, definition: definition('b-flow'), hash: 'h1', publishedAt: T0 });
    await store.insertVersion({ key: 'b-flow', version: 2, definition: definition('b-flow'), hash: 'h2', publishedAt: at(1) });
    await store.putReleasePolicy({ flowKey: 'b-flow', defaultVersion: 1, pilots: [], split: null, revision: 0, updatedBy: 'owner', updatedAt: T0 }, 0);
    const list = await store.listFlows();
    // Byte order: upper case before lower case.
    expect(list.map((f) => f.key)).toEqual(['A-flow', 'a-flow', 'b-flow']);
    expect(list[0]).toEqual({ key: 'A-flow', name: 'plain name', owner: null, draftRevision: 1, latestVersion: null, defaultVersion: null, updatedAt: T0, updatedBy: 'analyst' });
    expect(list[1]?.name).toBeNull();
    expect(list[2]).toMatchObject({ name: { en: 'B' }, latestVersion: 2, defaultVersion: 1 });
    // Only flows with a published version, once each (sub-flows may name only those).
    await store.insertVersion({ key: 'A-flow', version: 1, definition: definition('A-flow'), hash: 'h3', publishedAt: at(2) });
    expect(await store.listPublishedFlowKeys()).toEqual(['A-flow', 'b-flow']);
  });
});

describeStores('published versions', (open) => {
  it('numbers versions, refuses a taken number, and leaves out unset optional fields', async () => {
    const { store } = await open();
    await store.insertFlow(flowRecord('loan'));
    expect(await store.latestVersion('loan')).toBe(0);
    await store.insertVersion({ key: 'loan', version: 1, definition: definition('loan'), hash: 'h1', publishedAt: T0 });
    await store.insertVersion({ key: 'loan', version: 2, definition: definition('loan'), hash: 'h2', author: 'ana', publishedBy: 'owner', publishedAt: at(5), note: '利率调整' });
    const e = await conflictOf(store.insertVersion({ key: 'loan', version: 2, definition: definition('loan'), hash: 'other', publishedAt: at(6) }));
    expect(e.code).toBe('version.exists');
    expect(e.current).toEqual({ version: 2 });
    expect(await store.latestVersion('loan')).toBe(2);
    const versions = await store.listVersions('loan');
    expect(versions).toEqual([
      { key: 'loan', version: 1, hash: 'h1', publishedAt: T0 },
      { key: 'loan', version: 2, hash: 'h2', author: 'ana', publishedBy: 'owner', publishedAt: at(5), note: '利率调整' },
    ]);
    expect(Object.keys(versions[0] as object)).not.toContain('author');
    expect(await store.getVersion('loan', 2)).toEqual({ ...versions[1], definition: definition('loan') });
    expect(await store.getVersion('loan', 3)).toBeUndefined();
  });
});

describeStores('release policies', (open) => {
  const policy = { flowKey: 'loan', defaultVersion: 1, pilots: [{ id: 'p1', when: { '==': [{ var: 'branch' }, 'SH01'] }, version: 2 }], split: null, revision: 0, updatedBy: 'owner', updatedAt: T0 };

  it('creates a policy at revision 1 and saves it only on the stored revision', async () => {
    const { store } = await open();
    await store.insertFlow(flowRecord('loan'));
    expect(await store.getReleasePolicy('loan')).toBeUndefined();
    expect(await store.putReleasePolicy(policy, 0)).toMatchObject({ revision: 1 });
    const second = await store.putReleasePolicy({ ...policy, pilots: [], split: { version: 2, percent: 10, by: 'customerRef' }, updatedAt: at(1) }, 1);
    expect(second.revision).toBe(2);
    expect(await store.getReleasePolicy('loan')).toEqual({ ...policy, pilots: [], split: { version: 2, percent: 10, by: 'customerRef' }, revision: 2, updatedAt: at(1) });

    const stale = await conflictOf(store.putReleasePolicy(policy, 1));
    expect(stale.code).toBe('release-policy.revision.stale');
    expect(stale.current).toEqual({ revision: 2 });
    // "None yet" (0) when one exists, and a revision when none exists, are conflicts too.
    expect((await conflictOf(store.putReleasePolicy(policy, 0))).current).toEqual({ revision: 2 });
    await store.insertFlow(flowRecord('cards'));
    expect((await conflictOf(store.putReleasePolicy({ ...policy, flowKey: 'cards' }, 4))).current).toEqual({ revision: 0 });
  });
});
