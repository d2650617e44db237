import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type ApiClient } from '../../api/client';
import type { QueueOperator } from '../../api/console-types';
import { ApiProvider } from '../../api/context';
import { i18n, setLang } from '../../i18n';
import { task } from '../test-fixtures';
import { ReasonDialog, ReassignDialog } from './Dialogs';

/** A server naming the operators of each queue it knows; other queues are 403, as for a caller who does not look after them. */
function fakeApi(byQueue: Record<string, QueueOperator[]>) {
  const asked: string[] = [];
  const api = {
    async listQueueOperators(queue: string) {
      asked.push(queue);
      const ops = byQueue[queue];
      if (!ops) throw new ApiError({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'queue.forbidden', detail: `not ${queue}` });
      return ops;
    },
  } as unknown as ApiClient;
  return { api, asked };
}

const creditApproval: QueueOperator[] = [
  { name: 'li.na', roles: ['operator'] },
  { name: 'wang.fang', roles: ['operator', 'credit-approver'] },
  { name: 'zhang.wei', roles: ['operator', 'credit-approver'] },
];

function open(api: ApiClient, over: Parameters<typeof task>[0] = { id: 't1' }) {
  const sent: { queue: string; assignee: string | null; reason: string }[] = [];
  let done = 0;
  render(
    <I18nextProvider i18n={i18n}>
      <ApiProvider client={api}>
        <ReassignDialog
          task={task(over)}
          reassign={async (queue, assignee, reason) => {
            sent.push({ queue, assignee, reason });
          }}
          onDone={() => (done += 1)}
          onClose={() => undefined}
        />
      </ApiProvider>
    </I18nextProvider>,
  );
  return { sent, done: () => done };
}

beforeEach(async () => {
  await setLang('en');
});
afterEach(() => {
  cleanup();
});

describe('ask a colleague', () => {
  it('offers the operators of the queue who hold the step’s business role, and sends the choice with the reason', async () => {
    // given a task whose step needs a credit approver, held by zhang.wei
    const { api } = fakeApi({ 'credit-approval': creditApproval });
    const { sent, done } = open(api, { id: 't1', roles: ['credit-approver'], status: 'claimed', assignee: 'zhang.wei' });
    const dialog = within(screen.getByRole('dialog', { name: 'Ask a colleague' }));
    // then the colleagues are those of the queue who may take it, the holder marked
    const select = dialog.getByLabelText('Colleague') as HTMLSelectElement;
    await dialog.findByRole('option', { name: 'wang.fang' });
    expect([...select.options].map((o) => o.textContent)).toEqual(['Nobody: leave it in queue credit-approval', 'wang.fang', 'zhang.wei (holds it now)']);
    // when one is chosen, a reason given with spaces around it, and the form sent
    fireEvent.change(select, { target: { value: 'wang.fang' } });
    fireEvent.change(dialog.getByLabelText('Reason'), { target: { value: '  zhang.wei is on leave ' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Reassign' }));
    // then the call carries the colleague and the trimmed reason
    await screen.findByRole('dialog');
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([{ queue: 'credit-approval', assignee: 'wang.fang', reason: 'zhang.wei is on leave' }]);
    expect(done()).toBe(1);
  });

  it('requires a reason and a change, in English and in Chinese, and sends nothing until then', async () => {
    const { api } = fakeApi({ 'credit-approval': creditApproval });
    const { sent } = open(api);
    const dialog = within(screen.getByRole('dialog', { name: 'Ask a colleague' }));
    await dialog.findByRole('option', { name: 'li.na' });
    fireEvent.click(dialog.getByRole('button', { name: 'Reassign' }));
    const alerts = await dialog.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toEqual(['Choose a colleague or name another queue.', 'Say why the task moves; the reason is recorded in the audit trail.']);
    expect(dialog.getByLabelText('Reason').getAttribute('aria-invalid')).toBe('true');
    // a blank reason is no reason
    fireEvent.change(dialog.getByLabelText('Colleague'), { target: { value: 'li.na' } });
    fireEvent.change(dialog.getByLabelText('Reason'), { target: { value: '   ' } });
    await setLang('zh-CN');
    fireEvent.click(screen.getByRole('button', { name: '确认转交' }));
    expect((await screen.findByRole('alert')).textContent).toBe('请说明转交原因，原因将记入审计轨迹。');
    expect(sent).toEqual([]);
  });

  it('gives a claimed task back to its queue when nobody is chosen, and refuses to "move" it to its holder', async () => {
    const { api } = fakeApi({ 'credit-approval': creditApproval });
    const { sent } = open(api, { id: 't1', status: 'claimed', assignee: 'li.na' });
    const dialog = within(screen.getByRole('dialog', { name: 'Ask a colleague' }));
    await dialog.findByRole('option', { name: 'li.na (holds it now)' });
    fireEvent.change(dialog.getByLabelText('Reason'), { target: { value: 'li.na is off sick' } });
    fireEvent.change(dialog.getByLabelText('Colleague'), { target: { value: 'li.na' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Reassign' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('Choose a colleague or name another queue.');
    fireEvent.change(dialog.getByLabelText('Colleague'), { target: { value: '' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Reassign' }));
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([{ queue: 'credit-approval', assignee: null, reason: 'li.na is off sick' }]);
  });

  it('moves the task to a queue whose operators the caller cannot see, unassigned, and says so', async () => {
    const { api, asked } = fakeApi({ 'credit-approval': creditApproval });
    const { sent } = open(api);
    const dialog = within(screen.getByRole('dialog', { name: 'Ask a colleague' }));
    await dialog.findByRole('option', { name: 'li.na' });
    fireEvent.change(dialog.getByLabelText('Queue'), { target: { value: 'credit-senior' } });
    expect(await dialog.findByText('You do not see who works queue credit-senior; the task will go to the queue, unassigned.')).toBeTruthy();
    expect(asked).toEqual(['credit-approval', 'credit-senior']);
    fireEvent.change(dialog.getByLabelText('Reason'), { target: { value: 'needs a senior approver' } });
    fireEvent.click(dialog.getByRole('button', { name: 'Reassign' }));
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([{ queue: 'credit-senior', assignee: null, reason: 'needs a senior approver' }]);
  });
});

describe('a reason for a send-back or a cancellation', () => {
  it('is required and trimmed like a reassignment\'s, and no longer than the form field it fills', async () => {
    const confirmed: string[] = [];
    render(
      <I18nextProvider i18n={i18n}>
        <ReasonDialog title="Send back" intro="" label="What the customer must provide" submitLabel="Send back" maxLength={500} confirm={async (r) => void confirmed.push(r)} onClose={() => undefined} />
      </I18nextProvider>,
    );
    const field = screen.getByLabelText('What the customer must provide');
    expect(field.getAttribute('maxlength')).toBe('500');
    fireEvent.click(screen.getByRole('button', { name: 'Send back' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Please give a reason.');
    fireEvent.change(field, { target: { value: ' bank statements for 6 months ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send back' }));
    await new Promise((r) => setTimeout(r, 0));
    expect(confirmed).toEqual(['bank statements for 6 months']);
  });
});
