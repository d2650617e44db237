import type { FlowDefinition } from '@flowpath/engine';

/** A small loan flow: start → check (gate) → decide → approve | review → end. */
export function loanFlow(): FlowDefinition {
  return {
    key: 'small-loan',
    name: { 'zh-CN': '小额贷款', en: 'Small loan' },
    owner: 'credit-ops',
    caseSchema: {
      type: 'object',
      properties: {
        amount: { type: 'number', title: { 'zh-CN': '金额', en: 'Amount' } },
        branch: { type: 'string', dimension: true },
        customer: {
          type: 'object',
          properties: {
            id: { type: 'string', sensitive: true, customerRef: true },
            tier: { type: 'string', enum: ['retail', 'vip'] },
          },
          required: ['id'],
        },
        approved: { type: 'boolean' },
      },
      required: ['amount'],
    },
    nodes: [
      { id: 'start', kind: 'start', name: { 'zh-CN': '申请', en: 'Apply' }, position: { x: 0, y: 0 } },
      {
        id: 'gate',
        kind: 'compliance-gate',
        name: { 'zh-CN': '黑名单检查', en: 'Blacklist check' },
        position: { x: 200, y: 0 },
        rules: [{ id: 'blacklist', name: { 'zh-CN': '黑名单', en: 'Blacklist' }, when: { inList: ['blacklist', { var: 'customer.id' }] }, action: 'stop' }],
      },
      { id: 'decide', kind: 'decision', name: { 'zh-CN': '金额判断', en: 'Amount?' }, position: { x: 400, y: 0 } },
      {
        id: 'review',
        kind: 'user-task',
        name: { 'zh-CN': '人工审核', en: 'Manual review' },
        queue: 'credit-review',
        position: { x: 600, y: 100 },
        sla: { duration: 'PT4H', mode: 'working' },
      },
      { id: 'end', kind: 'end', name: { 'zh-CN': '结束', en: 'Done' }, outcome: 'approved', position: { x: 800, y: 0 } },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'gate' },
      { id: 'e2', source: 'gate', target: 'decide' },
      { id: 'e3', source: 'decide', target: 'end', condition: { '<=': [{ var: 'amount' }, 50000] }, order: 1 },
      { id: 'e4', source: 'decide', target: 'review', default: true },
      { id: 'e5', source: 'review', target: 'end' },
    ],
    milestones: [{ id: 'to-review', name: { 'zh-CN': '到审核', en: 'To review' }, to: 'review' }],
  };
}

/** A flow with `n` nodes in a chain, for the large-flow checks. */
export function chainFlow(n: number): FlowDefinition {
  const nodes: FlowDefinition['nodes'] = [{ id: 'start', kind: 'start', name: { 'zh-CN': '开始', en: 'Start' }, position: { x: 0, y: 0 } }];
  const edges: FlowDefinition['edges'] = [];
  for (let i = 1; i < n - 1; i++) {
    nodes.push({ id: `task-${i}`, kind: 'user-task', queue: 'q', name: { 'zh-CN': `任务 ${i}`, en: `Task ${i}` }, position: { x: (i % 20) * 220, y: Math.floor(i / 20) * 140 } });
    edges.push({ id: `edge-${i}`, source: i === 1 ? 'start' : `task-${i - 1}`, target: `task-${i}` });
  }
  nodes.push({ id: 'end', kind: 'end', outcome: 'done', name: { 'zh-CN': '结束', en: 'End' }, position: { x: 0, y: 3000 } });
  edges.push({ id: `edge-${n - 1}`, source: `task-${n - 2}`, target: 'end' });
  return { key: 'chain', name: { 'zh-CN': '长链', en: 'Chain' }, caseSchema: { type: 'object', properties: {} }, nodes, edges };
}
