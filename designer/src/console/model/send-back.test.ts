import type { FormField } from '@flowpath/engine';
import { describe, expect, it } from 'vitest';
import { creditReviewFields } from '../test-fixtures';
import { sendBackFields } from './send-back';

describe('sending a case back', () => {
  it('finds the return choice and the field for what the customer must provide', () => {
    expect(sendBackFields(creditReviewFields)).toEqual({ decision: 'creditDecision', value: 'return', reason: 'returnReason' });
  });

  it('is not offered by a form that cannot send back', () => {
    const noReturn: FormField[] = [{ key: 'decision', label: { 'zh-CN': '结论', en: 'Decision' }, type: 'enum', options: [{ value: 'approve', label: { 'zh-CN': '同意', en: 'Approve' } }] }];
    const noReason: FormField[] = [{ key: 'decision', label: { 'zh-CN': '结论', en: 'Decision' }, type: 'enum', options: [{ value: 'return', label: { 'zh-CN': '退回', en: 'Return' } }] }];
    const readOnly: FormField[] = [{ ...(creditReviewFields[2] as FormField), readOnly: true }, creditReviewFields[5] as FormField];
    expect([sendBackFields(noReturn), sendBackFields(noReason), sendBackFields(readOnly)]).toEqual([null, null, null]);
  });
});
