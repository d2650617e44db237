/** Test data shaped like the runtime's answers for the sme-loan template's credit review. */
import type { FormField } from '@flowpath/engine';
import type { Task } from '../api/console-types';

/** The credit-review form of process-templates/sme-loan. */
export const creditReviewFields: FormField[] = [
  { key: 'companyName', label: { 'zh-CN': '企业名称', en: 'Company' }, type: 'string', readOnly: true },
  { key: 'requestedAmount', label: { 'zh-CN': '申请金额', en: 'Requested amount' }, type: 'number', readOnly: true },
  {
    key: 'creditDecision',
    label: { 'zh-CN': '审批结论', en: 'Decision' },
    type: 'enum',
    required: true,
    options: [
      { value: 'approve', label: { 'zh-CN': '同意', en: 'Approve' } },
      { value: 'return', label: { 'zh-CN': '退回补件', en: 'Return for documents' } },
      { value: 'reject', label: { 'zh-CN': '拒绝', en: 'Reject' } },
    ],
  },
  { key: 'approvedAmount', label: { 'zh-CN': '批准金额（元）', en: 'Approved amount (CNY)' }, type: 'number', minimum: 0, maximum: 10000000 },
  { key: 'approvedRate', label: { 'zh-CN': '执行利率（%）', en: 'Rate (%)' }, type: 'number', minimum: 0, maximum: 24 },
  { key: 'returnReason', label: { 'zh-CN': '补件要求', en: 'Documents requested' }, type: 'text', maxLength: 500 },
  { key: 'reviewComment', label: { 'zh-CN': '审批意见', en: 'Comment' }, type: 'text', maxLength: 1000 },
];

/** A task of the work list; fields not given take plain defaults. */
export function task(over: Partial<Task> & { id: string }): Task {
  return {
    caseId: `case-${over.id}`,
    flow: 'sme-loan',
    version: 1,
    customerRef: `C-case-${over.id}`,
    branch: 'SZ-SIP-003',
    channel: null,
    nodeId: 'credit-review',
    name: { 'zh-CN': '授信审批', en: 'Credit approval' },
    queue: 'credit-approval',
    roles: [],
    priority: 50,
    form: creditReviewFields,
    dueAt: null,
    warnAt: null,
    sla: 'none',
    status: 'open',
    assignee: null,
    completedBy: null,
    createdAt: '2026-03-02T01:00:00.000Z',
    updatedAt: '2026-03-02T01:00:00.000Z',
    closedAt: null,
    ...over,
  };
}
