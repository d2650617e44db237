/**
 * Masking of personal information (PIPL). Fields marked `sensitive: true` in a flow's case
 * schema, at any depth and inside arrays, are replaced for callers who do not need them:
 * text keeps its first 3 and last 4 characters when it is long enough to stay unidentifiable
 * (`310***********1234`), anything else becomes `***`.
 */
import type { CaseField, CaseSchema } from '@flowpath/engine';

export const MASK = '***';

/** Sensitive fields of a schema: exact dotted paths (`*` for array items) and their leaf names. */
export interface SensitiveFields {
  /** Segments per field, `*` standing for any array index. */
  paths: string[][];
  /** Dotted paths without array markers, as rule traces and task data name them. */
  dotted: Set<string>;
  /** Last segment of each sensitive path, for free-form records (audit details). */
  leaves: Set<string>;
}

const cache = new WeakMap<CaseSchema, SensitiveFields>();

/** The sensitive fields of a case schema (cached per schema object). */
export function sensitiveFields(schema: CaseSchema | undefined): SensitiveFields {
  if (!schema) return { paths: [], dotted: new Set(), leaves: new Set() };
  const hit = cache.get(schema);
  if (hit) return hit;
  const paths: string[][] = [];
  const walk = (field: CaseField, at: string[]): void => {
    if (field.sensitive) {
      paths.push(at);
      return;
    }
    if (field.properties) for (const [k, f] of Object.entries(field.properties)) walk(f, [...at, k]);
    if (field.items) walk(field.items, [...at, '*']);
  };
  for (const [k, f] of Object.entries(schema.properties ?? {})) walk(f, [k]);
  const out: SensitiveFields = {
    paths,
    dotted: new Set(paths.map((p) => p.filter((s) => s !== '*').join('.'))),
    leaves: new Set(paths.map((p) => p.filter((s) => s !== '*').at(-1) as string)),
  };
  cache.set(schema, out);
  return out;
}

/** One value masked: long text partly, everything else entirely. */
export function maskValue(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (typeof v === 'string' && v.length >= 15) return `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`;
  return MASK;
}

/** A copy of case data with every sensitive field masked. */
export function maskData(data: unknown, s: SensitiveFields): unknown {
  if (s.paths.length === 0) return data;
  const copy = structuredClone(data);
  for (const p of s.paths) maskAt(copy, p, 0);
  return copy;
}

function maskAt(node: unknown, path: string[], i: number): void {
  if (node === null || typeof node !== 'object') return;
  const seg = path[i] as string;
  const last = i === path.length - 1;
  if (seg === '*') {
    if (!Array.isArray(node)) return;
    node.forEach((item, idx) => {
      if (last) node[idx] = maskValue(item);
      else maskAt(item, path, i + 1);
    });
    return;
  }
  const obj = node as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(obj, seg)) return;
  if (last) obj[seg] = maskValue(obj[seg]);
  else maskAt(obj[seg], path, i + 1);
}

/**
 * A copy of a free-form record (audit details, rule traces, connector inputs) with sensitive
 * values masked wherever a key names a sensitive field: its dotted path (`applicant.idNumber`,
 * as rule reads and task data use) or its leaf name inside nested data. Matching leaf names
 * can mask a same-named harmless value too; for personal data that is the safe side to err on.
 */
export function maskRecord(value: unknown, s: SensitiveFields): unknown {
  if (s.paths.length === 0) return value;
  return walk(value, s, 0);
}

function walk(v: unknown, s: SensitiveFields, depth: number): unknown {
  if (v === null || typeof v !== 'object' || depth > 100) return v;
  if (Array.isArray(v)) return v.map((x) => walk(x, s, depth + 1));
  const obj = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const fieldName = typeof obj.field === 'string' ? obj.field : undefined;
  for (const [k, x] of Object.entries(obj)) {
    if (s.dotted.has(k) || s.leaves.has(k)) out[k] = maskDeep(x);
    else if (k === 'value' && fieldName !== undefined && (s.dotted.has(fieldName) || s.leaves.has(fieldName.split('.').at(-1) as string))) out[k] = maskDeep(x);
    else out[k] = walk(x, s, depth + 1);
  }
  return out;
}

function maskDeep(v: unknown): unknown {
  if (v !== null && typeof v === 'object') {
    if (Array.isArray(v)) return v.map(maskDeep);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDeep(x)]));
  }
  return maskValue(v);
}
