/**
 * Run 6, several runtime processes on PostgreSQL: throughput of `POST /api/cases` with 1, 2 and 3
 * real runtime processes sharing one PostgreSQL schema, the 32 connections of the load generator
 * dealt round-robin over them, alternating in rounds with one process on the embedded SQLite
 * store as context; then a mixed workload (start a case, complete its task). Server CPU per
 * request (runtime processes and their PostgreSQL backends) and the machine's busy cores say what
 * limits. Afterwards: every case answered 201 is in the database exactly once, no task was
 * completed twice and every timer that came due fired exactly once.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { checkPgConnection, dropPgSchema, FlowpathRuntime, loadFlows, openPgStore, openSqliteStore, type ApiKey, type PgStore, type Store } from '@flowpath/runtime-api';
import { median } from '../harness';
import { fmtMs, fmtRate, fmtRatio } from '../format';
import { APPLICATION, REVIEW_DATA, REVIEW_FLOW_KEY, reviewFlow, TIMER_FLOW_KEY, timerFlow } from '../runtime/review-flow';
import { freePort, machineCpuMs, processCpuMs, RuntimeProcess } from '../runtime/processes';
import type { BenchRun, RunContext, RunResult } from '../run-types';

const CONNECTIONS = 32;
/** Where the run finds PostgreSQL; it works in a schema of its own and drops it afterwards. */
const DATABASE_URL = process.env.FLOWPATH_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
/** How often a case of the timer flow is started during a window (spread over the window's processes). */
const TIMER_CASE_EVERY_MS = 250;

/** What profiling showed when this run was written (one PostgreSQL process, 32 connections, a loaded machine). */
const PG_ANALYSIS =
  'Where a PostgreSQL process spends its CPU (a CPU profile of one process under this load, taken when the run was written): a case start is 15 statements, each its own round trip on the connection (BEGIN; release policy, latest version, the lists generation twice, the calendar twice; case, two SLA timers, task, audit head, audit entries, process-health facts; COMMIT), against one batch of statements in process on SQLite. About a third of the process\'s CPU went to `writev` — sending those statements over loopback TCP, where the kernel also runs the receiving side in the sender\'s time — and about a fifth was idle, waiting for answers; JSON, validation, the engine step and hashing are a small part. That is why one PostgreSQL process costs several times the CPU of the SQLite process per request, and why the database server\'s share is large. The obvious next steps are fewer round trips per step: cache the lists generation and the calendar for the transaction (4 statements), and send the step\'s writes as one pipelined batch.';

const KEYS = {
  app: { key: 'bench-pg-app-key-0123456789abcdef', name: 'bench-app', roles: ['app'] },
  operator: { key: 'bench-pg-op-key-0123456789abcdef', name: 'bench-reviewer', roles: ['operator'], queues: ['credit-approval', 'credit-senior'] },
} satisfies Record<string, ApiKey>;

type Mode = 'start' | 'mixed';

interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  rate: number;
  started: number;
  completed: number;
  p50: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
  perProcess: number[];
  generatorCpuMs: number;
}

interface Window extends LoadResult {
  /** CPU of the side's runtime processes, of their PostgreSQL backends, and of the load generator, per 2xx response, ms. */
  runtimeCpuMs: number;
  pgCpuMs: number;
  generatorCpuPerRequestMs: number;
  /** Busy cores of the whole machine during the window (of 2 here), and the part this run's processes used. */
  busyCores: number;
  ourCores: number;
  /** PostgreSQL connections of the side's processes running a statement, sampled every 100 ms. */
  activeMean: number;
  activeMax: number;
}

interface Side {
  key: string;
  label: string;
  procs: RuntimeProcess[];
  pg: boolean;
  start: Window[];
  mixed: Window[];
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** The name each process gives its PostgreSQL connections (`flowpath <host> <pid>`, see pg-store). */
const appName = (p: RuntimeProcess): string => `flowpath ${hostname()} ${p.pid}`.slice(0, 63);

/** Runs the load generator against `urls`; `onMeasure` is called when its measured window starts and ends. */
function load(
  urls: string[],
  mode: Mode,
  prefix: string,
  seconds: number,
  warmupSeconds: number,
  idsFile: string,
  onMeasure: (edge: 'start' | 'end') => void,
): Promise<LoadResult> {
  const script = fileURLToPath(new URL('../runtime/spread-load.mjs', import.meta.url));
  const opts = {
    urls,
    connections: CONNECTIONS,
    seconds,
    warmupSeconds,
    mode,
    prefix,
    appKey: KEYS.app.key,
    operatorKey: KEYS.operator.key,
    flow: REVIEW_FLOW_KEY,
    data: APPLICATION,
    reviewData: REVIEW_DATA,
    idsFile,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (;;) {
        const nl = out.indexOf('\n');
        if (nl < 0 || !out.startsWith('measure-')) break;
        onMeasure(out.slice(0, nl) === 'measure-start' ? 'start' : 'end');
        out = out.slice(nl + 1);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + warmupSeconds) * 2000 + 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`load generator exited ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as LoadResult);
      } catch {
        reject(new Error(`load generator printed no result: ${out} ${err}`));
      }
    });
  });
}

/** CPU of the given processes' PostgreSQL backends, by backend pid. */
async function backendCpu(observer: PgStore, names: string[]): Promise<Map<number, number>> {
  const rows = (await observer.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = ANY($1::text[])', [names])).rows;
  return new Map(rows.map((r) => [r.pid, processCpuMs(r.pid)]));
}

interface Checks {
  /** Case ids (customer refs) answered 201, per store. */
  started: { sqlite: string[]; pg: string[] };
  /** Timer-flow cases answered 201, per store. */
  timerCases: { sqlite: number; pg: number };
  completions: { sqlite: number; pg: number };
}

export const pgProcesses: BenchRun = {
  name: 'pg-processes-3-vs-1',
  title: 'Several runtime processes on PostgreSQL (1, 2, 3)',
  unit: 'x',
  target: 1,
  targetText: '≥ 1× (3 processes not slower than 1; linear would be 3×, out of reach on 2 cores)',
  async run(ctx): Promise<RunResult> {
    const s = ctx.quick ? { rounds: 1, mixedRounds: 1, seconds: 2, warmup: 1 } : { rounds: 3, mixedRounds: 1, seconds: 3, warmup: 1 };
    await checkPgConnection({ connectionString: DATABASE_URL }).catch((e: unknown) => {
      throw new Error(`PostgreSQL at ${DATABASE_URL} is not reachable (${e instanceof Error ? e.message : String(e)}); set FLOWPATH_BENCH_DATABASE_URL`);
    });
    const schema = `fpbench_${process.pid}_${randomBytes(4).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'flowpath-bench-pg-'));
    const env = { FLOWPATH_API_KEYS: JSON.stringify(Object.values(KEYS)), FLOWPATH_LOG_LEVEL: 'warn' };
    const pgEnv = { ...env, FLOWPATH_DATABASE_URL: DATABASE_URL, FLOWPATH_PG_SCHEMA: schema };
    let observer: PgStore | undefined;
    const all: RuntimeProcess[] = [];
    try {
      // Both stores get the bench flows before any process starts (so none loads the templates).
      observer = await openPgStore({ connectionString: DATABASE_URL, schema, poolMax: 3, applicationName: 'flowpath bench observer' });
      await publish(observer);
      mkdirSync(join(dir, 'sqlite'));
      const seed = openSqliteStore(join(dir, 'sqlite', 'flowpath.db'));
      await publish(seed);
      await seed.close();

      const sqlite = new RuntimeProcess('sqlite', await freePort(), dir, env);
      const pgs = [] as RuntimeProcess[];
      for (let i = 1; i <= 3; i++) pgs.push(new RuntimeProcess(`pg${i}`, await freePort(), dir, pgEnv));
      all.push(sqlite, ...pgs);
      const t0 = performance.now();
      for (const p of all) p.spawn();
      await Promise.all(all.map((p) => p.ready(90_000)));
      ctx.log(`pg: 4 runtime processes answering after ${((performance.now() - t0) / 1000).toFixed(1)} s (schema ${schema})`);

      const sides: Side[] = [
        { key: 'sqlite', label: 'SQLite, 1 process', procs: [sqlite], pg: false, start: [], mixed: [] },
        { key: 'pg1', label: 'PostgreSQL, 1 process', procs: pgs.slice(0, 1), pg: true, start: [], mixed: [] },
        { key: 'pg2', label: 'PostgreSQL, 2 processes', procs: pgs.slice(0, 2), pg: true, start: [], mixed: [] },
        { key: 'pg3', label: 'PostgreSQL, 3 processes', procs: pgs, pg: true, start: [], mixed: [] },
      ];
      const checks: Checks = { started: { sqlite: [], pg: [] }, timerCases: { sqlite: 0, pg: 0 }, completions: { sqlite: 0, pg: 0 } };
      let window = 0;
      const obs = observer;

      const measure = async (side: Side, mode: Mode): Promise<Window> => {
        window += 1;
        const names = side.pg ? side.procs.map(appName) : [];
        const idsFile = join(dir, `ids-${window}.json`);
        // A trickle of timer cases over the side's processes, the whole time the generator runs.
        let trickling = true;
        let trickleError: unknown;
        const trickle = (async () => {
          let k = 0;
          while (trickling) {
            const p = side.procs[k % side.procs.length] as RuntimeProcess;
            k += 1;
            const res = await fetch(`${p.url}/api/cases`, {
              method: 'POST',
              headers: { authorization: `Bearer ${KEYS.app.key}`, 'content-type': 'application/json' },
              body: JSON.stringify({ flow: TIMER_FLOW_KEY, data: { customerId: `t${window}-${k}` } }),
            });
            await res.arrayBuffer();
            if (res.status !== 201) throw new Error(`${side.label}: a timer case was answered ${res.status}`);
            if (side.pg) checks.timerCases.pg += 1;
            else checks.timerCases.sqlite += 1;
            await sleep(TIMER_CASE_EVERY_MS);
          }
        })().catch((e: unknown) => void (trickleError = e));
        let at0: { run: number; pg: Map<number, number>; machine: ReturnType<typeof machineCpuMs>; ms: number } | undefined;
        let at1: typeof at0;
        const active: number[] = [];
        let sampling = false;
        const snapshot = async (): Promise<NonNullable<typeof at0>> => ({
          run: side.procs.reduce((a, p) => a + processCpuMs(p.pid), 0),
          pg: side.pg ? await backendCpu(obs, names) : new Map(),
          machine: machineCpuMs(),
          ms: performance.now(),
        });
        const pending: Promise<void>[] = [];
        const sampler = async (): Promise<void> => {
          while (sampling) {
            const r = await obs.pool.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE application_name = ANY($1::text[]) AND state = 'active'", [names]);
            active.push(r.rows[0]?.n ?? 0);
            await sleep(100);
          }
        };
        const r = await load(side.procs.map((p) => p.url), mode, `${side.key}${mode[0]}${window}`, s.seconds, s.warmup, idsFile, (edge) => {
          if (edge === 'start') {
            sampling = side.pg;
            pending.push(snapshot().then((x) => void (at0 = x)));
            if (side.pg) pending.push(sampler());
          } else {
            sampling = false;
            pending.push(snapshot().then((x) => void (at1 = x)));
          }
        }).finally(() => {
          sampling = false;
          trickling = false;
        });
        await Promise.all(pending);
        await trickle;
        if (trickleError) throw new Error(`${side.label}: starting timer cases failed: ${trickleError instanceof Error ? trickleError.message : String(trickleError)}`);
        if (r.non2xx > 0 || r.errors > 0 || r.ok === 0 || !at0 || !at1) {
          throw new Error(`${side.label} (${mode}): ${r.ok} 2xx, ${r.non2xx} other statuses ${JSON.stringify(r.statusCodes)}, ${r.errors} errors (${r.timeouts} timeouts)`);
        }
        const ids = JSON.parse(readFileSync(idsFile, 'utf8')) as { measured: string[]; warmup: string[] };
        (side.pg ? checks.started.pg : checks.started.sqlite).push(...ids.warmup, ...ids.measured);
        if (side.pg) checks.completions.pg += r.completed;
        else checks.completions.sqlite += r.completed;
        const b = at0;
        const e = at1;
        let pgMs = 0;
        for (const [pid, cpu] of e.pg) pgMs += cpu - (b.pg.get(pid) ?? 0);
        const wall = e.ms - b.ms;
        const w: Window = {
          ...r,
          runtimeCpuMs: (e.run - b.run) / r.ok,
          pgCpuMs: pgMs / r.ok,
          generatorCpuPerRequestMs: r.generatorCpuMs / r.ok,
          busyCores: b.machine && e.machine ? (e.machine.busy - b.machine.busy) / wall : NaN,
          ourCores: (e.run - b.run + pgMs + r.generatorCpuMs) / wall,
          activeMean: active.length ? active.reduce((a, x) => a + x, 0) / active.length : 0,
          activeMax: active.length ? Math.max(...active) : 0,
        };
        ctx.log(
          `pg: ${side.label} ${mode}: ${fmtRate(r.rate)} (${r.perProcess.join(' + ')} answered), p99 ${fmtMs(r.p99)}; CPU per request: runtime ${w.runtimeCpuMs.toFixed(2)} ms, PostgreSQL ${w.pgCpuMs.toFixed(2)} ms, generator ${w.generatorCpuPerRequestMs.toFixed(2)} ms; machine ${w.busyCores.toFixed(2)} cores busy (${w.ourCores.toFixed(2)} by this run)` +
            (side.pg ? `; active connections mean ${w.activeMean.toFixed(1)} max ${w.activeMax}` : ''),
        );
        return w;
      };

      for (let round = 0; round < s.rounds; round++) {
        // Rotate the order so no side always runs first.
        for (let i = 0; i < sides.length; i++) {
          const side = sides[(round + i) % sides.length] as Side;
          side.start.push(await measure(side, 'start'));
        }
      }
      for (let round = 0; round < s.mixedRounds; round++) {
        for (let i = 0; i < sides.length; i++) {
          const side = sides[(round + i + 1) % sides.length] as Side;
          side.mixed.push(await measure(side, 'mixed'));
        }
      }

      // Let the last timers come due and fire, then check what the stores hold.
      const verified = await verify(ctx, obs, sqlite, join(dir, 'sqlite', 'flowpath.db'), checks, all);

      const [sq, p1, p2, p3] = sides as [Side, Side, Side, Side];
      const ratios = p3.start.map((w, i) => w.rate / (p1.start[i] as Window).rate);
      const ratio = median(ratios);
      const rate = (ws: Window[]): number => median(ws.map((w) => w.rate));
      const p99 = (ws: Window[]): number => median(ws.map((w) => w.p99));
      const med = (ws: Window[], f: (w: Window) => number): number => median(ws.map(f));
      const lifecycles = (ws: Window[]): number => median(ws.map((w) => w.completed / w.seconds));
      const cpuText = (side: Side): string =>
        `${med(side.start, (w) => w.runtimeCpuMs).toFixed(2)} ms runtime${side.pg ? ` + ${med(side.start, (w) => w.pgCpuMs).toFixed(2)} ms PostgreSQL` : ''}; ${med(side.start, (w) => w.busyCores).toFixed(2)} of 2 cores busy, ${med(side.start, (w) => w.ourCores).toFixed(2)} by this run`;
      const pgShare3 = med(p3.start, (w) => w.pgCpuMs) / (med(p3.start, (w) => w.pgCpuMs) + med(p3.start, (w) => w.runtimeCpuMs));
      const busy3 = med(p3.start, (w) => w.busyCores);
      const ours3 = med(p3.start, (w) => w.ourCores);
      const perReq3 = med(p3.start, (w) => w.pgCpuMs + w.runtimeCpuMs + w.generatorCpuPerRequestMs);

      const shared = busy3 - ours3 > 0.3;
      const perSide = (f: (w: Window) => number): string => [p1, p2, p3].map((x) => `${med(x.start, f).toFixed(2)}`).join(' → ');
      const analysis = [
        `What limits: with 3 processes a case start cost ${perReq3.toFixed(2)} ms of CPU in all (runtime processes, their PostgreSQL backends, load generator); at that cost 2 cores give ${fmtRate(2000 / perReq3)}, against ${fmtRate(rate(p3.start))} measured. ` +
          (shared
            ? `The machine had ${busy3.toFixed(2)} of its 2 cores busy but this run's processes only ${ours3.toFixed(2)} of them: other work on the shared machine took the rest, so the absolute rates are far below what a quiet machine gives, and every side competed for about the same share of CPU.`
            : busy3 >= 1.7
              ? `The machine had ${busy3.toFixed(2)} of its 2 cores busy, ${ours3.toFixed(2)} with this run: the cores are saturated, and processes compete with PostgreSQL and the load generator for them.`
              : `The machine had ${busy3.toFixed(2)} of its 2 cores busy: waits (round trips to PostgreSQL, commits) bound each process, and more processes overlap more of them.`),
        `Why more processes do not raise the rate here: CPU per request grows with the number of processes — runtime ${perSide((w) => w.runtimeCpuMs)} ms, PostgreSQL ${perSide((w) => w.pgCpuMs)} ms with 1 → 2 → 3 processes. Likely causes: each process has its own fixed costs (timer and outbox polling every 250 ms, caches, JIT, garbage collector), and with the load spread thinner each process and connection does less work per wake-up. Within a fixed share of two cores, more CPU per request means fewer requests. More processes pay off where each gets cores of its own (separate machines, or containers with CPU reserved), which this two-core machine cannot show; the 3 ÷ 1 ratio measured here says little about that case.`,
        `${(pgShare3 * 100).toFixed(0)} % of the server-side CPU of a request with 3 processes was PostgreSQL's (the backends of the processes' connections), the rest the runtime processes'. On a real deployment the runtime's share scales out with processes, PostgreSQL's share does not: it is what to size the database server by (here about ${Math.round(1000 / med(p3.start, (w) => w.pgCpuMs))} case starts per second per PostgreSQL core).`,
      ];

      const poolNote = `PostgreSQL connections busy at once (sampled every 100 ms in \`pg_stat_activity\`, the processes' own connections): ${[p1, p2, p3]
        .map((x) => `${x.procs.length} process${x.procs.length > 1 ? 'es' : ''} mean ${med(x.start, (w) => w.activeMean).toFixed(1)}, max ${Math.max(...x.start.map((w) => w.activeMax))}`)
        .join('; ')} — of up to ${10 * 3} open with the default \`FLOWPATH_PG_POOL_MAX\` of 10.`;

      return {
        name: this.name,
        title: this.title,
        status: 'measured',
        ratio,
        unit: this.unit,
        target: this.target,
        ...(this.targetText ? { targetText: this.targetText } : {}),
        figures: [
          ...[p1, p2, p3].map((x) => ({ label: `POST /api/cases, ${x.label}`, value: `${fmtRate(rate(x.start))}, p99 ${fmtMs(p99(x.start))}` })),
          { label: 'POST /api/cases, SQLite, 1 process (context)', value: `${fmtRate(rate(sq.start))}, p99 ${fmtMs(p99(sq.start))}` },
          { label: '3 ÷ 1 processes per round', value: `${ratios.map((x) => `${x.toFixed(2)}×`).join(', ')}` },
          { label: '2 ÷ 1 processes', value: fmtRatio(rate(p2.start) / rate(p1.start), this.unit) },
          { label: 'PostgreSQL 1 / 2 / 3 processes ÷ SQLite', value: [p1, p2, p3].map((x) => fmtRatio(rate(x.start) / rate(sq.start), '%')).join(' / ') },
          { label: 'CPU per request, 3 processes', value: cpuText(p3) },
          { label: 'CPU per request, SQLite', value: cpuText(sq) },
          {
            label: 'mixed (start + complete), cases/s',
            value: `${[p1, p2, p3].map((x) => `${x.procs.length}: ${fmtRate(lifecycles(x.mixed))}`).join(', ')} (PostgreSQL processes); SQLite ${fmtRate(lifecycles(sq.mixed))}; p99 ${fmtMs(p99(p3.mixed))} with 3`,
          },
          { label: 'checked afterwards', value: verified.summary },
        ],
        notes: [
          `Subject: ${[p1, p2, p3].map((x) => x.procs.length).join(', ')} runtime processes started as in production (\`node --import tsx runtime-api/src/main.ts\`, what \`pnpm start\` runs in runtime-api) with \`FLOWPATH_DATABASE_URL\` pointing at a fresh schema of PostgreSQL ${verified.pgVersion} on the same machine (default pool of 10 connections each, request logging off); all three stay up the whole run and only the side's processes get requests. Context: one such process on the embedded SQLite store (\`synchronous: 'full'\`), in the same rounds. The load generator is autocannon 9 in its own Node process (\`bench/src/runtime/spread-load.mjs\`), ${CONNECTIONS} connections dealt round-robin over the side's processes (as a layer-4 load balancer does: ${CONNECTIONS} / 16 + 16 / 11 + 11 + 10), no pipelining; ${s.warmup} s warm-up then ${s.seconds} s measured per side, ${s.rounds} round${s.rounds > 1 ? 's' : ''} of \`POST /api/cases\` in rotating order, then ${s.mixedRounds} of the mixed workload. p99 is over every response of the window, all processes together.`,
          `Each request is \`POST /api/cases\` of the bench review flow (validated, stepped to its review task, committed before the answer, 201 with the case view), each with its own \`customerId\`. Mixed: each connection starts a case, then completes its task as an operator (\`POST /api/tasks/{id}/complete\`: the case ends, its completion event goes to the outbox), and again; its rate is cases run to the end per second. During every window a case of a one-second timer flow is started every ${TIMER_CASE_EVERY_MS} ms, so timers come due while all processes poll for them.`,
          `Median over rounds: 3 processes reached ${fmtRatio(ratio, this.unit)} the rate of 1 (2 processes ${fmtRatio(rate(p2.start) / rate(p1.start), this.unit)}); against the SQLite process: ${[p1, p2, p3].map((x) => `${x.procs.length} → ${fmtRatio(rate(x.start) / rate(sq.start), '%')}`).join(', ')}. p99: ${[p1, p2, p3].map((x) => fmtMs(p99(x.start))).join(' / ')} with 1 / 2 / 3 processes, ${fmtMs(p99(sq.start))} on SQLite.`,
          `CPU per request (CPU time from /proc over the measured window ÷ 2xx answers; PostgreSQL = the backends serving the side's processes' connections, found by their \`application_name\`): ${[p1, p2, p3, sq].map((x) => `${x.label}: ${cpuText(x)}`).join('; ')}. The load generator took ${med(p3.start, (w) => w.generatorCpuPerRequestMs).toFixed(2)} ms per request on the same cores.`,
          ...analysis,
          PG_ANALYSIS,
          poolNote,
          `Checked after the run: ${verified.detail}`,
        ],
      };
    } finally {
      for (const p of all) await p.stop().catch(() => undefined);
      await observer?.close().catch(() => undefined);
      await dropPgSchema({ connectionString: DATABASE_URL }, schema).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function publish(store: Store): Promise<void> {
  const rt = new FlowpathRuntime({ store });
  const loaded = await loadFlows(rt, [reviewFlow(), timerFlow()]);
  if (loaded.draftsOnly.length > 0) throw new Error(`bench flows do not validate: ${JSON.stringify(loaded.draftsOnly)}`);
  await rt.stop();
}

/**
 * What both stores hold after the run: every case answered 201 exactly once, no duplicate case,
 * no task completed twice, every timer-flow case ended by its timer, and no timer fired twice.
 */
async function verify(
  ctx: RunContext,
  pg: PgStore,
  sqliteProc: RuntimeProcess,
  sqliteFile: string,
  checks: Checks,
  procs: RuntimeProcess[],
): Promise<{ summary: string; detail: string; pgVersion: string }> {
  const t = (name: string): string => pg.table(name);
  // Timers started in the last window are due a second later; give the schedulers a few seconds.
  for (let n = 0; n < 100; n++) {
    const open = Number((await pg.pool.query(`SELECT COUNT(*)::int AS n FROM ${t('cases')} WHERE flow_key = $1 AND status <> 'completed'`, [TIMER_FLOW_KEY])).rows[0]?.n);
    if (open === 0 && (await pg.countDueTimers(new Date().toISOString())) === 0) break;
    await sleep(100);
  }
  await sleep(1500); // the SQLite process's last timers too
  await sqliteProc.stop();
  const lite = openSqliteStore(sqliteFile);
  try {
    const problems: string[] = [];
    const pgRefs = (await pg.pool.query<{ ref: string; n: number }>(`SELECT customer_ref AS ref, COUNT(*)::int AS n FROM ${t('cases')} WHERE flow_key = $1 GROUP BY customer_ref`, [REVIEW_FLOW_KEY])).rows;
    const liteRefs = lite.db.prepare('SELECT customer_ref AS ref, COUNT(*) AS n FROM cases WHERE flow_key = ? GROUP BY customer_ref').all(REVIEW_FLOW_KEY) as { ref: string; n: number }[];
    const once = (label: string, rows: { ref: string; n: number }[], answered: string[]): number => {
      const count = new Map(rows.map((r) => [r.ref, Number(r.n)]));
      const twice = rows.filter((r) => Number(r.n) !== 1).length;
      const missing = answered.filter((id) => count.get(id) !== 1).length;
      if (twice > 0) problems.push(`${label}: ${twice} customer ids stored more than once`);
      if (missing > 0) problems.push(`${label}: ${missing} of ${answered.length} cases answered 201 are not stored exactly once`);
      if (new Set(answered).size !== answered.length) problems.push(`${label}: the load generator sent a customer id twice`);
      return rows.length;
    };
    const pgCases = once('PostgreSQL', pgRefs, checks.started.pg);
    const liteCases = once('SQLite', liteRefs, checks.started.sqlite);

    // Tasks completed at most once (one task.completed per case stream), at least as many as answered 200.
    const pgCompleted = (
      await pg.pool.query<{ stream: string; n: number }>(`SELECT stream, COUNT(*)::int AS n FROM ${t('audit')} WHERE entry->>'type' = 'task.completed' GROUP BY stream`)
    ).rows;
    const liteCompleted = lite.db.prepare("SELECT stream, COUNT(*) AS n FROM audit WHERE json_extract(entry, '$.type') = 'task.completed' GROUP BY stream").all() as { stream: string; n: number }[];
    for (const [label, rows, answered] of [
      ['PostgreSQL', pgCompleted, checks.completions.pg],
      ['SQLite', liteCompleted, checks.completions.sqlite],
    ] as const) {
      if (rows.some((r) => Number(r.n) > 1)) problems.push(`${label}: a task was completed twice`);
      if (rows.length < answered) problems.push(`${label}: ${answered} completions answered 200 but only ${rows.length} cases hold one`);
    }

    // Timers: each timer-flow case ended by its one timer; no timer left a second trace anywhere.
    const pgTimers = (
      await pg.pool.query<{ status: string; n: number }>(
        `SELECT t.status, COUNT(*)::int AS n FROM ${t('timers')} t JOIN ${t('cases')} c ON c.id = t.case_id WHERE c.flow_key = $1 GROUP BY t.status`,
        [TIMER_FLOW_KEY],
      )
    ).rows;
    const pgFiredTwice = Number(
      (
        await pg.pool.query(
          `SELECT COUNT(*)::int AS n FROM (SELECT 1 FROM ${t('audit')} WHERE entry->>'type' = 'timer.fired' GROUP BY stream, entry->'details'->>'timerId' HAVING COUNT(*) > 1) x`,
        )
      ).rows[0]?.n,
    );
    const pgTimerCases = (await pg.pool.query<{ status: string; n: number }>(`SELECT status, COUNT(*)::int AS n FROM ${t('cases')} WHERE flow_key = $1 GROUP BY status`, [TIMER_FLOW_KEY])).rows;
    const liteTimers = lite.db.prepare('SELECT t.status, COUNT(*) AS n FROM timers t JOIN cases c ON c.id = t.case_id WHERE c.flow_key = ? GROUP BY t.status').all(TIMER_FLOW_KEY) as { status: string; n: number }[];
    const liteFiredTwice = Number(
      (
        lite.db
          .prepare("SELECT COUNT(*) AS n FROM (SELECT 1 FROM audit WHERE json_extract(entry, '$.type') = 'timer.fired' GROUP BY stream, json_extract(entry, '$.details.timerId') HAVING COUNT(*) > 1)")
          .get() as { n: number }
      ).n,
    );
    const fired = (rows: { status: string; n: number }[]): number => Number(rows.find((r) => r.status === 'fired')?.n ?? 0);
    const total = (rows: { status: string; n: number }[]): number => rows.reduce((a, r) => a + Number(r.n), 0);
    if (pgFiredTwice > 0 || liteFiredTwice > 0) problems.push(`a timer fired twice (PostgreSQL ${pgFiredTwice}, SQLite ${liteFiredTwice})`);
    if (fired(pgTimers) !== checks.timerCases.pg || total(pgTimers) !== checks.timerCases.pg) problems.push(`PostgreSQL: ${checks.timerCases.pg} timer cases started, timers ${JSON.stringify(pgTimers)}`);
    if (fired(liteTimers) !== checks.timerCases.sqlite || total(liteTimers) !== checks.timerCases.sqlite) problems.push(`SQLite: ${checks.timerCases.sqlite} timer cases started, timers ${JSON.stringify(liteTimers)}`);
    if (pgTimerCases.some((r) => r.status !== 'completed')) problems.push(`PostgreSQL: timer cases not all ended: ${JSON.stringify(pgTimerCases)}`);

    if (problems.length > 0) throw new Error(`pg: the stores do not hold what was answered: ${problems.join('; ')}\n${procs.map((p) => `--- ${p.name}\n${p.logTail(10)}`).join('\n')}`);
    const pgVersion = String((await pg.pool.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?').split(' ')[0] ?? '?';
    ctx.log(`pg: checked ${pgCases + liteCases} cases, ${checks.completions.pg + checks.completions.sqlite} completions, ${fired(pgTimers) + fired(liteTimers)} timers`);
    return {
      pgVersion,
      summary: `${(pgCases + liteCases).toLocaleString('en-US')} cases each stored once, no task completed twice, ${fired(pgTimers) + fired(liteTimers)} timers each fired once`,
      detail:
        `on PostgreSQL, each of the ${checks.started.pg.length.toLocaleString('en-US')} cases answered 201 (warm-up included) is stored exactly once and no customer id appears twice (${pgCases.toLocaleString('en-US')} cases of the review flow in the schema); ` +
        `${pgCompleted.length.toLocaleString('en-US')} cases hold one \`task.completed\` entry each, none two (${checks.completions.pg.toLocaleString('en-US')} completions answered 200 in the measured windows); ` +
        `all ${checks.timerCases.pg} timer cases ended, their ${fired(pgTimers)} timers fired, and no timer left two \`timer.fired\` entries, although up to three processes polled for them every 250 ms. ` +
        `The same on the SQLite side (${liteCases.toLocaleString('en-US')} cases, ${fired(liteTimers)} timers).`,
    };
  } finally {
    await lite.close();
  }
}
