/**
 * The crash scenario, shared by the CI test (tests/reliability/crash.test.ts) and the release
 * soak (tests/reliability/soak.ts): concurrent clients start cases, complete tasks (parallel
 * branches at the same moment) and send messages, every write with an Idempotency-Key, while
 * the real server process is killed with SIGKILL at seeded random moments and restarted on the
 * same data folder. A client that gets no answer retries the same request with the same key
 * until it gets one, as a well-behaved integrator would.
 *
 * Afterwards the ledger of what was acknowledged is held against what the server has: every
 * acknowledged write exactly once, every case internally consistent (tasks, timers, audit vs
 * state), every audit chain intact, and every write's key replaying its original answer.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ChildServer } from './child-server';
import { documentsFlow, parallelFlow, publishFlow, reviewFlow, serviceFlow } from './flows';
import { NoAnswer, type Api, type Json, type Reply } from './http';
import { createRng, sleep, type Rng } from './rng';

export interface CrashOptions {
  seed: number;
  /** Concurrent clients. */
  clients: number;
  /** SIGKILLs while the load runs (one more follows before the checks). */
  kills: number;
  /** Random time between a restart and the next kill, in ms. */
  gapMs: [number, number];
  /** Random time the server stays dead before it is restarted, in ms. */
  downMs: [number, number];
  /** Progress lines (the soak prints them). */
  log?: (line: string) => void;
}

export interface CrashReport {
  seed: number;
  /** HTTP attempts made by the clients (answered or not). */
  requests: number;
  answered: number;
  /** Attempts that got no HTTP answer: the server died under them (`cutOff`) or was down (`refused`). */
  noAnswer: number;
  cutOff: number;
  refused: number;
  /** Logical writes (each with its own Idempotency-Key) and how many were acknowledged with a 2xx. */
  writes: number;
  acknowledged: number;
  /** Writes whose first answer was lost to a crash and whose retry was answered by the idempotency replay. */
  recoveredByReplay: number;
  kills: number;
  casesChecked: number;
  durationMs: number;
  /** Everything that broke a guarantee; empty when the run passed. */
  violations: string[];
}

type OpKind = 'start' | 'complete' | 'message';

interface Op {
  kind: OpKind;
  path: string;
  as: string;
  body: Json;
  key: string;
  attempts: number;
  /** Attempts that got no answer before one did. */
  lost: number;
  answer?: { status: number; body: Json; replayed: boolean };
}

interface WorkItem {
  kind: 'task' | 'message';
  caseId: string;
  taskId?: string;
  nodeId?: string;
}

const FLOWS = [reviewFlow(), documentsFlow(), parallelFlow(2), serviceFlow()];
const FLOW_KEYS = FLOWS.map((f) => f.key);
const TERMINAL = new Set(['case.completed', 'case.terminated', 'case.cancelled']);
const SLA_NODES = new Set(['review', 'wait-docs']);
/** Longest a client keeps retrying one request through kills and restarts. */
const OP_DEADLINE_MS = 120_000;

/** Publishes the scenario's flows on a fresh server. */
export async function prepareCrashFlows(api: Api): Promise<void> {
  for (const f of FLOWS) await publishFlow(api, f);
}

/** Runs the load with kills, then checks every guarantee; the server is left running. */
export async function runCrashScenario(srv: ChildServer, api: Api, opts: CrashOptions): Promise<CrashReport> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const violations: string[] = [];
  const ops: Op[] = [];
  const stats = { requests: 0, answered: 0, noAnswer: 0, cutOff: 0, refused: 0 };
  let stopping = false;

  /** Sends one logical write until it gets an HTTP answer, retrying with the same key. */
  const execute = async (op: Op): Promise<void> => {
    ops.push(op);
    const deadline = Date.now() + OP_DEADLINE_MS;
    for (;;) {
      op.attempts += 1;
      stats.requests += 1;
      try {
        const r: Reply = await api.call('POST', op.path, { as: op.as, body: op.body, headers: { 'idempotency-key': op.key }, timeoutMs: 15_000 });
        stats.answered += 1;
        op.answer = { status: r.status, body: r.body, replayed: r.headers.get('idempotent-replayed') === 'true' };
        if (r.status >= 500) violations.push(`${op.kind} ${op.path} (key ${op.key}) answered ${r.status}: ${r.text.slice(0, 300)}`);
        else if (r.status >= 300) violations.push(`${op.kind} ${op.path} (key ${op.key}) refused with ${r.status} ${String(r.body?.code)} after ${op.lost} lost attempt(s): a retry must replay, not conflict`);
        return;
      } catch (e) {
        if (!(e instanceof NoAnswer)) throw e;
        stats.noAnswer += 1;
        if (/ECONNREFUSED/.test(e.reason)) stats.refused += 1;
        else stats.cutOff += 1;
        op.lost += 1;
        if (Date.now() > deadline) {
          violations.push(`${op.kind} ${op.path} (key ${op.key}) got no answer for ${OP_DEADLINE_MS} ms: ${e.reason}`);
          return;
        }
        await sleep(100 + Math.floor(Math.random() * 200));
      }
    }
  };

  const client = async (index: number, rng: Rng): Promise<void> => {
    const work: WorkItem[] = [];
    let n = 0;
    const queueTasks = (caseId: string, view: Json): void => {
      for (const task of (view?.tasks ?? []) as Json[]) work.push({ kind: 'task', caseId, taskId: task.id, nodeId: task.nodeId });
    };
    const complete = async (item: WorkItem): Promise<void> => {
      const data = item.nodeId === 'review' ? { decision: rng.pick(['approve', 'reject']) } : item.nodeId === 'check' ? { checked: true } : { [item.nodeId as string]: `done by client ${index}` };
      await execute({ kind: 'complete', path: `/api/tasks/${item.taskId}/complete`, as: 'operator', body: { data }, key: `complete:${item.taskId}`, attempts: 0, lost: 0 });
    };
    while (!stopping) {
      if (work.length > 0 && rng.next() < 0.6) {
        const item = work.splice(rng.int(0, work.length - 1), 1)[0] as WorkItem;
        if (item.kind === 'message') {
          const op: Op = {
            kind: 'message',
            path: `/api/cases/${item.caseId}/messages`,
            as: 'app',
            body: { name: 'documents.received', data: { documentCount: rng.int(1, 9) } },
            key: `message:${item.caseId}`,
            attempts: 0,
            lost: 0,
          };
          await execute(op);
          if (op.answer?.status === 200) queueTasks(item.caseId, op.answer.body);
        } else {
          // Both branches of a parallel case are completed at the same moment.
          const sibling = work.findIndex((w) => w.kind === 'task' && w.caseId === item.caseId);
          const together = sibling >= 0 ? [item, ...work.splice(sibling, 1)] : [item];
          await Promise.all(together.map(complete));
        }
        continue;
      }
      n += 1;
      const flow = rng.pick(FLOW_KEYS);
      const customerId = `crash-${opts.seed}-${index}-${n}`;
      const idNumber = `31010119900101${String(rng.int(0, 9999)).padStart(4, '0')}`;
      const data: Record<string, unknown> =
        flow === 'rel-review' ? { customerId, idNumber, amount: rng.int(1, 500_000) } : flow === 'rel-service' ? { customerId, idNumber } : { customerId };
      const op: Op = { kind: 'start', path: '/api/cases', as: 'app', body: { flow, data }, key: `start:${customerId}`, attempts: 0, lost: 0 };
      await execute(op);
      if (op.answer?.status !== 201) continue;
      const caseId = op.answer.body.id as string;
      queueTasks(caseId, op.answer.body);
      if (flow === 'rel-documents') work.push({ kind: 'message', caseId });
    }
  };

  const killer = async (rng: Rng): Promise<void> => {
    for (let k = 1; k <= opts.kills; k++) {
      await sleep(rng.int(opts.gapMs[0], opts.gapMs[1]));
      await srv.kill();
      const writes = ops.length;
      await sleep(rng.int(opts.downMs[0], opts.downMs[1]));
      await srv.start();
      log(`kill ${k}/${opts.kills} after ${writes} writes; restarted`);
    }
  };

  const clients = Array.from({ length: opts.clients }, (_, i) => client(i + 1, createRng(opts.seed + 1000 * (i + 1))));
  await killer(createRng(opts.seed));
  stopping = true;
  await Promise.all(clients);

  // One more crash with nothing in flight but the scheduler and the outbox, then check the recovered state.
  await srv.kill();
  await srv.start();
  await waitForOutbox(api);

  const checked = await checkEverything(api, ops, violations);
  return {
    seed: opts.seed,
    ...stats,
    writes: ops.length,
    acknowledged: ops.filter((o) => o.answer && o.answer.status < 300).length,
    recoveredByReplay: ops.filter((o) => o.lost > 0 && o.answer?.replayed).length,
    kills: srv.counts.kills,
    casesChecked: checked,
    durationMs: Date.now() - started,
    violations,
  };
}

/** Waits until the outbox has nothing pending (connector calls after the last restart). */
async function waitForOutbox(api: Api): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const h = await api.call('GET', '/api/health');
    if (h.status === 200 && h.body.outbox.pending === 0) return;
    await sleep(200);
  }
}

/** Runs `fn` over `items` with at most `n` at once. */
async function eachLimit<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++] as T);
    }),
  );
}

const count = (xs: readonly Json[], pred: (x: Json) => boolean): number => xs.filter(pred).length;

/** Checks the ledger and every case; returns how many cases were checked. */
async function checkEverything(api: Api, ops: readonly Op[], violations: string[]): Promise<number> {
  const acked = ops.filter((o) => o.answer && o.answer.status < 300);

  // 1. Every acknowledged start is there exactly once; nothing is there that nobody asked for.
  const cases: Json[] = [];
  for (const flow of FLOW_KEYS) cases.push(...(await api.all(`/api/cases?flow=${flow}&limit=200`, 'auditor')));
  const byRef = new Map<string, Json[]>();
  for (const c of cases) byRef.set(c.customerRef, [...(byRef.get(c.customerRef) ?? []), c]);
  const startsByRef = new Map(ops.filter((o) => o.kind === 'start').map((o) => [o.body.data.customerId as string, o]));
  for (const [ref, list] of byRef) {
    const op = startsByRef.get(ref);
    if (!op) violations.push(`case ${list[0].id} (${ref}) exists but no client started it`);
    else if (list.length > 1) violations.push(`start ${ref} created ${list.length} cases: ${list.map((c) => c.id).join(', ')}`);
    else if (op.answer && op.answer.status < 300 && op.answer.body.id !== list[0].id) violations.push(`start ${ref} was acknowledged as case ${op.answer.body.id} but the server has ${list[0].id}`);
  }
  for (const op of acked.filter((o) => o.kind === 'start')) {
    if (!byRef.has(op.body.data.customerId)) violations.push(`acknowledged start ${op.body.data.customerId} (case ${op.answer?.body.id}) is lost`);
  }

  // 2. Every case is consistent with itself, and with the acknowledged writes aimed at it.
  const completesByTask = new Map(acked.filter((o) => o.kind === 'complete').map((o) => [o.path.split('/')[3] as string, o]));
  const messagesByCase = new Map(acked.filter((o) => o.kind === 'message').map((o) => [o.path.split('/')[3] as string, o]));
  await eachLimit(cases, 6, async (summary) => {
    const id = summary.id as string;
    const where = `case ${id} (${summary.flow})`;
    const c = await api.get(`/api/cases/${id}`, 'auditor');
    const tasks: Json[] = await api.all(`/api/tasks?caseId=${id}&status=open,claimed,completed,cancelled&limit=200`, 'auditor');
    const timers: Json[] = (await api.get(`/api/cases/${id}/timers`, 'auditor')).items;
    const audit: Json[] = await api.all(`/api/cases/${id}/audit?limit=1000`, 'auditor');
    const verify = await api.get(`/api/cases/${id}/audit/verify`, 'auditor');
    const bad = (what: string): void => {
      violations.push(`${where}: ${what}`);
    };

    if (!verify.ok) bad(`audit chain broken at ${JSON.stringify(verify.firstBroken)}`);
    const types = audit.map((e) => e.type as string);
    if (types[0] !== 'case.started' || count(types, (x) => x === 'case.started') !== 1) bad(`audit must open with exactly one case.started: ${types.slice(0, 3).join(', ')}`);
    const terminal = types.filter((x) => TERMINAL.has(x));
    const ended = c.status !== 'waiting';
    if (ended !== (terminal.length === 1) || terminal.length > 1) bad(`status ${c.status} but terminal audit entries [${terminal.join(', ')}]`);
    if (ended !== (c.waits.length === 0)) bad(`status ${c.status} with ${c.waits.length} wait(s)`);
    if (ended && c.endedAt === null) bad('ended without endedAt');

    const open = tasks.filter((t) => t.status === 'open' || t.status === 'claimed');
    const waitedTasks = new Set((c.waits as Json[]).filter((w) => w.type === 'task').map((w) => w.taskId as string));
    for (const t of open) if (!waitedTasks.has(t.id)) bad(`task ${t.id} at ${t.nodeId} is ${t.status} but the case does not wait for it`);
    for (const tid of waitedTasks) if (!open.some((t) => t.id === tid)) bad(`the case waits for task ${tid}, which is not open`);
    if (ended && open.length > 0) bad(`ended with ${open.length} open task(s)`);

    for (const t of tasks) {
      const opened = count(audit, (e) => e.type === 'task.opened' && e.nodeId === t.nodeId);
      const completed = count(audit, (e) => e.type === 'task.completed' && e.nodeId === t.nodeId);
      if (opened !== 1) bad(`task at ${t.nodeId} opened ${opened} times in the audit`);
      if (completed !== (t.status === 'completed' ? 1 : 0)) bad(`task at ${t.nodeId} is ${t.status} with ${completed} task.completed entries`);
      const ack = completesByTask.get(t.id);
      if (ack && (t.status !== 'completed' || t.completedBy !== 'operator')) bad(`acknowledged completion of task ${t.id} not reflected: ${t.status} by ${t.completedBy}`);
    }
    if (count(audit, (e) => e.type === 'task.opened') !== tasks.length) bad(`${count(audit, (e) => e.type === 'task.opened')} task.opened entries for ${tasks.length} tasks`);

    const waiting = new Set(c.waitingAt as string[]);
    for (const tm of timers) {
      if (tm.status === 'scheduled' && !waiting.has(tm.nodeId)) bad(`timer ${tm.timerId} still scheduled though nothing waits at ${tm.nodeId}`);
      if (tm.status === 'fired' || tm.status === 'failed') bad(`timer ${tm.timerId} is ${tm.status} though nothing was due`);
    }
    for (const node of waiting) {
      if (SLA_NODES.has(node) && !timers.some((tm) => tm.nodeId === node && tm.purpose === 'sla.breach' && tm.status === 'scheduled')) bad(`waits at ${node} without its SLA timer`);
    }

    const messages = count(audit, (e) => e.type === 'message.received');
    if (messagesByCase.has(id) && messages !== 1) bad(`acknowledged message received ${messages} times`);
    if (messages > 1) bad(`${messages} message.received entries`);

    if (summary.flow === 'rel-service') {
      if (c.status !== 'completed') bad(`service case still ${c.status} (waits ${JSON.stringify(c.waits)})`);
      const ok = count(audit, (e) => e.type === 'service.succeeded');
      if (ok !== 1) bad(`${ok} service.succeeded entries`);
      if (typeof c.data.score !== 'number') bad('connector result not in the data');
    }
    if (summary.flow === 'rel-parallel' && c.status === 'completed') {
      if (c.outcome !== 'joined' || typeof c.data.b1 !== 'string' || typeof c.data.b2 !== 'string') bad(`joined without both branches' data: ${JSON.stringify(c.data)}`);
    }
  });

  // 3. Every acknowledged write's key replays the original answer.
  await eachLimit(acked, 6, async (op) => {
    const r = await api.call('POST', op.path, { as: op.as, body: op.body, headers: { 'idempotency-key': op.key } });
    const first = op.answer as NonNullable<Op['answer']>;
    if (r.status !== first.status || !isDeepStrictEqual(r.body, first.body)) {
      violations.push(`replay of ${op.kind} ${op.path} (key ${op.key}) answered ${r.status} ${r.text.slice(0, 200)} instead of the original ${first.status}`);
    } else if (r.headers.get('idempotent-replayed') !== 'true') {
      violations.push(`replay of ${op.kind} ${op.path} (key ${op.key}) is not marked Idempotent-Replayed`);
    }
  });

  return cases.length;
}
