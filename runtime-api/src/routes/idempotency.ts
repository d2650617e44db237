/**
 * Idempotency-Key: a client that retries a POST with the same key gets the first response
 * again instead of a second case, message or completion. The key is stored in the same
 * transaction as what the request did, so either both exist or neither does.
 */
import { canonicalJson, sha256 } from '../hash';
import type { Principal } from '../http/auth';
import { HttpProblem } from '../http/problem';
import type { Reply } from '../http/route';
import type { IsoTime, StoreTx } from '../store/store';

/** Hash of what a request asks for, to tell a retry from a different request reusing a key. */
export function requestHash(method: string, path: string, body: unknown): string {
  return sha256(`${method} ${path}\n${canonicalJson(body ?? null)}`);
}

/**
 * Runs `produce` once per (caller, key); later calls with the key replay its response. `hash` is
 * only called when a key was sent: most requests carry none and need no canonical JSON of their body.
 */
export async function idempotent(
  tx: StoreTx,
  p: Principal,
  key: string | undefined,
  hash: () => string,
  now: IsoTime,
  produce: () => Promise<Reply>,
): Promise<Reply> {
  if (key === undefined) return produce();
  const requestHashOf = hash();
  const existing = await tx.getIdempotency(p.name, key);
  if (existing) {
    if (existing.requestHash !== requestHashOf) {
      throw new HttpProblem(422, 'idempotency.key.reused', 'This Idempotency-Key was used for a different request; use a new key for a new request.', {
        errors: [{ path: '/Idempotency-Key', code: 'idempotency.key.reused', message: 'key already used with another request', in: 'header' }],
      });
    }
    return { status: existing.status, body: existing.body, headers: { 'Idempotent-Replayed': 'true' } };
  }
  const reply = await produce();
  await tx.putIdempotency({ caller: p.name, key, requestHash: requestHashOf, status: reply.status, body: reply.body ?? null, createdAt: now });
  return reply;
}
