/**
 * Tampering: someone with access to the database file edits, deletes, reorders or forges audit
 * rows of a running server, straight in SQLite, on seeded random cases and entries. For every
 * case the verify endpoint answers: the untouched ones verify, each tampered one is named with
 * the first broken entry and what is wrong with it, also after a restart.
 * tests/api/audit.test.ts checks each kind once on one case in-process; this does all of them
 * at once, on the real server's file, with other cases around that must stay clean.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { auditHash } from '@flowpath/runtime-api';
import { ChildServer } from './support/child-server';
import { publishFlow, reliabilityKeys, reviewFlow } from './support/flows';
import { Api, type Json } from './support/http';
import { openRawDatabase, type RawDatabase } from './support/raw-db';
import { createRng, runSeed, type Rng } from './support/rng';

const keys = reliabilityKeys();
let srv: ChildServer;
let api: Api;

beforeAll(async () => {
  srv = new ChildServer({ keys });
  api = new Api(() => srv.url, keys);
  await srv.start();
  await publishFlow(api, reviewFlow());
}, 120_000);

afterAll(async () => {
  await srv.dispose();
});

interface AuditRow {
  stream: string;
  seq: number;
  at: string;
  actor: string | null;
  entry: string;
  prev_hash: string;
  hash: string;
}

type Expected = { seq: number; reason: string };

/** One way to tamper with a case's audit rows, and what verify must then report. */
interface Tamper {
  name: string;
  apply(db: RawDatabase, stream: string, rows: AuditRow[], rng: Rng): Expected;
}

const middle = (rows: AuditRow[], rng: Rng): AuditRow => rows[rng.int(1, rows.length - 2)] as AuditRow;

const TAMPERS: Tamper[] = [
  {
    name: 'actor changed',
    apply(db, stream, rows, rng) {
      const r = middle(rows, rng);
      db.prepare('UPDATE audit SET actor = ? WHERE stream = ? AND seq = ?').run('someone-else', stream, r.seq);
      return { seq: r.seq, reason: 'hash.mismatch' };
    },
  },
  {
    name: 'time moved',
    apply(db, stream, rows, rng) {
      const r = middle(rows, rng);
      db.prepare('UPDATE audit SET at = ? WHERE stream = ? AND seq = ?').run('2020-01-01T00:00:00.000Z', stream, r.seq);
      return { seq: r.seq, reason: 'hash.mismatch' };
    },
  },
  {
    name: 'recorded data edited',
    apply(db, stream, rows, rng) {
      const r = middle(rows, rng);
      const entry = JSON.parse(r.entry) as Json;
      entry.details = { ...entry.details, forged: true };
      db.prepare('UPDATE audit SET entry = ? WHERE stream = ? AND seq = ?').run(JSON.stringify(entry), stream, r.seq);
      return { seq: r.seq, reason: 'hash.mismatch' };
    },
  },
  {
    name: 'edited and re-hashed',
    apply(db, stream, rows, rng) {
      const r = middle(rows, rng);
      const entry = { ...(JSON.parse(r.entry) as Json), actor: 'forger' };
      const hash = auditHash(r.prev_hash, { stream, seq: r.seq, at: r.at, actor: 'forger', entry });
      db.prepare('UPDATE audit SET actor = ?, entry = ?, hash = ? WHERE stream = ? AND seq = ?').run('forger', JSON.stringify(entry), hash, stream, r.seq);
      return { seq: r.seq + 1, reason: 'prev.mismatch' };
    },
  },
  {
    name: 'row deleted in the middle',
    apply(db, stream, rows, rng) {
      const r = middle(rows, rng);
      db.prepare('DELETE FROM audit WHERE stream = ? AND seq = ?').run(stream, r.seq);
      return { seq: r.seq, reason: 'seq.gap' };
    },
  },
  {
    name: 'newest row deleted',
    apply(db, stream, rows) {
      const last = rows.at(-1) as AuditRow;
      db.prepare('DELETE FROM audit WHERE stream = ? AND seq = ?').run(stream, last.seq);
      return { seq: last.seq, reason: 'head.mismatch' };
    },
  },
  {
    name: 'two rows swapped',
    apply(db, stream, rows, rng) {
      const i = rng.int(1, rows.length - 3);
      const a = rows[i] as AuditRow;
      const b = rows[i + 1] as AuditRow;
      const put = db.prepare('UPDATE audit SET at = ?, actor = ?, entry = ?, prev_hash = ?, hash = ? WHERE stream = ? AND seq = ?');
      db.transaction(() => {
        put.run(b.at, b.actor, b.entry, b.prev_hash, b.hash, stream, a.seq);
        put.run(a.at, a.actor, a.entry, a.prev_hash, a.hash, stream, b.seq);
      })();
      return { seq: a.seq, reason: 'prev.mismatch' };
    },
  },
  {
    name: 'forged row appended with a valid hash',
    apply(db, stream, rows) {
      const last = rows.at(-1) as AuditRow;
      const seq = last.seq + 1;
      const entry = { type: 'task.completed', at: last.at, actor: 'forger', version: 1, details: { forged: true } };
      const hash = auditHash(last.hash, { stream, seq, at: last.at, actor: 'forger', entry });
      db.prepare('INSERT INTO audit (stream, seq, at, actor, entry, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(stream, seq, last.at, 'forger', JSON.stringify(entry), last.hash, hash);
      return { seq, reason: 'head.mismatch' };
    },
  },
  {
    name: 'entry made unreadable',
    apply(db, stream, rows, rng) {
      const r = middle(rows, rng);
      db.prepare('UPDATE audit SET entry = ? WHERE stream = ? AND seq = ?').run('{"type": "case.started"', stream, r.seq);
      return { seq: r.seq, reason: 'entry.unreadable' };
    },
  },
  {
    name: 'stored hash overwritten',
    apply(db, stream, rows, rng) {
      const r = middle(rows, rng);
      db.prepare('UPDATE audit SET hash = ? WHERE stream = ? AND seq = ?').run('f'.repeat(64), stream, r.seq);
      return { seq: r.seq, reason: 'hash.mismatch' };
    },
  },
];

test('every tampered case is named with its first broken entry; the others still verify, also after a restart', async () => {
  const rng = createRng(runSeed('tampering'));
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const c = await api.call('POST', '/api/cases', { as: 'app', body: { flow: 'rel-review', data: { customerId: `tamper-${i}`, idNumber: '310101199001011234', amount: i } } });
    expect(c.status).toBe(201);
    ids.push(c.body.id);
    // Claim, release, claim again and complete: a chain of a dozen or so entries to tamper with.
    const taskId = c.body.tasks[0].id as string;
    for (const [path, body] of [['claim', undefined], ['release', undefined], ['claim', undefined], ['complete', { data: { decision: 'approve' } }]] as const) {
      const r = await api.call('POST', `/api/tasks/${taskId}/${path}`, { as: 'operator', ...(body ? { body } : {}) });
      expect(r.status, r.text).toBe(200);
    }
  }
  for (const id of ids) expect((await api.get(`/api/cases/${id}/audit/verify`, 'auditor')).ok).toBe(true);

  // Every kind of tampering, each on a different random case; the rest are left alone.
  const victims = rng.shuffle(ids).slice(0, TAMPERS.length);
  const expected = new Map<string, Expected & { tamper: string }>();
  const db = openRawDatabase(srv.dbFile);
  try {
    for (const [i, tamper] of TAMPERS.entries()) {
      const id = victims[i] as string;
      const stream = `case:${id}`;
      const rows = db.prepare('SELECT * FROM audit WHERE stream = ? ORDER BY seq').all(stream) as AuditRow[];
      expect(rows.length).toBeGreaterThan(6);
      expected.set(id, { ...tamper.apply(db, stream, rows, rng), tamper: tamper.name });
    }
  } finally {
    db.close();
  }

  const check = async (): Promise<void> => {
    const verdicts = await Promise.all(ids.map(async (id) => ({ id, v: await api.get(`/api/cases/${id}/audit/verify`, 'auditor') })));
    for (const { id, v } of verdicts) {
      const want = expected.get(id);
      if (!want) {
        expect({ id, ok: v.ok }).toEqual({ id, ok: true });
        continue;
      }
      expect({ tamper: want.tamper, caseId: v.caseId, ok: v.ok, firstBroken: v.firstBroken }).toEqual({
        tamper: want.tamper,
        caseId: id,
        ok: false,
        firstBroken: { seq: want.seq, reason: want.reason },
      });
    }
  };
  await check();
  // The owner may verify too; an app may not.
  const victim = victims[0] as string;
  expect((await api.call('GET', `/api/cases/${victim}/audit/verify`, { as: 'owner' })).body.ok).toBe(false);
  expect((await api.call('GET', `/api/cases/${victim}/audit/verify`, { as: 'app' })).status).toBe(403);
  await srv.kill();
  await srv.start();
  await check();
}, 120_000);
