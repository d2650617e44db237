/**
 * Small flows for API tests, each exercising one area: a reviewed application with a form and
 * an SLA, a wait for documents, a service call behind a compliance gate, a four-eyes pair and a
 * webhook call. Built here rather than taken from process-templates so the tests do not move
 * when a template is edited.
 */
import type { FlowDefinition } from '@flowpath/engine';

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });

/** Application reviewed by credit approval: form, 4 h SLA with warning and escalation, decision, two ends. */
export function reviewFlow(): FlowDefinition {
  return {
    key: 'test-review',
    name: t('Review (test)', '审查（测试）'),
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
      { id: 'start', kind: 'start', name: t('Received', '收到') },
      {
        id: 'review',
        kind: 'user-task',
        name: t('Credit review', '信贷审查'),
        queue: 'credit-approval',
        sla: { duration: 'PT4H', mode: 'calendar', warnBefore: 'PT1H', escalations: [{ action: 'reassign', queue: 'credit-senior' }, { action: 'raise-priority', to: 95 }] },
        form: {
          fields: [
            { key: 'decision', label: t('Decision', '结论'), type: 'enum', required: true, options: [{ value: 'approve', label: t('Approve', '同意') }, { value: 'reject', label: t('Reject', '拒绝') }] },
            { key: 'comment', label: t('Comment', '意见'), type: 'text', maxLength: 200 },
          ],
        },
      },
      { id: 'decide', kind: 'decision', name: t('Approved?', '是否同意') },
      { id: 'approved', kind: 'end', name: t('Approved', '同意'), outcome: 'approved' },
      { id: 'rejected', kind: 'end', name: t('Rejected', '拒绝'), outcome: 'rejected' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'review' },
      { id: 'e2', source: 'review', target: 'decide' },
      { id: 'e3', source: 'decide', target: 'approved', condition: { '==': [{ var: 'decision' }, 'approve'] } },
      { id: 'e4', source: 'decide', target: 'rejected', default: true },
    ],
  };
}

/** Waits up to 2 hours for the customer's documents, then an operations check; the timeout ends the case. */
export function documentsFlow(): FlowDefinition {
  return {
    key: 'test-documents',
    name: t('Documents (test)', '补件（测试）'),
    caseSchema: {
      type: 'object',
      required: ['customerId'],
      properties: {
        customerId: { type: 'string', customerRef: true },
        documentCount: { type: 'integer', minimum: 1 },
        checked: { type: 'boolean' },
      },
    },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      { id: 'wait-docs', kind: 'wait', name: t('Documents', '等待补件'), message: 'documents.received', sla: { duration: 'PT2H' } },
      { id: 'check', kind: 'user-task', name: t('Check', '核对'), queue: 'operations', form: { fields: [{ key: 'checked', label: t('Checked', '已核对'), type: 'boolean', required: true }] } },
      { id: 'done', kind: 'end', name: t('Done', '完成'), outcome: 'completed' },
      { id: 'expired', kind: 'end', name: t('Expired', '超时'), outcome: 'expired' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'wait-docs' },
      { id: 'e2', source: 'wait-docs', target: 'check' },
      { id: 'e3', source: 'wait-docs', target: 'expired', port: 'timeout' },
      { id: 'e4', source: 'check', target: 'done' },
    ],
  };
}

/** Credit bureau call (2 attempts, 1 min apart) then a gate: blacklisted stops, a low score is flagged. */
export function serviceFlow(): FlowDefinition {
  return {
    key: 'test-service',
    name: t('Service (test)', '服务调用（测试）'),
    caseSchema: {
      type: 'object',
      required: ['customerId', 'idNumber'],
      properties: {
        customerId: { type: 'string', customerRef: true },
        idNumber: { type: 'string', sensitive: true },
        score: { type: 'integer' },
        lastError: { type: 'object' },
      },
    },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      { id: 'bureau', kind: 'service-task', name: t('Credit bureau', '征信查询'), connector: 'credit-bureau', input: { idNumber: { var: 'idNumber' } }, output: { score: 'score' }, retry: { maxAttempts: 2, backoff: 'PT1M' } },
      {
        id: 'gate',
        kind: 'compliance-gate',
        name: t('Screening', '筛查'),
        rules: [
          { id: 'blacklist', name: t('Blacklisted', '黑名单'), when: { inList: ['credit-blacklist', { var: 'idNumber' }] }, action: 'stop', outcome: 'rejected' },
          { id: 'low-score', name: t('Low score', '评分低'), when: { '<': [{ var: 'score' }, 500] }, action: 'flag' },
        ],
      },
      { id: 'done', kind: 'end', name: t('Done', '完成'), outcome: 'screened' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'bureau' },
      { id: 'e2', source: 'bureau', target: 'gate' },
      { id: 'e3', source: 'gate', target: 'done' },
    ],
  };
}

/** Maker then checker in the same queue; the checker may not be the maker. */
export function fourEyesFlow(): FlowDefinition {
  return {
    key: 'test-four-eyes',
    name: t('Four eyes (test)', '双人复核（测试）'),
    caseSchema: { type: 'object', properties: { customerId: { type: 'string', customerRef: true }, made: { type: 'boolean' }, checked: { type: 'boolean' } } },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      { id: 'maker', kind: 'user-task', name: t('Maker', '经办'), queue: 'operations', form: { fields: [{ key: 'made', label: t('Done', '完成'), type: 'boolean', required: true }] } },
      { id: 'checker', kind: 'user-task', name: t('Checker', '复核'), queue: 'operations', notCompletedBy: ['maker'], form: { fields: [{ key: 'checked', label: t('Checked', '已复核'), type: 'boolean', required: true }] } },
      { id: 'done', kind: 'end', name: t('Done', '完成'), outcome: 'done' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'maker' },
      { id: 'e2', source: 'maker', target: 'checker' },
      { id: 'e3', source: 'checker', target: 'done' },
    ],
  };
}

/** Posts an event to the `crm` webhook target and maps its acknowledgement. */
export function webhookFlow(): FlowDefinition {
  return {
    key: 'test-webhook',
    name: t('Webhook (test)', '回调（测试）'),
    caseSchema: { type: 'object', properties: { customerId: { type: 'string', customerRef: true }, ack: { type: 'string' } } },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      { id: 'notify', kind: 'service-task', name: t('Notify CRM', '通知CRM'), connector: 'webhook', input: { target: 'crm', event: 'case.started', customerId: { var: 'customerId' } }, output: { ack: 'ack' }, retry: { maxAttempts: 1 } },
      { id: 'done', kind: 'end', name: t('Done', '完成'), outcome: 'done' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'notify' },
      { id: 'e2', source: 'notify', target: 'done' },
    ],
  };
}

/** Every test flow. */
export const testFlows = (): FlowDefinition[] => [reviewFlow(), documentsFlow(), serviceFlow(), fourEyesFlow(), webhookFlow()];
