/**
 * Flows and API keys for the reliability tests, kept here (not taken from process-templates)
 * so that editing a template cannot change what these tests prove. Each flow isolates one thing
 * a crash or a race could break: a task and its SLA timers, a message wait, a parallel join, an
 * outbox call, timers due while the server is down, and personal data that must stay masked.
 */
import type { FlowDefinition } from '@flowpath/engine';
import type { ApiKey } from '@flowpath/runtime-api';
import type { Api } from './http';

const t = (en: string, zh: string) => ({ en, 'zh-CN': zh });

const key = (name: string, roles: string[], queues?: string[]): ApiKey => ({ key: `rel-${name}-key-0123456789abcdef`, name, roles, ...(queues ? { queues } : {}) });

/** Queues the reliability flows use. */
export const QUEUES = { review: 'rel-review', ops: 'rel-ops', elsewhere: 'rel-elsewhere' } as const;

/** Operators racing for the same tasks; each works every reliability queue. */
export const RACERS = Array.from({ length: 10 }, (_, i) => `op-${i + 1}`);
/** Analysts racing to save the same draft. */
export const ANALYSTS = Array.from({ length: 12 }, (_, i) => `analyst-${i + 1}`);

/** One key per product role, a second app, an operator of an unrelated queue, and the racers. */
export function reliabilityKeys(): ApiKey[] {
  return [
    key('admin', ['admin']),
    key('analyst', ['analyst']),
    key('owner', ['owner']),
    key('operator', ['operator'], [QUEUES.review, QUEUES.ops]),
    key('app', ['app']),
    key('app2', ['app']),
    key('auditor', ['auditor']),
    key('outsider', ['operator'], [QUEUES.elsewhere]),
    key('supervisor', ['supervisor'], [QUEUES.review, QUEUES.ops]),
    key('outside-supervisor', ['supervisor'], [QUEUES.elsewhere]),
    ...RACERS.map((n) => key(n, ['operator'], [QUEUES.review, QUEUES.ops])),
    ...ANALYSTS.map((n) => key(n, ['analyst'])),
  ];
}

const decisionField = {
  key: 'decision',
  label: t('Decision', '结论'),
  type: 'enum' as const,
  required: true,
  options: [
    { value: 'approve', label: t('Approve', '同意') },
    { value: 'reject', label: t('Reject', '拒绝') },
  ],
};

/** Start → one review task (with a day-long SLA, so it has warning and breach timers) → end. */
export function reviewFlow(flowKey = 'rel-review'): FlowDefinition {
  return {
    key: flowKey,
    name: t('Review (reliability)', '审查（可靠性）'),
    caseSchema: {
      type: 'object',
      required: ['customerId'],
      properties: {
        customerId: { type: 'string', customerRef: true },
        idNumber: { type: 'string', sensitive: true },
        amount: { type: 'number', minimum: 0 },
        decision: { type: 'string', enum: ['approve', 'reject'] },
      },
    },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      { id: 'review', kind: 'user-task', name: t('Review', '审查'), queue: QUEUES.review, sla: { duration: 'P1D', warnBefore: 'PT1H' }, form: { fields: [decisionField] } },
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

/** Start → wait for `documents.received` (one day, then the timeout path) → check task → end. */
export function documentsFlow(flowKey = 'rel-documents'): FlowDefinition {
  return {
    key: flowKey,
    name: t('Documents (reliability)', '补件（可靠性）'),
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
      { id: 'wait-docs', kind: 'wait', name: t('Documents', '等待补件'), message: 'documents.received', sla: { duration: 'P1D' } },
      { id: 'check', kind: 'user-task', name: t('Check', '核对'), queue: QUEUES.ops, form: { fields: [{ key: 'checked', label: t('Checked', '已核对'), type: 'boolean', required: true }] } },
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

/** Start → split into `branches` tasks, each writing its own field → join → end. */
export function parallelFlow(branches = 2, flowKey = 'rel-parallel'): FlowDefinition {
  const ids = Array.from({ length: branches }, (_, i) => `b${i + 1}`);
  return {
    key: flowKey,
    name: t('Parallel (reliability)', '并行（可靠性）'),
    caseSchema: {
      type: 'object',
      required: ['customerId'],
      properties: { customerId: { type: 'string', customerRef: true }, ...Object.fromEntries(ids.map((b) => [b, { type: 'string' as const, maxLength: 100 }])) },
    },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      { id: 'split', kind: 'parallel-split', name: t('Split', '分支') },
      ...ids.map((b) => ({
        id: b,
        kind: 'user-task' as const,
        name: t(`Branch ${b}`, `分支 ${b}`),
        queue: QUEUES.review,
        form: { fields: [{ key: b, label: t(b, b), type: 'string' as const, required: true, maxLength: 100 }] },
      })),
      { id: 'join', kind: 'parallel-join', name: t('Join', '汇合') },
      { id: 'done', kind: 'end', name: t('Done', '完成'), outcome: 'joined' },
    ],
    edges: [
      { id: 'e-start', source: 'start', target: 'split' },
      ...ids.flatMap((b) => [
        { id: `e-split-${b}`, source: 'split', target: b },
        { id: `e-${b}-join`, source: b, target: 'join' },
      ]),
      { id: 'e-join', source: 'join', target: 'done' },
    ],
  };
}

/** Start → credit bureau (the built-in stand-in, via the outbox) → end with the score in the data. */
export function serviceFlow(flowKey = 'rel-service'): FlowDefinition {
  return {
    key: flowKey,
    name: t('Service (reliability)', '服务调用（可靠性）'),
    caseSchema: {
      type: 'object',
      required: ['customerId', 'idNumber'],
      properties: {
        customerId: { type: 'string', customerRef: true },
        idNumber: { type: 'string' },
        score: { type: 'integer' },
      },
    },
    nodes: [
      { id: 'start', kind: 'start', name: t('Start', '开始') },
      { id: 'bureau', kind: 'service-task', name: t('Credit bureau', '征信查询'), connector: 'credit-bureau', input: { idNumber: { var: 'idNumber' } }, output: { score: 'score' }, retry: { maxAttempts: 3, backoff: 'PT1S' } },
      { id: 'done', kind: 'end', name: t('Done', '完成'), outcome: 'screened' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'bureau' },
      { id: 'e2', source: 'bureau', target: 'done' },
    ],
  };
}

/** A review task whose SLA warns at `warnBefore` before `duration` and raises the priority when breached. */
export function slaFlow(duration: string, warnBefore: string, flowKey = 'rel-sla'): FlowDefinition {
  const def = reviewFlow(flowKey);
  const review = def.nodes.find((n) => n.id === 'review');
  if (review?.kind !== 'user-task') throw new Error('review node missing');
  review.sla = { duration, warnBefore, escalations: [{ action: 'raise-priority', to: 99 }] };
  return def;
}

/** Start → wait `duration` (a timer node) → review task → end. */
export function timerWaitFlow(duration: string, flowKey = 'rel-timer-wait'): FlowDefinition {
  const def = reviewFlow(flowKey);
  def.nodes.splice(1, 0, { id: 'cool-off', kind: 'wait', name: t('Cooling-off', '冷静期'), timer: { duration } });
  def.edges[0] = { id: 'e1', source: 'start', target: 'cool-off' };
  def.edges.push({ id: 'e0', source: 'cool-off', target: 'review' });
  const review = def.nodes.find((n) => n.id === 'review');
  if (review?.kind === 'user-task') delete review.sla;
  return def;
}

const en = (text: string) => ({ en: text, 'zh-CN': text });

/** A flow whose webhook call names a target that is not configured: every case raises an incident. */
export function incidentFlow(): FlowDefinition {
  return {
    key: 'rel-incident',
    name: en('Incident (reliability)'),
    caseSchema: { type: 'object', properties: { customerId: { type: 'string', customerRef: true } } },
    nodes: [
      { id: 'start', kind: 'start', name: en('Start') },
      { id: 'call', kind: 'service-task', name: en('Call'), connector: 'webhook', input: { target: 'nowhere-configured' }, retry: { maxAttempts: 1 } },
      { id: 'done', kind: 'end', name: en('Done'), outcome: 'done' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'call' },
      { id: 'e2', source: 'call', target: 'done' },
    ],
  };
}

/**
 * Personal data everywhere it can travel: a sensitive customer reference, id number, nested
 * name and mobile; gate rules that read them; a connector whose input carries the id number
 * under a harmless name (`id`); a task form that writes one.
 */
export function privacyFlow(): FlowDefinition {
  return {
    key: 'rel-privacy',
    name: en('Privacy (reliability)'),
    caseSchema: {
      type: 'object',
      required: ['customerId', 'idNumber'],
      properties: {
        customerId: { type: 'string', customerRef: true, sensitive: true },
        idNumber: { type: 'string', sensitive: true },
        applicant: { type: 'object', properties: { name: { type: 'string', sensitive: true }, city: { type: 'string' } } },
        mobile: { type: 'string', sensitive: true },
        note: { type: 'string' },
        score: { type: 'integer' },
        decision: { type: 'string', enum: ['approve', 'reject'] },
      },
    },
    nodes: [
      { id: 'start', kind: 'start', name: en('Start') },
      {
        id: 'gate',
        kind: 'compliance-gate',
        name: en('Screening'),
        rules: [
          { id: 'watch-name', name: en('Name on watch list'), when: { '!=': [{ var: 'applicant.name' }, ''] }, action: 'flag' },
          { id: 'shanghai-id', name: en('Shanghai id'), when: { '==': [{ substr: [{ var: 'idNumber' }, 0, 4] }, '3101'] }, action: 'flag' },
        ],
      },
      { id: 'bureau', kind: 'service-task', name: en('Credit bureau'), connector: 'credit-bureau', input: { id: { var: 'idNumber' } }, output: { score: 'score' } },
      { id: 'docs', kind: 'wait', name: en('Documents'), message: 'documents.received' },
      {
        id: 'review',
        kind: 'user-task',
        name: en('Review'),
        queue: QUEUES.review,
        form: {
          fields: [
            { key: 'mobile', label: en('Mobile'), type: 'string', required: true },
            { key: 'decision', label: en('Decision'), type: 'enum', required: true, options: [{ value: 'approve', label: en('Approve') }, { value: 'reject', label: en('Reject') }] },
          ],
        },
      },
      { id: 'done', kind: 'end', name: en('Done'), outcome: 'done' },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'gate' },
      { id: 'e2', source: 'gate', target: 'bureau' },
      { id: 'e3', source: 'bureau', target: 'docs' },
      { id: 'e4', source: 'docs', target: 'review' },
      { id: 'e5', source: 'review', target: 'done' },
    ],
  };
}

/** Creates `def` as a flow and publishes its first version (as admin), failing loudly when refused. */
export async function publishFlow(api: Api, def: FlowDefinition): Promise<void> {
  const created = await api.call('POST', '/api/flows', { as: 'admin', body: { definition: def } });
  if (created.status !== 201) throw new Error(`create ${def.key}: ${created.status} ${created.text.slice(0, 500)}`);
  const published = await api.call('POST', `/api/flows/${def.key}/versions`, { as: 'admin', body: { note: 'reliability test' } });
  if (published.status !== 201) throw new Error(`publish ${def.key}: ${published.status} ${published.text.slice(0, 1000)}`);
}
