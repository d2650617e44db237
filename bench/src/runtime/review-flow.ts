/**
 * The flow behind runs 2 and 3: an application that waits for one credit review (form, 4-hour
 * working-time SLA with a warning and an escalation), then a decision and two ends. One task is
 * the smallest lifecycle that still writes everything a real case writes: case, waits, task,
 * SLA timers, audit chain and the completion event in the outbox.
 */
import type { FlowDefinition } from '@flowpath/engine';

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });

export const REVIEW_FLOW_KEY = 'bench-review';

/** Builds the flow definition. */
export function reviewFlow(): FlowDefinition {
  return {
    key: REVIEW_FLOW_KEY,
    name: t('Loan application review (bench)', '贷款申请审查（基准）'),
    calendar: 'cn-mainland',
    caseSchema: {
      type: 'object',
      required: ['customerId', 'amount'],
      properties: {
        customerId: { type: 'string', customerRef: true, maxLength: 32 },
        idNumber: { type: 'string', sensitive: true },
        applicant: {
          type: 'object',
          properties: {
            name: { type: 'string', sensitive: true },
            mobile: { type: 'string', sensitive: true },
            city: { type: 'string' },
          },
        },
        amount: { type: 'number', minimum: 0 },
        branchId: { type: 'string', dimension: true },
        segment: { type: 'string', enum: ['standard', 'vip'], dimension: true },
        decision: { type: 'string', enum: ['approve', 'reject'] },
        comment: { type: 'string', maxLength: 200 },
      },
    },
    priority: { rule: { if: [{ '==': [{ var: 'segment' }, 'vip'] }, 90, 50] } },
    nodes: [
      { id: 'start', kind: 'start', name: t('Received', '收到申请') },
      {
        id: 'review',
        kind: 'user-task',
        name: t('Credit review', '信贷审查'),
        queue: 'credit-approval',
        sla: { duration: 'PT4H', mode: 'working', warnBefore: 'PT1H', escalations: [{ action: 'reassign', queue: 'credit-senior' }] },
        form: {
          fields: [
            { key: 'decision', label: t('Decision', '结论'), type: 'enum', required: true, options: [{ value: 'approve', label: t('Approve', '同意') }, { value: 'reject', label: t('Reject', '拒绝') }] },
            { key: 'comment', label: t('Comment', '意见'), type: 'text', maxLength: 200 },
          ],
        },
      },
      { id: 'decide', kind: 'decision', name: t('Approved?', '是否同意') },
      { id: 'approved', kind: 'end', name: t('Approved', '已批准'), outcome: 'approved' },
      { id: 'rejected', kind: 'end', name: t('Rejected', '已拒绝'), outcome: 'rejected' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'review' },
      { id: 'e2', source: 'review', target: 'decide' },
      { id: 'e3', source: 'decide', target: 'approved', condition: { '==': [{ var: 'decision' }, 'approve'] }, order: 1 },
      { id: 'e4', source: 'decide', target: 'rejected', default: true },
    ],
  };
}

/** The body of a new application, the same for every case (and for the hello-world route in run 3). */
export const APPLICATION = {
  customerId: 'C-1001',
  idNumber: '310101199001011234',
  applicant: { name: '王小明', mobile: '13800138000', city: 'Shanghai' },
  amount: 500000,
  branchId: 'SH-PD-01',
  segment: 'standard',
};

/** What the reviewer enters. */
export const REVIEW_DATA = { decision: 'approve', comment: 'Income and collateral verified.' };

export const TIMER_FLOW_KEY = 'bench-timer';

/**
 * A case that waits one second on a timer and ends: started now and then during run 6 so that
 * timers come due while several processes poll for them (each must fire exactly once).
 */
export function timerFlow(): FlowDefinition {
  return {
    key: TIMER_FLOW_KEY,
    name: t('Cooling-off (bench)', '冷静期（基准）'),
    caseSchema: { type: 'object', required: ['customerId'], properties: { customerId: { type: 'string', customerRef: true, maxLength: 32 } } },
    nodes: [
      { id: 'start', kind: 'start', name: t('Received', '收到申请') },
      { id: 'cool-off', kind: 'wait', name: t('Cooling-off', '冷静期'), timer: { duration: 'PT1S', mode: 'calendar' } },
      { id: 'done', kind: 'end', name: t('Done', '完成'), outcome: 'approved' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'cool-off' },
      { id: 'e2', source: 'cool-off', target: 'done' },
    ],
  };
}
