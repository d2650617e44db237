/**
 * Static checks of a rule at save and publish time: known operations only, bounded depth and
 * size, JSON-logic shape, and every case field it reads declared in the case schema.
 */
import type { CaseField, CaseSchema, Issue } from '../model';
import { resolveLimits, type RuleLimits } from './limits';
import { ALLOWED_OPERATIONS, ITEM_SCOPED_OPERATIONS } from './operations';

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
/** Nesting beyond which `ruleVars` stops looking (validation reports depth long before). */
const HARD_DEPTH = 512;

export interface ValidateRuleOptions {
  /** JSON Pointer of the rule in its document, e.g. `/nodes/3/rules/0/when`. */
  path: string;
  /** When given, every case-data field the rule reads must be declared here. */
  caseSchema?: CaseSchema;
  limits?: Partial<RuleLimits>;
  /** Further readable paths that are not case fields (a path also allows everything below it). */
  extraVars?: string[];
}

function pointer(base: string, segment: string | number): string {
  return `${base}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Where the walker is: reading the case data, or inside map/filter/reduce reading an item. */
type Scope = 'case' | 'item';

interface Visitor {
  maxDepth: number;
  onVar(path: string, at: string, scope: Scope): void;
  onDynamicVar(at: string): void;
  onUnknownOperation(op: string, at: string): void;
  onInvalid(at: string, params: Record<string, unknown>): void;
  onTooDeep(depth: number, at: string): void;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Walks a rule, calling the visitor for var paths, unknown operations, bad shapes and depth. */
function walk(node: unknown, at: string, scope: Scope, depth: number, v: Visitor): void {
  if (node === null || typeof node === 'string' || typeof node === 'boolean') return;
  if (typeof node === 'number') {
    if (!Number.isFinite(node)) v.onInvalid(at, { reason: 'value' });
    return;
  }
  if (typeof node !== 'object' || !isPlainObject(node) && !Array.isArray(node)) {
    v.onInvalid(at, { reason: 'value' });
    return;
  }
  if (depth > v.maxDepth) {
    v.onTooDeep(depth, at);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, pointer(at, i), scope, depth + 1, v));
    return;
  }
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    v.onInvalid(at, { reason: 'shape', keys: keys.length });
    return;
  }
  const op = keys[0] as string;
  const args = (node as Record<string, unknown>)[op];
  const argsAt = pointer(at, op);
  if (!ALLOWED_OPERATIONS.has(op)) v.onUnknownOperation(op, argsAt);

  // The argument list of an operation is syntax, not a level: its items sit one level below.
  const eachArg = (fn: (arg: unknown, argAt: string, i: number) => void): void => {
    if (Array.isArray(args)) args.forEach((a, i) => fn(a, pointer(argsAt, i), i));
    else fn(args, argsAt, 0);
  };

  if (op === 'var') {
    const first = Array.isArray(args) ? args[0] : args;
    const firstAt = Array.isArray(args) ? pointer(argsAt, 0) : argsAt;
    if (typeof first === 'object' && first !== null) v.onDynamicVar(firstAt);
    else if (first !== undefined && first !== null && first !== '') v.onVar(String(first), firstAt, scope);
    eachArg((a, aAt) => walk(a, aAt, scope, depth + 1, v));
    return;
  }
  if (op === 'missing' || op === 'missing_some') {
    // At run time missing reads through an inner var (and missing_some through an inner missing),
    // one or two levels below itself; count them so validation and evaluation agree on depth.
    const inner = depth + (op === 'missing' ? 1 : 2);
    if (inner > v.maxDepth) v.onTooDeep(inner, argsAt);
    // missing reads the fields it names; literal names are checked like var paths.
    let keysAt: { list: unknown[]; at: string } | undefined;
    if (op === 'missing') {
      if (Array.isArray(args) && args.length === 1 && Array.isArray(args[0])) keysAt = { list: args[0], at: pointer(argsAt, 0) };
      else if (Array.isArray(args)) keysAt = { list: args, at: argsAt };
      else if (typeof args === 'string' || typeof args === 'number') v.onVar(String(args), argsAt, scope);
    } else if (Array.isArray(args) && Array.isArray(args[1])) {
      keysAt = { list: args[1], at: pointer(argsAt, 1) };
    }
    keysAt?.list.forEach((k, i) => {
      if ((typeof k === 'string' && k !== '') || typeof k === 'number') v.onVar(String(k), pointer(keysAt.at, i), scope);
    });
    eachArg((a, aAt) => walk(a, aAt, scope, depth + 1, v));
    return;
  }
  const scoped = ITEM_SCOPED_OPERATIONS.has(op) || op === 'reduce';
  eachArg((a, aAt, i) => walk(a, aAt, scoped && i === 1 && Array.isArray(args) ? 'item' : scope, depth + 1, v));
}

/** Number of JSON values in a rule, counted without recursion so a hostile rule cannot overflow the stack. */
function ruleSize(rule: unknown): number {
  let size = 0;
  const stack: unknown[] = [rule];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const v = stack.pop();
    size += 1;
    if (typeof v === 'object' && v !== null && !seen.has(v)) {
      seen.add(v);
      for (const item of Array.isArray(v) ? v : Object.values(v)) stack.push(item);
    }
  }
  return size;
}

/** Looks a dotted path up in the case schema: properties by name, array items by index, `length` of lists and texts. */
function declared(path: string, schema: CaseSchema, extraVars: readonly string[]): boolean {
  if (extraVars.some((e) => path === e || path.startsWith(`${e}.`))) return true;
  let field: CaseField | undefined = { type: 'object', properties: schema.properties };
  for (const seg of path.split('.')) {
    if (field === undefined) return true;
    if (field.type === 'array' || (field.items !== undefined && field.properties === undefined)) {
      if (seg === 'length') field = { type: 'number' };
      else if (/^\d+$/.test(seg)) field = field.items;
      else return false;
    } else if (field.properties !== undefined) {
      if (!Object.prototype.hasOwnProperty.call(field.properties, seg)) return false;
      field = field.properties[seg];
    } else if (field.type === 'string' && seg === 'length') {
      field = { type: 'number' };
    } else if (field.type === undefined || field.type === 'object') {
      // An object without declared properties is free-form: anything below it may exist.
      return true;
    } else {
      return false;
    }
  }
  return true;
}

/**
 * Checks a rule: JSON-logic shape (`rule.invalid`), allowed operations (`rule.operation.unknown`),
 * nesting (`rule.depth.exceeded`) and size (`rule.size.exceeded`) limits, prototype-reaching
 * paths (`rule.var.forbidden`), computed paths (`rule.var.dynamic`, a warning) and, with a case
 * schema, fields that are not declared (`rule.var.unknown`). Paths inside map, filter, reduce,
 * all, some and none read the current item and are not checked against the case schema.
 * Every issue's `path` extends `opts.path` to the exact spot in the rule.
 */
export function validateRule(rule: unknown, opts: ValidateRuleOptions): Issue[] {
  const limits = resolveLimits(opts.limits);
  const extraVars = opts.extraVars ?? [];
  const issues: Issue[] = [];
  const size = ruleSize(rule);
  if (size > limits.maxSize) {
    issues.push({ code: 'rule.size.exceeded', severity: 'error', path: opts.path, params: { size, limit: limits.maxSize } });
  }
  let reportedDepth = false;
  walk(rule, opts.path, 'case', 1, {
    maxDepth: limits.maxDepth,
    onVar(path, at, scope) {
      const forbidden = path.split('.').find((s) => FORBIDDEN_SEGMENTS.has(s));
      if (forbidden !== undefined) {
        issues.push({ code: 'rule.var.forbidden', severity: 'error', path: at, params: { field: path, segment: forbidden } });
      } else if (scope === 'case' && opts.caseSchema && !declared(path, opts.caseSchema, extraVars)) {
        issues.push({ code: 'rule.var.unknown', severity: 'error', path: at, params: { field: path } });
      }
    },
    onDynamicVar(at) {
      issues.push({ code: 'rule.var.dynamic', severity: 'warning', path: at, params: {} });
    },
    onUnknownOperation(operation, at) {
      issues.push({ code: 'rule.operation.unknown', severity: 'error', path: at, params: { operation } });
    },
    onInvalid(at, params) {
      issues.push({ code: 'rule.invalid', severity: 'error', path: at, params });
    },
    onTooDeep(depth, at) {
      if (reportedDepth) return;
      reportedDepth = true;
      issues.push({ code: 'rule.depth.exceeded', severity: 'error', path: at, params: { depth, limit: limits.maxDepth } });
    },
  });
  return issues;
}

/**
 * Case-data paths a rule reads, found statically: literal `var` paths and `missing` names
 * outside map/filter/reduce (inside them, paths refer to the current item). Computed paths
 * cannot be known before evaluation and are not listed.
 */
export function ruleVars(rule: unknown): string[] {
  const found = new Set<string>();
  walk(rule, '', 'case', 1, {
    maxDepth: HARD_DEPTH,
    onVar(path, _at, scope) {
      if (scope === 'case') found.add(path);
    },
    onDynamicVar() {},
    onUnknownOperation() {},
    onInvalid() {},
    onTooDeep() {},
  });
  return [...found];
}
