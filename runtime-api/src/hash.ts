import { hash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped. Two documents
 * with the same content give the same text, so their hashes agree whatever the key order.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : canonicalObject(value);
    case 'bigint':
      // JSON has no big integers: throw as JSON.stringify does.
      return JSON.stringify(value);
    default:
      return 'null';
  }
}

/** One string built by appending (it runs for every audit entry, so no part arrays or joins). */
function canonicalObject(value: object): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(k) + ':' + canonicalJson(v);
    first = false;
  }
  return `${out}}`;
}

/** Hex SHA-256 of a string (one-shot `crypto.hash`: about a third of the time of a `Hash` object for short texts). */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/** Hex SHA-256 of a value's canonical JSON. */
export function contentHash(value: unknown): string {
  return sha256(canonicalJson(value));
}
