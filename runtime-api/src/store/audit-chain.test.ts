import { expect, test } from 'vitest';
import { canonicalJson } from '../hash';
import { auditHash, auditHashOfText, GENESIS_HASH } from './audit-chain';

const entries: { actor: string | null; entry: Record<string, unknown> }[] = [
  { actor: 'app-1', entry: { type: 'case.started', details: { data: { amount: 500000, applicant: { name: '王小明', city: 'Shanghai' } } } } },
  { actor: null, entry: { type: 'node.entered', nodeId: 'review', details: { visit: 1, via: 'e1' }, skipped: undefined } },
  { actor: 'op "quoted" \\ back', entry: { z: [3, null, { b: 1, a: 2 }], a: '\u2028 line\nbreak', n: -0.5e-7, t: true } },
  { actor: 'x', entry: {} },
];

test('the hash from the canonical text a store writes equals the hash verification recomputes', () => {
  let prev = GENESIS_HASH;
  entries.forEach(({ actor, entry }, i) => {
    const e = { stream: 'case:0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b', seq: i + 1, at: '2026-03-02T01:00:00.000Z', actor, entry };
    const fromText = auditHashOfText(prev, e.stream, e.seq, e.at, actor, canonicalJson(entry));
    expect(fromText).toBe(auditHash(prev, e));
    // And from the row as read back: the stored text parsed again.
    expect(auditHash(prev, { ...e, entry: JSON.parse(canonicalJson(entry)) as Record<string, unknown> })).toBe(fromText);
    prev = fromText;
  });
});
