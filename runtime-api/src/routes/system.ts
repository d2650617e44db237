/** Calendars, connectors, health, the caller's identity and the OpenAPI document. */
import { cnMainlandCalendar, validateCalendar, type BusinessCalendar } from '@flowpath/engine';
import { conflict, notFound, unprocessable } from '../http/problem';
import { route, type RouteSpec } from '../http/route';
import { ref } from '../http/schemas';
import { issuesView, languageOf } from '../http/views';
import { StoreConflictError, type CalendarRecord } from '../store/store';
import { ALL_ROLES, etag, ifMatchRevision, type Deps } from './common';

const calendarParam = { id: { schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }, description: 'Calendar id, e.g. cn-mainland.' } };

/** The stored calendar, or the built-in default (revision 0) when it was never stored. */
function builtIn(id: string): CalendarRecord | undefined {
  return id === cnMainlandCalendar.id
    ? { id, calendar: cnMainlandCalendar as unknown as Record<string, unknown>, revision: 0, updatedBy: 'flowpath', updatedAt: new Date(0).toISOString() }
    : undefined;
}

function calendarView(c: CalendarRecord): Record<string, unknown> {
  return { id: c.id, revision: c.revision, updatedBy: c.revision === 0 ? null : c.updatedBy, updatedAt: c.revision === 0 ? null : c.updatedAt, calendar: c.calendar };
}

export function systemRoutes({ rt }: Deps, openapi: () => Record<string, unknown>): RouteSpec[] {
  const startedAt = Date.now();
  return [
    route({
      method: 'get',
      path: '/api/health',
      operationId: 'health',
      summary: 'Liveness and readiness: store reachable, timers due, outbox backlog',
      tag: 'system',
      roles: 'public',
      responses: { 200: { description: 'Serving.', schema: ref('Health') }, 503: { description: 'The store does not answer.', schema: ref('Health') } },
      errors: [],
      handler: async () => {
        const now = rt.now();
        let ok = true;
        let due = 0;
        let pending = 0;
        try {
          await rt.store.ping();
          due = await rt.store.countDueTimers(now);
          pending = await rt.store.countPendingOutbox();
        } catch {
          ok = false;
        }
        return {
          status: ok ? 200 : 503,
          body: {
            status: ok ? 'ok' : 'degraded',
            store: { kind: rt.store.kind, ok },
            time: now,
            uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
            timers: { due, lastRunAt: rt.scheduler.lastRunAt },
            outbox: { pending },
          },
        };
      },
    }),

    route({
      method: 'get',
      path: '/api/openapi.json',
      operationId: 'openapi',
      summary: 'This API as an OpenAPI 3.1 document',
      tag: 'system',
      roles: 'public',
      responses: { 200: { description: 'The document.', schema: { type: 'object' } } },
      errors: [],
      handler: async () => ({ status: 200, body: openapi() }),
    }),

    route({
      method: 'get',
      path: '/api/me',
      operationId: 'whoami',
      summary: 'The caller\'s key name, roles and queues',
      tag: 'system',
      roles: ALL_ROLES,
      responses: { 200: { description: 'The caller.', schema: ref('Whoami') } },
      errors: [],
      handler: async ({ principal }) => ({ status: 200, body: { name: principal.name, roles: [...principal.roles], queues: [...principal.queues] } }),
    }),

    route({
      method: 'get',
      path: '/api/connectors',
      operationId: 'listConnectors',
      summary: 'The connectors service tasks can name',
      tag: 'system',
      roles: ALL_ROLES,
      responses: { 200: { description: 'By name.', schema: ref('ConnectorList') } },
      errors: [],
      handler: async () => ({ status: 200, body: { items: rt.connectors.list() } }),
    }),

    route({
      method: 'get',
      path: '/api/calendars',
      operationId: 'listCalendars',
      summary: 'Business calendars (working days, hours, holidays, make-up working days)',
      tag: 'calendars',
      roles: ALL_ROLES,
      responses: { 200: { description: 'By id.', schema: ref('CalendarList') } },
      errors: [],
      handler: async () => {
        const stored = await rt.store.listCalendars();
        const all = [...stored];
        const def = builtIn(cnMainlandCalendar.id) as CalendarRecord;
        if (!stored.some((c) => c.id === def.id)) all.push(def);
        all.sort((a, b) => a.id.localeCompare(b.id));
        return { status: 200, body: { items: all.map(calendarView) } };
      },
    }),

    route({
      method: 'get',
      path: '/api/calendars/{id}',
      operationId: 'getCalendar',
      summary: 'One business calendar',
      tag: 'calendars',
      roles: ALL_ROLES,
      params: calendarParam,
      responses: { 200: { description: 'The calendar.', schema: ref('CalendarRecord'), headers: { ETag: { description: 'The revision.', schema: { type: 'string' } } } } },
      errors: [404],
      handler: async ({ params }) => {
        const id = params.id as string;
        const c = (await rt.store.getCalendar(id)) ?? builtIn(id);
        if (!c) throw notFound('calendar.not-found', `There is no calendar ${id}.`);
        return { status: 200, body: calendarView(c), headers: { ETag: etag(c.revision) } };
      },
    }),

    route<BusinessCalendar>({
      method: 'put',
      path: '/api/calendars/{id}',
      operationId: 'putCalendar',
      summary: 'Create or replace a business calendar (e.g. next year\'s holidays)',
      description: 'Running SLA clocks keep the due times computed when they started; new clocks use the new calendar.',
      tag: 'calendars',
      roles: ['owner'],
      params: calendarParam,
      headers: { 'If-Match': { schema: { type: 'string' }, description: 'Optional: the revision being replaced.' } },
      body: { schema: ref('Calendar'), required: true },
      responses: { 200: { description: 'Saved.', schema: ref('CalendarRecord'), headers: { ETag: { description: 'The revision.', schema: { type: 'string' } } } } },
      errors: [409, 422],
      handler: async ({ params, body, principal, header }) => {
        const id = params.id as string;
        const lang = languageOf(header('accept-language'));
        const issues = validateCalendar(body, '').filter((i) => i.severity === 'error');
        if (body.id !== id) issues.push({ code: 'calendar.id.mismatch', severity: 'error', path: '/id', params: { value: body.id, expected: id } });
        const errors = issuesView(issues, lang).map((i) => ({ path: String(i.path), code: String(i.code), message: String(i.message), params: i.params as Record<string, unknown> }));
        if (errors.length) throw unprocessable('calendar.invalid', 'The calendar is not valid.', errors);
        const expected = ifMatchRevision(header('if-match'));
        const at = rt.now();
        const saved = await rt.transact(async (tx) => {
          const current = await tx.getCalendar(id);
          let rec: CalendarRecord;
          try {
            rec = await tx.putCalendar(id, body as unknown as Record<string, unknown>, expected ?? current?.revision ?? 0, principal.name, at);
          } catch (e) {
            if (e instanceof StoreConflictError) throw conflict('calendar.revision.stale', `The calendar is at revision ${String(e.current?.revision)}.`, { currentRevision: e.current?.revision });
            throw e;
          }
          await rt.audit(tx, `calendar:${id}`, [{ at, actor: principal.name, entry: { type: 'calendar.saved', at, details: { revision: rec.revision } } }]);
          return rec;
        });
        return { status: 200, body: calendarView(saved), headers: { ETag: etag(saved.revision) } };
      },
    }),
  ];
}
