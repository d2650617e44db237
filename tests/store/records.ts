/**
 * Records for the conformance suite, built from a few fields with the rest filled in. The store
 * checks none of the engine's rules, so the states are small but shaped like real ones.
 */
import type { CaseFacts, CaseState, FlowDefinition } from '@flowpath/engine';
import type { CaseFactsRecord, CaseRecord, FlowRecord, OutboxRecord, Store, TaskRecord, TimerRecord } from '@flowpath/runtime-api';

/** A fixed moment, and moments around it, as the ISO text the stores keep. */
export const T0 = '2026-03-02T09:00:00.000Z';

/** `T0` plus `ms` milliseconds. */
export function at(ms: number): string {
  return new Date(Date.parse(T0) + ms).toISOString();
}

export function flowRecord(key: string, draft: Record<string, unknown> = { key, name: { en: key } }): FlowRecord {
  return { key, draft, draftRevision: 1, owner: null, createdBy: 'analyst', createdAt: T0, updatedBy: 'analyst', updatedAt: T0 };
}

export function caseState(id: string, data: Record<string, unknown> = {}): CaseState {
  return {
    id,
    flowKey: 'loan',
    version: 1,
    status: 'waiting',
    data,
    priority: 0,
    tokens: [],
    visits: {},
    flags: [],
    slas: [],
  } as unknown as CaseState;
}

export function caseRecord(id: string, over: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id,
    flowKey: 'loan',
    version: 1,
    status: 'waiting',
    state: caseState(id, { amount: 1000 }),
    customerRef: null,
    branch: null,
    priority: 0,
    breached: false,
    openIncidents: 0,
    waitingAt: ['review'],
    createdBy: 'app',
    parentCaseId: null,
    parentRequestId: null,
    rowVersion: 1,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function taskRecord(id: string, caseId: string, over: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id,
    caseId,
    engineTaskId: `t-${id}`,
    tokenId: 'tok-1',
    nodeId: 'review',
    flowKey: 'loan',
    version: 1,
    customerRef: null,
    branch: null,
    channel: null,
    name: { 'zh-CN': '审核', en: 'Review' },
    queue: 'credit-approval',
    roles: ['credit-officer'],
    priority: 0,
    form: [{ key: 'approved', type: 'boolean', label: { en: 'Approved' }, required: true }] as unknown as TaskRecord['form'],
    dueAt: null,
    warnAt: null,
    excludedActors: [],
    status: 'open',
    assignee: null,
    completedBy: null,
    createdAt: T0,
    updatedAt: T0,
    closedAt: null,
    rowVersion: 1,
    ...over,
  };
}

export function timerRecord(caseId: string, timerId: string, dueAt: string, over: Partial<TimerRecord> = {}): TimerRecord {
  return {
    caseId,
    timerId,
    dueAt,
    runAt: dueAt,
    purpose: 'sla.breach',
    nodeId: 'review',
    status: 'scheduled',
    attempts: 0,
    lastError: null,
    createdAt: T0,
    firedAt: null,
    ...over,
  };
}

export function outboxRecord(id: string, runAt: string, over: Partial<OutboxRecord> = {}): OutboxRecord {
  return {
    id,
    caseId: null,
    kind: 'event',
    payload: { name: 'case.started', n: id },
    status: 'pending',
    attempts: 0,
    runAt,
    leaseOwner: null,
    leaseUntil: null,
    lastError: null,
    createdAt: runAt,
    doneAt: null,
    ...over,
  };
}

/** A flow definition good enough to store as a version (the store does not validate it). */
export function definition(key: string): FlowDefinition {
  return { key, name: { en: key }, nodes: [], edges: [] } as unknown as FlowDefinition;
}

/** Inserts the flow `loan` and the cases, for tests that need rows to refer to. */
export async function seedCases(store: Store, ids: string[], over: Partial<CaseRecord> = {}): Promise<void> {
  await store.transaction(async (tx) => {
    for (const id of ids) await tx.insertCase(caseRecord(id, over));
  });
}

/**
 * Documents that a careless store would change: key order, U+0000 and unpaired surrogates in
 * strings, non-BMP characters, numbers at the edges of what JSON round-trips, deep nesting.
 */
export const awkwardDocument: Record<string, unknown> = {
  zeta: 1,
  alpha: 'first key written last in the alphabet',
  nul: 'a\u0000b',
  lone: 'x\ud800y',
  emoji: '客户 😀 Ω',
  numbers: [0, -1, 1.5, 0.1 + 0.2, 1e21, 5e-324, Number.MAX_SAFE_INTEGER, -0],
  nested: { b: [{ y: null, x: true }], a: {} },
  empty: '',
  quote: 'he said "\\n" \n\t',
};

/** A process-health facts row of a waiting case of flow `loan` (branch SH01). */
export function factsRecord(caseId: string, over: Partial<CaseFactsRecord> = {}): CaseFactsRecord {
  return {
    caseId,
    flowKey: 'loan',
    version: 1,
    status: 'waiting',
    outcome: null,
    startedAt: T0,
    endedAt: null,
    cycleMs: null,
    cycleWorkingMs: null,
    stp: null,
    rework: 0,
    incidents: 0,
    caseSla: null,
    dims: { branch: 'SH01' },
    facts: { tasks: [], work: [], dims: { branch: 'SH01' } } as unknown as CaseFacts,
    seq: 1,
    updatedAt: T0,
    ...over,
  };
}
