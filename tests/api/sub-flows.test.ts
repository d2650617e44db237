/** Sub-flows through the runtime: the child case starts after the parent's step commits, and its end moves the parent on. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { FlowDefinition } from '@flowpath/engine';
import { reviewFlow } from '../helpers/flows';
import { startServer, type TestServer } from '../helpers/server';

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });

function parentFlow(): FlowDefinition {
  return {
    key: 'test-parent',
    name: t('Parent (test)', '主流程（测试）'),
    caseSchema: {
      type: 'object',
      required: ['customerId'],
      properties: { customerId: { type: 'string', customerRef: true }, amount: { type: 'number' }, reviewDecision: { type: 'string' } },
    },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      { id: 'review', kind: 'sub-flow', name: t('Review', '审查'), flow: 'test-review', input: { customerId: { var: 'customerId' }, amount: { var: 'amount' } }, output: { reviewDecision: 'decision' } },
      { id: 'done', kind: 'end', name: t('Done', '完成'), outcome: 'done' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'review' },
      { id: 'e2', source: 'review', target: 'done' },
    ],
  };
}

let s: TestServer;

beforeEach(async () => {
  s = await startServer({ flows: [parentFlow(), reviewFlow()] });
});
afterEach(async () => {
  await s.close();
});

async function startParent(): Promise<string> {
  const res = await s.request('POST', '/api/cases', { as: 'app', body: { flow: 'test-parent', data: { customerId: 'P-1', amount: 300 } } });
  expect(res.status).toBe(201);
  await s.settle();
  return res.body.id as string;
}

test('the child case runs on its own and its result flows back into the parent', async () => {
  const parentId = await startParent();
  const children = (await s.request('GET', '/api/cases?flow=test-review', { as: 'app' })).body.items;
  expect(children).toHaveLength(1);
  const child = (await s.request('GET', `/api/cases/${children[0].id}`, { as: 'app' })).body;
  expect(child).toMatchObject({ parentCaseId: parentId, createdBy: 'app', data: { customerId: 'P-1', amount: 300 }, waitingAt: ['review'] });

  await s.request('POST', `/api/tasks/${child.tasks[0].id}/complete`, { as: 'operator', body: { data: { decision: 'approve' } } });
  await s.settle();
  expect((await s.request('GET', `/api/cases/${parentId}`, { as: 'app' })).body).toMatchObject({ status: 'completed', outcome: 'done', data: { reviewDecision: 'approve' } });
});

test('cancelling the parent cancels the child and withdraws its task', async () => {
  const parentId = await startParent();
  const childId = (await s.request('GET', '/api/cases?flow=test-review', { as: 'app' })).body.items[0].id as string;
  await s.request('POST', `/api/cases/${parentId}/cancel`, { as: 'app' });
  await s.settle();
  expect((await s.request('GET', `/api/cases/${childId}`, { as: 'app' })).body).toMatchObject({ status: 'cancelled', tasks: [] });
  expect((await s.request('GET', '/api/tasks', { as: 'operator' })).body.items).toEqual([]);
});
