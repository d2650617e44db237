import type { DecisionNode, Edge } from '../model';
import { defineKind } from './types';

/** Exclusive choice: the first edge (by `order`, then drawing order) whose condition holds, else the default. */
export const decision = defineKind<DecisionNode>({
  kind: 'decision',
  versions: [1],
  properties: {},
  required: [],
  arity: { incoming: { min: 1 }, outgoing: { min: 1 } },
  validate(node, ctx) {
    const issues = [];
    const defaults = ctx.outgoing.filter((e) => e.default);
    if (defaults.length === 0) issues.push({ code: 'decision.default.missing', severity: 'error' as const, path: ctx.path, params: {}, nodeId: node.id });
    for (const extra of defaults.slice(1)) {
      const i = ctx.flow.edges.indexOf(extra);
      issues.push({ code: 'decision.default.multiple', severity: 'error' as const, path: `/edges/${i}/default`, params: { count: defaults.length }, nodeId: node.id, edgeId: extra.id });
    }
    for (const e of ctx.outgoing) {
      const i = ctx.flow.edges.indexOf(e);
      if (!e.default && e.condition === undefined) {
        issues.push({ code: 'decision.condition.missing', severity: 'error' as const, path: `/edges/${i}`, params: {}, nodeId: node.id, edgeId: e.id });
      }
      if (e.default && e.condition !== undefined) {
        issues.push({ code: 'decision.default.condition', severity: 'warning' as const, path: `/edges/${i}/condition`, params: {}, nodeId: node.id, edgeId: e.id });
      }
    }
    return issues;
  },
  enter(node, token, rt) {
    const candidates = orderedConditions(rt.outgoing(node.id));
    const traces = [];
    let chosen: Edge | undefined;
    for (const edge of candidates) {
      const trace = rt.evaluate(edge.condition, edge.id);
      traces.push(trace);
      if (truthy(trace.result) && !trace.error) {
        chosen = edge;
        break;
      }
    }
    const fallback = rt.outgoing(node.id).find((e) => e.default);
    const edge = chosen ?? fallback;
    if (!edge) {
      rt.raiseIncident(token, 'decision.no-edge', 'no condition held and the decision has no default edge');
      return;
    }
    rt.record('decision.taken', { edgeId: edge.id, target: edge.target, default: chosen === undefined }, { nodeId: node.id, tokenId: token.id, rules: traces });
    rt.take(token, edge);
  },
});

/** Conditional edges in evaluation order. */
export function orderedConditions(edges: Edge[]): Edge[] {
  return edges
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => !e.default && e.condition !== undefined)
    .sort((a, b) => (a.e.order ?? 0) - (b.e.order ?? 0) || a.i - b.i)
    .map(({ e }) => e);
}

/** json-logic truthiness: empty arrays are false. */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}
