/** Tasks: the work list, claim, release, complete and reassign. */
import { createHash } from 'node:crypto';
import { validateTaskData } from '@flowpath/engine';
import { hasRole, looksAfterQueue, worksQueue, type Principal } from '../http/auth';
import { HttpProblem, conflict, forbidden, notFound, unprocessable } from '../http/problem';
import { route, type RouteSpec } from '../http/route';
import { ref } from '../http/schemas';
import { issuesView, languageOf, seesTaskSensitive, taskView } from '../http/views';
import { caseStream, type TxScope } from '../runtime/runtime';
import type { CaseRecord, StoreTx, TaskCursor, TaskFilter, TaskRecord, TaskStatus } from '../store/store';
import { actorOf, assertTimeRange, decodeCursor, encodeCursor, idempotencyHeader, ifNoneMatchHits, paging, queryTime, uuidParam, type Deps } from './common';
import { rejectionProblem } from './cases';
import { idempotent, requestHash } from './idempotency';

const taskIdParam = uuidParam('id', 'Task id.');

function isTaskCursor(v: unknown): v is TaskCursor {
  if (v === null || typeof v !== 'object') return false;
  const c = v as TaskCursor;
  return typeof c.priority === 'number' && (c.dueAt === null || typeof c.dueAt === 'string') && typeof c.createdAt === 'string' && typeof c.id === 'string';
}

/** May the caller see this task? Admin and auditor see all; operators and supervisors those of their queues, operators also those assigned to them. */
function canSeeTask(p: Principal, t: TaskRecord): boolean {
  return hasRole(p, 'auditor') || looksAfterQueue(p, t.queue) || t.assignee === p.name;
}

/** May the caller work this task: its queue, and one of its business roles when it names any. */
function assertCanWork(p: Principal, t: TaskRecord): void {
  if (p.roles.has('admin')) return;
  if (!worksQueue(p, t.queue) && t.assignee !== p.name) {
    throw forbidden('task.queue.forbidden', `The task is in queue ${t.queue}, which the key ${p.name} does not work.`);
  }
  if (t.roles.length > 0 && !t.roles.some((r) => p.roles.has(r))) {
    throw forbidden('task.role.missing', `The task needs one of the roles ${t.roles.join(', ')}.`);
  }
}

/** A task as this caller may see it. */
function viewFor(p: Principal, t: TaskRecord, now: string): Record<string, unknown> {
  return taskView(t, now, !seesTaskSensitive(p, t));
}

/**
 * The work list's validator: the change count of the listed queues (it moves whenever a task in
 * them is written), the caller and the query (the same counts answer different lists), and the
 * minute (SLA states and the `breached` filter move with the clock, not with writes).
 */
function workListTag(changes: number, p: Principal, query: Record<string, unknown>, now: string): string {
  const minute = Math.floor(Date.parse(now) / 60_000);
  const asked = Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const digest = createHash('sha256').update(JSON.stringify([p.name, asked, minute])).digest('base64url').slice(0, 16);
  return `W/"${changes}-${digest}"`;
}

function assertOpen(t: TaskRecord): void {
  if (t.status === 'completed') throw conflict('task.completed', `The task was already completed${t.completedBy ? ` by ${t.completedBy}` : ''}.`, { completedBy: t.completedBy });
  if (t.status === 'cancelled') throw conflict('task.cancelled', 'The task was withdrawn (the case moved on or ended).');
}

export function taskRoutes({ rt, keys }: Deps): RouteSpec[] {
  /** Loads a task the caller may see (404 otherwise) with its case, in one transaction. */
  const withTask = async <T>(p: Principal, id: string, fn: (tx: StoreTx, scope: TxScope, t: TaskRecord, c: CaseRecord) => Promise<T>): Promise<T> =>
    rt.transact(async (tx, scope) => {
      const t = await tx.getTask(id);
      if (!t) throw notFound('task.not-found', `There is no task ${id}.`);
      if (!canSeeTask(p, t)) throw forbidden('task.queue.forbidden', `The task is in queue ${t.queue}, which the key ${p.name} does not work.`);
      const c = (await tx.getCase(t.caseId)) as CaseRecord;
      return fn(tx, scope, t, c);
    });

  const auditTask = async (tx: StoreTx, c: CaseRecord, t: TaskRecord, type: string, actor: string, details: Record<string, unknown>): Promise<void> => {
    const at = rt.now();
    // `taskId` is the id the case's journal knows the task by (as in task.opened and task.completed),
    // so process health can follow a task from opened through claims to completion; `apiTaskId` is
    // the id of /api/tasks/{id}.
    await rt.audit(tx, caseStream(c.id), [
      { at, actor, entry: { type, at, nodeId: t.nodeId, actor, version: c.version, details: { taskId: t.engineTaskId, apiTaskId: t.id, ...details } } },
    ]);
  };

  return [
    route({
      method: 'get',
      path: '/api/tasks',
      operationId: 'listTasks',
      summary: 'The caller\'s work list: tasks of their queues, highest priority first, then earliest due',
      tag: 'tasks',
      roles: ['operator', 'supervisor', 'auditor'],
      query: {
        queue: { schema: { type: 'string', maxLength: 100 }, description: 'One of the caller\'s queues.' },
        status: {
          schema: { type: 'string', pattern: '^(open|claimed|completed|cancelled)(,(open|claimed|completed|cancelled))*$' },
          description: 'Comma-separated statuses (default open,claimed).',
        },
        assignee: { schema: { type: 'string', maxLength: 100 }, description: '`me` or a key name.' },
        caseId: { schema: { type: 'string', maxLength: 100 }, description: 'Tasks of one case.' },
        flow: { schema: { type: 'string', maxLength: 64 }, description: 'Tasks of one flow.' },
        branch: {
          schema: { type: 'string', maxLength: 1000, pattern: '^[^,]+(,[^,]+)*$' },
          description: 'Tasks of one branch, or of any of several, comma-separated (`B01,B02`).',
        },
        dueAfter: { schema: { type: 'string', format: 'date-time', maxLength: 40 }, description: 'Tasks due at or after this instant (ISO 8601 with offset). With `dueBefore`: "due today".' },
        dueBefore: { schema: { type: 'string', format: 'date-time', maxLength: 40 }, description: 'Tasks due before this instant; tasks without a due time never match.' },
        breached: { schema: { type: 'boolean' }, description: 'Only tasks past their due time now (true), or not (false), as `sla` says.' },
        ...paging,
      },
      headers: {
        'If-None-Match': {
          schema: { type: 'string', maxLength: 1000 },
          description: 'The `ETag` of an earlier answer to the same request: 304 with no body when the list has not changed since.',
        },
      },
      responses: {
        200: {
          description: 'A page of the work list.',
          schema: ref('TaskList'),
          headers: {
            ETag: { description: 'Weak validator of this list: send it back as `If-None-Match` to poll cheaply.', schema: { type: 'string' } },
            'Cache-Control': { description: '`private, no-cache`: keep it, but ask before reusing it.', schema: { type: 'string' } },
          },
        },
        304: {
          description:
            'Not modified: no task in the listed queues was opened, claimed, released, completed, reassigned or withdrawn since the `If-None-Match` tag ' +
            '(the tag also moves once a minute, as SLA states do).',
          headers: { ETag: { description: 'The same validator.', schema: { type: 'string' } } },
        },
      },
      errors: [400],
      handler: async ({ query, principal, header }) => {
        const all = hasRole(principal, 'auditor') || principal.queues.includes('*');
        let queues: string[] | undefined = all ? undefined : [...principal.queues];
        if (query.queue !== undefined) {
          const q = String(query.queue);
          if (queues && !queues.includes(q)) throw forbidden('task.queue.forbidden', `The key ${principal.name} does not work queue ${q}.`);
          queues = [q];
        }
        const now = rt.now();
        const dueAfter = query.dueAfter === undefined ? undefined : queryTime(query.dueAfter, 'dueAfter');
        const dueBefore = query.dueBefore === undefined ? undefined : queryTime(query.dueBefore, 'dueBefore');
        assertTimeRange(dueAfter, dueBefore, 'dueAfter', 'dueBefore');
        const filter: TaskFilter = {
          statuses: (query.status === undefined ? 'open,claimed' : String(query.status)).split(',') as TaskStatus[],
          ...(queues ? { queues } : {}),
          ...(query.caseId !== undefined ? { caseId: String(query.caseId) } : {}),
          ...(query.flow !== undefined ? { flowKey: String(query.flow) } : {}),
          ...(query.assignee !== undefined ? { assignee: query.assignee === 'me' ? principal.name : String(query.assignee) } : {}),
          ...(query.branch !== undefined ? { branches: [...new Set(String(query.branch).split(','))] } : {}),
          ...(dueAfter !== undefined ? { dueAfter } : {}),
          ...(dueBefore !== undefined ? { dueBefore } : {}),
          ...(query.breached !== undefined ? { breached: { value: query.breached === true, at: now } } : {}),
        };
        const limit = Number(query.limit ?? 50);
        const after = decodeCursor(query.cursor, isTaskCursor);
        // The count is read before the list: a change landing in between makes the tag older than
        // the list, so the next poll fetches again, never the reverse.
        const tag = workListTag(await rt.store.taskChanges(queues), principal, query, now);
        const cacheHeaders = { ETag: tag, 'Cache-Control': 'private, no-cache' };
        if (ifNoneMatchHits(header('if-none-match'), tag)) return { status: 304, headers: cacheHeaders };
        const rows = await rt.store.listTasks(filter, limit + 1, after);
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          status: 200,
          headers: cacheHeaders,
          body: {
            items: page.map((t) => viewFor(principal, t, now)),
            nextCursor: rows.length > limit && last ? encodeCursor({ priority: last.priority, dueAt: last.dueAt, createdAt: last.createdAt, id: last.id }) : null,
          },
        };
      },
    }),

    route({
      method: 'get',
      path: '/api/tasks/{id}',
      operationId: 'getTask',
      summary: 'Read a task: its form, queue, priority, due time and status',
      tag: 'tasks',
      roles: ['operator', 'supervisor', 'auditor'],
      params: taskIdParam,
      responses: { 200: { description: 'The task.', schema: ref('Task') } },
      errors: [404],
      handler: async ({ params, principal }) => ({ status: 200, body: await withTask(principal, params.id as string, async (_tx, _s, t) => viewFor(principal, t, rt.now())) }),
    }),

    route({
      method: 'post',
      path: '/api/tasks/{id}/claim',
      operationId: 'claimTask',
      summary: 'Claim a task so that colleagues do not work it too',
      description: 'Claiming a task one already holds is harmless; a task claimed by someone else is 409 `task.claimed`.',
      tag: 'tasks',
      roles: ['operator'],
      params: taskIdParam,
      responses: { 200: { description: 'The claimed task.', schema: ref('Task') } },
      errors: [404, 409],
      handler: async ({ params, principal }) => {
        const task = await withTask(principal, params.id as string, async (tx, _s, t, c) => {
          assertCanWork(principal, t);
          assertOpen(t);
          if (t.status === 'claimed') {
            if (t.assignee === principal.name) return t;
            throw conflict('task.claimed', `The task is claimed by ${t.assignee}.`, { assignee: t.assignee });
          }
          if (t.excludedActors.includes(principal.name)) throw forbidden('task.four-eyes', 'Four eyes: you completed an earlier step of this case, so someone else must take this one.');
          const now = rt.now();
          const next = await tx.updateTask({ ...t, status: 'claimed', assignee: principal.name, updatedAt: now });
          await auditTask(tx, c, t, 'task.claimed', principal.name, {});
          return next;
        });
        return { status: 200, body: viewFor(principal, task, rt.now()) };
      },
    }),

    route({
      method: 'post',
      path: '/api/tasks/{id}/release',
      operationId: 'releaseTask',
      summary: 'Give a claimed task back to its queue',
      tag: 'tasks',
      roles: ['operator'],
      params: taskIdParam,
      responses: { 200: { description: 'The task, open again.', schema: ref('Task') } },
      errors: [404, 409],
      handler: async ({ params, principal }) => {
        const task = await withTask(principal, params.id as string, async (tx, _s, t, c) => {
          assertOpen(t);
          if (t.status !== 'claimed') throw conflict('task.not-claimed', 'The task is not claimed.');
          if (t.assignee !== principal.name && !principal.roles.has('admin')) throw conflict('task.claimed', `The task is claimed by ${t.assignee}, not by you.`, { assignee: t.assignee });
          const next = await tx.updateTask({ ...t, status: 'open', assignee: null, updatedAt: rt.now() });
          await auditTask(tx, c, t, 'task.released', principal.name, { from: t.assignee });
          return next;
        });
        return { status: 200, body: viewFor(principal, task, rt.now()) };
      },
    }),

    route<{ data: Record<string, unknown> }>({
      method: 'post',
      path: '/api/tasks/{id}/complete',
      operationId: 'completeTask',
      summary: 'Complete a task with its form data; the case moves on',
      description:
        'The data is checked against the node\'s form fields (422 with the path of each bad field). An open task may be completed directly; ' +
        'one claimed by someone else, or already completed, is 409. With an `Idempotency-Key`, a retry returns the first response.',
      tag: 'tasks',
      roles: ['operator'],
      params: taskIdParam,
      headers: idempotencyHeader,
      body: { schema: ref('CompleteTask'), required: true },
      responses: { 200: { description: 'The completed task.', schema: ref('Task') } },
      errors: [404, 409, 422],
      handler: async ({ params, body, principal, header, req }) => {
        const lang = languageOf(header('accept-language'));
        const hash = (): string => requestHash('POST', req.path, body);
        return withTask(principal, params.id as string, async (tx, scope, t, c) =>
          idempotent(tx, principal, header('idempotency-key'), hash, rt.now(), async () => {
            assertCanWork(principal, t);
            assertOpen(t);
            if (t.status === 'claimed' && t.assignee !== principal.name) throw conflict('task.claimed', `The task is claimed by ${t.assignee}.`, { assignee: t.assignee });
            if (t.excludedActors.includes(principal.name)) throw forbidden('task.four-eyes', 'Four eyes: you completed an earlier step of this case, so someone else must complete this one.');
            const issues = validateTaskData(t.form, body.data).filter((i) => i.severity === 'error');
            if (issues.length > 0) {
              throw unprocessable(
                'task.data.invalid',
                'The task data does not fit the form.',
                issuesView(issues, lang).map((i) => ({ path: String(i.path), code: String(i.code), message: String(i.message), params: i.params as Record<string, unknown> })),
              );
            }
            if (t.status === 'open') {
              // Completing an open task claims it in passing, so the record shows who did it.
              t = await tx.updateTask({ ...t, status: 'claimed', assignee: principal.name, updatedAt: rt.now() });
            }
            const out = await rt.stepCase(tx, scope, c, { type: 'task.completed', taskId: t.engineTaskId, data: body.data, actor: actorOf(principal) }, principal.name);
            if ('rejected' in out) throw rejectionProblem(out.rejected, lang);
            const done = await tx.getTask(t.id);
            if (!done || done.status !== 'completed') throw new HttpProblem(500, 'task.close.missing', 'The engine did not close the task it completed.');
            return { status: 200, body: viewFor(principal, done, rt.now()) };
          }),
        );
      },
    }),

    route<{ queue?: string; assignee?: string | null; reason?: string }>({
      method: 'post',
      path: '/api/tasks/{id}/reassign',
      operationId: 'reassignTask',
      summary: 'Move a task to another queue and/or assign it to someone (operators and supervisors of the queue, admin)',
      description:
        'The assignee must be an operator of the target queue (GET /api/queues/{queue}/operators lists them). ' +
        'A `reason` (trimmed, 1..1000 characters) is recorded in the `task.reassigned` audit entry with the move; give one — the console always asks for it.',
      tag: 'tasks',
      roles: ['operator', 'supervisor'],
      params: taskIdParam,
      body: { schema: ref('ReassignTask'), required: true },
      responses: { 200: { description: 'The task after the move.', schema: ref('Task') } },
      errors: [404, 409, 422],
      handler: async ({ params, body, principal }) => {
        const task = await withTask(principal, params.id as string, async (tx, _s, t, c) => {
          if (!looksAfterQueue(principal, t.queue)) throw forbidden('task.queue.forbidden', `Only those who work or supervise queue ${t.queue} may reassign its tasks.`);
          assertOpen(t);
          const reason = body.reason?.trim();
          if (reason === '') {
            throw unprocessable('task.reason.blank', 'The reason is blank; give one, or leave it out.', [{ path: '/reason', code: 'task.reason.blank', message: 'a reason must have text' }]);
          }
          if (body.assignee && t.excludedActors.includes(body.assignee)) {
            throw unprocessable('task.four-eyes', `${body.assignee} completed an earlier step of this case and may not take this task.`, [
              { path: '/assignee', code: 'task.four-eyes', message: 'excluded by a four-eyes rule' },
            ]);
          }
          const queue = body.queue ?? t.queue;
          const assignee = body.assignee !== undefined ? body.assignee : body.queue !== undefined && body.queue !== t.queue ? null : t.assignee;
          if (body.assignee) {
            const target = keys.named(body.assignee);
            if (!target || !worksQueue(target, queue)) {
              throw unprocessable('task.assignee.invalid', `${body.assignee} is not an operator of queue ${queue}.`, [
                { path: '/assignee', code: 'task.assignee.invalid', message: `no operator ${body.assignee} works queue ${queue}` },
              ]);
            }
          }
          const next = await tx.updateTask({ ...t, queue, assignee, status: assignee ? 'claimed' : 'open', updatedAt: rt.now() });
          await auditTask(tx, c, t, 'task.reassigned', principal.name, { from: { queue: t.queue, assignee: t.assignee }, to: { queue, assignee }, ...(reason ? { reason } : {}) });
          return next;
        });
        return { status: 200, body: viewFor(principal, task, rt.now()) };
      },
    }),
  ];
}
