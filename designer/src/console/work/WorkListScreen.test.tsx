import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { Task, TaskQuery } from '../../api/console-types';
import { ApiProvider } from '../../api/context';
import type { Me } from '../../api/types';
import { setApiKey } from '../../auth/session';
import { i18n, setLang } from '../../i18n';
import { task } from '../test-fixtures';
import { WorkListScreen } from './WorkListScreen';

const me: Me = { name: 'zhang.wei', roles: ['operator'], queues: ['credit-approval'] };

/** A server holding `tasks`, answering the work list in its order (priority, due) as the runtime does. */
function fakeApi(state: { tasks: Task[] }) {
  const calls: TaskQuery[] = [];
  /** What each conditional read sent and whether it was answered 304. */
  const conditional: { etag: string | null; notModified: boolean }[] = [];
  const caseReads: string[] = [];
  const tagOf = () => `W/"${JSON.stringify(state.tasks.map((t) => [t.id, t.status, t.assignee]))}"`;
  const api = {
    async listTasks(q: TaskQuery = {}) {
      calls.push(q);
      return { items: state.tasks, nextCursor: null };
    },
    async listTasksIfChanged(q: TaskQuery, etag: string | null) {
      calls.push(q);
      const tag = tagOf();
      conditional.push({ etag, notModified: etag === tag });
      return etag === tag ? { notModified: true, etag } : { notModified: false, etag: tag, value: { items: state.tasks, nextCursor: null } };
    },
    async listFlows() {
      return [{ key: 'sme-loan', name: { 'zh-CN': '小微企业贷款', en: 'SME loan' }, versions: [1], pilots: [] }];
    },
    async getCase(id: string) {
      caseReads.push(id);
      return { id, flow: 'sme-loan', version: 1, customerRef: `C-${id}`, branch: 'SZ-SIP-003', priority: 50, status: 'waiting' };
    },
    async getVersion() {
      return { key: 'sme-loan', version: 1, publishedAt: '', definition: { key: 'sme-loan', name: { 'zh-CN': '小微企业贷款', en: 'SME loan' }, caseSchema: { type: 'object', properties: {} }, nodes: [], edges: [] } };
    },
    async getCalendar() {
      throw new Error('use the built-in calendar');
    },
  } as unknown as ApiClient;
  return { api, calls, conditional, caseReads };
}

function rowIds(): string[] {
  return screen.getAllByRole('row').slice(1).map((r) => r.getAttribute('data-testid') ?? '');
}

// jsdom lays nothing out; give the list's scroll box a size so the virtualiser draws rows.
const sizes = ['clientHeight', 'clientWidth'] as const;
const original = sizes.map((p) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, p));

beforeEach(async () => {
  for (const p of sizes) Object.defineProperty(HTMLElement.prototype, p, { configurable: true, get: () => (p === 'clientHeight' ? 600 : 1200) });
  setApiKey('test-key');
  await setLang('en');
});
afterEach(() => {
  cleanup();
  setApiKey(null);
  vi.useRealTimers();
  sizes.forEach((p, i) => {
    const d = original[i];
    if (d) Object.defineProperty(HTMLElement.prototype, p, d);
    else Reflect.deleteProperty(HTMLElement.prototype, p);
  });
});

describe('work list', () => {
  it('shows the tasks in the server’s order with their flow, step, customer and marker', async () => {
    // given a green-channel task, a prioritised one and a normal one
    const { api } = fakeApi({
      tasks: [task({ id: 'g', priority: 85 }), task({ id: 'p', priority: 65 }), task({ id: 'n', priority: 50, status: 'claimed', assignee: 'zhang.wei' })],
    });
    render(
      <I18nextProvider i18n={i18n}>
        <ApiProvider client={api}>
          <WorkListScreen me={me} pollMs={0} />
        </ApiProvider>
      </I18nextProvider>,
    );
    // then the rows keep that order
    await screen.findByTestId('task-g');
    expect(rowIds()).toEqual(['task-g', 'task-p', 'task-n']);
    // and each row says what it is and for whom
    const green = within(screen.getByTestId('task-g'));
    expect(green.getByText('Green channel')).toBeTruthy();
    expect(green.getByText('SME loan')).toBeTruthy();
    expect(green.getByRole('link', { name: 'Credit approval' }).getAttribute('href')).toBe('#/work/g');
    expect(await green.findByText('C-case-g')).toBeTruthy();
    expect(within(screen.getByTestId('task-p')).getByText('Priority')).toBeTruthy();
    // and the one I hold offers release, the open ones claim
    expect(within(screen.getByTestId('task-n')).getByRole('button', { name: /^Release/ })).toBeTruthy();
    expect(green.getByRole('button', { name: 'Claim Credit approval C-case-g' })).toBeTruthy();
  });

  it('takes customer, branch and version from the task itself: no case is read to draw the rows', async () => {
    // given tasks that carry their case's customer reference and branch
    const { api, caseReads } = fakeApi({ tasks: [task({ id: 'a', customerRef: 'CUST-A', branch: 'SH-01' }), task({ id: 'b', customerRef: null, branch: null })] });
    render(
      <I18nextProvider i18n={i18n}>
        <ApiProvider client={api}>
          <WorkListScreen me={me} pollMs={0} />
        </ApiProvider>
      </I18nextProvider>,
    );
    // then the rows show them as they are
    const a = within(await screen.findByTestId('task-a'));
    expect(a.getByText('CUST-A')).toBeTruthy();
    expect(a.getByText('SH-01')).toBeTruthy();
    expect(within(screen.getByTestId('task-b')).getAllByText('—')).toHaveLength(2);
    // and no case was fetched for them
    expect(caseReads).toEqual([]);
  });

  it('sends the branch and the "overdue" / "due today" choices to the server', async () => {
    const { api, calls } = fakeApi({ tasks: [task({ id: 'a' })] });
    render(
      <I18nextProvider i18n={i18n}>
        <ApiProvider client={api}>
          <WorkListScreen me={me} pollMs={0} />
        </ApiProvider>
      </I18nextProvider>,
    );
    await screen.findByTestId('task-a');
    // when the operator names two branches and asks for overdue tasks
    const filters = within(screen.getByRole('form', { name: 'Work list filters' }));
    fireEvent.change(filters.getByRole('textbox', { name: 'Branch' }), { target: { value: 'SH-01, BJ-02' } });
    fireEvent.change(filters.getByRole('combobox', { name: 'Due' }), { target: { value: 'breached' } });
    // then the work list is asked for exactly that
    await waitFor(() => expect(calls.at(-1)).toMatchObject({ branch: ['SH-01', 'BJ-02'], breached: true }));
    // and "due today" asks for tasks due before the next local midnight
    fireEvent.change(filters.getByRole('combobox', { name: 'Due' }), { target: { value: 'today' } });
    await waitFor(() => expect(calls.at(-1)?.dueBefore).toBeDefined());
    const dueBefore = new Date(calls.at(-1)?.dueBefore as string);
    expect([dueBefore.getHours(), dueBefore.getMinutes(), dueBefore.getMilliseconds()]).toEqual([0, 0, 0]);
    expect(dueBefore.getTime()).toBeGreaterThan(Date.now());
    expect(calls.at(-1)?.breached).toBeUndefined();
  });

  it('stays current: a colleague’s new urgent task appears at the top without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const state = { tasks: [task({ id: 'a', priority: 50 }), task({ id: 'b', priority: 40 })] };
    const { api, calls } = fakeApi(state);
    render(
      <I18nextProvider i18n={i18n}>
        <ApiProvider client={api}>
          <WorkListScreen me={me} pollMs={5000} />
        </ApiProvider>
      </I18nextProvider>,
    );
    await screen.findByTestId('task-a');
    const before = screen.getByTestId('task-a');
    // when the server gets a green-channel task and b is completed elsewhere
    state.tasks = [task({ id: 'urgent', priority: 90 }), state.tasks[0] as Task];
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    // then the list shows it first, b is gone, and row a was not replaced
    expect(rowIds()).toEqual(['task-urgent', 'task-a']);
    expect(screen.getByTestId('task-a')).toBe(before);
    expect(calls.length).toBeGreaterThanOrEqual(2);
  });

  it('polls with the ETag of the last answer and leaves the rows alone on a 304', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const state = { tasks: [task({ id: 'a', priority: 50 })] };
    const { api, conditional } = fakeApi(state);
    render(
      <I18nextProvider i18n={i18n}>
        <ApiProvider client={api}>
          <WorkListScreen me={me} pollMs={5000} />
        </ApiProvider>
      </I18nextProvider>,
    );
    await screen.findByTestId('task-a');
    const before = screen.getByTestId('task-a');
    // when nothing changes on the server for two polls
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10_000);
    });
    // then the polls sent the first answer's tag and got 304s, and the row is the same element
    expect(conditional[0]).toEqual({ etag: null, notModified: false });
    expect(conditional.slice(1).length).toBeGreaterThanOrEqual(2);
    expect(conditional.slice(1).every((c) => c.notModified && c.etag !== null)).toBe(true);
    expect(screen.getByTestId('task-a')).toBe(before);
    // when a colleague claims it, the next poll reads the list again
    state.tasks = [task({ id: 'a', priority: 50, status: 'claimed', assignee: 'li.na' })];
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    expect(conditional.at(-1)?.notModified).toBe(false);
    expect(within(screen.getByTestId('task-a')).getByText('li.na')).toBeTruthy();
  });
});
