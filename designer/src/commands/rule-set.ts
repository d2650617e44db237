import type { Rule } from '@flowpath/engine';
import type { Command } from './types';

/** Where a rule lives in the document. */
export type RuleTarget =
  | { type: 'edge-condition'; edgeId: string }
  | { type: 'gate-rule'; nodeId: string; ruleId: string };

export interface RuleSetParams {
  target: RuleTarget;
  /** `undefined` clears an edge condition; a gate rule keeps a `when`, `false` (never fires). */
  rule: Rule | undefined;
}

/** `rule.set`: replaces one rule written in the rule builder or the JSON view. */
export const ruleSet: Command<RuleSetParams> = (doc, { target, rule }) => {
  if (target.type === 'edge-condition') {
    const edge = doc.edges.find((e) => e.id === target.edgeId);
    if (!edge || sameJson(edge.condition, rule)) return doc;
    const { condition: _c, ...rest } = edge;
    const next = rule === undefined ? rest : { ...edge, condition: rule };
    return { ...doc, edges: doc.edges.map((e) => (e.id === edge.id ? next : e)) };
  }
  const node = doc.nodes.find((n) => n.id === target.nodeId);
  if (!node || node.kind !== 'compliance-gate') return doc;
  const gateRule = node.rules.find((r) => r.id === target.ruleId);
  if (!gateRule || sameJson(gateRule.when, rule)) return doc;
  // An emptied gate condition never fires; it must not silently stop or flag every case.
  const when = rule === undefined ? false : rule;
  const rules = node.rules.map((r) => (r.id === target.ruleId ? { ...r, when } : r));
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === node.id ? { ...node, rules } : n)) };
};

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
