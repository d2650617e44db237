/** The audit trail: what it records, masking, and the hash chain that exposes edited or deleted rows. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { auditHash } from '@flowpath/runtime-api';
import { reviewFlow, serviceFlow } from '../helpers/flows';
import { expectProblem, startServer, type TestServer } from '../helpers/server';

let s: TestServer;
let caseId: string;

beforeEach(async () => {
  s = await startServer({ flows: [reviewFlow(), serviceFlow()], sqliteFile: true }); // tampers with the file itself
  const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data: { customerId: 'AU-1', amount: 5, idNumber: '310101199001011234' } } });
  caseId = res.body.id;
  await s.request('POST', `/api/tasks/${res.body.tasks[0].id}/complete`, { as: 'operator', body: { data: { decision: 'approve' } } });
});
afterEach(async () => {
  await s.close();
});

const verify = async () => (await s.request('GET', `/api/cases/${caseId}/audit/verify`, { as: 'auditor' })).body;
const db = () => s.store.db;
const stream = () => `case:${caseId}`;

describe('GET /api/cases/{id}/audit', () => {
  test('every step with its actor, version and hash chain, oldest first', async () => {
    const res = await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'auditor' });
    expect(res.status).toBe(200);
    const items = res.body.items as { seq: number; type: string; actor: string | null; version: number; hash: string; prevHash: string }[];
    expect(items.map((e) => e.seq)).toEqual(items.map((_, i) => i + 1));
    expect(items[0]).toMatchObject({ type: 'case.started', actor: 'app', version: 1, prevHash: '0'.repeat(64) });
    expect(items.find((e) => e.type === 'task.completed')).toMatchObject({ actor: 'operator' });
    expect(items.find((e) => e.type === 'decision.taken')).toBeDefined();
    expect(items.at(-1)?.type).toBe('case.completed');
    for (let i = 1; i < items.length; i++) expect(items[i]!.prevHash).toBe(items[i - 1]!.hash);
  });

  test('sensitive values in recorded data are masked for roles that do not need them', async () => {
    const started = async (as: 'auditor' | 'analyst') =>
      (await s.request('GET', `/api/cases/${caseId}/audit`, { as })).body.items.find((e: { type: string }) => e.type === 'case.started');
    expect((await started('auditor')).details.data.idNumber).toBe('310101199001011234');
    expect((await started('analyst')).details.data.idNumber).toBe('310***********1234');
  });

  test('pages with limit and cursor; 404 for another app', async () => {
    const all = (await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'auditor' })).body.items;
    const p1 = await s.request('GET', `/api/cases/${caseId}/audit?limit=3`, { as: 'auditor' });
    const p2 = await s.request('GET', `/api/cases/${caseId}/audit?limit=100&cursor=${p1.body.nextCursor}`, { as: 'auditor' });
    expect([...p1.body.items, ...p2.body.items]).toEqual(all);
    expectProblem(await s.request('GET', `/api/cases/${caseId}/audit`, { as: 'app2' }), 404, 'case.not-found');
  });
});

describe('GET /api/cases/{id}/audit/verify', () => {
  test('an untouched chain verifies', async () => {
    const v = await verify();
    expect(v).toMatchObject({ ok: true, caseId, stream: stream() });
    expect(v.entries).toBeGreaterThan(5);
    expect(v.firstBroken).toBeUndefined();
  });

  test('an edited entry is reported with its sequence number', async () => {
    const row = db().prepare('SELECT entry FROM audit WHERE stream = ? AND seq = 3').get(stream()) as { entry: string };
    const edited = JSON.parse(row.entry);
    edited.actor = 'someone-else';
    db().prepare('UPDATE audit SET entry = ? WHERE stream = ? AND seq = 3').run(JSON.stringify(edited), stream());
    expect(await verify()).toMatchObject({ ok: false, caseId, firstBroken: { seq: 3, reason: 'hash.mismatch' } });
  });

  test('an entry edited and re-hashed breaks the link from the next one', async () => {
    const row = db().prepare('SELECT * FROM audit WHERE stream = ? AND seq = 2').get(stream()) as { at: string; actor: string | null; entry: string; prev_hash: string };
    const entry = { ...JSON.parse(row.entry), details: { forged: true } };
    const hash = auditHash(row.prev_hash, { stream: stream(), seq: 2, at: row.at, actor: row.actor, entry });
    db().prepare('UPDATE audit SET entry = ?, hash = ? WHERE stream = ? AND seq = 2').run(JSON.stringify(entry), hash, stream());
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'prev.mismatch' } });
  });

  test('a deleted entry in the middle, or at the end, is reported', async () => {
    db().prepare('DELETE FROM audit WHERE stream = ? AND seq = 4').run(stream());
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: 'seq.gap' } });
  });

  test('deleting the newest entries is noticed against the stored head', async () => {
    const last = (db().prepare('SELECT MAX(seq) AS n FROM audit WHERE stream = ?').get(stream()) as { n: number }).n;
    db().prepare('DELETE FROM audit WHERE stream = ? AND seq = ?').run(stream(), last);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: last, reason: 'head.mismatch' } });
  });

  test('an unreadable entry is reported', async () => {
    db().prepare("UPDATE audit SET entry = '{not json' WHERE stream = ? AND seq = 1").run(stream());
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: 1, reason: 'entry.unreadable' } });
  });

  test('only auditors and owners verify (403), unknown case 404', async () => {
    expectProblem(await s.request('GET', `/api/cases/${caseId}/audit/verify`, { as: 'app' }), 403, 'auth.role.missing');
    expectProblem(await s.request('GET', '/api/cases/nope/audit/verify', { as: 'auditor' }), 404, 'case.not-found');
  });
});

describe('reasons in the audit trail (issue 11)', () => {
  test('a reassignment and a cancellation keep their reasons in the chain: every role that reads the trail sees them, and rewriting one is noticed', async () => {
    const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-review', data: { customerId: 'AU-2', amount: 5, idNumber: '310101199001011234' } } });
    caseId = res.body.id;
    expect((await s.request('POST', `/api/tasks/${res.body.tasks[0].id}/reassign`, { as: 'supervisor', body: { assignee: 'operator2', reason: '张伟休假，转王芳' } })).status).toBe(200);
    expect((await s.request('POST', `/api/cases/${caseId}/cancel`, { as: 'supervisor', body: { reason: '客户撤回申请' } })).status).toBe(200);
    for (const who of ['auditor', 'analyst', 'supervisor'] as const) {
      const items = (await s.request('GET', `/api/cases/${caseId}/audit`, { as: who })).body.items as { type: string; actor: string; details: { reason?: string } }[];
      expect({ who, reasons: items.filter((e) => e.details.reason).map((e) => [e.type, e.actor, e.details.reason]) }).toEqual({
        who,
        reasons: [
          ['task.reassigned', 'supervisor', '张伟休假，转王芳'],
          ['case.cancelled', 'supervisor', '客户撤回申请'],
        ],
      });
    }
    expect(await verify()).toMatchObject({ ok: true });
    const row = db().prepare("SELECT seq, entry FROM audit WHERE stream = ? AND entry LIKE '%task.reassigned%'").get(stream()) as { seq: number; entry: string };
    const edited = JSON.parse(row.entry);
    edited.details.reason = '按规定转派';
    db().prepare('UPDATE audit SET entry = ? WHERE stream = ? AND seq = ?').run(JSON.stringify(edited), stream(), row.seq);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: { seq: row.seq, reason: 'hash.mismatch' } });
  });
});
