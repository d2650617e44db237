/**
 * Masking of personal information (PIPL). Fields marked `sensitive: true` in a flow's case
 * schema, at any depth and inside arrays, are replaced for callers who do not need them:
 * text keeps its first 3 and last 4 characters when it is long enough to stay unidentifiable
 * (`310***********1234`), anything else becomes `***`.
 */
import type { CaseField, CaseSchema, FlowDefinition } from '@flowpath/engine';

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

/**
 * Shortest sensitive value looked for in free text: 4 characters in Latin script (a shorter one,
 * a gender code, would mask ordinary words), 2 in Chinese, where a person's name has 2 or 3.
 */
function longEnough(text: string): boolean {
  return text.length >= (/^[\p{ASCII}]*$/u.test(text) ? 4 : 2);
}

/**
 * The case's sensitive values as text, longest first, for masking free text that may quote them:
 * a connector's error message, a reason a person typed.
 */
export function sensitiveTexts(data: unknown, s: SensitiveFields): string[] {
  if (s.paths.length === 0) return [];
  const found = new Set<string>();
  const collect = (v: unknown, depth: number): void => {
    if (depth > 100 || v === null || v === undefined) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') {
      const text = String(v);
      if (longEnough(text)) found.add(text);
    } else if (typeof v === 'object') {
      for (const x of Array.isArray(v) ? v : Object.values(v)) collect(x, depth + 1);
    }
  };
  const at = (node: unknown, path: string[], i: number): void => {
    if (node === null || typeof node !== 'object') return;
    if (i === path.length) return;
    const seg = path[i] as string;
    const next = seg === '*' ? (Array.isArray(node) ? node : []) : Object.prototype.hasOwnProperty.call(node, seg) ? [(node as Record<string, unknown>)[seg]] : [];
    for (const x of next) {
      if (i === path.length - 1) collect(x, 0);
      else at(x, path, i + 1);
    }
  };
  for (const p of s.paths) at(data, p, 0);
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of the given sensitive values masked as the values themselves are. */
export function maskText(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) if (out.includes(v)) out = out.split(v).join(String(maskValue(v)));
  return out;
}

/** A copy of `value` with `maskText` applied to every string in it. */
export function maskTexts(value: unknown, values: readonly string[], depth = 0): unknown {
  if (values.length === 0 || depth > 100) return value;
  if (typeof value === 'string') return maskText(value, values);
  if (Array.isArray(value)) return value.map((x) => maskTexts(x, values, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, maskTexts(x, values, depth + 1)]));
  }
  return value;
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
  const out = walk(value, s, 0);
  maskDerivedValues(value, out, s);
  return out;
}

/**
 * True when a rule reading `path` (dotted, as rule traces record it; array indexes allowed) sees
 * a sensitive value: the field itself, something inside it, or an object or list that holds it.
 */
export function readsSensitive(path: string, s: SensitiveFields): boolean {
  const segs = path.split('.').filter((x) => x !== '' && !/^\d+$/.test(x));
  return s.paths.some((p) => {
    const plain = p.filter((x) => x !== '*');
    const n = Math.min(plain.length, segs.length);
    for (let i = 0; i < n; i++) if (plain[i] !== segs[i]) return false;
    return true;
  });
}

/** True when a rule may read a sensitive field: a `var` of one, or a computed `var` (which could be anything). */
export function ruleReadsSensitive(rule: unknown, s: SensitiveFields, depth = 0): boolean {
  if (s.paths.length === 0 || rule === null || typeof rule !== 'object' || depth > 100) return false;
  if (Array.isArray(rule)) return rule.some((r) => ruleReadsSensitive(r, s, depth + 1));
  for (const [op, args] of Object.entries(rule)) {
    if (op === 'var') {
      const first = Array.isArray(args) ? args[0] : args;
      if (first !== null && typeof first === 'object') return true;
      if (readsSensitive(String(first ?? ''), s)) return true;
    }
    if (ruleReadsSensitive(args, s, depth + 1)) return true;
  }
  return false;
}

/** A rule trace (`{ rule, reads, result }`) whose reads touched a sensitive field. */
function isSensitiveTrace(obj: Record<string, unknown>, s: SensitiveFields): boolean {
  const reads = obj.reads;
  return 'result' in obj && reads !== null && typeof reads === 'object' && !Array.isArray(reads) && Object.keys(reads).some((k) => readsSensitive(k, s));
}

function walk(v: unknown, s: SensitiveFields, depth: number): unknown {
  if (v === null || typeof v !== 'object' || depth > 100) return v;
  if (Array.isArray(v)) return v.map((x) => walk(x, s, depth + 1));
  const obj = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const fieldName = typeof obj.field === 'string' ? obj.field : undefined;
  // What a rule computed from personal data is personal data too (`substr` of an id number);
  // only a yes/no verdict stays readable, since explaining a decision needs it.
  const sensitiveTrace = isSensitiveTrace(obj, s);
  for (const [k, x] of Object.entries(obj)) {
    if (s.dotted.has(k) || s.leaves.has(k)) out[k] = maskDeep(x);
    else if (k === 'value' && fieldName !== undefined && (s.dotted.has(fieldName) || s.leaves.has(fieldName.split('.').at(-1) as string))) out[k] = maskDeep(x);
    else if (k === 'result' && sensitiveTrace && typeof x !== 'boolean') out[k] = maskDeep(x);
    else out[k] = walk(x, s, depth + 1);
  }
  return out;
}

/**
 * Connector inputs and sub-flow data are computed by rules named after them (`ruleId`); when
 * such a rule read a sensitive field, the value it produced is masked whatever its name, so
 * `input: { id: { var: "idNumber" } }` does not show the id number under `id`.
 */
function maskDerivedValues(original: unknown, masked: unknown, s: SensitiveFields): void {
  if (original === null || typeof original !== 'object' || Array.isArray(original)) return;
  const rules = (original as Record<string, unknown>).rules;
  const details = (masked as Record<string, unknown>).details;
  if (!Array.isArray(rules) || details === null || typeof details !== 'object') return;
  for (const trace of rules as unknown[]) {
    if (trace === null || typeof trace !== 'object') continue;
    const ruleId = (trace as Record<string, unknown>).ruleId;
    if (typeof ruleId !== 'string' || !isSensitiveTrace(trace as Record<string, unknown>, s)) continue;
    for (const holder of ['input', 'data']) {
      const h = (details as Record<string, unknown>)[holder];
      if (h !== null && typeof h === 'object' && !Array.isArray(h) && Object.prototype.hasOwnProperty.call(h, ruleId)) {
        (h as Record<string, unknown>)[ruleId] = maskDeep((h as Record<string, unknown>)[ruleId]);
      }
    }
  }
}

/**
 * An outbox payload (connector call, sub-flow start) as a caller without access to personal data
 * may see it: keys naming sensitive fields masked, and every input whose rule in the flow reads
 * a sensitive field masked too.
 */
export function maskOutboxPayload(payload: Record<string, unknown>, def: FlowDefinition | undefined, s: SensitiveFields): unknown {
  if (s.paths.length === 0) return payload;
  const out = walk(payload, s, 0) as Record<string, unknown>;
  const node = def?.nodes.find((n) => n.id === payload.nodeId);
  const holder = payload.type === 'service.call' ? 'input' : payload.type === 'sub-flow.start' ? 'data' : undefined;
  const inputs = node && (node.kind === 'service-task' || node.kind === 'sub-flow') ? node.input : undefined;
  const values = holder ? out[holder] : undefined;
  if (inputs && values !== null && typeof values === 'object' && !Array.isArray(values)) {
    for (const [name, rule] of Object.entries(inputs)) {
      if (Object.prototype.hasOwnProperty.call(values, name) && ruleReadsSensitive(rule, s)) {
        (values as Record<string, unknown>)[name] = maskDeep((values as Record<string, unknown>)[name]);
      }
    }
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
