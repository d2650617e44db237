import { randomFillSync } from 'node:crypto';

/**
 * Ids for rows the runtime creates (cases, tasks, outbox rows): UUID version 7 (RFC 9562), a
 * millisecond timestamp followed by a counter and 62 random bits. They are as unguessable as
 * version 4 where it matters (access is checked on every read anyway), and they sort by creation
 * time, so the B-tree indexes keyed by them grow at one end: a batch of new cases touches a few
 * index pages instead of one random page per case per index (docs/decisions/0040).
 */

const pool = Buffer.alloc(16 * 256);
let poolAt = pool.length;
let lastMs = -1;
let counter = 0;

function random16(): Buffer {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += 16;
  return pool.subarray(poolAt - 16, poolAt);
}

/** A new UUIDv7, monotonic within this process (a 12-bit counter orders ids of the same millisecond). */
export function newId(nowMs: number = Date.now()): string {
  const bytes = Buffer.from(random16());
  let ms = nowMs;
  if (ms <= lastMs) {
    ms = lastMs;
    counter += 1;
    if (counter > 0xfff) {
      // 4096 ids in one millisecond: borrow the next one, as RFC 9562 allows.
      ms += 1;
      counter = 0;
    }
  } else {
    // A fresh millisecond starts the counter at a random point in its lower half, leaving room to count.
    counter = bytes.readUInt16BE(6) & 0x7ff;
  }
  lastMs = ms;
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
