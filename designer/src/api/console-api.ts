import type {
  AuditEntry,
  AuditVerification,
  CalendarRecord,
  CaseDetail,
  CaseEvent,
  CaseQuery,
  CaseSummary,
  CaseTimer,
  IfChanged,
  Page,
  QueueOperator,
  ReassignTarget,
  Task,
  TaskQuery,
} from './console-types';

/** The client's one request function: method, path, JSON body, extra headers. */
export type RequestFn = <T>(method: string, path: string, body?: Record<string, unknown> | unknown[], headers?: Record<string, string>) => Promise<T>;

/** A GET sent with `If-None-Match: etag` (when not null) that hands back a 304 instead of throwing. */
export type ConditionalGetFn = <T>(path: string, etag: string | null) => Promise<IfChanged<T>>;

/** What the operations console calls: work list, tasks, case search, case pages and their actions. */
export interface ConsoleApi {
  listTasks(query?: TaskQuery): Promise<Page<Task>>;
  /** The work list, unless it has not changed since the answer that carried `etag` (conditional polling). */
  listTasksIfChanged(query: TaskQuery, etag: string | null): Promise<IfChanged<Page<Task>>>;
  getTask(id: string): Promise<Task>;
  /** Claiming one's own claimed task is harmless; someone else's is a 409 `task.claimed`. */
  claimTask(id: string): Promise<Task>;
  releaseTask(id: string): Promise<Task>;
  /** A 422 carries `errors[]` with the path of each bad field (`/data/amount`). */
  completeTask(id: string, data: Record<string, unknown>): Promise<Task>;
  reassignTask(id: string, target: ReassignTarget): Promise<Task>;
  /** The operators who work a queue (the colleagues a task may go to); 403 for a queue the caller neither works nor supervises. */
  listQueueOperators(queue: string): Promise<QueueOperator[]>;
  listCases(query?: CaseQuery): Promise<Page<CaseSummary>>;
  getCase(id: string): Promise<CaseDetail>;
  /** One page of the audit trail, oldest first. */
  getCaseAudit(id: string, cursor?: string): Promise<Page<AuditEntry>>;
  verifyCaseAudit(id: string): Promise<AuditVerification>;
  listCaseTimers(id: string): Promise<CaseTimer[]>;
  listCaseEvents(id: string): Promise<CaseEvent[]>;
  /** Waits up to `waitSeconds` for the automatic steps the message sets off, so the answer shows where the case went. */
  sendMessage(id: string, name: string, data: Record<string, unknown>, waitSeconds?: number): Promise<CaseDetail>;
  cancelCase(id: string, reason: string): Promise<CaseDetail>;
  retryIncident(caseId: string, incidentId: string): Promise<CaseDetail>;
  getCalendar(id: string): Promise<CalendarRecord>;
}

/** `?a=1&b=x` from the defined values of a query object. */
export function queryString(query: Record<string, string | number | boolean | string[] | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '') continue;
    const text = Array.isArray(v) ? v.join(',') : String(v);
    if (text === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The console's methods over the client's request function. */
export function consoleApi(request: RequestFn, conditional: ConditionalGetFn): ConsoleApi {
  const enc = encodeURIComponent;
  const items = <T>(body: unknown): T[] => (body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items) ? (body as { items: T[] }).items : []);
  const page = <T>(body: unknown): Page<T> => ({
    items: items<T>(body),
    nextCursor: body && typeof body === 'object' && typeof (body as { nextCursor?: unknown }).nextCursor === 'string' ? (body as { nextCursor: string }).nextCursor : null,
  });
  return {
    async listTasks(query = {}) {
      return page<Task>(await request<unknown>('GET', `/api/tasks${queryString({ ...query })}`));
    },
    async listTasksIfChanged(query, etag) {
      const r = await conditional<unknown>(`/api/tasks${queryString({ ...query })}`, etag);
      return r.notModified ? r : { notModified: false, etag: r.etag, value: page<Task>(r.value) };
    },
    async getTask(id) {
      return request<Task>('GET', `/api/tasks/${enc(id)}`);
    },
    async claimTask(id) {
      return request<Task>('POST', `/api/tasks/${enc(id)}/claim`);
    },
    async releaseTask(id) {
      return request<Task>('POST', `/api/tasks/${enc(id)}/release`);
    },
    async completeTask(id, data) {
      return request<Task>('POST', `/api/tasks/${enc(id)}/complete`, { data });
    },
    async reassignTask(id, target) {
      return request<Task>('POST', `/api/tasks/${enc(id)}/reassign`, { ...target });
    },
    async listQueueOperators(queue) {
      return items<QueueOperator>(await request<unknown>('GET', `/api/queues/${enc(queue)}/operators`));
    },
    async listCases(query = {}) {
      return page<CaseSummary>(await request<unknown>('GET', `/api/cases${queryString({ ...query })}`));
    },
    async getCase(id) {
      return request<CaseDetail>('GET', `/api/cases/${enc(id)}`);
    },
    async getCaseAudit(id, cursor) {
      return page<AuditEntry>(await request<unknown>('GET', `/api/cases/${enc(id)}/audit${queryString({ cursor })}`));
    },
    async verifyCaseAudit(id) {
      return request<AuditVerification>('GET', `/api/cases/${enc(id)}/audit/verify`);
    },
    async listCaseTimers(id) {
      return items<CaseTimer>(await request<unknown>('GET', `/api/cases/${enc(id)}/timers`));
    },
    async listCaseEvents(id) {
      return items<CaseEvent>(await request<unknown>('GET', `/api/cases/${enc(id)}/events`));
    },
    async sendMessage(id, name, data, waitSeconds) {
      const headers: Record<string, string> = waitSeconds ? { Prefer: `wait=${waitSeconds}` } : {};
      return request<CaseDetail>('POST', `/api/cases/${enc(id)}/messages`, { name, data }, headers);
    },
    async cancelCase(id, reason) {
      return request<CaseDetail>('POST', `/api/cases/${enc(id)}/cancel`, reason ? { reason } : {});
    },
    async retryIncident(caseId, incidentId) {
      return request<CaseDetail>('POST', `/api/cases/${enc(caseId)}/incidents/${enc(incidentId)}/retry`);
    },
    async getCalendar(id) {
      return request<CalendarRecord>('GET', `/api/calendars/${enc(id)}`);
    },
  };
}
