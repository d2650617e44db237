/**
 * The flow the process-health tests measure: a loan application screened by a compliance gate
 * (large amounts are flagged for the reviewer), reviewed by credit approval within 4 working
 * hours, decided, with a case SLA of one working day and a milestone "first review" with a
 * 4-hour target. Dimensions: branch, channel; the ID number is personal data and never one.
 */
import type { FlowDefinition } from '@flowpath/engine';

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });

export function healthFlow(): FlowDefinition {
  return {
    key: 'health-loan',
    name: t('Loan (health test)', '贷款（运行健康测试）'),
    calendar: 'cn-mainland',
    sla: { duration: 'P1D', mode: 'working' },
    milestones: [{ id: 'first-review', name: t('First review', '首次审查'), to: 'review', target: 'PT4H' }],
    caseSchema: {
      type: 'object',
      required: ['customerId', 'amount', 'branchId'],
      properties: {
        customerId: { type: 'string', customerRef: true, maxLength: 32 },
        idNumber: { type: 'string', sensitive: true, dimension: true },
        amount: { type: 'number', minimum: 0 },
        branchId: { type: 'string', dimension: true },
        channel: { type: 'string', enum: ['app', 'branch'], dimension: true },
        tier: { type: 'integer', dimension: true },
        decision: { type: 'string', enum: ['approve', 'reject'] },
      },
    },
    nodes: [
      { id: 'start', kind: 'start', name: t('Received', '收到申请') },
      {
        id: 'gate',
        kind: 'compliance-gate',
        name: t('Screening', '准入筛查'),
        rules: [{ id: 'large-amount', name: t('Large amount', '大额'), when: { '>': [{ var: 'amount' }, 100000] }, action: 'flag' }],
      },
      {
        id: 'review',
        kind: 'user-task',
        name: t('Credit review', '信贷审查'),
        queue: 'credit-approval',
        sla: { duration: 'PT4H', mode: 'working' },
        form: {
          fields: [{ key: 'decision', label: t('Decision', '结论'), type: 'enum', required: true, options: [{ value: 'approve', label: t('Approve', '同意') }, { value: 'reject', label: t('Reject', '拒绝') }] }],
        },
      },
      { id: 'decide', kind: 'decision', name: t('Approved?', '是否同意') },
      { id: 'approved', kind: 'end', name: t('Approved', '同意'), outcome: 'approved' },
      { id: 'rejected', kind: 'end', name: t('Rejected', '拒绝'), outcome: 'rejected' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'gate' },
      { id: 'e2', source: 'gate', target: 'review' },
      { id: 'e3', source: 'review', target: 'decide' },
      { id: 'e4', source: 'decide', target: 'approved', condition: { '==': [{ var: 'decision' }, 'approve'] } },
      { id: 'e5', source: 'decide', target: 'rejected', default: true },
    ],
  };
}

/** Version 2: the review's limit drops to 2 working hours (a pilot), nothing else changes. */
export function healthFlowV2(): FlowDefinition {
  const f = healthFlow();
  const review = f.nodes.find((n) => n.id === 'review');
  if (review?.kind === 'user-task') review.sla = { duration: 'PT2H', mode: 'working' };
  return f;
}

/**
 * A review that can send the case back for documents (rework), a wait for them with a time limit
 * whose expiry ends the case, and a review limit that escalates to another queue.
 */
export function reworkFlow(): FlowDefinition {
  return {
    key: 'health-rework',
    name: t('Rework (health test)', '补件（运行健康测试）'),
    calendar: 'cn-mainland',
    caseSchema: {
      type: 'object',
      required: ['customerId'],
      properties: {
        customerId: { type: 'string', customerRef: true },
        branchId: { type: 'string', dimension: true },
        decision: { type: 'string', enum: ['approve', 'return'] },
        documents: { type: 'integer', minimum: 0 },
      },
    },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      {
        id: 'review',
        kind: 'user-task',
        name: t('Review', '审查'),
        queue: 'credit-approval',
        sla: { duration: 'PT2H', mode: 'working', warnBefore: 'PT30M', escalations: [{ action: 'reassign', queue: 'operations' }] },
        form: {
          fields: [{ key: 'decision', label: t('Decision', '结论'), type: 'enum', required: true, options: [{ value: 'approve', label: t('Approve', '同意') }, { value: 'return', label: t('Return', '退回') }] }],
        },
      },
      { id: 'decide', kind: 'decision', name: t('Complete?', '是否齐全') },
      { id: 'wait-docs', kind: 'wait', name: t('Documents', '等待补件'), message: 'docs.received', sla: { duration: 'PT4H', mode: 'working' } },
      { id: 'approved', kind: 'end', name: t('Approved', '同意'), outcome: 'approved' },
      { id: 'expired', kind: 'end', name: t('Expired', '超时'), outcome: 'expired' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'review' },
      { id: 'e2', source: 'review', target: 'decide' },
      { id: 'e3', source: 'decide', target: 'wait-docs', condition: { '==': [{ var: 'decision' }, 'return'] } },
      { id: 'e4', source: 'decide', target: 'approved', default: true },
      { id: 'e5', source: 'wait-docs', target: 'review' },
      { id: 'e6', source: 'wait-docs', target: 'expired', port: 'timeout' },
    ],
  };
}

/**
 * A service request closed by a customer survey: the customer's answer comes as a message and
 * holds a CSAT score (1–5) and a likelihood to recommend (0–10), both marked `satisfaction`.
 */
export function surveyFlow(): FlowDefinition {
  return {
    key: 'health-survey',
    name: t('Service request with survey (health test)', '带满意度调查的服务请求（运行健康测试）'),
    calendar: 'cn-mainland',
    caseSchema: {
      type: 'object',
      required: ['customerId', 'branchId'],
      properties: {
        customerId: { type: 'string', customerRef: true, maxLength: 32 },
        branchId: { type: 'string', dimension: true },
        csatScore: { type: 'integer', minimum: 1, maximum: 5, satisfaction: 'csat' },
        npsScore: { type: 'integer', minimum: 0, maximum: 10, satisfaction: 'nps' },
        comment: { type: 'string', maxLength: 200 },
      },
    },
    nodes: [
      { id: 'start', kind: 'start', name: t('Request', '受理') },
      { id: 'survey', kind: 'wait', name: t('Customer survey', '客户评价'), message: 'customer.feedback' },
      { id: 'end', kind: 'end', name: t('Closed', '办结'), outcome: 'resolved' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'survey' },
      { id: 'e2', source: 'survey', target: 'end' },
    ],
  };
}
