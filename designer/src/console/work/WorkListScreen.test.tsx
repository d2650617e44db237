import { act, cleanup, render, screen, within } from '@testing-library/react';
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
  const api = {
    async listTasks(q: TaskQuery = {}) {
      calls.push(q);
      return { items: state.tasks, nextCursor: null };
    },
    async listFlows() {
      return [{ key: 'sme-loan', name: { 'zh-CN': '小微企业贷款', en: 'SME loan' }, versions: [1], pilots: [] }];
    },
    async getCase(id: string) {
      return { id, flow: 'sme-loan', version: 1, customerRef: `C-${id}`, branch: 'SZ-SIP-003', priority: 50, status: 'waiting' };
    },
    async getVersion() {
      return { key: 'sme-loan', version: 1, publishedAt: '', definition: { key: 'sme-loan', name: { 'zh-CN': '小微企业贷款', en: 'SME loan' }, caseSchema: { type: 'object', properties: {} }, nodes: [], edges: [] } };
    },
    async getCalendar() {
      throw new Error('use the built-in calendar');
    },
  } as unknown as ApiClient;
  return { api, calls };
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
});
