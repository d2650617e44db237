import type { FormField } from '@flowpath/engine';
import type { RJSFValidationError } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import { creditReviewFields } from '../test-fixtures';
import { formSchema, initialValues, localizeErrors, serverErrorSchema, submittedData } from './form-schema';

describe('form fields → JSON Schema', () => {
  it('gives each field type its JSON Schema type and limits', () => {
    // given one field of every type
    const fields: FormField[] = [
      { key: 'name', label: { 'zh-CN': '姓名', en: 'Name' }, type: 'string', maxLength: 50, pattern: '^[^0-9]+$' },
      { key: 'note', label: { 'zh-CN': '备注', en: 'Note' }, type: 'text', maxLength: 500 },
      { key: 'amount', label: { 'zh-CN': '金额', en: 'Amount' }, type: 'number', minimum: 1000, maximum: 500000 },
      { key: 'term', label: { 'zh-CN': '期限', en: 'Term' }, type: 'integer', minimum: 3 },
      { key: 'payroll', label: { 'zh-CN': '代发工资', en: 'Payroll' }, type: 'boolean' },
      { key: 'signedOn', label: { 'zh-CN': '签约日', en: 'Signed on' }, type: 'date' },
      { key: 'calledAt', label: { 'zh-CN': '回访时间', en: 'Called at' }, type: 'datetime' },
    ];
    // when converted in English
    const { schema, uiSchema } = formSchema(fields, 'en');
    // then the schema states the same limits as the engine checks
    expect(schema.properties).toEqual({
      name: { title: 'Name', type: 'string', maxLength: 50, pattern: '^[^0-9]+$' },
      note: { title: 'Note', type: 'string', maxLength: 500 },
      amount: { title: 'Amount', type: 'number', minimum: 1000, maximum: 500000 },
      term: { title: 'Term', type: 'integer', minimum: 3 },
      payroll: { title: 'Payroll', type: 'boolean' },
      signedOn: { title: 'Signed on', type: 'string', format: 'date' },
      calledAt: { title: 'Called at', type: 'string', format: 'date-time' },
    });
    // and long text is a text area, yes/no a pair of radios, in the flow's order
    expect(uiSchema).toMatchObject({ 'ui:order': ['name', 'note', 'amount', 'term', 'payroll', 'signedOn', 'calledAt'], note: { 'ui:widget': 'textarea' }, payroll: { 'ui:widget': 'radio' } });
  });

  it('lists allowed values as codes with labels in the current language', () => {
    // given the sme-loan credit review form
    // when converted in Chinese and in English
    const zh = formSchema(creditReviewFields, 'zh-CN').schema.properties?.creditDecision;
    const en = formSchema(creditReviewFields, 'en').schema.properties?.creditDecision;
    // then the value stays the code and only the label changes
    expect(zh).toEqual({
      title: '审批结论',
      type: 'string',
      oneOf: [
        { const: 'approve', title: '同意' },
        { const: 'return', title: '退回补件' },
        { const: 'reject', title: '拒绝' },
      ],
    });
    expect(en).toMatchObject({ title: 'Decision', oneOf: [{ const: 'approve', title: 'Approve' }, { const: 'return', title: 'Return for documents' }, { const: 'reject', title: 'Reject' }] });
  });

  it('requires required fields but never read-only ones, which it shows read-only', () => {
    // given a required read-only field beside a required editable one
    const fields: FormField[] = [
      { key: 'companyName', label: { 'zh-CN': '企业名称', en: 'Company' }, type: 'string', readOnly: true, required: true },
      { key: 'decision', label: { 'zh-CN': '结论', en: 'Decision' }, type: 'string', required: true },
    ];
    // when converted
    const { schema, uiSchema } = formSchema(fields, 'zh-CN');
    // then only the editable one is required (the engine skips read-only fields too)
    expect(schema.required).toEqual(['decision']);
    expect(schema.properties?.companyName).toMatchObject({ readOnly: true });
    expect(uiSchema.companyName).toEqual({ 'ui:readonly': true });
  });

  it('falls back to the other language, then to the key, for a missing label', () => {
    const fields = [{ key: 'x', label: { 'zh-CN': '', en: 'Only English' }, type: 'string' } as FormField, { key: 'y', type: 'string' } as unknown as FormField];
    const { schema } = formSchema(fields, 'zh-CN');
    expect(schema.properties).toMatchObject({ x: { title: 'Only English' }, y: { title: 'y' } });
  });
});

describe('form values', () => {
  it('start with the case data in read-only fields only, masked values as the API sent them', () => {
    // given case data as an operator without access sees it
    const data = { companyName: '苏州精工模具', requestedAmount: 1000000, creditDecision: 'return', legalPersonIdNumber: '3205**********3326' };
    const fields: FormField[] = [...creditReviewFields, { key: 'legalPersonIdNumber', label: { 'zh-CN': '身份证号', en: 'ID' }, type: 'string', readOnly: true }];
    // when the form starts
    // then read-only fields show the data, the decision of an earlier round is not carried over
    expect(initialValues(fields, data)).toEqual({ companyName: '苏州精工模具', requestedAmount: 1000000, legalPersonIdNumber: '3205**********3326' });
  });

  it('send only editable fields that were filled in', () => {
    const values = { companyName: '苏州精工模具', requestedAmount: 1000000, creditDecision: 'approve', approvedAmount: 800000, approvedRate: undefined, reviewComment: '' };
    expect(submittedData(creditReviewFields, values)).toEqual({ creditDecision: 'approve', approvedAmount: 800000 });
  });
});

describe('validation messages', () => {
  it('put a server 422 error on its field, named by its label, in either language', () => {
    // given the server's errors for /data/approvedAmount and for the whole data
    const errors = [
      { path: '/data/approvedAmount', code: 'form.maximum', message: '"approvedAmount" must be at most 10000000.', params: { field: 'approvedAmount', limit: 10000000 } },
      { path: '/data/bogus', code: 'form.field.unknown', message: '"bogus" is not a field of this form.', params: { field: 'bogus' } },
    ];
    // when mapped for rjsf in Chinese and in English
    const zh = serverErrorSchema(errors, creditReviewFields, 'zh-CN') as Record<string, { __errors: string[] }>;
    const en = serverErrorSchema(errors, creditReviewFields, 'en') as Record<string, { __errors: string[] }>;
    // then the amount error sits on its field and the unknown one on the form
    expect(zh.approvedAmount?.__errors).toEqual(['“批准金额（元）”不能大于 10000000。']);
    expect(en.approvedAmount?.__errors).toEqual(['"Approved amount (CNY)" must be at most 10000000.']);
    expect(en.__errors).toEqual(['"bogus" is not a field of this form.']);
  });

  it('keep the server message when the code is unknown to the browser', () => {
    const s = serverErrorSchema([{ path: '/data/approvedRate', code: 'form.something-new', message: 'rate too odd' }], creditReviewFields, 'en') as Record<string, { __errors: string[] }>;
    expect(s.approvedRate?.__errors).toEqual(['rate too odd']);
  });

  it('replace ajv English with the engine messages and say a bad choice once', () => {
    // given what ajv reports for a missing decision and a rate above its maximum
    const errors: RJSFValidationError[] = [
      { name: 'required', property: '.creditDecision', params: { missingProperty: 'creditDecision' }, message: "must have required property 'creditDecision'", stack: '' },
      { name: 'maximum', property: '.approvedRate', params: { comparison: '<=', limit: 24 }, message: 'must be <= 24', stack: '' },
    ];
    // when localised in Chinese
    const out = localizeErrors(errors, creditReviewFields, 'zh-CN');
    // then the messages name the field by its label
    expect(out.map((e) => e.message)).toEqual(['“审批结论”为必填项。', '“执行利率（%）”不能大于 24。']);
    // and a oneOf failure (one error per option plus the oneOf) becomes one message
    const bad: RJSFValidationError[] = ['const', 'const', 'const', 'oneOf'].map((name) => ({ name, property: '.creditDecision', params: {}, message: 'x', stack: 'x' }));
    expect(localizeErrors(bad, creditReviewFields, 'en').map((e) => e.message)).toEqual(['"Decision" must be one of the listed options.']);
  });
});
