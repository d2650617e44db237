/**
 * Builds the data set of run 4 fast: a store is opened (so schema and migrations are the
 * product's own), two real cases of the review flow are run through the runtime — one left at
 * its open review task, one run to its end three hours later — and their rows in every table
 * (case, waits, task, timers, audit stream and head, process-health facts, outbox) are cloned.
 *
 * Each template row is compiled once into column templates: the text of every column split at the
 * places that differ per clone (the case id, the task and outbox ids, every ISO timestamp, the
 * branch). A clone is then string concatenation: fresh sequential ids (UUID-shaped, so inserts
 * append to the B-trees), every timestamp shifted by the same amount (so a clone is as consistent
 * in itself as the template), a branch out of 20. Each clone's audit chain is hashed anew, the way
 * the store hashes it, so every clone's chain verifies (the bench checks a sample).
 *
 * Loading is a fixture's bulk load, not the product's write path: secondary indexes are dropped
 * and rebuilt after (then ANALYZE, as after a restore), in transactions of 50,000 cases with `journal_mode=OFF`, `synchronous=OFF`
 * on a fresh file; afterwards WAL and the store's own settings come back, the file is closed and
 * opened again with `openSqliteStore` (which checks the schema version).
 *
 * Where the time goes (1,000,000 cases, 2 cores): about 100 s of CPU to build and insert the rows
 * (binding text to SQLite and its B-tree inserts about half, building the strings and hashing the
 * rest), then the indexes and ANALYZE; of the 10.8 GB written, what the kernel has not yet written
 * back when the load ends is written while the indexes are built, so that phase is bound by the
 * disk more than by the CPU. Each clone's rows of one table go in one multi-row INSERT (a completed
 * clone has 13 audit rows); the daily digests are grown once per case count rather than once per case.
 */
import { hash } from 'node:crypto';
import { statSync, existsSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, FlowpathRuntime, loadFlows, openSqliteStore, verifyAuditChain } from '@flowpath/runtime-api';
import { addToDigest, createDigest, localDate, mergeDigests, type CaseFacts, type HealthDigest } from '@flowpath/engine';
import { REVIEW_DATA, REVIEW_FLOW_KEY, APPLICATION, reviewFlow } from '../runtime/review-flow';
import type { StoreFixture } from '../runtime/lifecycle';

export const QUEUES = Array.from({ length: 15 }, (_, i) => `queue-${String(i + 1).padStart(2, '0')}`);
export const BRANCHES = Array.from({ length: 20 }, (_, i) => `BR-${String(i + 1).padStart(2, '0')}`);

const ACTOR = { id: 'bench-app', roles: ['app'] };
const REVIEWER = 'bench-reviewer';
/** When the template cases start (a Monday 09:00 in Beijing), and how long the completed one runs. */
const T0 = '2026-03-02T01:00:00.000Z';
const CYCLE_MS = 3 * 3_600_000 + 20 * 60_000;

type Db = StoreFixture['store']['db'];
type Row = Record<string, unknown>;

/**
 * A piece of a column's text: literal text, or a slot filled per clone. A slot is a number:
 * 0, 1, … the clone's n-th id; `BRANCH` its branch; `stampSlot(j)` the template's j-th distinct
 * timestamp, shifted. Numbers rather than objects keep the fill loop on one shape.
 */
type Part = string | number;
const BRANCH = -1;
const stampSlot = (j: number) => -2 - j;

export interface ScaleData {
  fixture: StoreFixture;
  /** The instant the data set is built around (the clock of the run, to the minute). */
  now: string;
  cases: number;
  openTasks: number;
  timers: number;
  auditRows: number;
  /** Ids of some loaded cases, for the case fetch and the HTTP loop. */
  sampleCaseIds: string[];
  loadSeconds: number;
  indexSeconds: number;
  bytesOnDisk: number;
}

interface TemplateRow {
  table: string;
  cols: string[];
  /** Per column: the parts of its text, or null when the value is not text (then `constants`). */
  cells: (Part[] | null)[];
  constants: unknown[];
  /** Where the row's values go: its insert group and the offset of its first column there. */
  group: number;
  offset: number;
}

interface Template {
  /** In insert order. */
  rows: TemplateRow[];
  /** Consecutive rows of one table with the same columns: one multi-row INSERT per clone. */
  groups: { table: string; cols: string[]; rows: number }[];
  /** The distinct timestamps (ms) of the template, in order of first appearance. */
  stamps: number[];
  /** Audit rows: the envelope the hash covers (without the previous hash), in seq order. */
  audit: { rowIndex: number; envelope: Part[] }[];
  auditHeadIndex: number;
  ids: number;
  open: boolean;
  /** The process-health facts of the template case, parsed. */
  facts: CaseFacts;
}

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g;

/** Splits a text at the ids, timestamps and the branch of a template. */
function compile(text: string, ids: string[], branch: string, stamps: number[]): Part[] {
  const alternatives = [...ids.map((s) => s.replace(/[-]/g, '\\-')), ISO.source, branch.replace(/[-]/g, '\\-')];
  const re = new RegExp(alternatives.join('|'), 'g');
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index;
    if (at > last) parts.push(text.slice(last, at));
    const hit = m[0];
    const id = ids.indexOf(hit);
    if (id >= 0) parts.push(id);
    else if (hit === branch) parts.push(BRANCH);
    else {
      const ms = Date.parse(hit);
      if (!stamps.includes(ms)) stamps.push(ms);
      parts.push(stampSlot(stamps.indexOf(ms)));
    }
    last = at + hit.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** Key order and canonical JSON as the store hashes an audit entry (keys sorted, no spaces). */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v ?? null)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

function snapshot(db: Db, caseId: string, open: boolean, branch: string): Template {
  const raw: { table: string; row: Row }[] = [];
  const add = (table: string, sql: string, ...params: unknown[]) => {
    for (const row of db.prepare(sql).all(...params) as Row[]) raw.push({ table, row });
  };
  add('cases', 'SELECT * FROM cases WHERE id = ?', caseId);
  add('case_waits', 'SELECT * FROM case_waits WHERE case_id = ?', caseId);
  add('tasks', 'SELECT * FROM tasks WHERE case_id = ?', caseId);
  add('timers', 'SELECT * FROM timers WHERE case_id = ?', caseId);
  add('outbox', 'SELECT * FROM outbox WHERE case_id = ?', caseId);
  add('case_facts', 'SELECT * FROM case_facts WHERE case_id = ?', caseId);
  add('audit', 'SELECT * FROM audit WHERE stream = ? ORDER BY seq', `case:${caseId}`);
  add('audit_heads', 'SELECT * FROM audit_heads WHERE stream = ?', `case:${caseId}`);
  const ids = [caseId, ...raw.filter((r) => r.table === 'tasks' || r.table === 'outbox').map((r) => String(r.row.id))];
  const rows: TemplateRow[] = [];
  const groups: Template['groups'] = [];
  const stamps: number[] = [];
  const audit: Template['audit'] = [];
  let auditHeadIndex = -1;
  for (const { table, row } of raw) {
    const cols = Object.keys(row);
    const cells = cols.map((c) => {
      const v = row[c];
      return typeof v === 'string' ? compile(v, ids, branch, stamps) : null;
    });
    if (table === 'audit') {
      const entry = canonical(JSON.parse(String(row.entry)));
      const envelope = `{"actor":${JSON.stringify(row.actor)},"at":${JSON.stringify(row.at)},"entry":${entry},"seq":${JSON.stringify(row.seq)},"stream":${JSON.stringify(row.stream)}}`;
      audit.push({ rowIndex: rows.length, envelope: compile(envelope, ids, branch, stamps) });
    }
    if (table === 'audit_heads') auditHeadIndex = rows.length;
    let g = groups.at(-1);
    if (!g || g.table !== table || g.cols.join() !== cols.join()) groups.push((g = { table, cols, rows: 0 }));
    rows.push({ table, cols, cells, constants: cols.map((c) => row[c]), group: groups.length - 1, offset: g.rows * cols.length });
    g.rows += 1;
  }
  const factsRow = raw.find((r) => r.table === 'case_facts');
  if (!factsRow) throw new Error(`template case ${caseId} has no process-health facts`);
  return { rows, groups, stamps, audit, auditHeadIndex, ids: ids.length, open, facts: JSON.parse(String(factsRow.row.facts)) as CaseFacts };
}

async function runTemplates(fixture: StoreFixture, clock: ReturnType<typeof createManualClock>): Promise<{ open: string; done: string }> {
  const { rt } = fixture;
  const start = async () => {
    const r = await rt.transact((tx, scope) => rt.startCase(tx, scope, { flowKey: REVIEW_FLOW_KEY, data: { ...APPLICATION }, actor: ACTOR, createdBy: ACTOR.id }));
    if ('rejected' in r) throw new Error(`case start refused: ${r.rejected.code}`);
    return r.record.id;
  };
  const open = await start();
  const done = await start();
  clock.advance(CYCLE_MS);
  const ended = await rt.transact(async (tx, scope) => {
    const c = await tx.getCase(done);
    const task = (await tx.listCaseTasks(done)).find((t) => t.status === 'open');
    if (!c || !task) throw new Error('template case has no open task');
    const claimed = await tx.updateTask({ ...task, status: 'claimed', assignee: REVIEWER, updatedAt: rt.now() });
    return rt.stepCase(tx, scope, c, { type: 'task.completed', taskId: claimed.engineTaskId, data: { ...REVIEW_DATA }, actor: { id: REVIEWER, roles: ['operator'] } }, REVIEWER);
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

/** A UUID-shaped id (version 7 and variant bits set) that grows with `n`: B-tree inserts append. */
const idOf = (kind: number, n: number) => `01900000-0000-7000-8${kind.toString(16)}00-${n.toString(16).padStart(12, '0')}`;

/**
 * The daily digests of the ended clones, as the projector (`drainDigests`) builds them: per local
 * end day and per local start day (basis), and version, one row for all cases and one per value of
 * each dimension (branchId, segment), each the template's facts added once per case, with the
 * reviewer's tasks per day on the end-day rows. `ended` counts clones by `endDay|startDay|branch`.
 */
function writeDigests(db: Db, facts: CaseFacts, ended: Map<string, number>): number {
  let rows = 0;
  // Every clone's facts are the template's, so a digest depends on its case count alone: one
  // digest is grown once up to the largest count, and a copy is kept at each count needed.
  const byCount = new Map<number, HealthDigest>();
  const grown = createDigest();
  let added = 0;
  // Clones per day and branch, by end day and by start day.
  const families = (['ended', 'started'] as const).map((basis) => {
    const byDayBranch = new Map<string, number>();
    for (const [key, n] of ended) {
      const [endDay, startDay, branch] = key.split('|') as [string, string, string];
      const k = `${basis === 'ended' ? endDay : startDay}|${branch}`;
      byDayBranch.set(k, (byDayBranch.get(k) ?? 0) + n);
    }
    return { basis, byDayBranch };
  });
  const counts = new Set(families.flatMap((f) => [...f.byDayBranch.values()]));
  for (const n of [...counts].sort((a, b) => a - b)) {
    for (; added < n; added++) addToDigest(grown, facts);
    byCount.set(n, structuredClone(grown));
  }
  for (const { basis, byDayBranch } of families) {
    const put = db.prepare(`INSERT INTO ${basis === 'ended' ? 'health_digests' : 'health_start_digests'} (flow_key, version, dim, value, day, cases, digest) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    // The operators' tasks are counted with the end-day rows only, as the projector counts them.
    const docOf = (digest: HealthDigest, day: string, n: number) => {
      const work: Record<string, Record<string, number>> = {};
      if (basis === 'ended') for (const w of facts.work) (work[w.actor] ??= {})[day] = (work[w.actor]?.[day] ?? 0) + n;
      return JSON.stringify({ digest, work });
    };
    const row = (dim: string, value: string, day: string, n: number, digest: HealthDigest) => {
      put.run(facts.flowKey, facts.version, dim, value, day, n, docOf(digest, day, n));
      rows += 1;
    };
    const byDay = new Map<string, { n: number; digests: HealthDigest[] }>();
    for (const [key, n] of byDayBranch) {
      const [day, branch] = key.split('|') as [string, string];
      const d = byCount.get(n) as HealthDigest;
      row('branchId', JSON.stringify(branch), day, n, d);
      const all = byDay.get(day) ?? { n: 0, digests: [] };
      all.n += n;
      all.digests.push(d);
      byDay.set(day, all);
    }
    const segment = JSON.stringify(facts.dims.segment ?? null);
    for (const [day, { n, digests }] of byDay) {
      const d = mergeDigests(...digests);
      row('', '', day, n, d);
      row('segment', segment, day, n, d);
    }
  }
  return rows;
}

/** Loads `cases` cases, `openTasks` of them waiting at an open task, around the clock of the run; logs progress. */
export async function buildScaleData(cases: number, openTasks: number, log: (line: string) => void): Promise<ScaleData> {
  const t0 = performance.now();
  const nowMs = Math.floor(Date.now() / 60_000) * 60_000;
  const clock = createManualClock(T0);
  const dir = mkdtempSync(join(tmpdir(), 'flowpath-bench-scale-'));
  const first = openSqliteStore(join(dir, 'flowpath.db'), { synchronous: 'full' });
  // The process-health facts of the template cases are folded when asked (below), not on a timer during the load.
  const fixture: StoreFixture = { dir, store: first, rt: new FlowpathRuntime({ store: first, clock, healthProjectionDelayMs: Infinity }), close: () => Promise.resolve() };
  const loaded = await loadFlows(fixture.rt, [reviewFlow()]);
  if (loaded.draftsOnly.length > 0) throw new Error(`bench flow does not validate: ${JSON.stringify(loaded.draftsOnly)}`);
  const db = fixture.store.db;
  const tpl = await runTemplates(fixture, clock);
  await fixture.rt.factsProjector?.drain();
  const branch = APPLICATION.branchId;
  const openTpl = snapshot(db, tpl.open, true, branch);
  const doneTpl = snapshot(db, tpl.done, false, branch);
  // The template cases are not part of the data set.
  for (const t of ['case_waits', 'tasks', 'timers', 'outbox', 'case_facts']) db.prepare(`DELETE FROM ${t} WHERE case_id IN (?, ?)`).run(tpl.open, tpl.done);
  db.prepare('DELETE FROM audit WHERE stream IN (?, ?)').run(`case:${tpl.open}`, `case:${tpl.done}`);
  db.prepare('DELETE FROM audit_heads WHERE stream IN (?, ?)').run(`case:${tpl.open}`, `case:${tpl.done}`);
  db.prepare('DELETE FROM cases WHERE id IN (?, ?)').run(tpl.open, tpl.done);

  const cal = await fixture.rt.store.transaction((tx) => fixture.rt.calendar(tx, 'cn-mainland'));
  // Bulk load of a fresh file, as a restore would: no journal, no fsync, a large page cache,
  // secondary indexes built once at the end.
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  for (const ix of indexes) db.exec(`DROP INDEX ${ix.name}`);
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  db.pragma('foreign_keys = OFF');
  const inserts = new Map<string, ReturnType<Db['prepare']>>();
  const insertFor = (table: string, cols: string[], rows: number) => {
    const key = `${table}(${cols.join(',')})x${rows}`;
    let stmt = inserts.get(key);
    if (!stmt) {
      const tuple = `(${cols.map(() => '?').join(', ')})`;
      stmt = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`);
      inserts.set(key, stmt);
    }
    return stmt;
  };
  /** What a clone of a template writes: per insert group its statement and a parameter array reused by every clone. */
  const writerOf = (t: Template) => {
    const groups = t.groups.map((g) => ({ stmt: insertFor(g.table, g.cols, g.rows), params: new Array<unknown>(g.rows * g.cols.length) }));
    /** The column `col` of template row `n` (absent: -1). */
    const at = (n: number, col: string) => {
      const r = t.rows[n] as TemplateRow;
      const c = r.cols.indexOf(col);
      return c < 0 ? -1 : r.offset + c;
    };
    const rows = t.rows.map((r, n) => ({
      ...r,
      params: (groups[r.group] as (typeof groups)[number]).params,
      priority: at(n, 'priority'),
      queue: at(n, 'queue'),
      dueAt: at(n, 'due_at'),
      warnAt: at(n, 'warn_at'),
      sortDue: at(n, 'sort_due'),
      runAt: at(n, 'run_at'),
      digested: at(n, 'digested'),
      startDigested: at(n, 'start_digested'),
      status: at(n, 'status'),
      doneAt: at(n, 'done_at'),
      createdAt: at(n, 'created_at'),
      prevHash: at(n, 'prev_hash'),
      hash: at(n, 'hash'),
    }));
    return { t, groups, rows, stamps: new Array<string>(t.stamps.length) };
  };
  const openW = writerOf(openTpl);
  const doneW = writerOf(doneTpl);
  const doneEnd = doneTpl.facts.endedAt;
  if (doneEnd === undefined || doneTpl.facts.work.some((w) => w.at !== doneEnd)) throw new Error('the completed template must end at its one completed task');
  /** Ended clones per local end day, local start day and branch: what the daily digests hold. */
  const ended = new Map<string, number>();

  const random = rng(20260601);
  const day = 86_400_000;
  const t0Ms = Date.parse(T0);
  const sample: string[] = [];
  let timers = 0;
  let auditRows = 0;
  const everyNth = Math.max(1, Math.floor(cases / openTasks));
  let opened = 0;
  let nextId = 1;
  const ids: string[] = [];
  let br = '';
  let stamps: string[] = [];
  const fill = (parts: Part[]): string => {
    let s = '';
    for (const p of parts) {
      if (typeof p === 'string') s += p;
      else if (p >= 0) s += ids[p] as string;
      else if (p === BRANCH) s += br;
      else s += stamps[-2 - p] as string;
    }
    return s;
  };

  const cloneOne = (i: number) => {
    const isOpen = opened < openTasks && i % everyNth === 0;
    if (isOpen) opened += 1;
    const w = isOpen ? openW : doneW;
    const t = w.t;
    for (let k = 0; k < t.ids; k++) ids[k] = idOf(k, nextId++);
    const caseId = ids[0] as string;
    // Cases started over the last year and ended before now; open ones started in the last 30 days.
    const started = isOpen ? nowMs - Math.floor(random() * 30 * day) - 60_000 : nowMs - CYCLE_MS - Math.floor(random() * 365 * day) - 60_000;
    const shift = started - t0Ms;
    stamps = w.stamps;
    for (let j = 0; j < t.stamps.length; j++) stamps[j] = iso((t.stamps[j] as number) + shift);
    br = BRANCHES[Math.floor(random() * BRANCHES.length)] as string;
    for (const r of w.rows) {
      const v = r.params;
      for (let c = 0; c < r.cells.length; c++) {
        const parts = r.cells[c] as Part[] | null;
        v[r.offset + c] = parts === null ? r.constants[c] : fill(parts);
      }
    }
    // Where the work list and the scheduler look, clones differ: queue, priority, due, timers.
    const priority = Math.floor(random() * 4) * 10 + 40;
    for (const r of w.rows) {
      const v = r.params;
      if (r.table === 'cases') v[r.priority] = priority;
      else if (r.table === 'tasks' && isOpen) {
        v[r.queue] = QUEUES[Math.floor(random() * QUEUES.length)];
        v[r.priority] = priority;
        // One task in ten has no due time (sorted last); the rest are due within ±10 days.
        const due = random() < 0.1 ? null : nowMs + Math.floor((random() * 20 - 10) * day);
        v[r.dueAt] = due === null ? null : iso(due);
        v[r.warnAt] = due === null ? null : iso(due - day);
        v[r.sortDue] = due === null ? '9999-12-31T23:59:59.999Z' : iso(due);
      } else if (r.table === 'timers') {
        timers += 1;
        if (isOpen) {
          // About 1 % of scheduled timers are already due: what the scheduler's scan finds.
          const run = random() < 0.01 ? nowMs - Math.floor(random() * 3_600_000) - 1 : nowMs + 3_600_000 + Math.floor(random() * 10 * day);
          v[r.runAt] = iso(run);
          v[r.dueAt] = iso(run);
        }
      } else if (r.table === 'case_facts' && !isOpen) {
        // Added to the daily digests below, as the projector would add it.
        v[r.digested] = 1;
        v[r.startDigested] = 1;
        const key = `${localDate(cal, iso(Date.parse(doneEnd) + shift))}|${localDate(cal, iso(Date.parse(doneTpl.facts.startedAt) + shift))}|${br}`;
        ended.set(key, (ended.get(key) ?? 0) + 1);
      } else if (r.table === 'outbox') {
        // A server in steady state has delivered its events long ago; a backlog of a million
        // pending events would measure the outbox worker, not the queries.
        v[r.status] = 'done';
        v[r.doneAt] = v[r.createdAt];
      }
    }
    // The audit chain, hashed as the store hashes it (sha256 of the previous hash, a newline and
    // the canonical envelope; `hash` is createHash().update().digest() in one call).
    let prev = '0'.repeat(64);
    for (const a of t.audit) {
      const r = w.rows[a.rowIndex] as (typeof w.rows)[number];
      const h = hash('sha256', `${prev}\n${fill(a.envelope)}`, 'hex');
      r.params[r.prevHash] = prev;
      r.params[r.hash] = h;
      prev = h;
      auditRows += 1;
    }
    const head = w.rows[t.auditHeadIndex] as (typeof w.rows)[number];
    head.params[head.hash] = prev;
    for (const g of w.groups) g.stmt.run(g.params);
    if (i % Math.max(1, Math.floor(cases / 2000)) === 0) sample.push(caseId);
  };
  const batch = 50_000;
  for (let from = 0; from < cases; from += batch) {
    const to = Math.min(cases, from + batch);
    db.transaction(() => {
      for (let i = from; i < to; i++) cloneOne(i);
    })();
    if ((to / batch) % 4 === 0 || to === cases) log(`scale: loaded ${to.toLocaleString('en-US')} cases (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    // Let the event loop breathe between batches (progress output, signals).
    await new Promise((r) => setImmediate(r));
  }
  const digestRows = db.transaction(() => writeDigests(db, doneTpl.facts, ended))();
  log(`scale: ${digestRows.toLocaleString('en-US')} daily digest rows written`);
  const loadSeconds = (performance.now() - t0) / 1000;
  const ti = performance.now();
  // CREATE INDEX sorts with SQLite's worker threads when allowed to (the store never sorts that much).
  db.pragma(`threads = ${Math.min(4, availableParallelism())}`);
  for (const ix of indexes) db.exec(ix.sql);
  const ta = performance.now();
  db.exec('ANALYZE');
  db.pragma('threads = 0');
  const indexSeconds = (performance.now() - ti) / 1000;
  log(`scale: ${indexes.length} indexes built in ${((ta - ti) / 1000).toFixed(0)} s, ANALYZE ${((performance.now() - ta) / 1000).toFixed(0)} s`);
  db.pragma('foreign_keys = ON');
  db.pragma('journal_mode = WAL');
  const path = db.name;
  const bytesOnDisk = [path, `${path}-wal`].filter((p) => existsSync(p)).reduce((n, p) => n + statSync(p).size, 0);
  // Open the file again as the product opens it: WAL, its own sync setting, schema version checked.
  await fixture.rt.stop();
  await fixture.store.close();
  const store = openSqliteStore(join(fixture.dir, 'flowpath.db'), { synchronous: 'full' });
  const rt = new FlowpathRuntime({ store, clock: createManualClock(iso(nowMs)) });
  const reopened: StoreFixture = {
    dir: fixture.dir,
    store,
    rt,
    close: async () => {
      await rt.stop();
      await store.close();
    },
  };
  return { fixture: reopened, now: iso(nowMs), cases, openTasks: opened, timers, auditRows, sampleCaseIds: sample, loadSeconds, indexSeconds, bytesOnDisk };
}

/**
 * Checks a sample of the loaded cases as an auditor would: each case's audit chain verifies
 * (sequence, previous hashes, every hash recomputed, head), and its process-health facts row is
 * there. Returns how many were checked; throws at the first that does not verify.
 */
export async function verifySample(data: ScaleData, n = 200): Promise<number> {
  const { store } = data.fixture;
  const ids = data.sampleCaseIds.slice(0, n);
  for (const id of ids) {
    const stream = `case:${id}`;
    const v = verifyAuditChain(await store.listAudit(stream), await store.auditHead(stream));
    if (!v.ok) throw new Error(`audit chain of cloned case ${id} does not verify: ${JSON.stringify(v.firstBroken)}`);
    if (!(await store.getCaseFacts(id))) throw new Error(`cloned case ${id} has no process-health facts`);
  }
  return ids.length;
}
