/**
 * Three runtime processes on one PostgreSQL schema under load from this test, one of them killed
 * with SIGKILL midway — while it holds webhook calls (outbox leases) in flight. Afterwards:
 * nothing lost (every 2xx is in the database exactly once), nothing done twice (two operators
 * completing one task from two processes: one 200, one 409; each webhook result applied once),
 * every timer that came due fired exactly once, and the dead process's leases were taken over.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import {
  defaultConnectors,
  dropPgSchema,
  FlowpathRuntime,
  loadFlows,
  openPgStore,
  verifyAuditChain,
  type AuditEntryRecord,
  type PgStore,
  type TaskRecord,
  type TimerRecord,
} from '@flowpath/runtime-api';
import { describePostgres, freshSchemaName, TEST_DATABASE_URL } from '../store/harness';
import { call, Cluster, clusterEnv, type Answer, type RuntimeProcess } from './cluster';
import { FLOW_KEY, KEYS, multiprocessFlow } from './flow';

const CASES = 36;
/** How long a process holds an outbox row: short, so rows the killed process held are taken over within the test. */
const LEASE_MS = 3000;
/** How long the CRM takes to answer a webhook call: long enough to kill a process in the middle of one. */
const HOOK_DELAY_MS = 1200;

type Plan = 'race' | 'prompt' | 'after-breach';
const planOf = (i: number): Plan => (['race', 'prompt', 'after-breach'] as const)[i % 3] as Plan;

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

let cluster: Cluster | undefined;
let observer: PgStore | undefined;
let hook: Server | undefined;
const schema = freshSchemaName('fpmp');

afterAll(async () => {
  await cluster?.dispose();
  await observer?.close();
  await new Promise((ok) => (hook ? hook.close(ok) : ok(undefined)));
  await dropPgSchema({ connectionString: TEST_DATABASE_URL }, schema);
});

interface HookCall {
  /** The process that made the call (each process has its own URL for the `crm` target). */
  from: string;
  /** The connector request id, sent as Idempotency-Key: the same on a repeated call. */
  key: string;
  caseId: string;
}

/** A stand-in CRM: answers every call after a delay, the same answer for the same Idempotency-Key. */
async function startHook(onCall: (c: HookCall, inFlight: Map<string, number>) => void): Promise<{ url: string; calls: HookCall[] }> {
  const calls: HookCall[] = [];
  const inFlight = new Map<string, number>();
  hook = createServer((req, res) => {
    const from = (req.url ?? '').split('/').pop() ?? '?';
    const call = { from, key: String(req.headers['idempotency-key']), caseId: String(req.headers['x-flowpath-case']) };
    calls.push(call);
    inFlight.set(from, (inFlight.get(from) ?? 0) + 1);
    req.resume();
    onCall(call, inFlight);
    setTimeout(() => {
      inFlight.set(from, (inFlight.get(from) ?? 1) - 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ack: `ack-${call.key}` }));
    }, HOOK_DELAY_MS);
  });
  const server = hook;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

/** Which audit entry a fired timer leaves, by its purpose. */
function auditOfTimer(t: TimerRecord, entries: AuditEntryRecord[]): AuditEntryRecord[] {
  return entries.filter((e) => {
    const type = e.entry?.type;
    switch (t.purpose) {
      case 'wait.timer':
        return type === 'timer.fired' && (e.entry?.details as { timerId?: string } | undefined)?.timerId === t.timerId;
      case 'sla.warn':
        return type === 'sla.warned' && e.entry?.nodeId === t.nodeId;
      case 'sla.breach':
        return type === 'sla.breached' && e.entry?.nodeId === t.nodeId;
      default:
        return false;
    }
  });
}

describePostgres('PostgreSQL: three runtime processes share one database', () => {
  it('loses nothing, does nothing twice and fires every timer once when one process is killed midway', { timeout: 120_000 }, async () => {
    const began = Date.now();
    // The third process dies once half the cases have started and it is waiting on a CRM answer.
    let started = 0;
    let killedAt = 0;
    let killNow = (): void => undefined;
    const maybeKill = (inFlight: Map<string, number> | undefined): void => {
      if (killedAt === 0 && started >= CASES / 2 && (inFlight?.get('p3') ?? 0) > 0) killNow();
    };
    let hookInFlight: Map<string, number> | undefined;
    const crm = await startHook((_call, inFlight) => {
      hookInFlight = inFlight;
      maybeKill(inFlight);
    });
    cluster = new Cluster(clusterEnv(TEST_DATABASE_URL, schema, Object.values(KEYS), LEASE_MS));
    // All three start at once on an empty schema: migrations and the first-start template load race.
    await cluster.start(3, (name) => ({ FLOWPATH_WEBHOOK_TARGETS: JSON.stringify({ crm: `${crm.url}/crm/${name}` }), FLOWPATH_WEBHOOK_SANDBOX: 'off' }));
    const c = cluster;
    try {
      observer = await openPgStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 4 });
      const store = observer;
      // Published from here, with the connectors the processes have (validation checks the flow names one).
      const loaded = await loadFlows(new FlowpathRuntime({ store, connectors: defaultConnectors({ webhookSandbox: true }) }), [multiprocessFlow()]);
      expect(loaded.draftsOnly).toEqual([]);

      // The templates were loaded by exactly one process: one version and one audit entry per flow.
      const templates = (await store.listFlows()).filter((f) => f.key !== FLOW_KEY);
      expect(templates.length).toBeGreaterThan(5);
      for (const f of templates) {
        expect({ key: f.key, latest: f.latestVersion, audit: (await store.auditHead(`flow:${f.key}`))?.seq }).toEqual({ key: f.key, latest: 1, audit: 1 });
      }

      const victim = c.processes[2] as RuntimeProcess;
      killNow = () => {
        killedAt = Date.now();
        void victim.kill('SIGKILL');
      };

      /** Sends to a live process (round robin from `k`); on no answer tries the next one, as a load balancer would. */
      let unanswered = 0;
      const send = async (k: number, req: (p: RuntimeProcess) => Promise<Answer | undefined>): Promise<Answer> => {
        for (let attempt = 0; attempt < 8; attempt++) {
          const live = c.live();
          const p = live[(k + attempt) % live.length] as RuntimeProcess;
          const a = await req(p);
          if (a) return a;
          unanswered += 1;
          await sleep(100);
        }
        throw new Error(`no process answered:\n${c.logs()}`);
      };

      const ledger: { i: number; plan: Plan; caseId: string; startStatus: number; completions: { op: string; status: number }[] }[] = [];

      const complete = (k: number, op: { name: string; key: string }, taskId: string, i: number, decision: string): Promise<Answer> =>
        send(k, (p) => call(p.url, 'POST', `/api/tasks/${taskId}/complete`, op.key, { data: { decision } }, { 'Idempotency-Key': `mp-${i}-${op.name}` }));

      const runCase = async (i: number): Promise<void> => {
        await sleep(i * 60);
        const plan = planOf(i);
        const s = await send(i, (p) => call(p.url, 'POST', '/api/cases', KEYS.app.key, { flow: FLOW_KEY, data: { customerId: `MP-${i}`, amount: i } }, { 'Idempotency-Key': `mp-start-${i}` }));
        const entry = { i, plan, caseId: String(s.body?.id), startStatus: s.status, completions: [] as { op: string; status: number }[] };
        ledger.push(entry);
        started += 1;
        maybeKill(hookInFlight);
        if (s.status !== 201) return;

        // The review task opens once the cooling-off timer has fired (in whichever process).
        let task: TaskRecord | undefined;
        for (let n = 0; n < 200 && !task; n++) {
          task = (await store.listCaseTasks(entry.caseId)).find((t) => t.nodeId === 'review');
          if (!task) await sleep(100);
        }
        if (!task) throw new Error(`case ${i}: the review task never opened\n${c.logs()}`);
        const decision = i % 2 ? 'approve' : 'reject';
        if (plan === 'after-breach') await sleep(Math.max(0, Date.parse(task.createdAt) + 3500 - Date.now()));
        if (plan === 'race') {
          const [a, b] = await Promise.all([complete(i, { name: 'op-1', key: KEYS.op1.key }, task.id, i, decision), complete(i + 1, { name: 'op-2', key: KEYS.op2.key }, task.id, i, decision)]);
          entry.completions.push({ op: 'op-1', status: a.status }, { op: 'op-2', status: b.status });
        } else {
          const a = await complete(i, { name: 'op-1', key: KEYS.op1.key }, task.id, i, decision);
          entry.completions.push({ op: 'op-1', status: a.status });
        }
      };

      await Promise.all(Array.from({ length: CASES }, (_, i) => runCase(i)));
      const loadDone = Date.now();
      expect(killedAt).toBeGreaterThan(0);
      expect(victim.alive).toBe(false);

      // Let the survivors finish what is due: timers, and outbox rows whose lease the dead process held.
      for (let n = 0; n < 150; n++) {
        const now = new Date().toISOString();
        if ((await store.countDueTimers(now)) === 0 && (await store.countPendingOutbox()) === 0) break;
        await sleep(100);
      }

      // Nothing lost: every start answered 201, and each is one case in the database.
      expect(ledger.map((e) => e.startStatus)).toEqual(Array(CASES).fill(201));
      const ids = new Set(ledger.map((e) => e.caseId));
      expect(ids.size).toBe(CASES);
      const stored = await store.listCases({ flowKey: FLOW_KEY }, 1000);
      expect(stored.map((x) => x.id).sort()).toEqual([...ids].sort());
      expect(new Set(stored.map((x) => x.customerRef)).size).toBe(CASES);

      let timersFired = 0;
      for (const e of ledger) {
        const where = `case ${e.i} (${e.plan})`;
        // Nothing done twice: a race gives one 200 and one 409; a single completion gives 200.
        const statuses = e.completions.map((x) => x.status).sort();
        expect({ where, statuses }).toEqual({ where, statuses: e.plan === 'race' ? [200, 409] : [200] });
        const winner = e.completions.find((x) => x.status === 200)?.op;
        const caseRow = await store.getCase(e.caseId);
        expect({ where, status: caseRow?.status, outcome: caseRow?.state.outcome }).toEqual({ where, status: 'completed', outcome: e.i % 2 ? 'approved' : 'rejected' });
        const [task] = (await store.listCaseTasks(e.caseId)).filter((t) => t.nodeId === 'review');
        expect({ where, status: task?.status, by: task?.completedBy }).toEqual({ where, status: 'completed', by: winner });

        const audit = await store.listAudit(`case:${e.caseId}`);
        expect({ where, chain: verifyAuditChain(audit, await store.auditHead(`case:${e.caseId}`)).ok }).toEqual({ where, chain: true });
        const count = (type: string): number => audit.filter((a) => a.entry?.type === type).length;
        expect({ where, completed: count('task.completed'), ended: count('case.completed'), started: count('case.started'), crm: count('service.succeeded') }).toEqual({
          where,
          completed: 1,
          ended: 1,
          started: 1,
          crm: 1,
        });
        // The CRM's answer reached the case once, whichever process made the call that counted.
        const calls = crm.calls.filter((x) => x.caseId === e.caseId);
        expect({ where, called: calls.length > 0, sameKey: new Set(calls.map((x) => x.key)).size, ack: caseRow?.state.data.ack }).toEqual({
          where,
          called: true,
          sameKey: 1,
          ack: `ack-${calls[0]?.key}`,
        });

        // Every timer: fired ones left exactly one trace, the others none; none is left due.
        const timers = await store.listCaseTimers(e.caseId);
        expect({ where, purposes: timers.map((t) => t.purpose).sort() }).toEqual({ where, purposes: ['sla.breach', 'sla.warn', 'wait.timer'] });
        for (const t of timers) {
          const traces = auditOfTimer(t, audit).length;
          expect({ where, timer: t.timerId, status: t.status, traces }).toEqual({ where, timer: t.timerId, status: t.status, traces: t.status === 'fired' ? 1 : 0 });
          expect(['fired', 'cancelled', 'stale']).toContain(t.status);
          if (t.status === 'fired') timersFired += 1;
        }
        expect({ where, coolOff: timers.find((t) => t.purpose === 'wait.timer')?.status }).toEqual({ where, coolOff: 'fired' });
        if (e.plan === 'after-breach') {
          // Completed only after the breach: warning and breach both fired, and the escalation raised the priority.
          expect({ where, warn: timers.find((t) => t.purpose === 'sla.warn')?.status, breach: timers.find((t) => t.purpose === 'sla.breach')?.status, priority: task?.priority }).toEqual({
            where,
            warn: 'fired',
            breach: 'fired',
            priority: 99,
          });
        }
      }
      expect(timersFired).toBeGreaterThanOrEqual(CASES + (CASES / 3) * 2);
      expect(await store.countDueTimers(new Date().toISOString())).toBe(0);

      // The outbox is drained, including rows the dead process had leased.
      expect(await store.countPendingOutbox()).toBe(0);
      const outbox = await store.pool.query(`SELECT status, COUNT(*)::int AS n FROM ${store.table('outbox')} GROUP BY status ORDER BY status`);
      expect(outbox.rows.every((r: { status: string }) => r.status === 'done')).toBe(true);
      const takenOver = Number((await store.pool.query(`SELECT COUNT(*) AS n FROM ${store.table('outbox')} WHERE attempts > 1`)).rows[0]?.n);
      // The dead process held at least one CRM call: after its lease ran out a survivor made it again.
      const repeated = [...new Set(crm.calls.filter((x) => x.from === 'p3').map((x) => x.key))].filter((k) => crm.calls.some((x) => x.key === k && x.from !== 'p3'));
      expect(repeated.length).toBeGreaterThan(0);
      expect(takenOver).toBeGreaterThanOrEqual(repeated.length);

      // The survivors still answer.
      for (const p of c.live()) expect((await call(p.url, 'GET', '/api/health', KEYS.auditor.key))?.status).toBe(200);
      process.stdout.write(
        `multiprocess: start ${((killedAt - began) / 1000).toFixed(1)} s to kill, load ${((loadDone - began) / 1000).toFixed(1)} s, total ${((Date.now() - began) / 1000).toFixed(1)} s; ` +
          `${CASES} cases, ${unanswered} requests retried on another process, ${timersFired} timers fired, ${crm.calls.length} CRM calls, ` +
          `outbox ${JSON.stringify(outbox.rows)} (${takenOver} taken over after a lease ran out)\n`,
      );
    } catch (e) {
      process.stderr.write(`\nprocess logs:\n${c.logs()}\n`);
      throw e;
    }
  });
});
