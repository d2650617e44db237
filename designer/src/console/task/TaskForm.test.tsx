import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n, setLang } from '../../i18n';
import { initialValues, serverErrorSchema, type FormValues } from '../model/form-schema';
import { creditReviewFields } from '../test-fixtures';
import { TaskForm } from './TaskForm';

afterEach(async () => {
  cleanup();
  await setLang('zh-CN');
});

function Harness({ onSubmit, serverErrors }: { onSubmit: (v: FormValues) => void; serverErrors?: Parameters<typeof TaskForm>[0]['serverErrors'] }) {
  const [values, setValues] = useState<FormValues>(initialValues(creditReviewFields, { companyName: '苏州精工模具有限公司', requestedAmount: 1000000 }));
  return (
    <I18nextProvider i18n={i18n}>
      <TaskForm fields={creditReviewFields} values={values} onChange={setValues} onSubmit={onSubmit} serverErrors={serverErrors} disabled={false}>
        <button type="submit">submit</button>
      </TaskForm>
    </I18nextProvider>
  );
}

describe('task form', () => {
  it('renders the fields with their labels, read-only case data and no choice made', async () => {
    // given the credit review form in Chinese
    await setLang('zh-CN');
    render(<Harness onSubmit={() => undefined} />);
    // then every field has its label, the case data is shown read-only
    const company = screen.getByLabelText('企业名称') as HTMLInputElement;
    expect(company.value).toBe('苏州精工模具有限公司');
    expect(company.readOnly).toBe(true);
    // and the decision offers its options by label with none picked for the operator
    const options = ['同意', '退回补件', '拒绝'].map((l) => screen.getByLabelText(l) as HTMLInputElement);
    expect(options.map((o) => o.checked)).toEqual([false, false, false]);
  });

  it('refuses to submit without a decision and says so in Chinese, then in English', async () => {
    // given the form in Chinese
    await setLang('zh-CN');
    const submitted: FormValues[] = [];
    render(<Harness onSubmit={(v) => submitted.push(v)} />);
    // when submitted empty
    fireEvent.click(screen.getByText('submit'));
    // then nothing is sent and the decision field carries the engine's message
    expect(submitted).toEqual([]);
    expect(await screen.findByText('“审批结论”为必填项。')).toBeTruthy();
    // when the language changes and the form is submitted again
    await act(() => setLang('en'));
    fireEvent.click(screen.getByText('submit'));
    expect(await screen.findByText('"Decision" is required.')).toBeTruthy();
  });

  it('checks limits in the browser and submits a valid decision with its values', async () => {
    await setLang('en');
    const submitted: FormValues[] = [];
    render(<Harness onSubmit={(v) => submitted.push(v)} />);
    // when the rate is above its maximum
    fireEvent.click(screen.getByLabelText('Approve'));
    fireEvent.change(screen.getByLabelText('Rate (%)'), { target: { value: '30' } });
    fireEvent.click(screen.getByText('submit'));
    // then the limit is named
    expect(await screen.findByText('"Rate (%)" must be at most 24.')).toBeTruthy();
    expect(submitted).toEqual([]);
    // when corrected
    fireEvent.change(screen.getByLabelText('Rate (%)'), { target: { value: '3.95' } });
    fireEvent.click(screen.getByText('submit'));
    // then the values go out with the codes of the choices
    expect(submitted).toHaveLength(1);
    expect(submitted[0]).toMatchObject({ creditDecision: 'approve', approvedRate: 3.95 });
  });

  it('shows a server validation error on its field', async () => {
    await setLang('zh-CN');
    const errors = serverErrorSchema([{ path: '/data/approvedAmount', code: 'form.maximum', params: { limit: 10000000 } }], creditReviewFields, 'zh-CN');
    render(<Harness onSubmit={() => undefined} serverErrors={errors} />);
    const message = await screen.findByText('“批准金额（元）”不能大于 10000000。');
    // the message sits in the amount field's group, next to its input
    const group = message.closest('.form-group');
    expect(group?.querySelector('input')?.id).toBe((screen.getByLabelText('批准金额（元）') as HTMLInputElement).id);
  });
});
