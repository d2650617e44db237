/**
 * What callers see: records turned into response bodies, with access decisions (who may read a
 * case, who sees its sensitive fields) in one place so every response that carries case data
 * masks the same way.
 */
import type { FlowDefinition, Issue, Lang } from '@flowpath/engine';
import { caseFields, formatIssue } from '@flowpath/engine';
import type { AuditEntryRecord, CaseRecord, TaskRecord, TimerRecord, OutboxRecord } from '../store/store';
import { maskData, maskOutboxPayload, maskRecord, maskText, maskTexts, maskValue, sensitiveFields, sensitiveTexts } from '../runtime/masking';
import { hasRole, looksAfterQueue, type Principal } from './auth';
import { notFound } from './problem';

/** May the caller read this case at all? An app key reads only the cases it started. */
export function canReadCase(p: Principal, c: CaseRecord): boolean {
  if (hasRole(p, 'auditor', 'owner', 'analyst', 'operator', 'supervisor')) return true;
  return p.roles.has('app') && c.createdBy === p.name;
}

/** 404 (not 403) for a case the caller may not read, so app keys cannot probe other apps' case ids. */
export function assertCanReadCase(p: Principal, c: CaseRecord | undefined, id: string): asserts c is CaseRecord {
  if (!c || !canReadCase(p, c)) throw notFound('case.not-found', `There is no case ${id}.`);
}

/**
 * Who sees sensitive fields unmasked: admin and auditor; the app that started the case (it sent
 * the data); operators and supervisors of a queue the case has or had a task in. Everyone else
 * sees them masked.
 */
export function seesSensitive(p: Principal, c: CaseRecord, tasks: readonly TaskRecord[]): boolean {
  if (p.roles.has('admin') || p.roles.has('auditor')) return true;
  if (p.roles.has('app') && c.createdBy === p.name) return true;
  return (p.roles.has('operator') || p.roles.has('supervisor')) && tasks.some((t) => looksAfterQueue(p, t.queue) || t.assignee === p.name);
}

/** Where a task stands against its time limit at `now`. */
export function taskSla(t: TaskRecord, now: string): 'none' | 'ok' | 'warning' | 'breached' {
  if (!t.dueAt) return 'none';
  const until = t.closedAt ?? now;
  if (until >= t.dueAt) return 'breached';
  if (t.warnAt && until >= t.warnAt) return 'warning';
  return 'ok';
}

/**
 * Who sees a task's customer reference unmasked: admin and auditor, and operators or supervisors of
 * its queue or its assignee, who see the case's sensitive fields too (seesSensitive). The work list has no flow
 * definition at hand, so for anyone else the reference is masked whether or not its field is
 * sensitive: over-masking, never under-masking.
 */
export function seesTaskSensitive(p: Principal, t: TaskRecord): boolean {
  if (p.roles.has('admin') || p.roles.has('auditor')) return true;
  return (p.roles.has('operator') || p.roles.has('supervisor')) && (looksAfterQueue(p, t.queue) || t.assignee === p.name);
}

/** A task for a response; `maskRef` masks its customer reference (see seesTaskSensitive). */
export function taskView(t: TaskRecord, now: string, maskRef: boolean): Record<string, unknown> {
  return {
    id: t.id,
    caseId: t.caseId,
    flow: t.flowKey,
    version: t.version,
    customerRef: maskRef && t.customerRef !== null ? (maskValue(t.customerRef) as string) : t.customerRef,
    branch: t.branch,
    channel: t.channel,
    nodeId: t.nodeId,
    name: t.name,
    queue: t.queue,
    roles: t.roles,
    priority: t.priority,
    form: t.form,
    dueAt: t.dueAt,
    warnAt: t.warnAt,
    sla: taskSla(t, now),
    status: t.status,
    assignee: t.assignee,
    completedBy: t.completedBy,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    closedAt: t.closedAt,
  };
}

/** The list form of a case. */
export function caseSummaryView(c: CaseRecord, def: FlowDefinition, unmasked: boolean): Record<string, unknown> {
  const maskRef = !unmasked && c.customerRef !== null && customerRefSensitive(def);
  return {
    id: c.id,
    flow: c.flowKey,
    version: c.version,
    status: c.status,
    outcome: c.state.outcome ?? null,
    priority: c.priority,
    customerRef: maskRef ? (maskValue(c.customerRef) as string) : c.customerRef,
    branch: c.branch,
    waitingAt: c.waitingAt,
    breached: c.breached,
    openIncidents: c.openIncidents,
    createdBy: c.createdBy,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** True when the field marked `customerRef` is sensitive itself or lies inside a sensitive field. */
function customerRefSensitive(def: FlowDefinition): boolean {
  const ref = caseFields(def.caseSchema).find((f) => f.field.customerRef);
  if (!ref) return false;
  const segs = ref.path.split('.');
  return sensitiveFields(def.caseSchema).paths.some((p) => {
    const plain = p.filter((x) => x !== '*');
    return plain.length <= segs.length && plain.every((seg, i) => seg === segs[i]);
  });
}

/** The full case, as GET /api/cases/{id} returns it. */
export function caseView(
  c: CaseRecord,
  def: FlowDefinition,
  tasks: readonly TaskRecord[],
  history: readonly AuditEntryRecord[],
  unmasked: boolean,
  now: string,
): Record<string, unknown> {
  const s = sensitiveFields(def.caseSchema);
  const state = c.state;
  // The summary's fields first, then the rest, added one by one: an object literal that starts with
  // a spread and goes on with more members takes V8 (Node 20) microseconds per member.
  const view = caseSummaryView(c, def, unmasked);
  view.data = unmasked ? state.data : maskData(state.data, s);
  view.masked = !unmasked && s.paths.length > 0;
  view.waits = state.tokens
    .filter((t) => t.wait !== undefined)
    .map((t) => {
      const w = t.wait as NonNullable<typeof t.wait>;
      const wait: Record<string, unknown> = { nodeId: t.nodeId, tokenId: t.id, type: w.type, since: t.since };
      if (w.type === 'task') {
        const task = tasks.find((x) => x.engineTaskId === w.taskId);
        if (task) wait.taskId = task.id;
      }
      if (w.type === 'message') wait.message = w.message;
      if (w.type === 'timer') wait.timerId = w.timerId;
      if (w.type === 'incident') wait.incidentId = w.incidentId;
      return wait;
    });
  view.tasks = tasks.filter((t) => t.status === 'open' || t.status === 'claimed').map((t) => taskView(t, now, !unmasked && customerRefSensitive(def)));
  view.sla = state.slas;
  view.breaches = state.breaches;
  view.flags = unmasked ? state.flags : (maskRecord(state.flags, s) as unknown[]);
  // A connector's error may quote what it was sent.
  view.incidents = unmasked ? state.incidents : state.incidents.map((i) => ({ ...i, message: maskText(i.message, sensitiveTexts(state.data, s)) }));
  view.history = history.map((h) => ({
    seq: h.seq,
    at: h.at,
    type: typeof h.entry?.type === 'string' ? h.entry.type : 'unknown',
    nodeId: typeof h.entry?.nodeId === 'string' ? h.entry.nodeId : null,
    actor: h.actor,
  }));
  view.parentCaseId = c.parentCaseId;
  view.startedAt = state.startedAt;
  view.endedAt = state.endedAt ?? null;
  return view;
}

/** One audit entry for a response; details and rule traces masked unless the caller may see them. */
export function auditView(e: AuditEntryRecord, def: FlowDefinition | undefined, unmasked: boolean, texts: readonly string[] = []): Record<string, unknown> {
  const entry = (e.entry ?? { type: 'unreadable', details: {} }) as Record<string, unknown>;
  const s = sensitiveFields(def?.caseSchema);
  // Keys naming sensitive fields are masked; so is any sensitive value of the case quoted in free
  // text (an incident's error, a reason typed by a person).
  const shown = unmasked ? entry : (maskTexts(maskRecord(entry, s), texts) as Record<string, unknown>);
  // The structural fields are never personal data; keep them as recorded.
  return {
    ...shown,
    type: entry.type,
    nodeId: entry.nodeId,
    tokenId: entry.tokenId,
    version: entry.version,
    details: shown.details ?? {},
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    hash: e.hash,
    prevHash: e.prevHash,
  };
}

export function timerView(t: TimerRecord, texts: readonly string[] = []): Record<string, unknown> {
  return {
    timerId: t.timerId,
    purpose: t.purpose,
    nodeId: t.nodeId,
    dueAt: t.dueAt,
    status: t.status,
    firedAt: t.firedAt,
    attempts: t.attempts,
    lastError: t.lastError === null ? null : maskText(t.lastError, texts),
  };
}

export function outboxView(o: OutboxRecord, def: FlowDefinition | undefined, unmasked: boolean, texts: readonly string[] = []): Record<string, unknown> {
  return {
    id: o.id,
    kind: o.kind,
    payload: unmasked ? o.payload : maskTexts(maskOutboxPayload(o.payload, def, sensitiveFields(def?.caseSchema)), texts),
    status: o.status,
    attempts: o.attempts,
    lastError: unmasked || o.lastError === null ? o.lastError : maskText(o.lastError, texts),
    createdAt: o.createdAt,
    doneAt: o.doneAt,
  };
}

/** Issues with their message in the caller's language. */
export function issuesView(issues: readonly Issue[], lang: Lang): Record<string, unknown>[] {
  return issues.map((i) => ({ ...i, message: formatIssue(i, lang) }));
}

/** The caller's language from Accept-Language: zh-CN when it asks for Chinese first, else English. */
export function languageOf(header: string | undefined): Lang {
  if (!header) return 'en';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('zh') ? 'zh-CN' : 'en';
}
