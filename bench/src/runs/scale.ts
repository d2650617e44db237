/**
 * Run 4, scale: a SQLite store with (up to) 1,000,000 cases and 200,000 open tasks, loaded fast
 * from real template cases (see scale-data.ts). Times through the Store interface the work list
 * (an operator's queues, first page), the case fetch and the scheduler's due-timer scan, and
 * reports bytes on disk per case; then runs the real server on that file and samples its RSS
 * while a separate process sends cheap requests in time-bounded batches.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { TaskStatus } from '@flowpath/runtime-api';
import { fmtMs } from '../format';
import type { BenchRun, RunContext, RunResult } from '../run-types';
import { buildScaleData, QUEUES, SCALE_NOW, type ScaleData } from './scale-data';

const TARGETS = { workListMs: 20, caseFetchMs: 5, timerScanMs: 10, memoryGrowth: 0.2 };
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KEY = { key: 'bench-scale-key-0123456789abcdef', name: 'bench-operator', roles: ['operator', 'admin'], queues: QUEUES.slice(0, 3) };

interface Settings {
  cases: number;
  openTasks: number;
  /** Loading stops after this long; the run is then measured at the size reached. */
  loadBudgetS: number;
  samples: number;
  /** The request loop runs this many batches of this many seconds; RSS is read after each. */
  batches: number;
  batchS: number;
}

// The issue asks for 100k and 1M requests; on these shared machines the server answers tens to
// hundreds of these requests a second, so the loop is bounded by time and reports what it sent.
const FULL: Settings = { cases: 1_000_000, openTasks: 200_000, loadBudgetS: 240, samples: 300, batches: 6, batchS: 25 };
const QUICK: Settings = { cases: 100_000, openTasks: 20_000, loadBudgetS: 90, samples: 200, batches: 4, batchS: 8 };

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
        if (!(await tx.takeDueTimer(SCALE_NOW))) throw new Error('no due timer found: the data set has none');
        throw new Rollback();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
  });
  let dueCount = 0;
  const countDue = await timeEach(Math.min(samples, 200), async () => {
    dueCount = await store.countDueTimers(SCALE_NOW);
  });
  return { workList, workListRows, caseFetch, takeDue, countDue, dueCount };
}

interface Server {
  url: string;
  pid: number;
  rssMiB: () => number;
  stop: () => Promise<void>;
}

/** Starts `runtime-api/src/main.ts` as `pnpm start` does, on the loaded data folder. */
async function startServer(dataDir: string): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'runtime-api', 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', FLOWPATH_DATA: dataDir, FLOWPATH_API_KEYS: JSON.stringify([KEY]), FLOWPATH_LOG_LEVEL: 'warn', FLOWPATH_SYNC: 'full' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 120 s:\n${output}`)), 120_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      const m = /designer\s+http:\/\/localhost:(\d+)/.exec(output);
      if (m) {
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

function sendRequests(url: string, seconds: number, caseIds: string[]): Promise<LoadResult> {
  const script = fileURLToPath(new URL('./scale-load.mjs', import.meta.url));
  const opts = { url, connections: 16, seconds, key: KEY.key, caseIds };
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

interface Memory {
  checkpoints: { requests: number; rssMiB: number }[];
  timeouts: number;
  rate: number;
  p99: number;
}

async function measureMemory(ctx: RunContext, data: ScaleData, s: Settings): Promise<Memory> {
  const server = await startServer(data.fixture.dir);
  try {
    const checkpoints: { requests: number; rssMiB: number }[] = [{ requests: 0, rssMiB: server.rssMiB() }];
    const t0 = performance.now();
    let sent = 0;
    let p99 = 0;
    let timeouts = 0;
    for (let b = 0; b < s.batches; b++) {
      const r = await sendRequests(server.url, s.batchS, data.sampleCaseIds);
      if (r.non2xx > 0 || r.errors > r.timeouts) throw new Error(`request loop: ${r.non2xx} non-2xx, ${r.errors - r.timeouts} socket errors`);
      // A request unanswered after 20 s is counted and reported, not hidden and not fatal.
      timeouts += r.timeouts;
      sent += r.ok;
      p99 = Math.max(p99, r.p99);
      checkpoints.push({ requests: sent, rssMiB: server.rssMiB() });
      ctx.log(`scale: ${sent.toLocaleString('en-US')} requests, server RSS ${server.rssMiB().toFixed(0)} MiB`);
    }
    return { checkpoints, rate: sent / ((performance.now() - t0) / 1000), p99, timeouts };
  } finally {
    await server.stop();
  }
}

const fmtN = (n: number) => n.toLocaleString('en-US');

export const scale: BenchRun = {
  name: 'scale-1m-cases',
  title: 'Scale: 1,000,000 cases, 200,000 open tasks',
  unit: 'x',
  target: 1,
  targetText: 'headroom ≥ 1× on each of: work-list p95 < 20 ms, case fetch p95 < 5 ms, timer scan < 10 ms, memory growth ≤ 20 %',
  async run(ctx): Promise<RunResult> {
    const s = ctx.quick ? QUICK : FULL;
    ctx.log(`scale: loading ${fmtN(s.cases)} cases, ${fmtN(s.openTasks)} open tasks (budget ${s.loadBudgetS} s)`);
    const data = await buildScaleData(s.cases, s.openTasks, ctx.log, s.loadBudgetS);
    try {
      ctx.log(`scale: loaded ${fmtN(data.cases)} cases in ${data.loadSeconds.toFixed(0)} s, ${(data.bytesOnDisk / 2 ** 30).toFixed(2)} GiB; timing queries`);
      const q = await timeQueries(data, s.samples);
      const workP95 = p95(q.workList);
      const caseP95 = p95(q.caseFetch);
      const takeP95 = p95(q.takeDue);
      const countP95 = p95(q.countDue);
      const scanMs = Math.max(takeP95, countP95);
      // The server opens the file itself; the bench's connection must let go of it first.
      await data.fixture.rt.stop();
      await data.fixture.store.close();
      const mem = await measureMemory(ctx, data, s);
      const first = mem.checkpoints[1];
      const last = mem.checkpoints.at(-1);
      if (!first || !last) throw new Error('no memory checkpoint was taken');
      const growth = (last.rssMiB - first.rssMiB) / first.rssMiB;
      const headroom = {
        workList: TARGETS.workListMs / workP95,
        caseFetch: TARGETS.caseFetchMs / caseP95,
        timerScan: TARGETS.timerScanMs / scanMs,
        memory: growth <= 0 ? Infinity : TARGETS.memoryGrowth / growth,
      };
      const ratio = Math.min(...Object.values(headroom));
      const size = data.cases >= s.cases ? `${fmtN(data.cases)} cases` : `${fmtN(data.cases)} cases (loading stopped at its ${s.loadBudgetS} s budget, short of ${fmtN(s.cases)})`;
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
          { label: 'data set', value: `${size}, ${fmtN(data.openTasks)} open tasks, ${fmtN(data.timers)} timers, ${fmtN(data.auditRows)} audit rows` },
          { label: 'work-list p95 (3 of 15 queues, first page)', value: `${fmtMs(workP95)} (target < ${TARGETS.workListMs} ms)` },
          { label: 'case fetch p95', value: `${fmtMs(caseP95)} (target < ${TARGETS.caseFetchMs} ms)` },
          { label: 'due-timer scan p95 (takeDueTimer / countDueTimers)', value: `${fmtMs(takeP95)} / ${fmtMs(countP95)} (target < ${TARGETS.timerScanMs} ms)` },
          { label: 'bytes on disk per case', value: `${fmtN(Math.round(perCase))} B (${(data.bytesOnDisk / 2 ** 30).toFixed(2)} GiB)` },
          { label: 'server RSS', value: `${first.rssMiB.toFixed(0)} MiB after ${fmtN(first.requests)} requests, ${last.rssMiB.toFixed(0)} MiB after ${fmtN(last.requests)} (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %, target ≤ 20 %)` },
        ],
        notes: [
          `Data set: the store is opened as the product opens it (schema and migrations its own); one review-flow case is started through the runtime (it waits at its open review task) and one is run to its end, and every row each of them has — case, waits, task, SLA timers, outbox rows, audit stream and head, process-health row — is cloned with fresh ids in transactions of 20,000 cases with \`journal_mode=OFF\`, \`synchronous=OFF\` (then WAL and \`synchronous=FULL\` again before timing). Every ${Math.round(data.cases / data.openTasks)}th case is an open one; its task goes to one of ${QUEUES.length} queues with a priority of 40–70 and a due time within ±10 days (one in ten with none); ~1 % of scheduled timers are already due. Audit hashes of clones are not recomputed (the chain is not verified here). Loaded in ${data.loadSeconds.toFixed(0)} s: ${size}.`,
          `Queries, timed one at a time through the \`Store\` interface on the loaded file (${s.samples} samples each): \`listTasks({ statuses: [open, claimed], queues: 3 of 15 }, 51)\` — the route's first page of 50 plus one for the cursor — over rotating queue sets; \`getCase\` over ${fmtN(data.sampleCaseIds.length)} ids spread across the load; \`takeDueTimer(now)\` inside a transaction that is rolled back, and \`countDueTimers(now)\` (${fmtN(q.dueCount)} due). Bytes on disk: database file plus WAL after the load, divided by cases (each completed case carries its 14-entry audit stream).`,
          `Memory: the real server (\`runtime-api/src/main.ts\`, \`FLOWPATH_SYNC=full\`) on the loaded folder; a separate process (autocannon, 16 connections, loopback) sends requests in batches, alternating \`GET /api/cases/{id}\` (rotating over the sample ids) and \`GET /api/tasks?limit=50\` (an operator key with 3 queues); every response must be 2xx. RSS is read from \`/proc/<pid>/status\` after each batch: ${mem.checkpoints.map((c) => `${fmtN(c.requests)} → ${c.rssMiB.toFixed(0)} MiB`).join(', ')}. ${fmtN(Math.round(mem.rate))} requests/s on average, worst batch p99 ${mem.p99} ms, ${mem.timeouts} requests unanswered after 20 s (the loop's timeout). The loop runs ${s.batches} batches of ${s.batchS} s (bounded by time, not by count): at this rate it sent ${fmtN(last.requests)} requests, short of the 100k and 1M the issue names; growth is measured from the first checkpoint (${fmtN(first.requests)} requests, caches and JIT warm) to the last.`,
          ...(last.requests < 100_000
            ? [
                `Caveat: with ${fmtN(last.requests)} requests the memory figure is no evidence for 100k or 1M requests. The server answered only ${fmtN(Math.round(mem.rate))} of these cheap reads a second with a worst p99 of ${mem.p99} ms, while the same queries through the \`Store\` take a few ms at most (above): the time goes elsewhere in the server on a large file — not profiled in this run; the next step is \`--cpu-prof\` on the server during the loop (candidates: the scheduler firing the ${fmtN(q.dueCount)} due timers at start, one durable transaction each, and work done per request around the queries).`,
              ]
            : []),
          `The BENCH figure is the smallest headroom (target ÷ measured) over the four targets: work list ${headroom.workList.toFixed(1)}×, case fetch ${headroom.caseFetch.toFixed(1)}×, timer scan ${headroom.timerScan.toFixed(1)}×, memory ${Number.isFinite(headroom.memory) ? `${headroom.memory.toFixed(1)}×` : 'no growth'}.${missed.length > 0 ? ` Missed: ${missed.join(', ')}.` : ''}`,
        ],
      };
    } finally {
      rmSync(data.fixture.dir, { recursive: true, force: true });
    }
  },
};
