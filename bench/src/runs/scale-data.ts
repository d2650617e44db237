/**
 * Builds the data set of run 4 fast: a store is opened (so schema and migrations are the
 * product's own), two real cases of the review flow are run through the runtime — one left at
 * its open review task, one run to its end — and their rows in every table (case, waits, task,
 * timers, audit stream and head, process-health row, outbox) are cloned with fresh ids in large
 * transactions with `synchronous=OFF` and no journal. Clones vary where the work list and the
 * scheduler look: queue (15), priority, due time, creation time, timer run time.
 */
import { randomUUID } from 'node:crypto';
import { statSync, existsSync } from 'node:fs';
import { REVIEW_DATA, REVIEW_FLOW_KEY, APPLICATION } from '../runtime/review-flow';
import { openFixture, type StoreFixture } from '../runtime/lifecycle';

export const QUEUES = Array.from({ length: 15 }, (_, i) => `queue-${String(i + 1).padStart(2, '0')}`);

/** The instant the queries are timed at: tasks and timers are spread around it. */
export const SCALE_NOW = '2026-06-01T08:00:00.000Z';

const ACTOR = { id: 'bench-app', roles: ['app'] };

interface Row {
  [column: string]: unknown;
}

interface Template {
  caseId: string;
  taskIds: string[];
  rows: { table: string; row: Row }[];
}

export interface ScaleData {
  fixture: StoreFixture;
  cases: number;
  openTasks: number;
  timers: number;
  auditRows: number;
  /** Ids of some loaded cases, for the case fetch and the HTTP loop. */
  sampleCaseIds: string[];
  loadSeconds: number;
  bytesOnDisk: number;
}

type Db = StoreFixture['store']['db'];

function snapshot(db: Db, caseId: string): Template {
  const rows: { table: string; row: Row }[] = [];
  const add = (table: string, sql: string, ...params: unknown[]) => {
    for (const row of db.prepare(sql).all(...params) as Row[]) rows.push({ table, row });
  };
  add('cases', 'SELECT * FROM cases WHERE id = ?', caseId);
  add('case_waits', 'SELECT * FROM case_waits WHERE case_id = ?', caseId);
  add('tasks', 'SELECT * FROM tasks WHERE case_id = ?', caseId);
  add('timers', 'SELECT * FROM timers WHERE case_id = ?', caseId);
  add('outbox', 'SELECT * FROM outbox WHERE case_id = ?', caseId);
  add('case_facts', 'SELECT * FROM case_facts WHERE case_id = ?', caseId);
  const like = `%${caseId}%`;
  add('audit', 'SELECT * FROM audit WHERE stream LIKE ? ORDER BY stream, seq', like);
  add('audit_heads', 'SELECT * FROM audit_heads WHERE stream LIKE ?', like);
  // Row ids that must be fresh in every clone (the case id is swapped everywhere it appears).
  const taskIds = rows.filter((r) => r.table === 'tasks' || r.table === 'outbox').map((r) => String(r.row.id));
  return { caseId, taskIds, rows };
}

async function runTemplates(fixture: StoreFixture): Promise<{ open: string; done: string }> {
  const { rt } = fixture;
  const start = async () => {
    const r = await rt.transact((tx, scope) => rt.startCase(tx, scope, { flowKey: REVIEW_FLOW_KEY, data: { ...APPLICATION }, actor: ACTOR, createdBy: ACTOR.id }));
    if ('rejected' in r) throw new Error(`case start refused: ${r.rejected.code}`);
    return r.record.id;
  };
  const open = await start();
  const done = await start();
  const ended = await rt.transact(async (tx, scope) => {
    const c = await tx.getCase(done);
    const task = (await tx.listCaseTasks(done)).find((t) => t.status === 'open');
    if (!c || !task) throw new Error('template case has no open task');
    const claimed = await tx.updateTask({ ...task, status: 'claimed', assignee: 'bench-reviewer', updatedAt: rt.now() });
    return rt.stepCase(tx, scope, c, { type: 'task.completed', taskId: claimed.engineTaskId, data: { ...REVIEW_DATA }, actor: { id: 'bench-reviewer', roles: ['operator'] } }, 'bench-reviewer');
  });
  if ('rejected' in ended || ended.record.status !== 'completed') throw new Error('template case did not complete');
  return { open, done };
}

/** A small deterministic generator, so two runs load the same shapes. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Loads `cases` cases, `openTasks` of them waiting at an open task; logs progress. */
export async function buildScaleData(cases: number, openTasks: number, log: (line: string) => void, budgetS = Infinity): Promise<ScaleData> {
  const t0 = performance.now();
  const fixture = await openFixture('scale');
  const db = fixture.store.db;
  const tpl = await runTemplates(fixture);
  const openTpl = snapshot(db, tpl.open);
  const doneTpl = snapshot(db, tpl.done);
  if (!openTpl.rows.some((r) => r.table === 'tasks' && r.row.status === 'open')) throw new Error('open template has no open task');
  // Bulk load as a restore would: no journal, no fsync, a large page cache; WAL and the
  // store's synchronous setting come back before anything is timed.
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  db.pragma('foreign_keys = OFF');
  const inserts = new Map<string, { cols: string[]; stmt: ReturnType<Db['prepare']> }>();
  const insertFor = (table: string, row: Row) => {
    let ins = inserts.get(table);
    if (!ins) {
      const cols = Object.keys(row);
      ins = { cols, stmt: db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`) };
      inserts.set(table, ins);
    }
    return ins;
  };
  const random = rng(20260601);
  const nowMs = Date.parse(SCALE_NOW);
  const day = 86_400_000;
  const sample: string[] = [];
  let timers = 0;
  let auditRows = 0;
  const everyNth = Math.max(1, Math.floor(cases / openTasks));
  let opened = 0;
  const cloneOne = (i: number) => {
    const isOpen = opened < openTasks && i % everyNth === 0;
    if (isOpen) opened += 1;
    const tpl = isOpen ? openTpl : doneTpl;
    const caseId = randomUUID();
    const ids = new Map<string, string>([[tpl.caseId, caseId], ...tpl.taskIds.map((t) => [t, randomUUID()] as [string, string])]);
    const swap = (v: unknown): unknown => {
      if (typeof v !== 'string') return v;
      let s = v;
      for (const [from, to] of ids) if (s.includes(from)) s = s.replaceAll(from, to);
      return s;
    };
    // Cases were created over the last year; open ones are more recent.
    const created = nowMs - Math.floor(random() * (isOpen ? 30 : 365) * day);
    const priority = Math.floor(random() * 4) * 10 + 40;
    for (const { table, row } of tpl.rows) {
      const out: Row = {};
      for (const [k, v] of Object.entries(row)) out[k] = swap(v);
      if (table === 'cases') {
        out.created_at = iso(created);
        out.updated_at = iso(created + (isOpen ? 60_000 : 3 * day));
        out.priority = priority;
      } else if (table === 'tasks' && out.status === 'open') {
        out.queue = QUEUES[Math.floor(random() * QUEUES.length)];
        out.priority = priority;
        out.created_at = iso(created + 60_000);
        out.updated_at = out.created_at;
        // One task in ten has no due time (sorted last); the rest are due within ±10 days.
        const due = random() < 0.1 ? null : nowMs + Math.floor((random() * 20 - 10) * day);
        out.due_at = due === null ? null : iso(due);
        out.warn_at = due === null ? null : iso(due - day);
        out.sort_due = due === null ? '9999-12-31T23:59:59.999Z' : iso(due);
      } else if (table === 'timers') {
        timers += 1;
        if (out.status === 'scheduled') {
          // About 1 % of scheduled timers are already due: what the scheduler picks up.
          const run = random() < 0.01 ? nowMs - Math.floor(random() * 3_600_000) : nowMs + Math.floor(random() * 10 * day);
          out.run_at = iso(run);
          out.due_at = iso(run);
        }
      } else if (table === 'outbox') {
        // A server in steady state has delivered its events long ago; a backlog of a million
        // pending events would measure the outbox worker, not the queries.
        out.status = 'done';
        out.done_at = out.done_at ?? out.created_at;
        out.lease_owner = null;
        out.lease_until = null;
      } else if (table === 'audit') auditRows += 1;
      const ins = insertFor(table, row);
      ins.stmt.run(ins.cols.map((c) => out[c]));
    }
    if (i % Math.max(1, Math.floor(cases / 2000)) === 0) sample.push(caseId);
  };
  const batch = 20_000;
  let loaded = 0;
  for (let from = 0; from < cases; from += batch) {
    const to = Math.min(cases, from + batch);
    db.transaction(() => {
      for (let i = from; i < to; i++) cloneOne(i);
    })();
    if ((to / batch) % 10 === 0 || to === cases) log(`scale: loaded ${to.toLocaleString('en-US')} cases (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    // Let the event loop breathe between batches (progress output, signals).
    await new Promise((r) => setImmediate(r));
    loaded = to;
    if ((performance.now() - t0) / 1000 > budgetS && to < cases) {
      log(`scale: load budget of ${budgetS} s used up at ${to.toLocaleString('en-US')} cases`);
      break;
    }
  }
  db.pragma('foreign_keys = ON');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('cache_size = -2000');
  const path = db.name;
  const bytesOnDisk = [path, `${path}-wal`].filter((p) => existsSync(p)).reduce((n, p) => n + statSync(p).size, 0);
  return { fixture, cases: loaded + 2, openTasks: opened + 1, timers, auditRows, sampleCaseIds: sample, loadSeconds: (performance.now() - t0) / 1000, bytesOnDisk };
}
