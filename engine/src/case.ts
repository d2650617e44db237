/**
 * Case state, the inputs that move a case and the effects a step asks the runtime to carry out.
 * All of it is plain JSON so the runtime can store it and a test can round-trip it.
 */
import type { Escalation, FormField, LocalizedText } from './model';

export type CaseStatus = 'waiting' | 'completed' | 'terminated' | 'cancelled';

/** Where a token waits. `active` tokens exist only inside a step. */
export type TokenWait =
  | { type: 'task'; taskId: string }
  | { type: 'message'; message: string }
  | { type: 'timer'; timerId: string }
  | { type: 'service'; requestId: string; attempt: number; retryTimerId?: string }
  | { type: 'incident'; incidentId: string }
  | { type: 'sub-flow'; requestId: string }
  | { type: 'join' };

export interface Token {
  id: string;
  nodeId: string;
  /** Edge the token arrived by (joins count arrivals per incoming edge). */
  via?: string;
  wait?: TokenWait;
  /** When the token arrived at its node (ISO time). */
  since: string;
}

export interface Flag {
  code: string;
  nodeId: string;
  ruleId?: string;
  message?: LocalizedText;
  at: string;
}

export interface SlaClock {
  /** Timer ids are `<id>.warn` and `<id>.breach`. */
  id: string;
  /** `case` or the token id whose node has the limit. */
  scope: string;
  nodeId?: string;
  startedAt: string;
  warnAt?: string;
  dueAt: string;
  warned?: boolean;
  breached?: boolean;
}

export interface Incident {
  id: string;
  nodeId: string;
  tokenId: string;
  code: string;
  message: string;
  at: string;
}

export interface CaseState {
  id: string;
  flowKey: string;
  version: number;
  status: CaseStatus;
  outcome?: string;
  data: Record<string, unknown>;
  priority: number;
  tokens: Token[];
  /** Visits per node: more than one means the case looped back (rework). */
  visits: Record<string, number>;
  flags: Flag[];
  slas: SlaClock[];
  /** SLA limits that were breached, by node id (`case` for the whole case). */
  breaches: string[];
  incidents: Incident[];
  /** Who completed each user-task node (for four-eyes rules). */
  completedBy: Record<string, string>;
  startedAt: string;
  updatedAt: string;
  endedAt?: string;
  /** Counter from which ids of tokens, tasks and timers are derived. */
  seq: number;
}

/** Who caused an input; stored with every audit entry. */
export interface Actor {
  id: string;
  roles?: string[];
}

export type StepInput =
  | { type: 'start'; caseId: string; flowKey?: string; version: number; data: Record<string, unknown>; actor?: Actor }
  | { type: 'task.completed'; taskId: string; data?: Record<string, unknown>; actor?: Actor }
  | { type: 'message'; name: string; data?: Record<string, unknown>; actor?: Actor }
  | { type: 'timer.fired'; timerId: string }
  | { type: 'service.result'; requestId: string; ok: true; data: Record<string, unknown> }
  | { type: 'service.result'; requestId: string; ok: false; error: { code: string; message: string } }
  | { type: 'incident.retry'; incidentId: string; actor?: Actor }
  | { type: 'sub-flow.ended'; requestId: string; outcome: string; status: CaseStatus; data: Record<string, unknown> }
  | { type: 'cancel'; reason?: string; actor?: Actor };

export interface TaskSpec {
  taskId: string;
  tokenId: string;
  nodeId: string;
  name: LocalizedText;
  queue: string;
  roles: string[];
  priority: number;
  form: FormField[];
  dueAt?: string;
  warnAt?: string;
  /** Operators who may not complete this task (four eyes). */
  excludedActors: string[];
}

export type TimerPurpose = 'sla.warn' | 'sla.breach' | 'wait.timer' | 'service.retry';

export type Effect =
  | { type: 'task.open'; task: TaskSpec }
  | { type: 'task.close'; taskId: string; reason: 'completed' | 'cancelled' }
  | { type: 'task.update'; taskId: string; priority?: number; queue?: string }
  | { type: 'timer.schedule'; timerId: string; dueAt: string; purpose: TimerPurpose; nodeId?: string }
  | { type: 'timer.cancel'; timerId: string }
  | {
      type: 'service.call';
      requestId: string;
      nodeId: string;
      connector: string;
      input: Record<string, unknown>;
      attempt: number;
      timeoutMs?: number;
    }
  | { type: 'sub-flow.start'; requestId: string; nodeId: string; flow: string; data: Record<string, unknown> }
  | { type: 'sub-flow.cancel'; requestId: string }
  | { type: 'event.emit'; name: string; payload: Record<string, unknown> }
  | { type: 'notify'; to: string; nodeId?: string; message?: LocalizedText; escalation?: Escalation };

/** Values a rule read, by var path, and what it returned. */
export interface RuleTrace {
  ruleId?: string;
  rule: unknown;
  reads: Record<string, unknown>;
  result: unknown;
  error?: string;
}

export type AuditType =
  | 'case.started'
  | 'case.completed'
  | 'case.terminated'
  | 'case.cancelled'
  | 'node.entered'
  | 'node.left'
  | 'decision.taken'
  | 'gate.evaluated'
  | 'task.opened'
  | 'task.completed'
  // Written by the runtime (not by step): operators' moves on tasks between engine steps.
  | 'task.claimed'
  | 'task.released'
  | 'task.reassigned'
  | 'message.received'
  | 'timer.fired'
  | 'sla.warned'
  | 'sla.breached'
  | 'escalation'
  | 'service.called'
  | 'service.succeeded'
  | 'service.failed'
  | 'incident.raised'
  | 'incident.retried'
  | 'data.set'
  | 'sub-flow.started'
  | 'sub-flow.ended';

/** One line of the case's journal: auditors read it and process-health figures are computed from it. */
export interface AuditRecord {
  type: AuditType;
  at: string;
  nodeId?: string;
  tokenId?: string;
  actor?: string;
  version: number;
  details: Record<string, unknown>;
  rules?: RuleTrace[];
}

export interface StepResult {
  state: CaseState;
  effects: Effect[];
  audit: AuditRecord[];
}

/** A refusal of an input that does not fit the case (a stale task, a message no one waits for). */
export interface StepRejection {
  code: string;
  params: Record<string, unknown>;
}
