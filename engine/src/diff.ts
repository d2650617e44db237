/** What changed between two versions of a flow: nodes, edges and rules added, removed, changed. */
import type { Edge, FlowDefinition, Node } from './model';

export interface Change<T> {
  id: string;
  before: T;
  after: T;
  /** Top-level fields that differ (`name`, `sla`, `rules`, `condition`...). */
  fields: string[];
}

export interface RuleChange {
  /** Where the rule lives: `node:<id>/rules/<ruleId>`, `edge:<id>/condition`, `flow/priority`. */
  location: string;
  nodeId?: string;
  edgeId?: string;
  change: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface FlowDiff {
  nodes: { added: Node[]; removed: Node[]; changed: Change<Node>[] };
  edges: { added: Edge[]; removed: Edge[]; changed: Change<Edge>[] };
  rules: RuleChange[];
  /** Flow-level fields that differ (name, caseSchema, sla, priority, milestones...). */
  flow: string[];
}

/** Compares two flow definitions by node and edge id. Layout-only moves are not changes. */
export function diffFlows(a: FlowDefinition, b: FlowDefinition): FlowDiff {
  const nodes = diffById(a.nodes, b.nodes, ['position']);
  const edges = diffById(a.edges, b.edges, []);
  const rules: RuleChange[] = [];
  const rulesOf = (f: FlowDefinition) => {
    const out = new Map<string, { rule: unknown; nodeId?: string; edgeId?: string }>();
    for (const n of f.nodes) {
      if (n.kind === 'compliance-gate') for (const r of n.rules) out.set(`node:${n.id}/rules/${r.id}`, { rule: { when: r.when, action: r.action }, nodeId: n.id });
      if (n.kind === 'set-data') n.assignments.forEach((x) => out.set(`node:${n.id}/assign/${x.field}`, { rule: x.value, nodeId: n.id }));
      if (n.kind === 'user-task' && typeof n.priority === 'object') out.set(`node:${n.id}/priority`, { rule: n.priority.rule, nodeId: n.id });
    }
    for (const e of f.edges) if (e.condition !== undefined) out.set(`edge:${e.id}/condition`, { rule: e.condition, edgeId: e.id });
    if (typeof f.priority === 'object') out.set('flow/priority', { rule: f.priority.rule });
    return out;
  };
  const ra = rulesOf(a);
  const rb = rulesOf(b);
  for (const [loc, x] of ra) {
    const y = rb.get(loc);
    const ids = { ...(x.nodeId ? { nodeId: x.nodeId } : {}), ...(x.edgeId ? { edgeId: x.edgeId } : {}) };
    if (!y) rules.push({ location: loc, ...ids, change: 'removed', before: x.rule });
    else if (!same(x.rule, y.rule)) rules.push({ location: loc, ...ids, change: 'changed', before: x.rule, after: y.rule });
  }
  for (const [loc, y] of rb) {
    if (!ra.has(loc)) rules.push({ location: loc, ...(y.nodeId ? { nodeId: y.nodeId } : {}), ...(y.edgeId ? { edgeId: y.edgeId } : {}), change: 'added', after: y.rule });
  }
  const flowFields = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => k !== 'nodes' && k !== 'edges'));
  const flow = [...flowFields].filter((k) => !same((a as unknown as Record<string, unknown>)[k], (b as unknown as Record<string, unknown>)[k])).sort();
  return { nodes, edges, rules, flow };
}

function diffById<T extends { id: string }>(a: T[], b: T[], ignore: string[]): { added: T[]; removed: T[]; changed: Change<T>[] } {
  const mb = new Map(b.map((x) => [x.id, x]));
  const ma = new Map(a.map((x) => [x.id, x]));
  const changed: Change<T>[] = [];
  for (const x of a) {
    const y = mb.get(x.id);
    if (!y) continue;
    const keys = new Set([...Object.keys(x), ...Object.keys(y)].filter((k) => !ignore.includes(k)));
    const fields = [...keys].filter((k) => !same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k])).sort();
    if (fields.length) changed.push({ id: x.id, before: x, after: y, fields });
  }
  return { added: b.filter((x) => !ma.has(x.id)), removed: a.filter((x) => !mb.has(x.id)), changed };
}

/** Structural equality of JSON values, independent of key order. */
export function same(x: unknown, y: unknown): boolean {
  return canonicalJson(x) === canonicalJson(y);
}

/** JSON with object keys sorted, so equal documents give equal text (and equal hashes). */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return 'null';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}
