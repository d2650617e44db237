/** What the health routes answer, shaped from the engine's report. */
import type { HealthBasis, HealthPeriod, HealthReport, NodeHealth, RuleHealth } from '@flowpath/engine';

/** One node's figures for the canvas heatmap: the engine's node figures plus the rules of a gate. */
export interface NodeFigure extends NodeHealth {
  /** Compliance gates: each rule's evaluations and hits at this node. */
  rules: RuleHealth[];
}

export interface NodeFigures {
  flowKey: string;
  /** The version whose nodes are listed first (the one asked for, else the latest). */
  version: number;
  period: HealthPeriod;
  basis: HealthBasis;
  asOf: string | null;
  measured: number;
  pending: number;
  nodes: NodeFigure[];
}

/** Per-node figures out of a report. */
export function nodeFigures(report: HealthReport, flowKey: string, version: number): NodeFigures {
  const rulesByNode = new Map<string, RuleHealth[]>();
  for (const r of report.compliance.rules) rulesByNode.set(r.nodeId, [...(rulesByNode.get(r.nodeId) ?? []), r]);
  return {
    flowKey,
    version,
    period: report.period,
    basis: report.basis,
    asOf: report.asOf,
    measured: report.measured,
    pending: report.pending,
    nodes: report.nodes.map((n) => ({ ...n, rules: rulesByNode.get(n.nodeId) ?? [] })),
  };
}
