/**
 * Conformance: the audit trail is one hash chain per stream, the same on every store, and an
 * entry edited, deleted or cut off behind the store's back is reported by verification.
 */
import { expect, it } from 'vitest';
import { auditHash, GENESIS_HASH, verifyAuditChain, type Store } from '@flowpath/runtime-api';
import { describeStores } from './harness';
import { at, awkwardDocument } from './records';

async function verify(store: Store, stream: string): Promise<ReturnType<typeof verifyAuditChain>> {
  return verifyAuditChain(await store.listAudit(stream), await store.auditHead(stream));
}

const entry = (n: number): { at: string; actor: string | null; entry: Record<string, unknown> } => ({
  at: at(n * 1000),
  actor: n % 2 ? 'operator' : null,
  entry: { type: 'task.completed', n, details: { approved: n % 3 === 0, comment: `第${n}条` } },
});

describeStores('audit chain', (open) => {
  it('chains entries across appends, with the hashes every store computes for the same entries', async () => {
    const { store } = await open();
    expect(await store.appendAudit('case:c-1', [])).toEqual([]);
    expect(await store.auditHead('case:c-1')).toBeUndefined();
    const first = await store.appendAudit('case:c-1', [entry(1), entry(2)]);
    const second = await store.appendAudit('case:c-1', [entry(3)]);
    await store.appendAudit('case:c-2', [entry(9)]);

    const h1 = auditHash(GENESIS_HASH, { stream: 'case:c-1', seq: 1, ...entry(1) });
    const h2 = auditHash(h1, { stream: 'case:c-1', seq: 2, ...entry(2) });
    const h3 = auditHash(h2, { stream: 'case:c-1', seq: 3, ...entry(3) });
    expect(first).toEqual([
      { stream: 'case:c-1', seq: 1, ...entry(1), prevHash: GENESIS_HASH, hash: h1 },
      { stream: 'case:c-1', seq: 2, ...entry(2), prevHash: h1, hash: h2 },
    ]);
    expect(second).toEqual([{ stream: 'case:c-1', seq: 3, ...entry(3), prevHash: h2, hash: h3 }]);
    // A fixed value: chains written by any store, in any release, verify in every other.
    expect(first[0]?.hash).toBe('3f43533218c85dc531bba7d869c6d757c97302402bff0e5709c54b98a47bc942');
    expect(await store.listAudit('case:c-1')).toEqual([...first, ...second]);
    expect(await store.auditHead('case:c-1')).toEqual({ stream: 'case:c-1', seq: 3, hash: h3 });
    expect((await store.listAudit('case:c-1', 1, 1)).map((e) => e.seq)).toEqual([2]);
    expect(await verify(store, 'case:c-1')).toEqual({ ok: true, entries: 3 });
    expect(await verify(store, 'case:c-2')).toEqual({ ok: true, entries: 1 });
    expect(await verify(store, 'case:none')).toEqual({ ok: true, entries: 0 });
  });

  it('keeps awkward entries verifiable (U+0000, surrogates, key order)', async () => {
    const { store } = await open();
    await store.appendAudit('flow:loan', [{ at: at(0), actor: 'analyst', entry: { type: 'draft.saved', details: awkwardDocument } }]);
    expect(await verify(store, 'flow:loan')).toEqual({ ok: true, entries: 1 });
  });

  it('reports an entry whose content was edited', async () => {
    const { store, raw } = await open();
    await store.appendAudit('case:c-1', [entry(1), entry(2), entry(3)]);
    const n = await raw.run('UPDATE audit SET entry = ? WHERE stream = ? AND seq = ?', JSON.stringify({ ...entry(2).entry, details: { approved: true } }), 'case:c-1', 2);
    expect(n).toBe(1);
    expect(await verify(store, 'case:c-1')).toEqual({ ok: false, entries: 3, firstBroken: { seq: 2, reason: 'hash.mismatch' } });
  });

  it('reports an edited actor or time, and a row rehashed without fixing the next link', async () => {
    const { store, raw } = await open();
    const rows = await store.appendAudit('case:c-1', [entry(1), entry(2), entry(3)]);
    await raw.run('UPDATE audit SET actor = ? WHERE stream = ? AND seq = ?', 'someone-else', 'case:c-1', 1);
    expect((await verify(store, 'case:c-1')).firstBroken).toEqual({ seq: 1, reason: 'hash.mismatch' });
    // A forger who also recomputes the row's own hash still breaks the link from the next row.
    const forged = auditHash(GENESIS_HASH, { ...rows[0]!, actor: 'someone-else' });
    await raw.run('UPDATE audit SET hash = ? WHERE stream = ? AND seq = ?', forged, 'case:c-1', 1);
    expect((await verify(store, 'case:c-1')).firstBroken).toEqual({ seq: 2, reason: 'prev.mismatch' });
  });

  it('reports a deleted entry in the middle and deleted newest entries', async () => {
    const { store, raw } = await open();
    await store.appendAudit('case:c-1', [entry(1), entry(2), entry(3), entry(4)]);
    await store.appendAudit('case:c-2', [entry(1), entry(2), entry(3)]);
    await raw.run('DELETE FROM audit WHERE stream = ? AND seq = ?', 'case:c-1', 2);
    expect(await verify(store, 'case:c-1')).toEqual({ ok: false, entries: 3, firstBroken: { seq: 2, reason: 'seq.gap' } });
    // Cutting off the newest rows leaves a clean-looking chain; the head gives it away.
    await raw.run('DELETE FROM audit WHERE stream = ? AND seq >= ?', 'case:c-2', 2);
    expect(await verify(store, 'case:c-2')).toEqual({ ok: false, entries: 1, firstBroken: { seq: 2, reason: 'head.mismatch' } });
  });
});
