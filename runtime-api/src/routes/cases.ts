/** Cases: start, read, search, messages, cancel, incidents, timers, events and the audit trail. */
import type { FlowDefinition, Issue, StepRejection } from '@flowpath/engine';
import { verifyAuditChain } from '../store/audit-chain';
import { hasRole, supervisesQueue, type Principal } from '../http/auth';
import { conflict, forbidden, notFound, unprocessable, type HttpProblem, type ProblemError } from '../http/problem';
import { route, type Reply, type RouteSpec } from '../http/route';
import { ref } from '../http/schemas';
import { assertCanReadCase, auditView, caseSummaryView, caseView, issuesView, languageOf, outboxView, seesSensitive, timerView } from '../http/views';
import { caseStream, type FlowpathRuntime, type TxScope } from '../runtime/runtime';
import { sensitiveFields, sensitiveTexts } from '../runtime/masking';
import type { AuditEntryRecord, CaseCursor, CaseFilter, CaseRecord, StoreTx, TaskRecord } from '../store/store';
import { ALL_ROLES, actorOf, assertTimeRange, decodeCursor, encodeCursor, idempotencyHeader, paging, preferHeader, preferWaitMs, queryTime, uuidParam, type Deps } from './common';
import { idempotent, requestHash } from './idempotency';

const caseIdParam = uuidParam('id', 'Case id.');

/** Most history lines GET /api/cases/{id} carries; the audit endpoint has all of them. */
const HISTORY_LIMIT = 500;

/** Engine refusals as HTTP problems: bad data 422, four-eyes 403, everything else a conflict with the case's state. */
export function rejectionProblem(r: StepRejection, lang: 'en' | 'zh-CN'): HttpProblem {
  const issues = Array.isArray(r.params.issues) ? (r.params.issues as Issue[]) : undefined;
  if (issues) {
    const errors: ProblemError[] = issuesView(issues, lang).map((i) => ({ path: String(i.path), code: String(i.code), message: String(i.message), params: i.params as Record<string, unknown> }));
    return unprocessable(r.code, r.code === 'task.data.invalid' ? 'The task data does not fit the form.' : 'The case data does not fit the flow\'s case schema.', errors);
  }
  if (r.code === 'task.four-eyes') return forbidden('task.four-eyes', 'Four eyes: you completed an earlier step of this case, so someone else must complete this one.');
  const detail: Record<string, string> = {
    'case.ended': 'The case has ended; it takes no more input.',
    'message.not-awaited': `Nothing in this case waits for the message ${String(r.params.name)} now.`,
    'task.not-open': 'The task is no longer open in this case.',
    'incident.not-open': 'The incident is not open (already retried or resolved).',
  };
  return conflict(r.code, detail[r.code] ?? `The case refused the input (${r.code}).`, { params: r.params });
}

/** The full case as this caller may see it. */
export async function readCaseView(rt: FlowpathRuntime, tx: StoreTx, p: Principal, c: CaseRecord): Promise<Record<string, unknown>> {
  const def = await rt.definitions.definition(tx, c.flowKey, c.version);
  const tasks = await tx.listCaseTasks(c.id);
  const head = await tx.auditHead(caseStream(c.id));
  const after = Math.max(0, (head?.seq ?? 0) - HISTORY_LIMIT);
  const history = await tx.listAudit(caseStream(c.id), after, HISTORY_LIMIT);
  return caseView(c, def, tasks, history, seesSensitive(p, c, tasks), rt.now());
}

/**
 * The view of a case its start step has just written, from what that step wrote: the case has no
 * task or history the step did not write, so this equals `readCaseView` without reading them back.
 */
export async function startedCaseView(
  rt: FlowpathRuntime,
  tx: StoreTx,
  p: Principal,
  c: CaseRecord,
  created: { tasks: TaskRecord[]; history: AuditEntryRecord[] },
): Promise<Record<string, unknown>> {
  const def = await rt.definitions.definition(tx, c.flowKey, c.version);
  return caseView(c, def, created.tasks, created.history.slice(-HISTORY_LIMIT), seesSensitive(p, c, created.tasks), rt.now());
}

function isCaseCursor(v: unknown): v is CaseCursor {
  return v !== null && typeof v === 'object' && typeof (v as CaseCursor).createdAt === 'string' && typeof (v as CaseCursor).id === 'string';
}

export function caseRoutes({ rt }: Deps): RouteSpec[] {
  const lang = (h: (n: string) => string | undefined) => languageOf(h('accept-language'));

  /** Loads a case the caller may read (404 otherwise) and steps it in one transaction. */
  const withCase = async <T>(p: Principal, id: string, fn: (tx: StoreTx, scope: TxScope, c: CaseRecord) => Promise<T>): Promise<T> =>
    rt.transact(async (tx, scope) => {
      const c = await tx.getCase(id);
      assertCanReadCase(p, c, id);
      return fn(tx, scope, c);
    });

  /** With `Prefer: wait=n`, lets automatic steps finish and answers with the case as it is then. */
  const awaitIfAsked = async (p: Principal, id: string, prefer: string | undefined, reply: Reply): Promise<Reply> => {
    const ms = preferWaitMs(prefer);
    if (ms === undefined || reply.headers?.['Idempotent-Replayed']) return reply;
    const c = await rt.awaitAutomaticSteps(id, ms);
    if (!c) return reply;
    const body = await rt.transact(async (tx) => readCaseView(rt, tx, p, (await tx.getCase(id)) ?? c));
    return { ...reply, body, headers: { ...reply.headers, 'Preference-Applied': `wait=${ms / 1000}` } };
  };

  return [
    route<{ flow: string; data: Record<string, unknown>; version?: number }>({
      method: 'post',
      path: '/api/cases',
      operationId: 'startCase',
      summary: 'Start a case',
      description:
        'The release policy chooses the version unless an owner names one. With an `Idempotency-Key`, a retry returns the first response and never starts a second case. ' +
        'Automatic steps (service tasks) run right after the response; follow the case with GET /api/cases/{id}.',
      tag: 'cases',
      roles: ['app', 'owner'],
      headers: { ...idempotencyHeader, ...preferHeader },
      body: { schema: ref('StartCase'), required: true },
      responses: {
        201: { description: 'Started.', schema: ref('Case'), headers: { Location: { description: 'The case.', schema: { type: 'string' } } } },
        200: { description: 'A replay of an earlier request with the same Idempotency-Key (header Idempotent-Replayed: true) carries the first status, 201.' },
      },
      errors: [404, 409, 422],
      handler: async ({ body, principal, header, req }) => {
        if (body.version !== undefined && !hasRole(principal, 'owner')) {
          throw forbidden('case.version.forbidden', 'Only an owner may start a case on a chosen version; apps get the release policy\'s choice.');
        }
        const key = header('idempotency-key');
        const hash = (): string => requestHash('POST', req.path, body);
        const reply = await rt.transact(async (tx, scope) =>
          idempotent(tx, principal, key, hash, rt.now(), async (): Promise<Reply> => {
            const out = await rt.startCase(tx, scope, {
              flowKey: body.flow,
              ...(body.version !== undefined ? { version: body.version } : {}),
              data: body.data,
              actor: actorOf(principal),
              createdBy: principal.name,
            });
            if ('rejected' in out) throw rejectionProblem(out.rejected, lang(header));
            return { status: 201, body: out.created ? await startedCaseView(rt, tx, principal, out.record, out.created) : await readCaseView(rt, tx, principal, out.record) };
          }),
        );
        const id = (reply.body as { id: string }).id;
        const waited = await awaitIfAsked(principal, id, header('prefer'), reply);
        return { ...waited, headers: { ...waited.headers, Location: `/api/cases/${id}` } };
      },
    }),

    route({
      method: 'get',
      path: '/api/cases',
      operationId: 'listCases',
      summary: 'Search cases (newest first)',
      description: 'An app key sees only the cases it started.',
      tag: 'cases',
      roles: ALL_ROLES,
      query: {
        flow: { schema: { type: 'string', maxLength: 64 }, description: 'Flow key.' },
        version: { schema: { type: 'integer', minimum: 1 }, description: 'Flow version.' },
        status: { schema: { enum: ['waiting', 'completed', 'terminated', 'cancelled'] }, description: 'Case status.' },
        waitingAt: { schema: { type: 'string', maxLength: 64 }, description: 'Node id where the case waits.' },
        breached: { schema: { type: 'boolean' }, description: 'Only cases that breached (true) or kept (false) every time limit.' },
        customerRef: { schema: { type: 'string', maxLength: 200 }, description: 'Customer reference (exact).' },
        branch: { schema: { type: 'string', maxLength: 100 }, description: 'Branch.' },
        incident: { schema: { type: 'boolean' }, description: 'Only cases with (true) or without (false) an open incident.' },
        startedFrom: { schema: { type: 'string', format: 'date-time', maxLength: 40 }, description: 'Cases started at or after this instant (ISO 8601 with offset).' },
        startedTo: { schema: { type: 'string', format: 'date-time', maxLength: 40 }, description: 'Cases started before this instant.' },
        ...paging,
      },
      responses: { 200: { description: 'A page of cases.', schema: ref('CaseList') } },
      errors: [400],
      handler: async ({ query, principal }) => {
        const filter: CaseFilter = {};
        if (query.flow !== undefined) filter.flowKey = String(query.flow);
        if (query.version !== undefined) filter.version = Number(query.version);
        if (query.status !== undefined) filter.status = query.status as CaseFilter['status'];
        if (query.waitingAt !== undefined) filter.waitingAt = String(query.waitingAt);
        if (query.breached !== undefined) filter.breached = query.breached === true;
        if (query.customerRef !== undefined) filter.customerRef = String(query.customerRef);
        if (query.branch !== undefined) filter.branch = String(query.branch);
        if (query.incident !== undefined) filter.hasIncident = query.incident === true;
        if (query.startedFrom !== undefined) filter.startedFrom = queryTime(query.startedFrom, 'startedFrom');
        if (query.startedTo !== undefined) filter.startedTo = queryTime(query.startedTo, 'startedTo');
        assertTimeRange(filter.startedFrom, filter.startedTo, 'startedFrom', 'startedTo');
        if (!hasRole(principal, 'auditor', 'owner', 'analyst', 'operator', 'supervisor')) filter.createdBy = principal.name;
        const limit = Number(query.limit ?? 50);
        const after = decodeCursor(query.cursor, isCaseCursor);
        const body = await rt.transact(async (tx) => {
          const rows = await tx.listCases(filter, limit + 1, after);
          const page = rows.slice(0, limit);
          const items = [];
          for (const c of page) {
            const def: FlowDefinition = await rt.definitions.definition(tx, c.flowKey, c.version);
            const tasks = principal.roles.has('operator') || principal.roles.has('supervisor') ? await tx.listCaseTasks(c.id) : [];
            items.push(caseSummaryView(c, def, seesSensitive(principal, c, tasks)));
          }
          const last = page.at(-1);
          return { items, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null };
        });
        return { status: 200, body };
      },
    }),

    route({
      method: 'get',
      path: '/api/cases/{id}',
      operationId: 'getCase',
      summary: 'Read a case: status, version, data, where it waits, open tasks, SLA state, flags, incidents, history',
      description: 'Sensitive fields are masked unless the caller is admin or auditor, the app that started the case, or an operator or supervisor of one of its queues.',
      tag: 'cases',
      roles: ALL_ROLES,
      params: caseIdParam,
      responses: { 200: { description: 'The case.', schema: ref('Case') } },
      errors: [404],
      handler: async ({ params, principal }) => ({
        status: 200,
        body: await withCase(principal, params.id as string, (tx, _s, c) => readCaseView(rt, tx, principal, c)),
      }),
    }),

    route<{ name: string; data?: Record<string, unknown> }>({
      method: 'post',
      path: '/api/cases/{id}/messages',
      operationId: 'sendMessage',
      summary: 'Send a named message (documents supplied, customer signed, bureau callback) to a waiting case',
      description: 'Its data is merged into the case data. 409 `message.not-awaited` when nothing in the case waits for that name now.',
      tag: 'cases',
      roles: ['app', 'operator', 'supervisor'],
      params: caseIdParam,
      headers: { ...idempotencyHeader, ...preferHeader },
      body: { schema: ref('Message'), required: true },
      responses: { 200: { description: 'The case after the message.', schema: ref('Case') } },
      errors: [404, 409, 422],
      handler: async ({ params, body, principal, header, req }) => {
        const id = params.id as string;
        const hash = (): string => requestHash('POST', req.path, body);
        const reply = await withCase(principal, id, async (tx, scope, c) =>
          idempotent(tx, principal, header('idempotency-key'), hash, rt.now(), async () => {
            const out = await rt.stepCase(tx, scope, c, { type: 'message', name: body.name, data: body.data ?? {}, actor: actorOf(principal) }, principal.name);
            if ('rejected' in out) throw rejectionProblem(out.rejected, lang(header));
            return { status: 200, body: await readCaseView(rt, tx, principal, out.record) };
          }),
        );
        return awaitIfAsked(principal, id, header('prefer'), reply);
      },
    }),

    route<{ reason?: string } | undefined>({
      method: 'post',
      path: '/api/cases/{id}/cancel',
      operationId: 'cancelCase',
      summary: 'Cancel a waiting case (its open tasks and timers are withdrawn)',
      description:
        'The app that started the case may cancel it, and a supervisor of a queue the case has or had a task in (with `*`, any case), ' +
        'who must give a `reason` (422 `case.reason.required`); the reason goes into the audit trail. Another app gets 404, a supervisor of other queues 403.',
      tag: 'cases',
      roles: ['app', 'supervisor'],
      params: caseIdParam,
      body: { schema: ref('CancelCase'), required: false },
      responses: { 200: { description: 'The cancelled case.', schema: ref('Case') } },
      errors: [404, 409, 422],
      handler: async ({ params, body, principal, header }) => {
        const id = params.id as string;
        const reason = body?.reason?.trim() ?? '';
        const view = await withCase(principal, id, async (tx, scope, c) => {
          if (!principal.roles.has('admin') && !(principal.roles.has('app') && c.createdBy === principal.name)) {
            if (!principal.roles.has('supervisor')) throw notFound('case.not-found', `There is no case ${id}.`);
            const queues = [...new Set((await tx.listCaseTasks(c.id)).map((t) => t.queue))];
            if (!principal.queues.includes('*') && !queues.some((q) => supervisesQueue(principal, q))) {
              throw forbidden('case.queue.forbidden', `The key ${principal.name} supervises none of the queues of case ${id}${queues.length ? ` (${queues.join(', ')})` : ''}.`);
            }
            if (!reason) throw unprocessable('case.reason.required', 'A supervisor cancelling a case must say why; the reason goes into the audit trail.', [{ path: '/reason', code: 'case.reason.required', message: 'give a reason' }]);
          }
          const out = await rt.stepCase(tx, scope, c, { type: 'cancel', ...(reason ? { reason } : {}), actor: actorOf(principal) }, principal.name);
          if ('rejected' in out) throw rejectionProblem(out.rejected, lang(header));
          return readCaseView(rt, tx, principal, out.record);
        });
        return { status: 200, body: view };
      },
    }),

    route({
      method: 'post',
      path: '/api/cases/{id}/incidents/{incidentId}/retry',
      operationId: 'retryIncident',
      summary: 'Retry the step an incident stopped (a connector that kept failing)',
      tag: 'cases',
      roles: ['operator', 'supervisor'],
      params: { ...caseIdParam, incidentId: { schema: { type: 'string', minLength: 1, maxLength: 100 }, description: 'Incident id (from the case).' } },
      responses: { 200: { description: 'The case after the retry was scheduled.', schema: ref('Case') } },
      errors: [404, 409],
      handler: async ({ params, principal, header }) => {
        const id = params.id as string;
        const view = await withCase(principal, id, async (tx, scope, c) => {
          if (!c.state.incidents.some((i) => i.id === params.incidentId)) throw notFound('incident.not-found', `Case ${id} has no open incident ${String(params.incidentId)}.`);
          const out = await rt.stepCase(tx, scope, c, { type: 'incident.retry', incidentId: params.incidentId as string, actor: actorOf(principal) }, principal.name);
          if ('rejected' in out) throw rejectionProblem(out.rejected, lang(header));
          return readCaseView(rt, tx, principal, out.record);
        });
        return { status: 200, body: view };
      },
    }),

    route({
      method: 'get',
      path: '/api/cases/{id}/timers',
      operationId: 'listCaseTimers',
      summary: 'The case\'s timers: SLA warnings and breaches, timer waits, retries, with their state',
      tag: 'cases',
      roles: ALL_ROLES,
      params: caseIdParam,
      responses: { 200: { description: 'By due time.', schema: ref('TimerList') } },
      errors: [404],
      handler: async ({ params, principal }) => {
        const items = await withCase(principal, params.id as string, async (tx, _s, c) => {
          const timers = await tx.listCaseTimers(c.id);
          if (seesSensitive(principal, c, await tx.listCaseTasks(c.id))) return timers.map((t) => timerView(t));
          // A failed firing's error may quote case data.
          const def = await rt.definitions.definition(tx, c.flowKey, c.version);
          const texts = sensitiveTexts(c.state.data, sensitiveFields(def?.caseSchema));
          return timers.map((t) => timerView(t, texts));
        });
        return { status: 200, body: { items } };
      },
    }),

    route({
      method: 'get',
      path: '/api/cases/{id}/events',
      operationId: 'listCaseEvents',
      summary: 'What the case sent out: connector calls, sub-flows, events and notifications, with delivery state',
      tag: 'cases',
      roles: ALL_ROLES,
      params: caseIdParam,
      responses: { 200: { description: 'Oldest first.', schema: ref('CaseEventList') } },
      errors: [404],
      handler: async ({ params, principal }) => {
        const items = await withCase(principal, params.id as string, async (tx, _s, c) => {
          const def = await rt.definitions.definition(tx, c.flowKey, c.version);
          const unmasked = seesSensitive(principal, c, await tx.listCaseTasks(c.id));
          const texts = unmasked ? [] : sensitiveTexts(c.state.data, sensitiveFields(def?.caseSchema));
          return (await tx.listCaseOutbox(c.id)).map((o) => outboxView(o, def, unmasked, texts));
        });
        return { status: 200, body: { items } };
      },
    }),

    route({
      method: 'get',
      path: '/api/cases/{id}/audit',
      operationId: 'getCaseAudit',
      summary: 'The case\'s audit trail: every step, rule hit, actor and version, hash-chained',
      tag: 'audit',
      roles: ALL_ROLES,
      params: caseIdParam,
      query: {
        limit: { schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 }, description: 'Page size (1..1000).' },
        cursor: paging.cursor,
      },
      responses: { 200: { description: 'Oldest first.', schema: ref('AuditList') } },
      errors: [400, 404],
      handler: async ({ params, principal, query }) => {
        const limit = Number(query.limit ?? 1000);
        const after = decodeCursor(query.cursor, (v): v is { seq: number } => v !== null && typeof v === 'object' && Number.isInteger((v as { seq: unknown }).seq));
        const body = await withCase(principal, params.id as string, async (tx, _s, c) => {
          const def = await rt.definitions.definition(tx, c.flowKey, c.version);
          const unmasked = seesSensitive(principal, c, await tx.listCaseTasks(c.id));
          const rows = await tx.listAudit(caseStream(c.id), after?.seq ?? 0, limit + 1);
          const page = rows.slice(0, limit);
          const last = page.at(-1);
          const texts = unmasked ? [] : sensitiveTexts(c.state.data, sensitiveFields(def?.caseSchema));
          return {
            stream: caseStream(c.id),
            items: page.map((e) => auditView(e, def, unmasked, texts)),
            nextCursor: rows.length > limit && last ? encodeCursor({ seq: last.seq }) : null,
          };
        });
        return { status: 200, body };
      },
    }),

    route({
      method: 'get',
      path: '/api/cases/{id}/audit/verify',
      operationId: 'verifyCaseAudit',
      summary: 'Check the case\'s audit hash chain: an edited, inserted or deleted entry is reported with its sequence number',
      tag: 'audit',
      roles: ['auditor', 'owner'],
      params: caseIdParam,
      responses: { 200: { description: 'The verdict (ok false names the first broken entry).', schema: ref('AuditVerification') } },
      errors: [404],
      handler: async ({ params, principal }) => {
        const body = await withCase(principal, params.id as string, async (tx, _s, c) => {
          const stream = caseStream(c.id);
          const result = verifyAuditChain(await tx.listAudit(stream), await tx.auditHead(stream));
          return { stream, caseId: c.id, ...result };
        });
        return { status: 200, body };
      },
    }),
  ];
}
