/** Dotted paths into case data (`customer.address.city`). Only own properties are read or written. */

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** True when a dotted path is safe to read or write (no prototype-reaching segments). */
export function isSafePath(path: string): boolean {
  if (path === '') return false;
  return path.split('.').every((s) => s !== '' && !FORBIDDEN.has(s));
}

export function getPath(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || FORBIDDEN.has(seg)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Sets a value at a dotted path, creating plain objects on the way. Unsafe paths are ignored. */
export function setPath(data: Record<string, unknown>, path: string, value: unknown): void {
  if (!isSafePath(path)) return;
  const segs = path.split('.');
  let cur: Record<string, unknown> = data;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i] as string;
    const next = Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const fresh: Record<string, unknown> = {};
      cur[seg] = fresh;
      cur = fresh;
    } else {
      cur = next as Record<string, unknown>;
    }
  }
  cur[segs[segs.length - 1] as string] = value;
}

/** Shallow-merges `patch` into `data` at the top level, skipping unsafe keys. */
export function mergeData(data: Record<string, unknown>, patch: Record<string, unknown> | undefined): void {
  if (!patch) return;
  for (const [k, v] of Object.entries(patch)) {
    if (FORBIDDEN.has(k)) continue;
    data[k] = v;
  }
}
