/**
 * The projection kept with every step (case_facts) must always equal a full recomputation from
 * the case's journal: after hundreds of random operator moves, messages, cancellations, timer
 * firings and escalations, every row is compared with `caseFacts` over the whole journal. Rows
 * that are missing or behind (cases from before the projection, journals written around it) are
 * caught up from the journal. All of it holds for both ways of keeping the rows: folded in each
 * step's transaction (inline, as on PostgreSQL) and folded from the journal after the steps
 * commit (deferred, the embedded store's default).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { caseFacts, cnMainlandCalendar, mulberry32, type AuditRecord, type FlowDefinition } from '@flowpath/engine';
import { FlowpathRuntime, auditRecordOf, caseStream, createApp, createManualClock, type CaseFactsRecord } from '@flowpath/runtime-api';
import { documentsFlow, reviewFlow, serviceFlow } from '../helpers/flows';
import { startServer, type Json, type KeyName, type TestServer } from '../helpers/server';
import { apiTestsOnPostgres } from '../store/api-store';
import { healthFlow, reworkFlow } from './flows';
import { bj } from './history';

const FLOWS = [healthFlow(), reworkFlow(), reviewFlow(), documentsFlow(), serviceFlow()];
const byKey = new Map<string, FlowDefinition>(FLOWS.map((f) => [f.key, f]));

/** PostgreSQL keeps no commit order of its journal: it folds inline only. */
const MODES = apiTestsOnPostgres ? (['inline'] as const) : (['inline', 'deferred'] as const);

describe.each(MODES)('%s projection', (mode) => {
  let s: TestServer;

  beforeAll(async () => {
    // The deferred projector folds only when asked (a health query, settle, drain), so that the
    // tests see the rows before and after.
    s = await startServer({ flows: FLOWS, clock: createManualClock(bj('2026-02-10T09:00:00')), healthProjection: mode, healthProjectionDelayMs: Infinity });
  });
  afterAll(async () => {
    await s.close();
  });

  async function journal(caseId: string): Promise<AuditRecord[]> {
    return (await s.store.listAudit(caseStream(caseId))).map(auditRecordOf).filter((r): r is AuditRecord => r !== undefined);
  }

  /** Every case's row against a recomputation from its whole journal. */
  async function expectProjectionCurrent(ids: readonly string[]): Promise<CaseFactsRecord[]> {
    await s.rt.factsProjector?.drain();
    const rows: CaseFactsRecord[] = [];
    for (const id of ids) {
      const row = await s.store.getCaseFacts(id);
      expect(row, id).toBeDefined();
      const c = await s.store.getCase(id);
      const recomputed = caseFacts(byKey.get(c!.flowKey)!, await journal(id), cnMainlandCalendar);
      expect(row!.facts, `${c!.flowKey} case ${id}`).toEqual(recomputed);
      expect(row!.seq).toBe((await s.store.auditHead(caseStream(id)))!.seq);
      expect({ status: row!.status, endedAt: row!.endedAt, cycleMs: row!.cycleMs, dims: row!.dims }).toEqual({
        status: recomputed.status,
        endedAt: recomputed.endedAt ?? null,
        cycleMs: recomputed.cycle?.[0] ?? null,
        dims: recomputed.dims,
      });
      rows.push(row!);
    }
    return rows;
  }

  describe('the projection after many random steps', () => {
    test('equals a full recomputation from the journal, case by case', async () => {
      const rand = mulberry32(20260210);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
      const ids: string[] = [];
      let moves = 0;
      const call = async (method: string, path: string, as: KeyName, body?: unknown): Promise<Json> => {
        const res = await s.request(method, path, { as, ...(body === undefined ? {} : { body }) });
        if (res.status < 300) moves += 1;
        return res;
      };
      const dataFor = (key: string, i: number): Record<string, unknown> => {
        const base = { customerId: `R-${i}`, branchId: pick(['B01', 'B02', 'B03']) };
        if (key === 'health-loan') return { ...base, amount: pick([20000, 150000]), channel: pick(['app', 'branch']), tier: pick([1, 2]) };
        if (key === 'test-review') return { ...base, amount: 1000 };
        if (key === 'test-service') return { customerId: `R-${i}`, idNumber: `ID-${i}` };
        return { customerId: `R-${i}` };
      };
      for (let round = 0; round < 1000; round++) {
        const roll = rand();
        if (roll < 0.14 || ids.length === 0) {
          const key = pick(FLOWS).key;
          const res = await call('POST', '/api/cases', 'app', { flow: key, data: dataFor(key, ids.length) });
          if (res.status === 201) ids.push(res.body.id);
        } else if (roll < 0.8) {
          const tasks = await s.store.listTasks({ statuses: ['open', 'claimed'] }, 500);
          if (tasks.length > 0) {
            const t = pick(tasks);
            const worker: KeyName = t.queue === 'credit-senior' ? 'senior' : t.assignee === 'operator2' ? 'operator2' : t.assignee === 'operator' ? 'operator' : pick(['operator', 'operator2'] as const);
            const move = rand();
            const path = `/api/tasks/${t.id}`;
            if (move < 0.3) await call('POST', `${path}/claim`, worker);
            else if (move < 0.4) await call('POST', `${path}/release`, worker);
            else if (move < 0.5 && t.queue !== 'credit-senior') await call('POST', `${path}/reassign`, worker, pick([{ queue: 'operations' }, { assignee: 'operator2' }, { queue: 'credit-approval' }]));
            else {
              const data = t.nodeId === 'check' ? { checked: true } : t.flowKey === 'health-rework' ? { decision: pick(['approve', 'return']) } : { decision: pick(['approve', 'reject']) };
              await call('POST', `${path}/complete`, worker, { data });
            }
          }
        } else if (roll < 0.9) {
          const id = pick(ids);
          const c = await s.store.getCase(id);
          if (c?.flowKey === 'health-rework') await call('POST', `/api/cases/${id}/messages`, 'app', { name: 'docs.received', data: { documents: 2 } });
          if (c?.flowKey === 'test-documents') await call('POST', `/api/cases/${id}/messages`, 'app', { name: 'documents.received', data: { documentCount: 1 } });
        } else if (roll < 0.93) {
          const waiting = (await s.store.listCases({ status: 'waiting' }, 500)).map((c) => c.id);
          if (waiting.length > 0) {
            const res = await call('POST', `/api/cases/${pick(waiting)}/cancel`, 'app', { reason: 'test' });
            expect(res.status, res.text).toBeLessThan(300);
          }
        }
        s.clock.advance(Math.floor(rand() * 3 * 3_600_000));
        await s.settle();
      }
      // Last, claims and releases with no step after them: the row must follow those too.
      for (let i = 0; i < 3; i++) {
        const res = await call('POST', '/api/cases', 'app', { flow: 'health-loan', data: dataFor('health-loan', ids.length) });
        ids.push(res.body.id);
      }
      const open = await s.store.listTasks({ statuses: ['open', 'claimed'] }, 500);
      expect(open.length).toBeGreaterThan(3);
      for (const t of open) {
        const who: KeyName = t.queue === 'credit-senior' ? 'senior' : (t.assignee as KeyName | null) ?? 'operator';
        const res = await s.request('POST', `/api/tasks/${t.id}/${t.status === 'claimed' ? 'release' : 'claim'}`, { as: who });
        expect(res.status, res.text).toBe(200);
      }
      expect(ids.length).toBeGreaterThan(40);
      expect(moves).toBeGreaterThan(200);
      const rows = await expectProjectionCurrent(ids);
      // The random walk covered what the fold has to follow.
      const all = rows.map((r) => r.facts);
      expect(all.filter((f) => f.status === 'completed').length).toBeGreaterThan(10);
      expect(all.filter((f) => f.status === 'cancelled').length).toBeGreaterThan(0);
      expect(all.filter((f) => f.status === 'waiting').length).toBeGreaterThan(0);
      expect(all.some((f) => f.rework > 0)).toBe(true);
      expect(all.some((f) => f.escalations > 0)).toBe(true);
      expect(all.some((f) => Object.values(f.nodes).some((n) => (n.handling?.length ?? 0) > 0))).toBe(true);
      expect(all.some((f) => Object.values(f.nodes).some((n) => (n.unclaimed ?? 0) > 0))).toBe(true);
      expect(all.some((f) => f.alerts.length > 0)).toBe(true);
    }, 120_000);
  });

  describe('catching up', () => {
    test('a case whose row is missing (started before the projection existed) is caught up by the first health query', async () => {
      const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'health-loan', data: { customerId: 'OLD-1', amount: 10, branchId: 'B09' } } });
      const id = res.body.id as string;
      s.clock.advance('PT1H');
      expect((await s.request('POST', `/api/tasks/${res.body.tasks[0].id}/complete`, { as: 'operator', body: { data: { decision: 'approve' } } })).status).toBe(200);
      s.store.db.prepare('DELETE FROM case_facts WHERE case_id = ?').run(id);
      const health = await s.request('GET', '/api/flows/health-loan/health?filter=branchId:B09', { as: 'owner' });
      expect(health.body.volume).toMatchObject({ started: 1, completed: 1 });
      expect(health.body.cycle.calendar.p50).toBe(3_600_000);
      await expectProjectionCurrent([id]);
    });

    test('entries appended around the projection are folded at the next step; old claim records naming the API task id still count', async () => {
      s.clock.set(bj('2026-03-02T09:00:00'));
      const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'health-loan', data: { customerId: 'OLD-2', amount: 10, branchId: 'B08' } } });
      const id = res.body.id as string;
      const task = res.body.tasks[0];
      await s.rt.factsProjector?.drain();
      const c = await s.store.getCase(id);
      // A claim as an older runtime recorded it (the API's task id), written straight to the journal.
      const at = bj('2026-03-02T09:20:00');
      await s.store.appendAudit(caseStream(id), [{ at, actor: 'operator', entry: { type: 'task.claimed', at, nodeId: 'review', actor: 'operator', version: c!.version, details: { taskId: task.id } } }]);
      expect((await s.store.getCaseFacts(id))!.seq).toBeLessThan((await s.store.auditHead(caseStream(id)))!.seq);
      s.clock.set(bj('2026-03-02T10:00:00'));
      expect((await s.request('POST', `/api/tasks/${task.id}/complete`, { as: 'operator', body: { data: { decision: 'approve' } } })).status).toBe(200);
      await s.rt.factsProjector?.drain();
      const row = (await s.store.getCaseFacts(id))!;
      expect(row.seq).toBe((await s.store.auditHead(caseStream(id)))!.seq);
      expect(row.facts.nodes.review).toMatchObject({ queue: [[20 * 60_000, 20 * 60_000]], handling: [[40 * 60_000, 40 * 60_000]], completed: 1 });
      expect(row.facts.work).toEqual([{ actor: 'operator', nodeId: 'review', queue: 'credit-approval', at: bj('2026-03-02T10:00:00') }]);
    });

    /** Asks a health question of a fresh app on the same store, as a restarted process would. */
    async function askFresh(path: string): Promise<Json> {
      const app = createApp({ store: s.store, clock: s.clock, apiKeys: [{ key: 'projection-test-key-0123456789', name: 'owner', roles: ['owner'] }] });
      const server = await new Promise<Server>((ok) => {
        const srv = app.listen(0, '127.0.0.1', () => ok(srv));
      });
      try {
        const port = (server.address() as AddressInfo).port;
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: 'Bearer projection-test-key-0123456789' } });
        expect(res.status).toBe(200);
        return (await res.json()) as Json;
      } finally {
        await new Promise<void>((ok) => server.close(() => ok()));
      }
    }

    test('once a flow is caught up, the store remembers it: a restarted process answers without checking every case', async () => {
      await askFresh('/api/flows/health-loan/health');
      expect(await s.store.factsCaughtUp('health-loan')).toBe(true);
      const scan = vi.spyOn(s.store, 'listCasesBehindFacts');
      try {
        await askFresh('/api/flows/health-loan/health');
        expect(scan).not.toHaveBeenCalled();
      } finally {
        scan.mockRestore();
      }
    });

    test('with the projection switched off nothing is written; the first query catches every case up', async () => {
      await askFresh('/api/flows/health-loan/health');
      expect(await s.store.factsCaughtUp('health-loan')).toBe(true);
      const rt = new FlowpathRuntime({ store: s.store, clock: s.clock, healthProjection: false });
      const started = await rt.transact((tx, scope) => rt.startCase(tx, scope, { flowKey: 'health-loan', data: { customerId: 'OFF-1', amount: 5, branchId: 'B07' }, actor: { id: 'app', roles: ['app'] }, createdBy: 'app' }));
      expect('record' in started).toBe(true);
      const id = 'record' in started ? started.record.id : '';
      expect(await s.store.getCaseFacts(id)).toBeUndefined();
      // The runtime without the projection told the store that cases may be behind.
      expect(await s.store.factsCaughtUp('health-loan')).toBe(false);
      // A fresh app (a restarted process) answers with the case included.
      expect((await askFresh('/api/flows/health-loan/health?filter=branchId:B07')).volume.started).toBe(1);
      expect(await s.store.factsCaughtUp('health-loan')).toBe(true);
      await expectProjectionCurrent([id]);
    });

    test('a journal the fold cannot read does not stop the case; it clears the caught-up mark, and the case keeps the figures it had', async () => {
      await askFresh('/api/flows/health-loan/health');
      expect(await s.store.factsCaughtUp('health-loan')).toBe(true);
      s.clock.set(bj('2026-03-03T09:00:00'));
      const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'health-loan', data: { customerId: 'BAD-1', amount: 10, branchId: 'B09' } } });
      const id = res.body.id as string;
      await s.rt.factsProjector?.drain();
      // A record with no valid time, written around the runtime.
      await s.store.appendAudit(caseStream(id), [{ at: 'yesterday', actor: 'operator', entry: { type: 'case.note', at: 'yesterday' } }]);
      expect((await s.request('POST', `/api/tasks/${res.body.tasks[0].id}/complete`, { as: 'operator', body: { data: { decision: 'approve' } } })).status).toBe(200);
      expect((await s.store.getCase(id))?.status).toBe('completed');
      await s.rt.factsProjector?.drain();
      expect(await s.store.factsCaughtUp('health-loan')).toBe(false);
      // The next process checks every case, cannot fold this one either, and answers with the row as it was.
      await askFresh('/api/flows/health-loan/health?filter=branchId:B09');
      expect(await s.store.factsCaughtUp('health-loan')).toBe(true);
      const row = await s.store.getCaseFacts(id);
      expect(row?.status).toBe('waiting');
      expect(row!.seq).toBeLessThan((await s.store.auditHead(caseStream(id)))!.seq);
    });
  });
});
