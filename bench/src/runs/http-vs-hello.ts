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
  "Reading the profiles: better-sqlite3 is synchronous, so every request's `COMMIT` — under `synchronous=FULL` an fsync — blocks the one event loop that also parses, validates, steps and renders every other request; requests queue behind each other's commits, which is also where the p99 comes from. Even without the fsync, `COMMIT` stays large: timing each commit of sequential requests while this bench was written showed most commits at ~0.1 ms with `NORMAL`, but about one in twenty running SQLite's automatic WAL checkpoint (which writes the database file and fsyncs it) and taking several ms — those few carried about two thirds of all commit time. After SQLite come the statements (a start writes the case row, its wait, the task, two SLA timers, five audit entries and the audit head, then reads the case's tasks and history back for the 201 view) and the JavaScript around them. The hello-world does none of this, so 50 % of its rate is a very high bar for a durable write per request.",
  "Fix, in order of gain (runtime-api; the bench does not change it): (1) **group commit** in `SqliteStore.transaction`: transactions that queue while one runs are executed back to back inside one `BEGIN IMMEDIATE … COMMIT`, each inside its own `SAVEPOINT` (released on success, rolled back alone on error), and their promises resolve only after the shared `COMMIT` — one fsync per batch instead of per request, same durability for every acknowledged request; (2) **take WAL checkpoints off the request path**: `PRAGMA wal_autocheckpoint=0` on the serving connection and a `PRAGMA wal_checkpoint(PASSIVE)` from a timer or when the queue is empty (TRUNCATE when idle, to bound the WAL file); (3) build the 201 view from the records the step just wrote instead of reading tasks and the audit history back (`readCaseView` → `listCaseTasks`, `listAudit`); (4) hash audit entries over the JSON already serialized for the row instead of a second canonical serialization (`auditHash` → `canonicalJson`), and compute the request hash (`requestHash`) only when an `Idempotency-Key` is sent.",
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
  const r = await load(`${server.url}/api/cases`, seconds, warmup);
  if (r.non2xx > 0 || r.errors > 0 || r.ok === 0) {
    throw new Error(`${label}: ${r.ok} 2xx, ${r.non2xx} other statuses ${JSON.stringify(r.statusCodes)}, ${r.errors} errors (${r.timeouts} timeouts)`);
  }
  if (before !== undefined && server.countCases) {
    // Every 2xx is a stored case; a few more may have committed as the window closed.
    const made = server.countCases() - before;
    const warmupMade = made - r.ok;
    if (made < r.ok) throw new Error(`${label}: ${r.ok} responses 201 but only ${made} cases stored`);
    ctx.log(`http: ${label} stored ${made} cases for ${r.ok} measured 201s (${warmupMade} in warm-up or in flight)`);
  }
  ctx.log(`http: ${label} ${fmtRate(r.rate)} p99 ${fmtMs(r.p99)}`);
  return r;
}

export const httpVsHello: BenchRun = {
  name: 'http-vs-express-hello',
  title: 'HTTP vs the framework (Express hello-world)',
  unit: '%',
  target: 0.5,
  async run(ctx): Promise<RunResult> {
    const s = ctx.quick ? { rounds: 2, seconds: 3, warmup: 1, profileSeconds: 3 } : { rounds: 5, seconds: 10, warmup: 2, profileSeconds: 5 };
    const flowpath = await startFlowpath();
    // The same server without an fsync per commit: not a product setting for cases (not durable
    // on power loss), measured beside the others to bound what group commit could reach.
    const normal = await startFlowpath('normal');
    const hello = await startHello();
    try {
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
      const notes: string[] = [
        `Bound on what group commit could give: the same server with \`synchronous=NORMAL\` (no fsync per commit), measured in the same rounds, reached ${fmtRate(rate(nm))}, p99 ${fmtMs(p99(nm))} — ${fmtRatio(boundRatio, this.unit)} of the hello-world rate. Group commit keeps \`FULL\` and can at best approach this; what remains is CPU per request.`,
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
        notes.push(profileNote('the same server with `synchronous=NORMAL` (where the time goes once the per-commit fsync is out of the way)', cpu));
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
        ],
        notes: [
          `The load generator is autocannon 9 in its own Node process (\`bench/src/runtime/load.mjs\`), ${CONNECTIONS} connections, no pipelining, on 127.0.0.1, ${s.warmup} s warm-up then ${s.seconds} s measured per side per round, ${s.rounds} rounds in rotating order. The servers run in the bench process with the same Express 5 (the runtime's own copy), request logging off on both.`,
          `Flowpath: \`createApp\` with the runtime on \`openSqliteStore\` (WAL, \`synchronous=FULL\`) and one app key; each request is \`POST /api/cases\` with bearer auth and the body \`{flow, data}\` (${JSON.stringify({ flow: REVIEW_FLOW_KEY, data: APPLICATION }).length} bytes) — validated, stepped to its review task, committed with an fsync, answered 201 with the case view. Hello-world: \`express.json()\` parses the same body and answers 201 with a small JSON. Every response counted was a 2xx, and after each Flowpath window the store held at least as many new cases as 201s counted.`,
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
