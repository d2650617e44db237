/**
 * Run 4, scale: a SQLite store with 1,000,000 cases and 200,000 open tasks, loaded fast from real
 * template cases (see scale-data.ts). Times through the Store interface the work list (an
 * operator's queues, first page), the case fetch and the scheduler's due-timer scan, and reports
 * bytes on disk per case; then runs the real server on that file, reads its RSS under requests
 * sent by a separate process (after 20,000 and where a 100 s budget stops the loop; with --long
 * after 100,000 and 1,000,000, decision 0070), and times the process-health API over the flow's
 * million cases (issue #10: within 1 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { TaskStatus } from '@flowpath/runtime-api';
import { fmtMs } from '../format';
import type { BenchRun, RunContext, RunResult } from '../run-types';
import { BRANCHES, buildScaleData, QUEUES, verifySample, type ScaleData } from './scale-data';
import { cpuMs, GC_TRACE_FLAG, GcLog, median, residentMiB } from './scale-memory';
import { REVIEW_FLOW_KEY } from '../runtime/review-flow';

const TARGETS = { workListMs: 20, caseFetchMs: 5, timerScanMs: 10, memoryGrowth: 0.2, healthMs: 1000 };
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// An operator of three queues (no admin or auditor role: those see every queue's work list).
const KEY = { key: 'bench-scale-key-0123456789abcdef', name: 'bench-operator', roles: ['operator'], queues: QUEUES.slice(0, 3) };
const HEALTH_KEY = { key: 'bench-scale-health-0123456789abcd', name: 'bench-analyst', roles: ['analyst'] };

interface Settings {
  cases: number;
  openTasks: number;
  samples: number;
  /** RSS is read after this many requests in all, in order; the first is the baseline of the growth. */
  checkpoints: number[];
  /** The request loop stops after this long even short of the last checkpoint (and says so). */
  requestBudgetS: number;
  /** Each health query is asked this many times after a first, warming one. */
  healthRepeats: number;
}

// The issue asks for RSS after 100k and after 1M requests. At the ~800 requests/s of this
// machine 1M requests take over 20 minutes, more than the whole of `pnpm bench` may (decision
// 0070): the full run reads RSS after 20k requests (caches and JIT warm) and after 100k, and stops
// at its budget; `--long` sends the full 1M with no budget and measures growth from 100k.
// --quick loads a tenth of the data and reads RSS after 5k requests and where a 25 s budget stops.
const FULL: Settings = { cases: 1_000_000, openTasks: 200_000, samples: 300, checkpoints: [20_000, 100_000, 1_000_000], requestBudgetS: 100, healthRepeats: 2 };
const LONG: Settings = { ...FULL, checkpoints: [100_000, 400_000, 700_000, 1_000_000], requestBudgetS: Infinity };
const QUICK: Settings = { cases: 100_000, openTasks: 20_000, samples: 200, checkpoints: [5_000, 20_000, 100_000], requestBudgetS: 25, healthRepeats: 3 };

const fmtN = (n: number) => n.toLocaleString('en-US');

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? NaN;
}

async function timeEach(n: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

class Rollback extends Error {}

interface Queries {
  workList: number[];
  workListRows: number;
  caseFetch: number[];
  takeDue: number[];
  countDue: number[];
  dueCount: number;
}

async function timeQueries(data: ScaleData, samples: number): Promise<Queries> {
  const now = data.now;
  const store = data.fixture.store;
  const statuses: TaskStatus[] = ['open', 'claimed'];
  // Warm the page cache as a running server would be; then every query is timed on its own.
  for (const id of data.sampleCaseIds.slice(0, 50)) await store.getCase(id);
  let workListRows = 0;
  const workList = await timeEach(samples, async (i) => {
    // An operator works three of the fifteen queues; operators differ by which three.
    const queues = [0, 1, 2].map((k) => QUEUES[(i + k * 5) % QUEUES.length] as string);
    const rows = await store.listTasks({ statuses, queues }, 51);
    workListRows += rows.length;
  });
  if (workListRows < samples * 51 * 0.9) throw new Error(`work list returned ${workListRows} rows for ${samples} pages of 51: the data set is not loaded as expected`);
  const ids = data.sampleCaseIds;
  const caseFetch = await timeEach(samples, async (i) => {
    const c = await store.getCase(ids[(i * 7919) % ids.length] as string);
    if (!c) throw new Error('a loaded case was not found');
  });
  const takeDue = await timeEach(Math.min(samples, 500), async () => {
    try {
      await store.transaction(async (tx) => {
        if (!(await tx.takeDueTimer(now))) throw new Error('no due timer found: the data set has none');
        throw new Rollback();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
  });
  let dueCount = 0;
  const countDue = await timeEach(Math.min(samples, 200), async () => {
    dueCount = await store.countDueTimers(now);
  });
  return { workList, workListRows, caseFetch, takeDue, countDue, dueCount };
}

interface Server {
  url: string;
  pid: number;
  rssMiB: () => number;
  /** Its full garbage collections so far (it runs with --trace-gc). */
  gc: GcLog;
  stop: () => Promise<void>;
}

/** Starts `runtime-api/src/main.ts` as `pnpm start` does, on the loaded data folder. */
async function startServer(dataDir: string): Promise<Server> {
  const gc = new GcLog();
  const child: ChildProcess = spawn(process.execPath, [GC_TRACE_FLAG, '--import', 'tsx', join(REPO_ROOT, 'runtime-api', 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', FLOWPATH_DATA: dataDir, FLOWPATH_API_KEYS: JSON.stringify([KEY, HEALTH_KEY]), FLOWPATH_LOG_LEVEL: 'warn', FLOWPATH_SYNC: 'full' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let started = false;
  child.stdout?.on('data', (b: Buffer) => gc.add(b.toString()));
  const port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 120 s:\n${output}`)), 120_000);
    const onData = (b: Buffer) => {
      // Kept until the server is up (for the error message); the GC lines after that are not.
      if (started) return;
      output += b.toString();
      const m = /designer\s+http:\/\/localhost:(\d+)/.exec(output);
      if (m) {
        started = true;
        clearTimeout(timer);
        ok(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => fail(new Error(`server exited ${code}:\n${output}`)));
  });
  const pid = child.pid as number;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    gc,
    rssMiB: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!m) throw new Error('no VmRSS for the server process');
      return Number(m[1]) / 1024;
    },
    stop: () =>
      new Promise((ok) => {
        child.once('exit', () => ok());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  p99: number;
}

function sendRequests(url: string, amount: number, caseIds: string[]): Promise<LoadResult> {
  const script = fileURLToPath(new URL('./scale-load.mjs', import.meta.url));
  const opts = { url, connections: 16, amount, key: KEY.key, caseIds };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`request loop exited ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as LoadResult);
      } catch {
        reject(new Error(`request loop printed no result: ${out}${err}`));
      }
    });
  });
}

/** RSS once the request loop has gone quiet. */
interface Reading {
  rssMiB: number;
  anonMiB: number;
}

interface Checkpoint {
  requests: number;
  seconds: number;
  /** Readings once the loop had gone quiet, a second apart. */
  readings: Reading[];
  /** Median of the readings' RSS (the growth compares these) and of their anonymous part. */
  rssMiB: number;
  anonMiB: number;
  /** Full collections since the checkpoint before: how many, and the median heap live after them and committed, MB. */
  fullGcs: number;
  liveHeapMB: number;
  committedHeapMB: number;
  /** Server CPU time per request (user + system) since the checkpoint before, µs. */
  cpuUs: number;
}

interface Memory {
  checkpoints: Checkpoint[];
  timeouts: number;
  /** Requests per second while sending (the pauses for readings not counted). */
  rate: number;
  p99: number;
  /** Server CPU time per request over the whole loop, µs. */
  cpuUs: number;
}

interface HealthTiming {
  label: string;
  query: string;
  /** Whether the daily digests answer it (else the facts of every case it can touch are read). */
  fromDigests: boolean;
  firstMs: number;
  medianMs: number;
  maxMs: number;
  cases: number;
}

/** Readings per checkpoint, a second apart, after the loop has been quiet for a second. */
const QUIET_READINGS = 5;

/**
 * RSS and its anonymous part, QUIET_READINGS times a second apart once the request loop has
 * stopped. One reading per checkpoint said little: RSS moves with the heap V8 keeps committed
 * between collections, so several in the quiet show whether it has settled.
 */
async function quietReadings(server: Server): Promise<Reading[]> {
  const out: Reading[] = [];
  for (let i = 0; i < QUIET_READINGS; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { rss, anon } = residentMiB(server.pid);
    out.push({ rssMiB: rss, anonMiB: anon });
  }
  return out;
}

async function measureMemory(ctx: RunContext, server: Server, data: ScaleData, s: Settings): Promise<Memory> {
  let gcMark = server.gc.all().length;
  /** The checkpoint after `requests`: quiet readings, and the full collections since the one before. */
  const checkpoint = async (requests: number, seconds: number, cpuUs: number): Promise<Checkpoint> => {
    const readings = await quietReadings(server);
    const gcs = server.gc.all().slice(gcMark);
    gcMark += gcs.length;
    return {
      requests,
      seconds,
      readings,
      rssMiB: median(readings.map((r) => r.rssMiB)),
      anonMiB: median(readings.map((r) => r.anonMiB)),
      fullGcs: gcs.length,
      liveHeapMB: median(gcs.map((g) => g.liveMB)),
      committedHeapMB: median(gcs.map((g) => g.committedMB)),
      cpuUs,
    };
  };
  const checkpoints: Checkpoint[] = [await checkpoint(0, 0, NaN)];
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  let sent = 0;
  // The budget bounds the time spent sending; the pauses for readings do not use it up.
  let sendingS = 0;
  let p99 = 0;
  let timeouts = 0;
  let rate = 0;
  let cpuMark = cpuMs(server.pid);
  let sentMark = 0;
  let cpuSum = 0;
  const goal = s.checkpoints.at(-1) as number;
  // Chunks of about 20 s at the rate seen so far, ending exactly at each checkpoint; readings after each.
  while (sent < goal && sendingS < s.requestBudgetS) {
    const next = s.checkpoints.find((c) => c > sent) as number;
    const chunk = Math.min(next - sent, Math.max(5_000, Math.round(rate * 20)));
    const t = performance.now();
    const r = await sendRequests(server.url, chunk, data.sampleCaseIds);
    if (r.non2xx > 0 || r.errors > r.timeouts) throw new Error(`request loop: ${r.non2xx} non-2xx, ${r.errors - r.timeouts} socket errors`);
    // A request unanswered after 20 s is counted and reported, not hidden and not fatal.
    timeouts += r.timeouts;
    sent += r.ok + r.timeouts;
    const took = (performance.now() - t) / 1000;
    sendingS += took;
    rate = (r.ok + r.timeouts) / took;
    p99 = Math.max(p99, r.p99);
    if (s.checkpoints.includes(sent) || sent >= goal || sendingS >= s.requestBudgetS) {
      // CPU is read before the pause, so it is the requests' (and the server's background work's).
      const cpu = cpuMs(server.pid) - cpuMark;
      cpuSum += cpu;
      const c = await checkpoint(sent, elapsed(), (cpu * 1000) / (sent - sentMark));
      checkpoints.push(c);
      cpuMark = cpuMs(server.pid);
      sentMark = sent;
      ctx.log(
        `scale: ${fmtN(sent)} requests in ${fmtN(Math.round(sendingS))} s of sending (${fmtN(Math.round(sent / sendingS))}/s, ${c.cpuUs.toFixed(0)} µs server CPU per request); ` +
          `quiet: RSS ${c.readings.map((x) => x.rssMiB.toFixed(0)).join('/')} MiB; V8 ${heapText(c)}`,
      );
    }
  }
  return { checkpoints, rate: sent / sendingS, p99, timeouts, cpuUs: (cpuSum * 1000) / sent };
}

/** The heap figures of a checkpoint in words. */
function heapText(c: Checkpoint): string {
  return c.fullGcs === 0 ? 'no full GC since the checkpoint before' : `heap live ${c.liveHeapMB.toFixed(1)} MB of ${c.committedHeapMB.toFixed(0)} MB committed (median of ${c.fullGcs} full GCs)`;
}

/** Times GET /api/flows/{key}/health for a few queries over the loaded flow, as an analyst asks them. */
async function timeHealth(ctx: RunContext, server: Server, data: ScaleData, repeats: number): Promise<HealthTiming[]> {
  const branch = BRANCHES[2] as string;
  const queries: Omit<HealthTiming, 'firstMs' | 'medianMs' | 'maxMs' | 'cases'>[] = [
    { label: 'default (all time, cases ended)', query: '', fromDigests: true },
    { label: `one branch (filter=branchId:${branch})`, query: `filter=branchId:${branch}`, fromDigests: true },
    { label: `cohort started, one branch (basis=started&filter=branchId:${branch})`, query: `basis=started&filter=branchId:${branch}`, fromDigests: true },
  ];
  const out: HealthTiming[] = [];
  for (const q of queries) {
    const ask = async () => {
      const t = performance.now();
      const res = await fetch(`${server.url}/api/flows/${REVIEW_FLOW_KEY}/health${q.query ? `?${q.query}` : ''}`, { headers: { authorization: `Bearer ${HEALTH_KEY.key}` } });
      const body = (await res.json()) as { measured?: number };
      if (res.status !== 200) throw new Error(`health ${q.query}: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, cases: body.measured ?? NaN };
    };
    const first = await ask();
    // Every ended case is in the default report: the digests hold every clone that ended.
    if (q.query === '' && first.cases !== data.cases - data.openTasks) throw new Error(`the default health report measured ${first.cases} cases, not the ${data.cases - data.openTasks} that ended`);
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) times.push((await ask()).ms);
    out.push({ ...q, firstMs: first.ms, medianMs: median(times), maxMs: Math.max(...times), cases: first.cases });
    ctx.log(`scale: health ${q.label}: first ${fmtMs(first.ms)}, median ${fmtMs(median(times))} (${fmtN(first.cases)} cases measured)`);
  }
  return out;
}

export const scale: BenchRun = {
  name: 'scale-1m-cases',
  title: 'Scale: 1,000,000 cases, 200,000 open tasks',
  unit: 'x',
  target: 1,
  targetText: 'headroom ≥ 1× on each of: work-list p95 < 20 ms, case fetch p95 < 5 ms, timer scan < 10 ms, memory growth ≤ 20 % from 100k to 1M requests, health query < 1 s',
  async run(ctx): Promise<RunResult> {
    const s = ctx.quick ? QUICK : ctx.long ? LONG : FULL;
    ctx.log(`scale: loading ${fmtN(s.cases)} cases, ${fmtN(s.openTasks)} open tasks`);
    const data = await buildScaleData(s.cases, s.openTasks, ctx.log);
    try {
      ctx.log(`scale: loaded ${fmtN(data.cases)} cases in ${data.loadSeconds.toFixed(0)} s + indexes ${data.indexSeconds.toFixed(0)} s, ${(data.bytesOnDisk / 2 ** 30).toFixed(2)} GiB; timing queries`);
      const verified = await verifySample(data);
      const q = await timeQueries(data, s.samples);
      const workP95 = p95(q.workList);
      const caseP95 = p95(q.caseFetch);
      const takeP95 = p95(q.takeDue);
      const countP95 = p95(q.countDue);
      const scanMs = Math.max(takeP95, countP95);
      // The due timers were there for the scan; the server is to answer requests, not fire them at start.
      const later = new Date(Date.parse(data.now) + 86_400_000).toISOString();
      const moved = data.fixture.store.db.prepare("UPDATE timers SET run_at = ?, due_at = ? WHERE status = 'scheduled' AND run_at <= ?").run(later, later, data.now).changes;
      // The clones' projections are current, as a running deployment's are once its first health
      // query has checked them (that one-time check is not what the target is about).
      await data.fixture.store.markFactsCaughtUp(REVIEW_FLOW_KEY, data.now);
      // Every journal entry loaded is folded into those rows: the deferred projector starts after them.
      const journalEnd = (data.fixture.store.db.prepare('SELECT COALESCE(MAX(rowid), 0) AS n FROM audit').get() as { n: number }).n;
      await data.fixture.store.setFactsPosition?.(journalEnd);
      // The server opens the file itself; the bench's connection must let go of it first.
      await data.fixture.close();
      const server = await startServer(data.fixture.dir);
      let mem: Memory;
      let health: HealthTiming[];
      try {
        mem = await measureMemory(ctx, server, data, s);
        health = await timeHealth(ctx, server, data, s.healthRepeats);
      } finally {
        await server.stop();
      }
      const first = mem.checkpoints[1];
      const last = mem.checkpoints.at(-1);
      if (!first || !last) throw new Error('no memory checkpoint was taken');
      const growth = (last.rssMiB - first.rssMiB) / first.rssMiB;
      // The heap live after full collections: what grows when requests leave objects behind.
      const heapGrowth = (last.liveHeapMB - first.liveHeapMB) / first.liveHeapMB;
      const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
      const readingsOf = (c: (typeof mem.checkpoints)[number]) =>
        `${fmtN(c.requests)}: RSS ${c.readings.map((x) => x.rssMiB.toFixed(0)).join('/')} MiB (anonymous ${c.anonMiB.toFixed(0)}), ${heapText(c)}${Number.isFinite(c.cpuUs) ? `, ${c.cpuUs.toFixed(0)} µs CPU per request` : ''}`;
      const healthWorst = Math.max(...health.map((h) => h.medianMs));
      const headroom = {
        workList: TARGETS.workListMs / workP95,
        caseFetch: TARGETS.caseFetchMs / caseP95,
        timerScan: TARGETS.timerScanMs / scanMs,
        memory: growth <= 0 ? Infinity : TARGETS.memoryGrowth / growth,
        health: TARGETS.healthMs / healthWorst,
      };
      const ratio = Math.min(...Object.values(headroom));
      const perCase = data.bytesOnDisk / data.cases;
      const missed = Object.entries(headroom).filter(([, h]) => h < 1).map(([k]) => k);
      return {
        name: this.name,
        title: this.title,
        status: 'measured',
        ratio,
        unit: this.unit,
        target: this.target,
        targetText: this.targetText,
        figures: [
          { label: 'data set', value: `${fmtN(data.cases)} cases, ${fmtN(data.openTasks)} open tasks, ${fmtN(data.timers)} timers, ${fmtN(data.auditRows)} audit rows; loaded in ${data.loadSeconds.toFixed(0)} s + ${data.indexSeconds.toFixed(0)} s indexes` },
          { label: 'work-list p95 (3 of 15 queues, first page)', value: `${fmtMs(workP95)} (target < ${TARGETS.workListMs} ms)` },
          { label: 'case fetch p95', value: `${fmtMs(caseP95)} (target < ${TARGETS.caseFetchMs} ms)` },
          { label: 'due-timer scan p95 (takeDueTimer / countDueTimers)', value: `${fmtMs(takeP95)} / ${fmtMs(countP95)} (target < ${TARGETS.timerScanMs} ms)` },
          { label: 'bytes on disk per case', value: `${fmtN(Math.round(perCase))} B (${(data.bytesOnDisk / 2 ** 30).toFixed(2)} GiB)` },
          {
            label: 'server RSS (median of 5 quiet readings)',
            value: `${first.rssMiB.toFixed(0)} MiB after ${fmtN(first.requests)} requests, ${last.rssMiB.toFixed(0)} MiB after ${fmtN(last.requests)} (${pct(growth)}, target ≤ 20 %)${Number.isFinite(heapGrowth) ? `; V8 heap live after full GCs ${first.liveHeapMB.toFixed(1)} → ${last.liveHeapMB.toFixed(1)} MB (${pct(heapGrowth)})` : ''}`,
          },
          { label: 'server throughput and CPU', value: `${fmtN(Math.round(mem.rate))} requests/s; ${mem.cpuUs.toFixed(0)} µs of server CPU (user + system) per request` },
          ...health.map((h) => ({
            label: `health: ${h.label}`,
            value: `${fmtMs(h.medianMs)} median, ${fmtMs(h.maxMs)} max, first ${fmtMs(h.firstMs)} (${h.fromDigests ? 'daily digests' : 'facts of every case'}; ${fmtN(h.cases)} cases measured; target < ${TARGETS.healthMs} ms)`,
          })),
        ],
        notes: [
          `Data set: the store is opened as the product opens it (schema and migrations its own); one review-flow case is started through the runtime (it waits at its open review task) and one is run to its end 3 h 20 min later, and every row each of them has — case, waits, task, SLA timers, outbox rows, audit stream and head, process-health facts — is cloned with fresh sequential ids, every timestamp shifted by the same amount and a branch out of ${BRANCHES.length}. This is a fixture's bulk load, not the product's write path: secondary indexes are dropped and rebuilt after, transactions of 50,000 cases with \`journal_mode=OFF\` and \`synchronous=OFF\` on a fresh file; then the file is closed and opened again with \`openSqliteStore\` (WAL, \`synchronous=FULL\`, schema version checked). Each clone's audit chain is hashed anew as the store hashes it; ${verified} sampled cases' chains verified (sequence, previous hashes, every hash recomputed, head) and have their facts. Every ${Math.round(data.cases / data.openTasks)}th case is an open one, started within the last 30 days; its task goes to one of ${QUEUES.length} queues with a priority of 40–70 and a due time within ±10 days (one in ten with none); ~1 % of its SLA timers are already due. Ended cases ended within the last year; their facts are in the daily digests, built as the projector builds them (the template's facts added once per case, per local end day, for all cases and per value of each dimension). Loaded in ${data.loadSeconds.toFixed(0)} s, indexes in ${data.indexSeconds.toFixed(0)} s.`,
          `Queries, timed one at a time through the \`Store\` interface on the loaded file (${s.samples} samples each): \`listTasks({ statuses: [open, claimed], queues: 3 of 15 }, 51)\` — the route's first page of 50 plus one for the cursor — over rotating queue sets; \`getCase\` over ${fmtN(data.sampleCaseIds.length)} ids spread across the load; \`takeDueTimer(now)\` inside a transaction that is rolled back, and \`countDueTimers(now)\` (${fmtN(q.dueCount)} due). Bytes on disk: database file after the load, divided by cases (each completed case carries its 13-entry audit stream). After the scan the ${fmtN(moved)} due timers are moved a day ahead, so the server does not start by firing them.`,
          `Memory: the real server (\`runtime-api/src/main.ts\`, \`FLOWPATH_SYNC=full\`) on the loaded folder; a separate process (autocannon, 16 connections, loopback) sends a fixed number of requests, alternating \`GET /api/cases/{id}\` (rotating over the sample ids) and \`GET /api/tasks?limit=50\` (an operator key with 3 queues); every response must be 2xx. At the start and at each checkpoint the loop stops and, after a second of quiet, the server is read ${mem.checkpoints[0]?.readings.length ?? 0} times a second apart: RSS and its anonymous part (heaps and malloc, not mapped files) from \`/proc/<pid>/status\`; the server runs with \`--trace-gc\`, and the V8 heap is the median over the full collections (Mark-Compact) since the checkpoint before of the heap live after each and of what V8 kept committed; its CPU time (user + system, \`/proc/<pid>/stat\`) is read at each checkpoint before the pause. By requests sent — ${mem.checkpoints.map(readingsOf).join('; ')}. RSS growth compares the medians of the quiet readings. ${fmtN(Math.round(mem.rate))} requests/s while sending, worst p99 ${mem.p99} ms, ${mem.timeouts} requests unanswered after 20 s. Growth is measured from ${fmtN(first.requests)} requests (caches and JIT warm) to ${fmtN(last.requests)}.${last.requests < (s.checkpoints.at(-1) as number) ? ` The loop stopped at its ${s.requestBudgetS} s budget, short of ${fmtN(s.checkpoints.at(-1) as number)} requests.` : ''}${ctx.quick ? ' (--quick: a tenth of the data and a 25 s loop.)' : ''}${ctx.quick || ctx.long ? '' : ` At this rate the issue's 1,000,000 requests would take ${Math.round(1_000_000 / mem.rate / 60)} min, more than all of \`pnpm bench\` may take (15 min): \`pnpm bench -- --long scale\` sends them with no budget and measures growth from 100,000 (decision 0070).`}`,
          `Process health (issue #10): \`GET /api/flows/${REVIEW_FLOW_KEY}/health\` with an analyst key on the same server after the request loop, each query asked once (first) and then ${s.healthRepeats} times (median, max): ${health.map((h) => `\`${h.query || '(no parameters)'}\` ${fmtMs(h.medianMs)}`).join(', ')}. All three are answered from the daily digests (by end day, and by start day for the cohort and the started count) plus what the database gathers of the 200,000 open cases from the index of open cases as numbers: their starts, their open tasks' opening times by queue, their operators' work per day (decision 0072). The data set's flow is marked caught up, as a deployment's is after its first health query; that one-time check of every case against its journal is not timed here.`,
          ...(last.requests < (s.checkpoints.at(-1) as number)
            ? [
                `Throughput: ${fmtN(Math.round(mem.rate))} requests/s on a machine shared with other jobs (see the load average above). The work-list page costs the server about three times the CPU of a case read (decision 0071: on a 100,000-case copy 1.17 against 0.38 ms, after cutting 1.83 and 0.50 ms by a third and a quarter — row objects built from raw arrays, each form parsed once per distinct text, no WAL sync after a transaction that wrote nothing, answers encoded once); what it still spends is SQLite's query and rows (~38 %), serializing and writing its 42 KB answer (~30 %), Express and GC. Two causes of the 48 requests/s measured before are gone: the data set was built around a fixed date months before the real clock, so every SLA timer was due when the server started and it fired them, one durable transaction each, while answering; and the bench's key had the admin role, which sees every queue, so each work-list page read and sorted every open task. Now times are built around the run's clock, the few due timers are moved ahead before the server starts, and the key is an operator's with 3 queues (the store answers that work list with one ordered range of the \`tasks_work_list\` index per status and queue, each cut at the page size, merged: 0.6 ms median on a 200,000-case copy, 0.8 ms for all 15 queues).`,
              ]
            : []),
          ...(headroom.caseFetch < 1 || headroom.timerScan < 1.5
            ? [
                `The case fetch and timer scan were timed on the freshly loaded ${(data.bytesOnDisk / 2 ** 30).toFixed(1)} GiB file with SQLite's default 2 MB page cache, after warming only 50 cases: most of the ${fmtN(data.sampleCaseIds.length)} sampled cases are read for the first time while timed, and on a machine shared with other jobs such reads may come from disk (not profiled; a 340,000-case file of 3.4 GiB gave 0.05 ms for both).`,
              ]
            : []),
          ...(headroom.memory < 1
            ? [
                !Number.isFinite(heapGrowth)
                  ? `RSS grew ${pct(growth)}; no full collection ran in one of the two windows, so the live heap cannot be compared this time.`
                  : heapGrowth <= 0.1
                  ? `RSS grew ${pct(growth)} while the heap live after full collections did not grow with it (${pct(heapGrowth)}): what grew is memory the process keeps, not objects requests leave behind — the heap V8 keeps committed between collections (${first.committedHeapMB.toFixed(0)} → ${last.committedHeapMB.toFixed(0)} MB), SQLite's page cache (up to 16,000 KiB on the connection, better-sqlite3's default, filled as more of the file is read) and malloc's arenas (decision 0071).`
                  : `RSS grew ${pct(growth)} and the heap live after full collections ${pct(heapGrowth)} between the checkpoints: a leak is possible; heap snapshots at the two checkpoints (\`node --heapsnapshot-signal\`) would show what holds the memory.`,
              ]
            : []),
          ...(headroom.health < 1
            ? [
                `Why health misses 1 s: see the profile in decision 0072. What is left per report is proportional to the open cases: the database reads the 200,000 entries of the open-case index and returns their start and task times as numbers, and the engine computes two ages (calendar, working) per case and per task and sorts them for the percentiles.`,
              ]
            : []),
          `The BENCH figure is the smallest headroom (target ÷ measured) over the five targets: work list ${headroom.workList.toFixed(1)}×, case fetch ${headroom.caseFetch.toFixed(1)}×, timer scan ${headroom.timerScan.toFixed(1)}×, memory ${Number.isFinite(headroom.memory) ? `${headroom.memory.toFixed(1)}×` : 'no growth'}, health ${headroom.health.toFixed(2)}× (slowest median).${missed.length > 0 ? ` Missed: ${missed.join(', ')}.` : ''}`,
        ],
      };
    } finally {
      rmSync(data.fixture.dir, { recursive: true, force: true });
    }
  },
};
