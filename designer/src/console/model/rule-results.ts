/**
 * The rule results that brought a case where it is: each decision taken and each compliance
 * gate evaluated, from the audit trail, with every rule's verdict and the data it read (as the
 * API returned it: masked for callers who may not see personal data).
 */
import type { FlowDefinition, LocalizedText, Rule } from '@flowpath/engine';
import type { AuditEntry } from '../../api/console-types';

export interface RuleVerdict {
  /** Gate rule id or decision edge id. */
  id: string;
  name: LocalizedText | null;
  /** The rule as written (for a readable summary). */
  rule: Rule;
  /** Gate: the rule fired. Decision: its condition held and the edge was taken. */
  fired: boolean;
  /** Gate rules: pass, flag, require-step or stop. */
  action: string | null;
  reads: Record<string, unknown>;
  result: unknown;
  error: string | null;
}

export interface RuleResult {
  seq: number;
  at: string;
  kind: 'gate' | 'decision';
  nodeId: string;
  /** Gate: the strongest action that fired (`pass` when none). Decision: the edge taken. */
  outcome: string;
  /** Decision: the default edge was taken because no condition held. */
  byDefault: boolean;
  verdicts: RuleVerdict[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Decisions and gate evaluations of the trail, oldest first. */
export function ruleResults(def: FlowDefinition | null, audit: readonly AuditEntry[]): RuleResult[] {
  const out: RuleResult[] = [];
  for (const e of audit) {
    if ((e.type !== 'decision.taken' && e.type !== 'gate.evaluated') || !e.nodeId) continue;
    const traces = Array.isArray(e.rules) ? e.rules : [];
    const node = def?.nodes.find((n) => n.id === e.nodeId);
    if (e.type === 'gate.evaluated') {
      const results = Array.isArray(e.details.results) ? (e.details.results as unknown[]).filter(isRecord) : [];
      const gateRules = node && node.kind === 'compliance-gate' ? node.rules : [];
      out.push({
        seq: e.seq,
        at: e.at,
        kind: 'gate',
        nodeId: e.nodeId,
        outcome: typeof e.details.action === 'string' ? e.details.action : 'pass',
        byDefault: false,
        verdicts: results.map((r) => {
          const id = String(r.rule);
          const trace = traces.find((t) => t.ruleId === id);
          const spec = gateRules.find((g) => g.id === id);
          return {
            id,
            name: spec?.name ?? null,
            rule: spec?.when ?? trace?.rule ?? null,
            fired: r.fired === true,
            action: typeof r.action === 'string' ? r.action : null,
            reads: isRecord(trace?.reads) ? trace.reads : {},
            result: trace?.result,
            error: trace?.error ?? null,
          };
        }),
      });
    } else {
      const taken = typeof e.details.edgeId === 'string' ? e.details.edgeId : '';
      out.push({
        seq: e.seq,
        at: e.at,
        kind: 'decision',
        nodeId: e.nodeId,
        outcome: taken,
        byDefault: e.details.default === true,
        verdicts: traces.map((trace) => {
          const id = trace.ruleId ?? '';
          const edge = def?.edges.find((x) => x.id === id);
          return {
            id,
            name: edge?.name ?? null,
            rule: edge?.condition ?? trace.rule,
            fired: id === taken,
            action: null,
            reads: isRecord(trace.reads) ? trace.reads : {},
            result: trace.result,
            error: trace.error ?? null,
          };
        }),
      });
    }
  }
  return out;
}
