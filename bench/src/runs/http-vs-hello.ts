/**
 * Run 3, HTTP vs the framework's limit: POST /api/cases (a case that runs to its first task)
 * against an Express hello-world route taking the same JSON body, both under autocannon run as
 * a separate process with 32 connections on loopback, alternating, in the same run.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from '../harness';
import { profileNote, profileWhile } from '../profile';
import { fmtMs, fmtRate, fmtRatio, spread } from '../format';
import { REVIEW_FLOW_KEY, APPLICATION } from '../runtime/review-flow';
import { APP_KEY, startFlowpath, startHello, type RunningServer } from '../runtime/servers';
import type { BenchRun, RunContext, RunResult } from '../run-types';

const CONNECTIONS = 32;

/** What profiling showed when this run was written; the profile above is this run's own. */
const HTTP_ANALYSIS = [
  "What was done ([decision 0040](decisions/0040-group-commit.md)): (1) **group commit** — transactions that queue while others run share one `BEGIN IMMEDIATE … COMMIT`, each in its own savepoint, and nobody hears back before the shared COMMIT; (2) **the fsync after COMMIT, off the event loop** — with `synchronous: 'full'` the store fdatasyncs the WAL on the thread pool after each batch's COMMIT and answers the batch only after that, so the event loop never waits for the disk (the guarantee is the same: a 2xx has been fsynced); (3) **checkpoints on a worker thread** instead of inside a COMMIT; (4) less work per write: savepoint journals in memory and time-ordered ids, so the indexes keyed by case id grow at one end (together about five times fewer write system calls per case start), the 201 built from what the step wrote instead of reading tasks and history back, the flow row (with its draft) read only on error paths, no request hash without an `Idempotency-Key`, the API key checked once.",
  "Then the CPU per request ([decision 0060](decisions/0060-request-cpu.md)), from profiles of this server under this load: the case view is built without an object literal that opens with a spread (on Node 20 each member after such a spread costs microseconds: 36–85 µs per view, now 5 µs), SHA-256 one-shot and canonical JSON appended into one string for the audit chain, request bodies parsed without a reviver when they cannot hold `__proto__` or U+0000, a step's audit entries in one multi-row INSERT, the calendar and the lists generation read once per transaction, a transaction's store handle without a Proxy, JSON answers written without `res.send`. A start now runs 17 statements where it ran 23.",
  "Why the target stays out of reach: with the fsync off the event loop, dropping it altogether (`synchronous=NORMAL`, not durable) gains little — the bound above — so what separates `POST /api/cases` from the hello-world is CPU per request, not the disk. And it is the transaction's CPU: the same application with the transaction replaced by a fixed 201 answer (HTTP, Express, the API key, body parsing, validation, writing the same 2 KB view) costs 0.03–0.05 ms per request more than the hello-world (decision 0060). The rest is the start itself: the engine step, about twenty rows and their index entries in 17 SQLite statements (case, wait, task, two SLA timers, five hash-chained audit entries, audit head, process-health facts), the COMMIT's WAL writes and the sync; SQLite's own work is the largest share of it, the engine step next. The ratio of the two CPU figures above is the ceiling of this ratio on any machine. An honest comparison for a durable write per request is a baseline that does one too: Express with better-sqlite3 inserting the same rows under the same group commit and fsync, or the store run (run 2), which compares the same writes with raw SQLite.",
].join('\n\n');

interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  statusCodes: Record<string, { count: number }>;
  /** CPU time of this process (it hosts the servers) per request answered in warm-up and window, ms. */
  cpuMsPerRequest: number;
}

/** Runs the load generator in its own Node process against `url` and returns its results. */
function load(url: string, seconds: number, warmupSeconds: number): Promise<LoadResult> {
  const script = fileURLToPath(new URL('../runtime/load.mjs', import.meta.url));
  const opts = {
    url,
    connections: CONNECTIONS,
    seconds,
    warmupSeconds,
    headers: { authorization: `Bearer ${APP_KEY.key}` },
    body: JSON.stringify({ flow: REVIEW_FLOW_KEY, data: APPLICATION }),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // A hung generator must not hang the bench: twice the window is plenty.
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + warmupSeconds) * 2000 + 10_000);
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

async function measure(ctx: RunContext, label: string, server: RunningServer, seconds: number, warmup: number): Promise<LoadResult> {
  const before = server.countCases?.();
  const answeredBefore = server.countRequests?.();
  const cpuBefore = process.cpuUsage();
  const r = await load(`${server.url}/api/cases`, seconds, warmup);
  const cpu = process.cpuUsage(cpuBefore);
  if (r.non2xx > 0 || r.errors > 0 || r.ok === 0) {
    throw new Error(`${label}: ${r.ok} 2xx, ${r.non2xx} other statuses ${JSON.stringify(r.statusCodes)}, ${r.errors} errors (${r.timeouts} timeouts)`);
  }
  let answered = answeredBefore !== undefined && server.countRequests ? server.countRequests() - answeredBefore : r.ok;
  if (before !== undefined && server.countCases) {
    // Every 2xx is a stored case; a few more may have committed as the window closed.
    const made = server.countCases() - before;
    const warmupMade = made - r.ok;
    if (made < r.ok) throw new Error(`${label}: ${r.ok} responses 201 but only ${made} cases stored`);
    ctx.log(`http: ${label} stored ${made} cases for ${r.ok} measured 201s (${warmupMade} in warm-up or in flight)`);
    answered = made;
  }
  const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / Math.max(1, answered);
  ctx.log(`http: ${label} ${fmtRate(r.rate)} p99 ${fmtMs(r.p99)}, ${cpuMsPerRequest.toFixed(3)} ms server CPU per request`);
  return { ...r, cpuMsPerRequest };
}

export const httpVsHello: BenchRun = {
  name: 'http-vs-express-hello',
  title: 'HTTP vs the framework (Express hello-world)',
  unit: '%',
  target: 0.5,
  async run(ctx): Promise<RunResult> {
    const s = ctx.quick ? { rounds: 2, seconds: 3, warmup: 1, profileSeconds: 3 } : { rounds: 5, seconds: 4, warmup: 2, profileSeconds: 5 };
    const flowpath = await startFlowpath();
    // The same server without any fsync: not a product setting for cases (not durable on power
    // loss), measured beside the others to show what the disk still costs.
    const normal = await startFlowpath('normal');
    const hello = await startHello();
    try {
      const commitsBefore = flowpath.commits?.();
      const sides = [
        { key: 'fp', label: 'POST /api/cases', server: flowpath, results: [] as LoadResult[] },
        { key: 'hw', label: 'hello-world', server: hello, results: [] as LoadResult[] },
        { key: 'nm', label: 'POST /api/cases, synchronous=NORMAL', server: normal, results: [] as LoadResult[] },
      ];
      for (let round = 0; round < s.rounds; round++) {
        // Rotate the order so no side always runs first (or right after the disk-heavy one).
        for (let i = 0; i < sides.length; i++) {
          const side = sides[(round + i) % sides.length] as (typeof sides)[number];
          side.results.push(await measure(ctx, side.label, side.server, s.seconds, s.warmup));
        }
      }
      const [fp, hw, nm] = sides.map((x) => x.results) as [LoadResult[], LoadResult[], LoadResult[]];
      const ratios = fp.map((r, i) => r.rate / (hw[i] as LoadResult).rate);
      const ratio = median(ratios);
      const boundRatio = median(nm.map((r, i) => r.rate / (hw[i] as LoadResult).rate));
      const p99 = (xs: LoadResult[]) => median(xs.map((r) => r.p99));
      const rate = (xs: LoadResult[]) => median(xs.map((r) => r.rate));
      const cpuMs = (xs: LoadResult[]) => median(xs.map((r) => r.cpuMsPerRequest));
      const commitsAfter = flowpath.commits?.();
      const perCommit = commitsBefore && commitsAfter ? (commitsAfter.transactions - commitsBefore.transactions) / Math.max(1, commitsAfter.batches - commitsBefore.batches) : NaN;
      const notes: string[] = [
        `Group commit at work: ${perCommit.toFixed(1)} transactions shared each COMMIT and its fsync on average over the Flowpath windows (32 connections).`,
        `Bound on what the disk still costs: the same server with \`synchronous=NORMAL\` (no fsync at all; not durable), measured in the same rounds, reached ${fmtRate(rate(nm))}, p99 ${fmtMs(p99(nm))} — ${fmtRatio(boundRatio, this.unit)} of the hello-world rate, against ${fmtRatio(ratio, this.unit)} with every answer fsynced.`,
        `Server CPU per request (this process hosts the servers; CPU time over warm-up and window ÷ requests answered, median over rounds): ${cpuMs(fp).toFixed(3)} ms for \`POST /api/cases\`, ${cpuMs(hw).toFixed(3)} ms for the hello-world — a ceiling of ${fmtRatio(cpuMs(hw) / cpuMs(fp), this.unit)} for this ratio however fast the disk.`,
      ];
      if (ratio < this.target) {
        ctx.log('http: target missed; profiling the Flowpath server under the same load');
        const full = await profileWhile(async () => {
          await load(`${flowpath.url}/api/cases`, s.profileSeconds, 0);
        });
        notes.push(profileNote(`the Flowpath server (this process) under ${CONNECTIONS} connections for ${s.profileSeconds} s`, full));
        const cpu = await profileWhile(async () => {
          await load(`${normal.url}/api/cases`, s.profileSeconds, 0);
        });
        notes.push(profileNote('the same server with `synchronous=NORMAL` (no fsync at all)', cpu));
        notes.push(HTTP_ANALYSIS);
      }
      return {
        name: this.name,
        title: this.title,
        status: 'measured',
        ratio,
        unit: this.unit,
        target: this.target,
        figures: [
          { label: 'POST /api/cases', value: `${fmtRate(rate(fp))}, p99 ${fmtMs(p99(fp))}` },
          { label: 'hello-world', value: `${fmtRate(rate(hw))}, p99 ${fmtMs(p99(hw))}` },
          { label: 'ratio per round', value: spread(ratios, this.unit) },
          { label: 'synchronous=NORMAL (bound, not durable)', value: `${fmtRate(rate(nm))}, ${fmtRatio(boundRatio, this.unit)} of hello-world` },
          { label: 'server CPU per request', value: `${cpuMs(fp).toFixed(2)} ms vs ${cpuMs(hw).toFixed(2)} ms (hello-world)` },
          { label: 'transactions per COMMIT', value: perCommit.toFixed(1) },
        ],
        notes: [
          `The load generator is autocannon 9 in its own Node process (\`bench/src/runtime/load.mjs\`), ${CONNECTIONS} connections, no pipelining, on 127.0.0.1, ${s.warmup} s warm-up then ${s.seconds} s measured per side per round, ${s.rounds} rounds in rotating order. The servers run in the bench process with the same Express 5 (the runtime's own copy), request logging off on both.`,
          `Flowpath: \`createApp\` with the runtime on \`openSqliteStore\` (WAL, \`synchronous: 'full'\`: group commit, the WAL fdatasynced after each COMMIT off the event loop) and one app key; each request is \`POST /api/cases\` with bearer auth and the body \`{flow, data}\` (${JSON.stringify({ flow: REVIEW_FLOW_KEY, data: APPLICATION }).length} bytes) — validated, stepped to its review task, committed and fsynced before the answer, answered 201 with the case view. Hello-world: \`express.json()\` parses the same body and answers 201 with a small JSON. Every response counted was a 2xx, and after each Flowpath window the store held at least as many new cases as 201s counted.`,
          `Median over rounds: ${fmtRatio(ratio, this.unit)} of the hello-world rate; p99 latency ${fmtMs(p99(fp))} (Flowpath) vs ${fmtMs(p99(hw))} (hello-world).`,
          ...notes,
        ],
      };
    } finally {
      await flowpath.close();
      await normal.close();
      await hello.close();
    }
  },
};
