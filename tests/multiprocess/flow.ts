/**
 * The flow the multi-process test drives: a one-second cooling-off timer, then a review task whose
 * SLA warns after one second and is breached after three (raising the priority), then a call to the
 * `crm` webhook (through the outbox, so a process may die holding it), then the end the decision
 * picks. Every case therefore has timers that come due while the test runs, and outside work.
 */
import type { FlowDefinition } from '@flowpath/engine';
import type { ApiKey } from '@flowpath/runtime-api';

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });

export const FLOW_KEY = 'mp-review';
export const QUEUE = 'mp-review';

export function multiprocessFlow(): FlowDefinition {
  return {
    key: FLOW_KEY,
    name: t('Review (multi-process)', '审查（多进程）'),
    caseSchema: {
      type: 'object',
      required: ['customerId'],
      properties: {
        customerId: { type: 'string', customerRef: true },
        amount: { type: 'number', minimum: 0 },
        decision: { type: 'string', enum: ['approve', 'reject'] },
        ack: { type: 'string' },
      },
    },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      { id: 'cool-off', kind: 'wait', name: t('Cooling-off', '冷静期'), timer: { duration: 'PT1S', mode: 'calendar' } },
      {
        id: 'review',
        kind: 'user-task',
        name: t('Review', '审查'),
        queue: QUEUE,
        sla: { duration: 'PT3S', mode: 'calendar', warnBefore: 'PT2S', escalations: [{ action: 'raise-priority', to: 99 }] },
        form: {
          fields: [
            {
              key: 'decision',
              label: t('Decision', '结论'),
              type: 'enum',
              required: true,
              options: [
                { value: 'approve', label: t('Approve', '同意') },
                { value: 'reject', label: t('Reject', '拒绝') },
              ],
            },
          ],
        },
      },
      {
        id: 'notify',
        kind: 'service-task',
        name: t('Tell the CRM', '通知CRM'),
        connector: 'webhook',
        input: { target: 'crm', event: 'reviewed', customerId: { var: 'customerId' } },
        output: { ack: 'ack' },
        retry: { maxAttempts: 1 },
      },
      { id: 'decide', kind: 'decision', name: t('Approved?', '是否同意') },
      { id: 'approved', kind: 'end', name: t('Approved', '同意'), outcome: 'approved' },
      { id: 'rejected', kind: 'end', name: t('Rejected', '拒绝'), outcome: 'rejected' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'cool-off' },
      { id: 'e2', source: 'cool-off', target: 'review' },
      { id: 'e3', source: 'review', target: 'notify' },
      { id: 'e3b', source: 'notify', target: 'decide' },
      { id: 'e4', source: 'decide', target: 'approved', condition: { '==': [{ var: 'decision' }, 'approve'] } },
      { id: 'e5', source: 'decide', target: 'rejected', default: true },
    ],
  };
}

const key = (name: string, roles: string[], queues?: string[]): ApiKey => ({ key: `mp-${name}-key-0123456789abcdef`, name, roles, ...(queues ? { queues } : {}) });

/** The keys every process accepts. */
export const KEYS = {
  app: key('app', ['app']),
  auditor: key('auditor', ['auditor']),
  op1: key('op-1', ['operator'], [QUEUE]),
  op2: key('op-2', ['operator'], [QUEUE]),
} as const;
