/**
 * Static validation of a flow: every problem at once, each with a stable code, the JSON Pointer
 * of the fault and the node or edge it concerns, so the designer can mark it on the canvas.
 */
import { parseDuration } from './calendar';
import { ajvIssues, createAjv } from './ajv';
import { findCaseField } from './case-data';
import { isSafePath } from './data-path';
import type { Edge, FlowDefinition, Issue, Node, Sla } from './model';
import { getKind } from './node-kinds';
import type { KindValidateContext } from './node-kinds';
import { validateRule } from './rules';
import { flowSchema } from './schema/flow-schema';

export interface ValidateContext {
  /** Connector names the runtime has; when given, unknown connectors are reported. */
  connectors?: readonly string[];
  /** Flow keys that can be started as sub-flows. */
  flows?: readonly string[];
  /** Business calendar ids the runtime has. */
  calendars?: readonly string[];
}

const ajv = createAjv();
const validateSchema = ajv.compile(flowSchema);

/** Validates a flow definition; returns every issue (an empty list means valid). */
export function validateFlow(input: unknown, ctx: ValidateContext = {}): Issue[] {
  const issues: Issue[] = [];
  if (!validateSchema(input)) {
    issues.push(...withGraphIds(input, ajvIssues(validateSchema.errors, (e) => `schema.${e.keyword}`)));
  }
  if (!isShapeUsable(input)) return sortIssues(issues);
  const flow = input as FlowDefinition;
  // Graph checks read the parts the schema vouched for; a part with a schema error is reported as
  // such and left out of the deeper checks, which would otherwise trip over its shape.
  const broken = issues.map((i) => i.path);
  issues.push(...checkGraph(flow, ctx, (path) => broken.some((b) => b === path || b.startsWith(`${path}/`))));
  return sortIssues(dedupe(issues));
}

/** True when there are no `error` issues. */
export function isValid(issues: readonly Issue[]): boolean {
  return !issues.some((i) => i.severity === 'error');
}

function isShapeUsable(input: unknown): boolean {
  if (!input || typeof input !== 'object') return false;
  const f = input as Record<string, unknown>;
  if (!Array.isArray(f.nodes) || !Array.isArray(f.edges)) return false;
  const okNode = (n: unknown) => !!n && typeof n === 'object' && typeof (n as Node).id === 'string' && typeof (n as Node).kind === 'string';
  const okEdge = (e: unknown) => !!e && typeof e === 'object' && typeof (e as Edge).id === 'string' && typeof (e as Edge).source === 'string' && typeof (e as Edge).target === 'string';
  if (!f.nodes.every(okNode) || !f.edges.every(okEdge)) return false;
  const cs = f.caseSchema as Record<string, unknown> | undefined;
  return !!cs && typeof cs === 'object' && !!cs.properties && typeof cs.properties === 'object';
}

function checkGraph(flow: FlowDefinition, ctx: ValidateContext, schemaBroken: (path: string) => boolean): Issue[] {
  const issues: Issue[] = [];
  const add = (i: Issue) => issues.push(i);
  const nodeIndex = new Map<string, number>();
  flow.nodes.forEach((n, i) => {
    if (nodeIndex.has(n.id)) add({ code: 'node.id.duplicate', severity: 'error', path: `/nodes/${i}/id`, params: { id: n.id }, nodeId: n.id });
    else nodeIndex.set(n.id, i);
  });
  const edgeIds = new Set<string>();
  flow.edges.forEach((e, i) => {
    if (edgeIds.has(e.id)) add({ code: 'edge.id.duplicate', severity: 'error', path: `/edges/${i}/id`, params: { id: e.id }, edgeId: e.id });
    edgeIds.add(e.id);
    if (!nodeIndex.has(e.source)) add({ code: 'edge.source.missing', severity: 'error', path: `/edges/${i}/source`, params: { node: e.source }, edgeId: e.id });
    if (!nodeIndex.has(e.target)) add({ code: 'edge.target.missing', severity: 'error', path: `/edges/${i}/target`, params: { node: e.target }, edgeId: e.id });
    if (e.source === e.target) add({ code: 'edge.self-loop', severity: 'error', path: `/edges/${i}`, params: { node: e.source }, edgeId: e.id });
  });

  const outgoing = new Map<string, Edge[]>();
  const incoming = new Map<string, Edge[]>();
  for (const e of flow.edges) {
    if (!nodeIndex.has(e.source) || !nodeIndex.has(e.target)) continue;
    (outgoing.get(e.source) ?? outgoing.set(e.source, []).get(e.source)!).push(e);
    (incoming.get(e.target) ?? incoming.set(e.target, []).get(e.target)!).push(e);
  }

  const starts = flow.nodes.filter((n) => n.kind === 'start');
  if (starts.length === 0) add({ code: 'flow.start.missing', severity: 'error', path: '/nodes', params: {} });
  for (const s of starts.slice(1)) add({ code: 'flow.start.multiple', severity: 'error', path: `/nodes/${nodeIndex.get(s.id)}`, params: { count: starts.length }, nodeId: s.id });
  if (!flow.nodes.some((n) => n.kind === 'end')) add({ code: 'flow.end.missing', severity: 'error', path: '/nodes', params: {} });

  const ruleAt = (rule: unknown, path: string): Issue[] => validateRule(rule, { path, caseSchema: flow.caseSchema });
  const fieldAt = (field: string, path: string): Issue[] => {
    if (!isSafePath(field)) return [{ code: 'data.field.forbidden', severity: 'error', path, params: { field } }];
    return findCaseField(flow.caseSchema, field) ? [] : [{ code: 'data.field.unknown', severity: 'error', path, params: { field } }];
  };
  const durationAt = (value: string, path: string): Issue[] =>
    parseDuration(value).ok ? [] : [{ code: 'sla.duration.invalid', severity: 'error', path, params: { value } }];

  flow.nodes.forEach((node, i) => {
    const path = `/nodes/${i}`;
    const kind = getKind(node.kind);
    const withNode = (list: Issue[]) => list.map((x) => ({ ...x, nodeId: x.nodeId ?? node.id }));
    if (!kind) {
      add({ code: 'node.kind.unknown', severity: 'error', path: `${path}/kind`, params: { kind: node.kind }, nodeId: node.id });
      return;
    }
    const kv = node.kindVersion ?? kind.versions[kind.versions.length - 1];
    if (kv !== undefined && !kind.versions.includes(kv)) {
      add({ code: 'node.kind-version.unknown', severity: 'error', path: `${path}/kindVersion`, params: { kind: node.kind, version: kv }, nodeId: node.id });
    }
    const outs = outgoing.get(node.id) ?? [];
    const ins = incoming.get(node.id) ?? [];
    const normal = outs.filter((e) => e.port === undefined);
    const { arity } = kind;
    if (ins.length < arity.incoming.min) add({ code: 'node.incoming.missing', severity: 'error', path, params: { min: arity.incoming.min, count: ins.length }, nodeId: node.id });
    if (arity.incoming.max !== undefined && ins.length > arity.incoming.max) add({ code: 'node.incoming.unexpected', severity: 'error', path, params: { max: arity.incoming.max, count: ins.length }, nodeId: node.id });
    if (normal.length < arity.outgoing.min) add({ code: 'node.outgoing.missing', severity: 'error', path, params: { min: arity.outgoing.min, count: normal.length }, nodeId: node.id });
    if (arity.outgoing.max !== undefined && normal.length > arity.outgoing.max) {
      add({ code: arity.outgoing.max === 0 ? 'node.outgoing.unexpected' : 'node.outgoing.multiple', severity: 'error', path, params: { max: arity.outgoing.max, count: normal.length }, nodeId: node.id });
    }
    for (const e of outs) {
      const ei = flow.edges.indexOf(e);
      if (e.port !== undefined && !(arity.ports ?? []).includes(e.port)) {
        add({ code: 'edge.port.invalid', severity: 'error', path: `/edges/${ei}/port`, params: { port: e.port, kind: node.kind }, nodeId: node.id, edgeId: e.id });
      }
      if (e.port !== undefined && outs.filter((o) => o.port === e.port).length > 1 && outs.find((o) => o.port === e.port) !== e) {
        add({ code: 'edge.port.duplicate', severity: 'error', path: `/edges/${ei}/port`, params: { port: e.port }, nodeId: node.id, edgeId: e.id });
      }
      if (node.kind !== 'decision') {
        if (e.condition !== undefined) add({ code: 'edge.condition.unexpected', severity: 'error', path: `/edges/${ei}/condition`, params: { kind: node.kind }, edgeId: e.id });
        if (e.default) add({ code: 'edge.default.unexpected', severity: 'error', path: `/edges/${ei}/default`, params: { kind: node.kind }, edgeId: e.id });
      } else if (e.condition !== undefined) {
        issues.push(...ruleAt(e.condition, `/edges/${ei}/condition`).map((x) => ({ ...x, edgeId: e.id })));
      }
    }
    const kctx: KindValidateContext = {
      flow,
      path,
      index: i,
      outgoing: outs,
      incoming: ins,
      rule: (r, p) => withNode(ruleAt(r, p)),
      field: (f, p) => withNode(fieldAt(f, p)),
      duration: (d, p) => withNode(durationAt(d, p)),
      ...(ctx.connectors ? { connectors: ctx.connectors } : {}),
      ...(ctx.flows ? { flows: ctx.flows } : {}),
    };
    if (schemaBroken(path)) return;
    if (kind.validate) issues.push(...kind.validate(node as never, kctx));
    const sla = (node as { sla?: Sla }).sla;
    if (sla) issues.push(...withNode(checkSla(sla, `${path}/sla`)));
  });

  if (flow.sla && !schemaBroken('/sla')) issues.push(...checkSla(flow.sla, '/sla'));
  if (typeof flow.priority === 'object' && flow.priority !== null && !schemaBroken('/priority')) issues.push(...ruleAt(flow.priority.rule, '/priority/rule'));
  if (ctx.calendars && flow.calendar !== undefined && !ctx.calendars.includes(flow.calendar)) {
    add({ code: 'flow.calendar.unknown', severity: 'error', path: '/calendar', params: { calendar: flow.calendar } });
  }
  if (!schemaBroken('/caseSchema/required')) (flow.caseSchema.required ?? []).forEach((r, i) => {
    if (!Object.prototype.hasOwnProperty.call(flow.caseSchema.properties, r)) add({ code: 'data.required.unknown', severity: 'error', path: `/caseSchema/required/${i}`, params: { field: r } });
  });
  if (!schemaBroken('/milestones')) (flow.milestones ?? []).forEach((m, i) => {
    for (const end of ['from', 'to'] as const) {
      const id = m[end];
      if (id !== undefined && !nodeIndex.has(id)) add({ code: 'milestone.node.missing', severity: 'error', path: `/milestones/${i}/${end}`, params: { node: id } });
    }
    if (m.target !== undefined) issues.push(...durationAt(m.target, `/milestones/${i}/target`));
  });

  const graph: Graph = { flow, nodeIndex, outgoing, incoming, start: starts[0] };
  issues.push(...checkReachability(graph));
  issues.push(...checkParallel(graph));
  return issues;
}

function checkSla(sla: Sla, path: string): Issue[] {
  const issues: Issue[] = [];
  const d = parseDuration(sla.duration);
  if (!d.ok) issues.push({ code: 'sla.duration.invalid', severity: 'error', path: `${path}/duration`, params: { value: sla.duration } });
  if (sla.warnBefore !== undefined) {
    const w = parseDuration(sla.warnBefore);
    if (!w.ok) issues.push({ code: 'sla.warn.invalid', severity: 'error', path: `${path}/warnBefore`, params: { value: sla.warnBefore } });
  }
  if (sla.warnBefore !== undefined && sla.warnAt !== undefined) {
    issues.push({ code: 'sla.warn.both', severity: 'warning', path, params: {} });
  }
  return issues;
}

/** The flow with its edges indexed, for the whole-graph checks. */
interface Graph {
  flow: FlowDefinition;
  nodeIndex: Map<string, number>;
  outgoing: Map<string, Edge[]>;
  incoming: Map<string, Edge[]>;
  start: Node | undefined;
}

/** Unreachable nodes, nodes with no way to an end, and loops with no way out. */
function checkReachability({ flow, nodeIndex, outgoing, incoming, start }: Graph): Issue[] {
  const issues: Issue[] = [];
  if (!start) return issues;
  const reach = walk([start.id], (id) => (outgoing.get(id) ?? []).map((e) => e.target));
  const ends = flow.nodes.filter((n) => n.kind === 'end').map((n) => n.id);
  const canEnd = walk(ends, (id) => (incoming.get(id) ?? []).map((e) => e.source));
  const onCycle = cycleNodes(flow, outgoing);
  for (const n of flow.nodes) {
    const path = `/nodes/${nodeIndex.get(n.id)}`;
    if (!reach.has(n.id)) {
      issues.push({ code: 'node.unreachable', severity: 'error', path, params: {}, nodeId: n.id });
      continue;
    }
    if (!canEnd.has(n.id)) {
      issues.push({ code: onCycle.has(n.id) ? 'loop.no-exit' : 'node.end.unreachable', severity: 'error', path, params: {}, nodeId: n.id });
    }
  }
  return issues;
}

function walk(from: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set<string>(from);
  const stack = [...from];
  while (stack.length) {
    const id = stack.pop() as string;
    for (const n of next(id)) {
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(n);
    }
  }
  return seen;
}

/** Nodes that lie on some cycle (Tarjan's strongly connected components). */
function cycleNodes(flow: FlowDefinition, outgoing: Map<string, Edge[]>): Set<string> {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result = new Set<string>();
  const enter = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
  };
  const strong = (v: string) => {
    // Iterative to survive large flows without deep recursion.
    const work: { v: string; i: number }[] = [{ v, i: 0 }];
    enter(v);
    while (work.length) {
      const top = work[work.length - 1] as { v: string; i: number };
      const outs = outgoing.get(top.v) ?? [];
      if (top.i < outs.length) {
        const w = (outs[top.i++] as Edge).target;
        if (!idx.has(w)) {
          enter(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, idx.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(top.v)!));
      if (low.get(top.v) === idx.get(top.v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.v);
        const selfLoop = (outgoing.get(top.v) ?? []).some((e) => e.target === top.v);
        if (comp.length > 1 || selfLoop) for (const c of comp) result.add(c);
      }
    }
  };
  for (const n of flow.nodes) if (!idx.has(n.id)) strong(n.id);
  return result;
}

/**
 * Parallel splits and joins must match: the branches into a parallel join must all come from one
 * parallel split (its nearest common dominator), otherwise the join waits forever; and a split's
 * branches should meet again at a join (or each end on its own), not at an ordinary node that
 * would then run once per branch.
 */
function checkParallel({ flow, nodeIndex, outgoing, incoming, start }: Graph): Issue[] {
  const issues: Issue[] = [];
  if (!start) return issues;
  const kinds = new Map(flow.nodes.map((n) => [n.id, n.kind]));
  const succ = (id: string) => (outgoing.get(id) ?? []).map((e) => e.target);
  const pred = (id: string) => (incoming.get(id) ?? []).map((e) => e.source);
  const dom = dominators(start.id, succ, pred);
  if (!dom) return issues;
  const exit = '\u0000exit';
  const ends = flow.nodes.filter((n) => n.kind === 'end').map((n) => n.id);
  const postdom = dominators(
    exit,
    (id) => (id === exit ? ends : pred(id)),
    (id) => (kinds.get(id) === 'end' ? [exit, ...succ(id)] : succ(id)),
  );

  for (const n of flow.nodes) {
    if (n.kind !== 'parallel-join' || !dom.idom.has(n.id)) continue;
    const preds = pred(n.id).filter((p) => dom.idom.has(p));
    if (preds.length < 2) continue;
    const common = commonDominator(preds, dom.idom);
    const path = `/nodes/${nodeIndex.get(n.id)}`;
    if (!common || kinds.get(common) !== 'parallel-split') {
      issues.push({ code: 'parallel.join.unmatched', severity: 'error', path, params: { from: common ?? null }, nodeId: n.id });
      continue;
    }
    // Every branch of the split must arrive at the join by exactly one edge, or the join waits forever.
    const branches = new Map<string, number>(succ(common).map((t) => [t, 0]));
    for (const p of preds) {
      let cur = p;
      const guard = new Set<string>();
      while (dom.idom.get(cur) !== common && cur !== common && !guard.has(cur)) {
        guard.add(cur);
        cur = dom.idom.get(cur) as string;
      }
      const entry = p === common ? n.id : cur;
      if (branches.has(entry)) branches.set(entry, (branches.get(entry) ?? 0) + 1);
    }
    const counts = [...branches.values()];
    if (counts.some((c) => c !== 1)) {
      issues.push({ code: 'parallel.join.branches', severity: 'error', path, params: { split: common, branches: counts.length, arrivals: preds.length }, nodeId: n.id });
    }
  }
  if (postdom) {
    for (const n of flow.nodes) {
      if (n.kind !== 'parallel-split' || !postdom.idom.has(n.id)) continue;
      const meet = postdom.idom.get(n.id);
      if (meet === undefined || meet === exit) continue;
      const k = kinds.get(meet);
      if (k !== 'parallel-join' && k !== 'end') {
        issues.push({ code: 'parallel.split.unmatched', severity: 'warning', path: `/nodes/${nodeIndex.get(n.id)}`, params: { meet }, nodeId: n.id });
      }
    }
  }
  return issues;
}

/** Immediate dominators (Cooper–Harvey–Kennedy), over the nodes reachable from `root`. */
function dominators(
  root: string,
  succ: (id: string) => string[],
  pred: (id: string) => string[],
): { idom: Map<string, string> } | undefined {
  const order: string[] = [];
  const seen = new Set<string>([root]);
  const stack: { id: string; i: number }[] = [{ id: root, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1] as { id: string; i: number };
    const next = succ(top.id);
    if (top.i < next.length) {
      const n = next[top.i++] as string;
      if (!seen.has(n)) {
        seen.add(n);
        stack.push({ id: n, i: 0 });
      }
      continue;
    }
    stack.pop();
    order.push(top.id);
  }
  const rpo = order.reverse();
  const num = new Map(rpo.map((id, i) => [id, i]));
  const idom = new Map<string, string>([[root, root]]);
  const intersect = (a: string, b: string) => {
    let x = a;
    let y = b;
    while (x !== y) {
      while ((num.get(x) ?? 0) > (num.get(y) ?? 0)) x = idom.get(x) as string;
      while ((num.get(y) ?? 0) > (num.get(x) ?? 0)) y = idom.get(y) as string;
    }
    return x;
  };
  let changed = true;
  let rounds = 0;
  while (changed && rounds++ < 1000) {
    changed = false;
    for (const b of rpo) {
      if (b === root) continue;
      const ps = pred(b).filter((p) => idom.has(p));
      if (ps.length === 0) continue;
      let nd = ps[0] as string;
      for (const p of ps.slice(1)) nd = intersect(p, nd);
      if (idom.get(b) !== nd) {
        idom.set(b, nd);
        changed = true;
      }
    }
  }
  const result = new Map<string, string>();
  for (const [k, v] of idom) if (k !== root) result.set(k, v);
  result.set(root, root);
  return { idom: result };
}

function commonDominator(nodes: string[], idom: Map<string, string>): string | undefined {
  const chain = (id: string) => {
    const out: string[] = [];
    let cur: string | undefined = id;
    const guard = new Set<string>();
    while (cur !== undefined && !guard.has(cur)) {
      guard.add(cur);
      out.push(cur);
      const next = idom.get(cur);
      if (next === cur) break;
      cur = next;
    }
    return out;
  };
  const [first, ...rest] = nodes.map((n) => idom.get(n) === undefined ? [] : chain(idom.get(n) as string));
  if (!first) return undefined;
  return first.find((c) => rest.every((r) => r.includes(c)));
}

/** Adds nodeId/edgeId to schema issues whose path points into a node or an edge. */
function withGraphIds(input: unknown, issues: Issue[]): Issue[] {
  const f = (input && typeof input === 'object' ? input : {}) as { nodes?: unknown; edges?: unknown };
  return issues.map((i) => {
    const m = /^\/(nodes|edges)\/(\d+)/.exec(i.path);
    if (!m) return i;
    const list = (m[1] === 'nodes' ? f.nodes : f.edges) as { id?: unknown }[] | undefined;
    const id = Array.isArray(list) ? list[Number(m[2])]?.id : undefined;
    if (typeof id !== 'string') return i;
    return m[1] === 'nodes' ? { ...i, nodeId: id } : { ...i, edgeId: id };
  });
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.code}|${i.path}|${JSON.stringify(i.params)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sortIssues(issues: Issue[]): Issue[] {
  return issues.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}
