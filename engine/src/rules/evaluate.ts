/**
 * Rule evaluation on json-logic-js, made safe for rules typed in by business staff.
 *
 * json-logic-js is a module singleton that recurses through its own exported `apply`. We
 * replace that property once with a guard that counts steps, bounds nesting and refuses
 * operations outside the allowed set, and we replace `var` with a reader that sees only own
 * properties of plain objects, arrays and strings. All other standard operations are
 * json-logic-js's own, so their semantics are exactly the library's.
 *
 * Per-evaluation state lives in a session that is installed for the duration of one call and
 * restored in `finally`, so a throwing or re-entrant evaluation cannot leak counters or reads
 * into the next one.
 */
import jsonLogicModule from 'json-logic-js';
import { extraOperations, type RuleContext } from './extra-operations';
import { resolveLimits, type RuleLimits } from './limits';
import { ALLOWED_OPERATIONS } from './operations';

export type { RuleContext } from './extra-operations';

export type RuleErrorCode = 'rule.budget.exceeded' | 'rule.operation.unknown' | 'rule.depth.exceeded' | 'rule.evaluation.failed';

export interface RuleError {
  code: RuleErrorCode;
  message: string;
  params: Record<string, unknown>;
}

/** The outcome of one evaluation: the result, every case field read with the value seen, and any error. */
export interface RuleEvaluation {
  result: unknown;
  reads: Record<string, unknown>;
  error?: RuleError;
}

/** Thrown by `applyRule`; carries the same stable code as `RuleEvaluation.error`. */
export class RuleEvaluationError extends Error {
  readonly code: RuleErrorCode;
  readonly params: Record<string, unknown>;

  constructor(error: RuleError) {
    super(error.message);
    this.name = 'RuleEvaluationError';
    this.code = error.code;
    this.params = error.params;
  }
}

interface JsonLogicInternals {
  apply(logic: unknown, data?: unknown): unknown;
  add_operation(name: string, fn: (...args: never[]) => unknown): void;
}

interface Session {
  steps: number;
  maxSteps: number;
  depth: number;
  maxDepth: number;
  root: unknown;
  reads: Record<string, unknown>;
  ctx: RuleContext;
  sizes: WeakMap<object, number>;
}

/** State shared by every copy of this module that patches the same json-logic-js instance. */
interface SharedState {
  session: Session | null;
}

const jsonLogic = jsonLogicModule as unknown as JsonLogicInternals;
const STATE_KEY = Symbol.for('flowpath.rules.state');
const stateHolder = jsonLogic as unknown as Record<symbol, SharedState | undefined>;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
/** Characters or list items that cost one extra step when an operation returns them. */
const UNITS_PER_STEP = 16;

class RuleFailure extends Error {
  constructor(
    readonly code: RuleErrorCode,
    message: string,
    readonly params: Record<string, unknown>,
  ) {
    super(message);
  }
}

function budgetExceeded(s: Session): RuleFailure {
  return new RuleFailure('rule.budget.exceeded', `rule evaluation exceeded ${s.maxSteps} steps`, { limit: s.maxSteps });
}

function charge(s: Session, steps: number): void {
  s.steps += steps;
  if (s.steps > s.maxSteps) throw budgetExceeded(s);
}

/**
 * Approximate size of a value (characters, list items, object entries, recursively), walked
 * iteratively so deeply nested data cannot overflow the stack, and stopped as soon as it is
 * bigger than what is left of the budget.
 */
function sizeOf(s: Session, value: object): number {
  const known = s.sizes.get(value);
  if (known !== undefined) return known;
  const cap = (s.maxSteps - s.steps + 1) * UNITS_PER_STEP;
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  let size = 0;
  while (stack.length > 0 && size <= cap) {
    const v = stack.pop();
    if (typeof v === 'string') size += v.length;
    else if (typeof v === 'object' && v !== null && !seen.has(v)) {
      seen.add(v);
      const items = Array.isArray(v) ? v : Object.values(v);
      size += items.length;
      for (const item of items) if (typeof item === 'object' || typeof item === 'string') stack.push(item);
    }
  }
  s.sizes.set(value, size);
  return size;
}

function shared(): SharedState {
  let state = stateHolder[STATE_KEY];
  if (!state) {
    state = { session: null };
    const originalApply = jsonLogic.apply;
    const guardedApply = (logic: unknown, data?: unknown): unknown => {
      const s = (state as SharedState).session;
      // Outside evaluateRule/applyRule (a direct json-logic-js user) behave like the library.
      if (s === null) return originalApply(logic, data);
      s.steps += 1;
      if (s.steps > s.maxSteps) throw budgetExceeded(s);
      if (typeof logic !== 'object' || logic === null) return logic;
      let op: string | undefined;
      if (!Array.isArray(logic)) {
        const keys = Object.keys(logic);
        if (keys.length === 1) {
          op = keys[0] as string;
          if (!ALLOWED_OPERATIONS.has(op)) {
            throw new RuleFailure('rule.operation.unknown', `unknown operation "${op}"`, { operation: op });
          }
        }
      }
      if (s.depth >= s.maxDepth) {
        throw new RuleFailure('rule.depth.exceeded', `rule is nested deeper than ${s.maxDepth} levels`, {
          depth: s.depth + 1,
          limit: s.maxDepth,
        });
      }
      s.depth += 1;
      try {
        const result = originalApply(logic, data);
        if (op !== undefined) {
          if (typeof result === 'string') charge(s, Math.floor(result.length / UNITS_PER_STEP));
          else if (typeof result === 'object' && result !== null) charge(s, Math.floor(sizeOf(s, result) / UNITS_PER_STEP));
        }
        return result;
      } finally {
        s.depth -= 1;
      }
    };
    jsonLogic.apply = guardedApply;
    jsonLogic.add_operation('var', safeVar);
    for (const [name, fn] of Object.entries(extraOperations)) {
      jsonLogic.add_operation(name, (...args: unknown[]) => fn((state as SharedState).session?.ctx ?? {}, ...args));
    }
    Object.defineProperty(jsonLogic, STATE_KEY, { value: state, enumerable: false });
  }
  return state;
}

/** One step of a `var` path: only own data of plain objects, arrays and strings. */
function readOwn(container: unknown, key: string): unknown {
  if (FORBIDDEN_SEGMENTS.has(key)) return undefined;
  if (typeof container === 'string') {
    return key === 'length' || Object.prototype.hasOwnProperty.call(container, key) ? container[key as unknown as number] : undefined;
  }
  if (typeof container !== 'object' || container === null) return undefined;
  if (Array.isArray(container)) {
    if (key === 'length') return container.length;
    return Object.prototype.hasOwnProperty.call(container, key) ? (container as unknown[])[key as unknown as number] : undefined;
  }
  const proto = Object.getPrototypeOf(container);
  if (proto !== Object.prototype && proto !== null) return undefined;
  return Object.prototype.hasOwnProperty.call(container, key) ? (container as Record<string, unknown>)[key] : undefined;
}

/** json-logic-js's `var` (same argument handling and defaults), reading only own data. */
function safeVar(this: unknown, path?: unknown, fallback?: unknown): unknown {
  return readVar(this, path, fallback);
}

function readVar(data: unknown, path: unknown, fallback: unknown): unknown {
  const notFound = fallback === undefined ? null : fallback;
  const s = stateHolder[STATE_KEY]?.session ?? null;
  const record = (value: unknown): void => {
    // Reads of the case data are audited; reads of a map/filter/reduce item are not case fields.
    if (s !== null && data === s.root) {
      Object.defineProperty(s.reads, path === undefined || path === null ? '' : String(path), {
        value: value === undefined ? null : value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  };
  if (path === undefined || path === '' || path === null) {
    record(data);
    return data;
  }
  let cur: unknown = data;
  for (const key of String(path).split('.')) {
    if (cur === null || cur === undefined) {
      record(null);
      return notFound;
    }
    cur = readOwn(cur, key);
    if (cur === undefined) {
      record(null);
      return notFound;
    }
  }
  record(cur);
  return cur;
}

function toRuleError(e: unknown): RuleError {
  if (e instanceof RuleFailure) return { code: e.code, message: e.message, params: e.params };
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError && /call stack/i.test(message)) {
    return { code: 'rule.depth.exceeded', message: 'rule is nested too deeply to evaluate', params: {} };
  }
  return { code: 'rule.evaluation.failed', message, params: { reason: message } };
}

function run(rule: unknown, data: unknown, ctx: RuleContext, limits: Partial<RuleLimits> | undefined): RuleEvaluation & { raw: unknown } {
  const state = shared();
  const l = resolveLimits(limits);
  const s: Session = {
    steps: 0,
    maxSteps: l.maxSteps,
    depth: 0,
    maxDepth: l.maxDepth,
    root: data,
    reads: {},
    ctx,
    sizes: new WeakMap(),
  };
  const previous = state.session;
  state.session = s;
  try {
    const raw = jsonLogic.apply(rule, data);
    return { raw, result: raw === undefined ? null : raw, reads: snapshotReads(s.reads) };
  } catch (e) {
    return { raw: null, result: null, reads: snapshotReads(s.reads), error: toRuleError(e) };
  } finally {
    state.session = previous;
  }
}

/**
 * Copies list and object values read, so the audit trail keeps what the rule saw even when a
 * later step changes the case data in place.
 */
function snapshotReads(reads: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(reads)) {
    const value = reads[key];
    if (typeof value !== 'object' || value === null) continue;
    try {
      const copy = JSON.parse(JSON.stringify(value)) as unknown;
      Object.defineProperty(reads, key, { value: copy, enumerable: true, writable: true, configurable: true });
    } catch {
      // Not JSON (a cycle from a caller's own objects): keep the reference rather than fail.
    }
  }
  return reads;
}

/**
 * Evaluates a json-logic rule (with Flowpath's extra operations) against case data. Never
 * throws: an unknown operation, a rule that runs out of steps or nests too deeply, or any
 * other failure comes back as `error` with a stable code. `reads` maps every case-data path
 * the rule read (`var`, `missing`) to the value it saw, for the audit trail.
 */
export function evaluateRule(rule: unknown, data: unknown, ctx: RuleContext = {}, limits?: Partial<RuleLimits>): RuleEvaluation {
  const { result, reads, error } = run(rule, data, ctx, limits);
  return error ? { result, reads, error } : { result, reads };
}

/**
 * The plain json-logic result of a rule, exactly as json-logic-js computes it (the JsonLogic
 * conformance suite runs through this), within the same safety limits. Throws
 * `RuleEvaluationError` when evaluation fails.
 */
export function applyRule(rule: unknown, data?: unknown): unknown {
  const r = run(rule, data, {}, undefined);
  if (r.error) throw new RuleEvaluationError(r.error);
  return r.raw;
}

// Install the guard and operations when the module loads, so direct json-logic-js users in the
// same bundle also get the safe `var`.
shared();
