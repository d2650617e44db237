/**
 * POST /api/cases answers with the case built from what its start step wrote instead of reading
 * the case's tasks and history back; the answer must be exactly what GET /api/cases/{id} returns
 * right after, for every caller and every kind of first stop.
 */
import type { FlowDefinition } from '@flowpath/engine';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { documentsFlow, reviewFlow, serviceFlow } from '../helpers/flows';
import { startServer, type KeyName, type TestServer } from '../helpers/server';

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** Ends in its start step: nothing waits. */
function instantFlow(): FlowDefinition {
  return {
    key: 'test-instant',
    name: t('Instant (test)', '即时（测试）'),
    caseSchema: { type: 'object', properties: { customerId: { type: 'string', customerRef: true } } },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      { id: 'done', kind: 'end', name: t('Done', '完成'), outcome: 'approved' },
    ],
    edges: [{ id: 'e1', source: 'start', target: 'done' }],
  } as FlowDefinition;
}

let s: TestServer;

beforeEach(async () => {
  s = await startServer({ flows: [reviewFlow(), documentsFlow(), serviceFlow(), instantFlow()] });
});
afterEach(async () => {
  await s.close();
});

const review = { customerId: 'C-1001', idNumber: '310101199001011234', applicant: { name: '王小明', mobile: '13800138000', city: 'Shanghai' }, amount: 50000, branchId: 'SH-PD-01' };

const cases: { flow: string; data: Record<string, unknown>; as: KeyName }[] = [
  { flow: 'test-review', data: { ...review, segment: 'vip' }, as: 'app' },
  // An owner starts on the policy's version and sees sensitive fields masked.
  { flow: 'test-review', data: review, as: 'owner' },
  { flow: 'test-documents', data: { customerId: 'C-2002' }, as: 'app' },
  { flow: 'test-service', data: { customerId: 'C-3003', idNumber: '310101198001011234' }, as: 'app' },
  { flow: 'test-instant', data: { customerId: 'C-4004' }, as: 'app' },
];

test.each(cases)('the 201 of $flow started by $as is the case as GET reads it back', async ({ flow, data, as }) => {
  const started = await s.request('POST', '/api/cases', { as, body: { flow, data } });
  expect(started.status).toBe(201);
  const read = await s.request('GET', `/api/cases/${started.body.id}`, { as });
  expect(read.status).toBe(200);
  expect(started.body).toEqual(read.body);
  expect(started.body.history.length).toBeGreaterThan(0);
});
