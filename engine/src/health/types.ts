/**
 * The per-case projection that process-health figures are computed from. A `CaseFacts` is
 * plain JSON: the runtime stores one per case, updated in the same transaction as each engine
 * step, and aggregates them on query. It never holds customer data: only the values of
 * case-schema fields marked `dimension` (and not `sensitive`) and operators' staff ids.
 */
import type { CaseStatus } from '../case';
import type { GateAction, NodeKind } from '../model';

/** A duration measured twice: `[calendar ms, working ms on the flow's business calendar]`. */
export type Span = [ms: number, workingMs: number];

/** A dimension value: only scalars are kept. */
export type DimValue = string | number | boolean | null;

/** What one case did at one node. Zero counts and empty lists are left out to keep facts small. */
export interface NodeFacts {
  kind: NodeKind | 'unknown';
  /** Times the node was entered (as the engine counts visits). */
  visits: number;
  /** Entries beyond the first that were not an incident retry (never counted at joins). */
  rework?: number;
  /** Entered → completed, per completed stay, for nodes that wait (tasks, waits, service calls, sub-flows, joins). */
  time?: Span[];
  /** User tasks: opened → first claim (or → completion when completed without a claim). */
  queue?: Span[];
  /** User tasks: last claim → completion (only for tasks completed while claimed). */
  handling?: Span[];
  /** User tasks completed. */
  completed?: number;
  /** User tasks completed with no claim before (handling time unknown). */
  unclaimed?: number;
  /** Node SLA: visits that finished within the limit, breaches, warnings. */
  slaMet?: number;
  slaBreached?: number;
  slaWarned?: number;
  escalations?: number;
  incidents?: number;
  /** Service tasks: connector calls (attempts) and failed attempts. */
  calls?: number;
  failures?: number;
  /** Compliance gates: evaluations where a rule other than `pass` fired. */
  hits?: number;
}

/** One named milestone, once reached. */
export interface MilestoneFacts {
  /** When the stretch ended (completion of the `to` node). */
  at: string;
  span: Span;
  /** Whether it was within the milestone's target; absent when the milestone has no target. */
  met?: boolean;
}

/** One compliance rule at one gate, over this case's evaluations. */
export interface RuleFacts {
  nodeId: string;
  rule: string;
  action: GateAction;
  evaluated: number;
  fired: number;
  /** Evaluations that failed and were treated as fired (fail closed). */
  errors?: number;
}

/**
 * A compliance alert: a gate evaluation where a `flag`, `require-step` or `stop` rule fired.
 * Answered by the next human task completed in the case at or after it.
 */
export interface AlertFacts {
  nodeId: string;
  at: string;
  action: Exclude<GateAction, 'pass'>;
  rules: string[];
  respondedAt?: string;
  response?: Span;
  /** Staff id of the operator whose task completion answered it. */
  by?: string;
}

/** A task completed by an operator (staff id, never customer data). */
export interface WorkItem {
  actor: string;
  nodeId: string;
  queue: string;
  at: string;
}

/** Progress of a running case that `foldFacts` needs to continue; dropped when the case ends. */
export interface OpenFacts {
  /** Tokens at a node, by token id. */
  tokens: Record<string, OpenToken>;
  /** Open human tasks, by task id. */
  tasks: Record<string, OpenTask>;
  /** First completion time of nodes that start a milestone. */
  done: Record<string, string>;
  /** Nodes whose next entry is an incident retry, not rework. */
  retry: string[];
}

export interface OpenToken {
  node: string;
  at: string;
  via?: string;
  /** The node finished its work for this token (the next `node.left` is a completion). */
  done?: boolean;
  /** The stay runs under a node SLA; `breached` once it passed the limit. */
  sla?: boolean;
  breached?: boolean;
}

export interface OpenTask {
  node: string;
  queue: string;
  at: string;
  firstClaim?: string;
  claim?: string;
  assignee?: string;
}

export type CaseSlaState = 'open' | 'met' | 'breached' | 'void';

/** Everything process health needs to know about one case. */
export interface CaseFacts {
  /** Format of this object, for stored projections. */
  format: 1;
  flowKey: string;
  version: number;
  status: CaseStatus;
  outcome?: string;
  startedAt: string;
  endedAt?: string;
  /** Start → end, once the case ended. */
  cycle?: Span;
  /** Start → `asOf`, for a running case when `caseFacts` was given `asOf`. */
  age?: Span;
  priority: number;
  dims: Record<string, DimValue>;
  nodes: Record<string, NodeFacts>;
  milestones: Record<string, MilestoneFacts>;
  /** Case SLA: `open` while running, `met`/`breached` when decided, `void` when cancelled first; absent without a case SLA. */
  caseSla?: CaseSlaState;
  caseSlaWarned?: boolean;
  /** SLA warnings, breaches and escalations, case and nodes together. */
  warnings: number;
  breaches: number;
  escalations: number;
  /** Human tasks opened. */
  humanTasks: number;
  /** Completed with no human task (set when the case ends). */
  stp?: boolean;
  /** Rework visits, all nodes. */
  rework: number;
  incidents: number;
  /** Compliance rules, keyed `nodeId/ruleId`. */
  rules: Record<string, RuleFacts>;
  alerts: AlertFacts[];
  work: WorkItem[];
  /** The customer's satisfaction answer (the last one recorded), on a scale of 1 to `of`. Absent without an answer. */
  csat?: { score: number; of: number };
  /** The customer's likelihood to recommend, 0–10 (the last answer recorded). */
  nps?: number;
  open?: OpenFacts;
}
