/**
 * A full case lifecycle through the runtime and its SQLite store, as the HTTP routes do it but
 * without HTTP: one transaction starts a case (it runs to its review task), a second claims and
 * completes the task (the case ends). Also: recording the writes of such a lifecycle, and
 * replaying exactly those writes with raw better-sqlite3 — the baseline of run 2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createManualClock, FlowpathRuntime, loadFlows, openSqliteStore, type SqliteStore, type SqliteStoreOptions } from '@flowpath/runtime-api';
import { APPLICATION, REVIEW_DATA, REVIEW_FLOW_KEY, reviewFlow } from './review-flow';

const ACTOR = { id: 'bench-app', roles: ['app'] };
const REVIEWER = 'bench-reviewer';

/** A runtime on a fresh SQLite file (WAL, synchronous=FULL: the store's defaults) with the review flow published. */
export interface StoreFixture {
  dir: string;
  store: SqliteStore;
  rt: FlowpathRuntime;
  close: () => Promise<void>;
}

/**
 * Opens a store in a new temporary folder; `beforeUse` runs on it before anything is written (to
 * wrap it). `synchronous` is the store's default, `full`, unless a run asks for `normal` on purpose;
 * `options` passes other store settings (the raw baseline keeps SQLite's own fsync in COMMIT).
 */
export async function openFixture(
  name: string,
  beforeUse?: (store: SqliteStore) => void,
  synchronous: 'full' | 'normal' = 'full',
  options: Omit<SqliteStoreOptions, 'synchronous'> = {},
): Promise<StoreFixture> {
  const dir = mkdtempSync(join(tmpdir(), `flowpath-bench-${name}-`));
  const store = openSqliteStore(join(dir, 'flowpath.db'), { ...options, synchronous });
  beforeUse?.(store);
  const rt = new FlowpathRuntime({ store, clock: createManualClock() });
  const loaded = await loadFlows(rt, [reviewFlow()]);
  if (loaded.draftsOnly.length > 0) throw new Error(`bench flow does not validate: ${JSON.stringify(loaded.draftsOnly)}`);
  return {
    dir,
    store,
    rt,
    close: async () => {
      await rt.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts one case and completes its review task, two transactions; true when the case ended approved. */
export async function lifecycle(rt: FlowpathRuntime): Promise<boolean> {
  const started = await rt.transact((tx, scope) => rt.startCase(tx, scope, { flowKey: REVIEW_FLOW_KEY, data: { ...APPLICATION }, actor: ACTOR, createdBy: ACTOR.id }));
  if ('rejected' in started) throw new Error(`case start refused: ${started.rejected.code}`);
  const caseId = started.record.id;
  const ended = await rt.transact(async (tx, scope) => {
    const c = await tx.getCase(caseId);
    const task = (await tx.listCaseTasks(caseId)).find((t) => t.status === 'open');
    if (!c || !task) throw new Error(`case ${caseId} has no open task after its start`);
    // As the task route does: completing an open task claims it in passing.
    const claimed = await tx.updateTask({ ...task, status: 'claimed', assignee: REVIEWER, updatedAt: rt.now() });
    return rt.stepCase(tx, scope, c, { type: 'task.completed', taskId: claimed.engineTaskId, data: { ...REVIEW_DATA }, actor: { id: REVIEWER, roles: ['operator'] } }, REVIEWER);
  });
  if ('rejected' in ended) throw new Error(`task completion refused: ${ended.rejected.code}`);
  return ended.record.status === 'completed' && ended.record.state.outcome === 'approved';
}

/** One SQL write as the store ran it. */
export interface RecordedWrite {
  sql: string;
  params: unknown[];
  changes: number;
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;

interface Statementish {
  run: (...p: unknown[]) => { changes: number };
  get: (...p: unknown[]) => unknown;
  all: (...p: unknown[]) => unknown[];
  source: string;
}

/**
 * Runs one lifecycle on a fresh store while recording every write statement, grouped by
 * transaction. Reads are not recorded: the baseline is the cost of the writes alone.
 */
export async function recordLifecycleWrites(): Promise<RecordedWrite[][]> {
  let current: RecordedWrite[] | null = null;
  const fixture = await openFixture('record', (store) => {
    const db = store.db as unknown as { prepare: (sql: string) => Statementish };
    const prepare = db.prepare.bind(db);
    db.prepare = (sql: string) => {
      const stmt = prepare(sql);
      if (!WRITE.test(sql)) return stmt;
      return new Proxy(stmt, {
        get(target, prop) {
          const v = Reflect.get(target, prop, target) as unknown;
          if (prop === 'run') {
            return (...params: unknown[]) => {
              const r = target.run(...params);
              current?.push({ sql, params: structuredClone(params), changes: r.changes });
              return r;
            };
          }
          if (prop === 'get' || prop === 'all' || prop === 'iterate') {
            return () => {
              throw new Error(`the bench records writes made with run(); the store wrote with ${String(prop)}(): ${sql}`);
            };
          }
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    };
  });
  const transactions: RecordedWrite[][] = [];
  const rt = fixture.rt;
  // Record each transaction of the lifecycle separately by wrapping transact.
  const transact = rt.transact.bind(rt);
  rt.transact = (async (fn: Parameters<typeof transact>[0]) => {
    current = [];
    try {
      return await transact(fn);
    } finally {
      transactions.push(current);
      current = null;
    }
  }) as typeof rt.transact;
  try {
    if (!(await lifecycle(rt))) throw new Error('the recorded lifecycle did not end approved');
  } finally {
    await fixture.close();
  }
  return transactions;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A parameter split around the UUIDs it contains, so a replay can put fresh ones in cheaply. */
type Template = { kind: 'fixed'; value: unknown } | { kind: 'ids'; parts: string[]; ids: number[] };

/**
 * Prepares a replay of recorded writes on `db` (same schema): every lifecycle writes the same
 * statements, rows and bytes in the same transactions, with every UUID (case, task, outbox ids,
 * and inside JSON) replaced by a fresh one of the same length so rows stay unique.
 */
export function rawReplayer(db: SqliteStore['db'], transactions: readonly RecordedWrite[][]): { run: () => boolean; statements: number; bytes: number } {
  const idIndex = new Map<string, number>();
  const template = (p: unknown): Template => {
    if (typeof p !== 'string' || !UUID.test(p)) return { kind: 'fixed', value: p };
    UUID.lastIndex = 0;
    const parts: string[] = [];
    const ids: number[] = [];
    let last = 0;
    for (const m of p.matchAll(UUID)) {
      parts.push(p.slice(last, m.index));
      if (!idIndex.has(m[0])) idIndex.set(m[0], idIndex.size);
      ids.push(idIndex.get(m[0]) as number);
      last = m.index + m[0].length;
    }
    parts.push(p.slice(last));
    return { kind: 'ids', parts, ids };
  };
  let bytes = 0;
  const txs = transactions.map((writes) =>
    writes.map((w) => {
      for (const p of w.params) bytes += typeof p === 'string' ? Buffer.byteLength(p) : 8;
      return { stmt: db.prepare(w.sql), params: w.params.map(template), changes: w.changes };
    }),
  );
  const expected = transactions.flat().reduce((n, w) => n + w.changes, 0);
  const fill = (t: Template, fresh: string[]): unknown => {
    if (t.kind === 'fixed') return t.value;
    let s = t.parts[0] as string;
    for (let i = 0; i < t.ids.length; i++) s += (fresh[t.ids[i] as number] as string) + (t.parts[i + 1] as string);
    return s;
  };
  const runTx = txs.map((writes) =>
    db.transaction((fresh: string[]) => {
      let changes = 0;
      for (const w of writes) changes += w.stmt.run(...w.params.map((t) => fill(t, fresh))).changes;
      return changes;
    }),
  );
  return {
    statements: txs.reduce((n, t) => n + t.length, 0),
    bytes,
    run: () => {
      const fresh = Array.from({ length: idIndex.size }, () => randomUUID());
      let changes = 0;
      // BEGIN IMMEDIATE, as the store's transactions.
      for (const tx of runTx) changes += tx.immediate(fresh);
      return changes === expected;
    },
  };
}
