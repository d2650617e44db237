/**
 * Run 2, durable store vs the disk's limit: full case lifecycles through the runtime and its
 * SQLite store (synchronous=FULL) against raw better-sqlite3 transactions that write the same
 * rows and bytes in the same number of transactions.
 */
import { compare } from '../harness';
import { profileNote, profileWhile } from '../profile';
import { fmtMs, fmtRate, fmtRatio, spread } from '../format';
import { lifecycle, openFixture, rawReplayer, recordLifecycleWrites } from '../runtime/lifecycle';
import type { BenchRun, RunResult } from '../run-types';

const count = (db: { prepare: (sql: string) => { get: () => unknown } }, sql: string) => Number((db.prepare(sql).get() as { n: number }).n);

/** Lifecycles in flight at once for the group-commit figure (as many as the HTTP run's connections). */
const CONCURRENT = 32;

/** Runs `clients` lifecycle loops at once for `ms`; returns lifecycles finished per second and whether all ended approved. */
async function concurrently(run: () => Promise<boolean>, clients: number, ms: number): Promise<{ rate: number; finished: number; allApproved: boolean }> {
  const end = performance.now() + ms;
  const began = performance.now();
  let finished = 0;
  let allApproved = true;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        allApproved = (await run()) && allApproved;
        finished += 1;
      }
    }),
  );
  return { rate: finished / ((performance.now() - began) / 1000), finished, allApproved };
}

export const storeVsRaw: BenchRun = {
  name: 'store-vs-raw-sqlite',
  title: 'Durable store vs the disk (raw better-sqlite3)',
  unit: '%',
  target: 0.5,
  async run(ctx): Promise<RunResult> {
    const recorded = await recordLifecycleWrites();
    const flowpath = await openFixture('store');
    // The raw side has no store around it to sync after COMMIT, so SQLite syncs inside it (FULL).
    const raw = await openFixture('raw', undefined, 'full', { syncInCommit: true });
    try {
      const replay = rawReplayer(raw.store.db, recorded);
      const casesBefore = count(flowpath.store.db, 'SELECT COUNT(*) AS n FROM cases');
      const rawBefore = count(raw.store.db, 'SELECT COUNT(*) AS n FROM cases');
      const settings = ctx.quick
        ? { rounds: 3, timeMs: 1000, warmupMs: 200, minIterations: 16 }
        : { rounds: 7, timeMs: 2000, warmupMs: 500, minIterations: 32 };
      const c = await compare(
        { label: 'Flowpath runtime + SQLite store', run: () => lifecycle(flowpath.rt), async: true },
        { label: 'raw better-sqlite3', run: replay.run, async: false },
        settings,
      );
      // Every lifecycle the harness counted must be a completed case in the file, on both sides.
      const completed = count(flowpath.store.db, "SELECT COUNT(*) AS n FROM cases WHERE status = 'completed'") - casesBefore;
      const rawCases = count(raw.store.db, 'SELECT COUNT(*) AS n FROM cases') - rawBefore;
      if (completed !== c.subject.finished) throw new Error(`store: ${c.subject.finished} lifecycles counted but ${completed} completed cases in the file`);
      if (rawCases !== c.baseline.finished) throw new Error(`raw: ${c.baseline.finished} lifecycles counted but ${rawCases} case rows in the file`);
      // Group commit only shows with several writers: the same lifecycles, 32 at a time.
      const gcBefore = { ...flowpath.store.groupCommit };
      const casesBeforeGc = count(flowpath.store.db, "SELECT COUNT(*) AS n FROM cases WHERE status = 'completed'");
      const gc = await concurrently(() => lifecycle(flowpath.rt), CONCURRENT, ctx.quick ? 2000 : 6000);
      const gcCompleted = count(flowpath.store.db, "SELECT COUNT(*) AS n FROM cases WHERE status = 'completed'") - casesBeforeGc;
      if (!gc.allApproved || gcCompleted !== gc.finished) throw new Error(`store, ${CONCURRENT} at a time: ${gc.finished} lifecycles counted but ${gcCompleted} completed cases in the file`);
      const perCommit = (flowpath.store.groupCommit.transactions - gcBefore.transactions) / Math.max(1, flowpath.store.groupCommit.batches - gcBefore.batches);
      const txs = recorded.length;
      const notes: string[] = [];
      if (c.ratio < this.target) {
        ctx.log('store: target missed; profiling the store lifecycle');
        const summary = await profileWhile(async () => {
          const end = performance.now() + (ctx.quick ? 2000 : 4000);
          while (performance.now() < end) await lifecycle(flowpath.rt);
        });
        notes.push(profileNote('store lifecycles run back to back', summary));
      }
      return {
        name: this.name,
        title: this.title,
        status: 'measured',
        ratio: c.ratio,
        unit: this.unit,
        target: this.target,
        figures: [
          { label: 'Flowpath, lifecycles/s', value: fmtRate(c.subject.rate) },
          { label: 'raw, lifecycles/s', value: fmtRate(c.baseline.rate) },
          { label: 'ratio per round', value: spread(c.ratios, this.unit) },
          { label: 'p99 lifecycle', value: `${fmtMs(c.subject.p99Ms)} vs ${fmtMs(c.baseline.p99Ms)}` },
          { label: `with group commit, ${CONCURRENT} lifecycles at a time`, value: `${fmtRate(gc.rate)} (${fmtRatio(gc.rate / c.baseline.rate, this.unit)} of raw one at a time), ${perCommit.toFixed(1)} transactions per COMMIT` },
        ],
        notes: [
          `A lifecycle is what the HTTP routes do, without HTTP: transaction 1 starts a case of a one-task review flow (it runs to its review task: case row, wait, task, two SLA timers, five audit entries), transaction 2 claims and completes the task (the case ends approved: task and case updated, timers cancelled, the completion event in the outbox, nine audit entries). Both run through \`FlowpathRuntime\` on \`openSqliteStore\` with its defaults (WAL; \`synchronous: 'full'\`: the WAL is fdatasynced after each COMMIT, off the event loop, before anyone hears back — [decision 0040](decisions/0040-group-commit.md)), in a temporary folder on the machine's disk.`,
          `The baseline replays, with prepared better-sqlite3 statements and \`BEGIN IMMEDIATE\` transactions, exactly the ${replay.statements} write statements (${(replay.bytes / 1024).toFixed(1)} KiB of parameters) the store issued for one recorded lifecycle, in the same ${txs} transactions, on a second file with the same schema and settings except that SQLite fsyncs inside each COMMIT (\`PRAGMA synchronous=FULL\`; there is no store around it to sync after); every UUID is replaced by a fresh one of the same length so rows stay unique. It does none of the reads, no engine step, no JSON building and no hashing: it is what the disk and SQLite allow for those writes.`,
          `${settings.rounds} alternating rounds of ${settings.timeMs / 1000} s per side after ${settings.warmupMs / 1000} s warm-up; median ratio ${fmtRatio(c.ratio, this.unit)}. After the run the files were counted: ${completed} completed cases (Flowpath) and ${rawCases} replayed cases (raw), equal to the lifecycles timed. One at a time, every transaction is a batch of its own, so group commit cannot help; it shows in the last figure: ${CONCURRENT} lifecycles in flight at once on the same store for ${ctx.quick ? 2 : 6} s, ${gc.finished} of them (all counted as completed cases in the file), ${perCommit.toFixed(1)} transactions sharing each COMMIT and its fsync.`,
          ...notes,
        ],
      };
    } finally {
      await flowpath.close();
      await raw.close();
    }
  },
};
