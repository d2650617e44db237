/**
 * A hand-built February 2026 for the health tests, driven through the real API with a manual
 * clock, so that every figure has an answer worked out by hand (Beijing time, cn-mainland
 * calendar: 09:00–17:00; the Spring Festival holiday runs 15–23 February; Saturdays 14 and 28
 * February are make-up working days):
 *
 * | case | branch | start | what happens | end |
 * |---|---|---|---|---|
 * | c1 | B01 app | Mon 9 Feb 10:00 | claimed 10:30 by operator, approved 11:30 | 1 h 30 min, all working |
 * | c2 | B02 branch, 200 000 (flagged) | Fri 13 Feb 16:00 | claimed 16:30 by operator2, approved Tue 24 Feb 16:00 | 264 h calendar, 16 h working |
 * | c3 | B01 app | Sat 14 Feb 10:00 (make-up day) | claimed 11:00 by operator, rejected 15:00 | 5 h, all working |
 * | c4 | B02 app | Sun 15 Feb 10:00 (holiday) | cancelled Mon 16 Feb 10:00 | cancelled |
 * | c5 | B01 branch | Mon 23 Feb 10:00 (holiday) | review still open | open |
 */
import type { TestServer } from '../helpers/server';

/** An instant from Beijing local time. */
export const bj = (local: string): string => new Date(`${local}+08:00`).toISOString();

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export interface February {
  ids: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5', string>;
  /** Personal data sent with the cases, which no figure may show. */
  secrets: string[];
}

/** Runs the hand-built February on a server whose clock it moves. */
export async function buildFebruary(s: TestServer): Promise<February> {
  const at = async (local: string): Promise<void> => {
    s.clock.set(bj(local));
    await s.settle();
  };
  const must = async (method: string, path: string, as: 'app' | 'operator' | 'operator2', body?: unknown): Promise<{ id: string; tasks: { id: string }[] }> => {
    const res = await s.request(method, path, { as, ...(body === undefined ? {} : { body }) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const start = (customerId: string, data: Record<string, unknown>) =>
    must('POST', '/api/cases', 'app', { flow: 'health-loan', data: { customerId, idNumber: `31010119900101${customerId.slice(-4)}`, ...data } });
  const claim = (taskId: string, who: 'operator' | 'operator2') => must('POST', `/api/tasks/${taskId}/claim`, who);
  const complete = (taskId: string, who: 'operator' | 'operator2', decision: 'approve' | 'reject') => must('POST', `/api/tasks/${taskId}/complete`, who, { data: { decision } });

  await at('2026-02-09T10:00:00');
  const c1 = await start('CUST-0001', { amount: 50000, branchId: 'B01', channel: 'app', tier: 1 });
  await at('2026-02-09T10:30:00');
  await claim(c1.tasks[0]!.id, 'operator');
  await at('2026-02-09T11:30:00');
  await complete(c1.tasks[0]!.id, 'operator', 'approve');

  await at('2026-02-13T16:00:00');
  const c2 = await start('CUST-0002', { amount: 200000, branchId: 'B02', channel: 'branch', tier: 2 });
  await at('2026-02-13T16:30:00');
  await claim(c2.tasks[0]!.id, 'operator2');

  await at('2026-02-14T10:00:00');
  const c3 = await start('CUST-0003', { amount: 30000, branchId: 'B01', channel: 'app', tier: 1 });
  await at('2026-02-14T11:00:00');
  await claim(c3.tasks[0]!.id, 'operator');
  // Settling at 15:00 fires c3's review breach (due 14:00) before the completion.
  await at('2026-02-14T15:00:00');
  await complete(c3.tasks[0]!.id, 'operator', 'reject');

  await at('2026-02-15T10:00:00');
  const c4 = await start('CUST-0004', { amount: 80000, branchId: 'B02', channel: 'app', tier: 2 });
  await at('2026-02-16T10:00:00');
  await must('POST', `/api/cases/${c4.id}/cancel`, 'app', { reason: 'customer withdrew' });

  await at('2026-02-23T10:00:00');
  const c5 = await start('CUST-0005', { amount: 20000, branchId: 'B01', channel: 'branch', tier: 1 });

  await at('2026-02-24T16:00:00');
  await complete(c2.tasks[0]!.id, 'operator2', 'approve');

  // "Now", when the questions are asked.
  await at('2026-03-10T10:00:00');
  return {
    ids: { c1: c1.id, c2: c2.id, c3: c3.id, c4: c4.id, c5: c5.id },
    secrets: ['CUST-0001', 'CUST-0002', 'CUST-0005', '310101199001010001', '310101199001010002'],
  };
}
