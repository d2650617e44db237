import type { BusinessCalendar, CaseStatus, Flag, FormField, Incident, LocalizedText, RuleTrace, SlaClock } from '@flowpath/engine';

/** Where a task stands against its time limit when the server answered. */
export type TaskSla = 'none' | 'ok' | 'warning' | 'breached';

export type TaskStatus = 'open' | 'claimed' | 'completed' | 'cancelled';

/** A task as `/api/tasks` returns it. */
export interface Task {
  id: string;
  caseId: string;
  flow: string;
  /** The flow version the case runs on. */
  version: number;
  /** The case's customer reference (masked when the caller may not see it), branch and channel when the task opened. */
  customerRef: string | null;
  branch: string | null;
  channel: string | null;
  nodeId: string;
  name: LocalizedText;
  queue: string;
  /** Business roles of which the worker needs one (empty: any operator of the queue). */
  roles: string[];
  priority: number;
  form: FormField[];
  dueAt: string | null;
  warnAt: string | null;
  sla: TaskSla;
  status: TaskStatus;
  assignee: string | null;
  completedBy: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** One page of a list the server pages with an opaque cursor. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Filters of the work list that the server applies. */
export interface TaskQuery {
  queue?: string;
  flow?: string;
  /** `me` or a key name. */
  assignee?: string;
  caseId?: string;
  status?: TaskStatus[];
  /** One branch or several. */
  branch?: string[];
  /** Due at or after / before these instants (ISO). */
  dueAfter?: string;
  dueBefore?: string;
  /** Past their due time now. */
  breached?: boolean;
  limit?: number;
  cursor?: string;
}

/** A conditional read: `notModified` when the server's list still has the `etag` sent. */
export type IfChanged<T> = { notModified: true; etag: string } | { notModified: false; etag: string | null; value: T };

/** A case in search results. */
export interface CaseSummary {
  id: string;
  flow: string;
  version: number;
  status: CaseStatus;
  outcome: string | null;
  priority: number;
  /** Masked (e.g. `S2026****015`) when the caller may not see it. */
  customerRef: string | null;
  branch: string | null;
  waitingAt: string[];
  breached: boolean;
  openIncidents: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** Filters of the case search that the server applies. */
export interface CaseQuery {
  flow?: string;
  version?: number;
  status?: CaseStatus;
  waitingAt?: string;
  breached?: boolean;
  customerRef?: string;
  branch?: string;
  incident?: boolean;
  /** Started at or after / before these instants (ISO). */
  startedFrom?: string;
  startedTo?: string;
  limit?: number;
  cursor?: string;
}

export interface CaseWait {
  nodeId: string;
  tokenId: string;
  type: 'task' | 'message' | 'timer' | 'service' | 'incident' | 'sub-flow' | 'join';
  since: string;
  taskId?: string;
  message?: string;
  timerId?: string;
  incidentId?: string;
}

/** A case in full, as this caller may see it (sensitive fields masked by the server). */
export interface CaseDetail extends CaseSummary {
  data: Record<string, unknown>;
  masked: boolean;
  waits: CaseWait[];
  tasks: Task[];
  sla: SlaClock[];
  breaches: string[];
  flags: Flag[];
  incidents: Incident[];
  history: { seq: number; at: string; type: string; nodeId: string | null; actor: string | null }[];
  parentCaseId: string | null;
  startedAt: string;
  endedAt: string | null;
}

/** One entry of a case's hash-chained audit trail. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string | null;
  type: string;
  nodeId?: string;
  tokenId?: string;
  version?: number;
  details: Record<string, unknown>;
  rules?: RuleTrace[];
  hash: string;
  prevHash: string;
}

export interface AuditVerification {
  stream: string;
  caseId?: string;
  ok: boolean;
  entries: number;
  firstBroken?: { seq: number; reason: 'seq.gap' | 'prev.mismatch' | 'hash.mismatch' | 'head.mismatch' | 'entry.unreadable' };
}

export interface CaseTimer {
  timerId: string;
  purpose: 'sla.warn' | 'sla.breach' | 'wait.timer' | 'service.retry';
  nodeId: string | null;
  dueAt: string;
  status: 'scheduled' | 'fired' | 'cancelled' | 'stale' | 'failed';
  firedAt: string | null;
  attempts: number;
  lastError: string | null;
}

/** Something the case sent out: a connector call, a sub-flow, an event or a notification. */
export interface CaseEvent {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
}

/** A business calendar as the server stores it. */
export interface CalendarRecord {
  id: string;
  revision: number;
  calendar: BusinessCalendar;
}

/** Where a task goes: another queue, someone in its queue, or back to the queue (assignee null). */
export interface ReassignTarget {
  queue?: string;
  assignee?: string | null;
  /** Why; recorded in the audit trail (the console always sends one). */
  reason?: string;
}

/** An operator who works a queue, as `GET /api/queues/{queue}/operators` names them. */
export interface QueueOperator {
  name: string;
  /** Product and business roles of the key. */
  roles: string[];
}
