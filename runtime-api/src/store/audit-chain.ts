import { canonicalJson, sha256 } from '../hash';
import type { AuditEntryRecord, AuditHead } from './store';

/** The `prevHash` of the first entry of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

/** Hash of one audit entry, chained to the previous one. Both stores use this, so chains agree. */
export function auditHash(prevHash: string, e: Pick<AuditEntryRecord, 'stream' | 'seq' | 'at' | 'actor' | 'entry'>): string {
  return sha256(`${prevHash}\n${canonicalJson({ stream: e.stream, seq: e.seq, at: e.at, actor: e.actor, entry: e.entry })}`);
}

/**
 * The same hash as `auditHash`, from the entry's canonical JSON text — which a store writes to the
 * row anyway, so the entry is serialized once instead of twice. The envelope is canonical JSON
 * spelled out (keys in sorted order: actor, at, entry, seq, stream).
 */
export function auditHashOfText(prevHash: string, stream: string, seq: number, at: string, actor: string | null, entryText: string): string {
  return sha256(`${prevHash}\n{"actor":${JSON.stringify(actor)},"at":${JSON.stringify(at)},"entry":${entryText},"seq":${JSON.stringify(seq)},"stream":${JSON.stringify(stream)}}`);
}

export type AuditBreak = 'seq.gap' | 'prev.mismatch' | 'hash.mismatch' | 'head.mismatch' | 'entry.unreadable';

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The first entry that does not verify (seq), with what is wrong with it. */
  firstBroken?: { seq: number; reason: AuditBreak };
}

/**
 * Walks a stream's entries in order: sequence numbers without gaps, each entry's `prevHash` the
 * hash of the one before, each hash recomputed, and the last entry equal to the stored head (so
 * deleting the newest rows is noticed too).
 */
export function verifyAuditChain(entries: readonly AuditEntryRecord[], head: AuditHead | undefined): AuditVerification {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of entries) {
    if (e.seq !== expectedSeq) return { ok: false, entries: entries.length, firstBroken: { seq: expectedSeq, reason: 'seq.gap' } };
    if (e.entry === null) return { ok: false, entries: entries.length, firstBroken: { seq: e.seq, reason: 'entry.unreadable' } };
    if (e.prevHash !== prev) return { ok: false, entries: entries.length, firstBroken: { seq: e.seq, reason: 'prev.mismatch' } };
    if (auditHash(e.prevHash, e) !== e.hash) return { ok: false, entries: entries.length, firstBroken: { seq: e.seq, reason: 'hash.mismatch' } };
    prev = e.hash;
    expectedSeq += 1;
  }
  const last = entries.length;
  const headSeq = head?.seq ?? 0;
  const headHash = head?.hash ?? GENESIS_HASH;
  if (headSeq !== last || headHash !== prev) {
    return { ok: false, entries: entries.length, firstBroken: { seq: headSeq === last ? last : Math.min(headSeq, last) + 1, reason: 'head.mismatch' } };
  }
  return { ok: true, entries: entries.length };
}
