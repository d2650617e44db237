import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient } from '../api/client';
import { ApiProvider } from '../api/context';
import { i18n } from '../i18n';
import { loanFlow } from '../test/fixtures';
import { HealthDashboard } from './HealthDashboard';
import { report } from './test-fixtures';
import type { HealthQuery } from './types';

// ECharts needs a real layout engine; what each chart shows is tested in chart-options.test.ts.
vi.mock('./Chart', () => ({ Chart: ({ label }: { label: string }) => <figure role="img" aria-label={label} /> }));

afterEach(() => cleanup());

function fakeApi(answer: (q: HealthQuery | undefined) => unknown = () => report()) {
  const asked: (HealthQuery | undefined)[] = [];
  const api = {
    listVersions: vi.fn(async () => [1, 2].map((version) => ({ key: 'small-loan', version, publishedAt: '2026-01-01T00:00:00Z' }))),
    getVersion: vi.fn(async (key: string, version: number) => ({ key, version, publishedAt: '2026-01-01T00:00:00Z', definition: loanFlow() })),
    getFlowHealth: vi.fn(async (_key: string, q?: HealthQuery) => {
      asked.push(q);
      const a = answer(q);
      if (a instanceof Error) throw a;
      return a;
    }),
  };
  return { api: api as unknown as ApiClient, asked };
}

function renderIt(api: ApiClient) {
  return render(
    <I18nextProvider i18n={i18n}>
      <ApiProvider client={api}>
        <HealthDashboard flowKey="small-loan" view="figures" />
      </ApiProvider>
    </I18nextProvider>,
  );
}

describe('process-health dashboard', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows the key figures and the same numbers as the charts in tables', async () => {
    // given the fixture report
    const { api } = fakeApi();
    renderIt(api);
    // then the key figures are there
    const cards = await screen.findByLabelText('Key figures');
    const card = (name: string) => within(cards).getByText(name).nextElementSibling?.textContent;
    expect(card('Started')).toBe('120');
    expect(card('Cycle time p50 (working)')).toBe('6.0 h');
    expect(card('Case SLA met')).toBe('75.0 %');
    // and customer satisfaction, since the cases answered
    expect(card('CSAT: satisfied answers (top two scores)')).toBe('85.0 %');
    expect(card('NPS: promoters − detractors')).toBe('30.0');
    const rates = screen.getByRole('table', { name: 'Rate figures' });
    const nps = within(rates).getByRole('row', { name: /^NPS: promoters − detractors \(20 promoters, 12 passives, 8 detractors\)/ });
    expect(within(nps).getAllByRole('cell').map((c) => c.textContent)).toEqual(['–', '40', '30.0']);
    // and tables carry the figures of the charts
    const cycle = screen.getByRole('table', { name: 'Cycle time figures' });
    const working = within(cycle).getByRole('row', { name: /^Cycle time · working time/ });
    expect(within(working).getAllByRole('cell').map((c) => c.textContent)).toEqual(['100', '6.0 h', '6.0 h', '16.0 h', '20.0 h', '20.0 h']);
    const steps = screen.getByRole('table', { name: 'Figures per step' });
    expect(within(steps).getByRole('row', { name: /^Node review/ })).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Figures per compliance rule' }).textContent).toContain('blacklist');
    expect(screen.getAllByRole('img').map((f) => f.getAttribute('aria-label'))).toEqual(expect.arrayContaining(['Cases', 'Cycle time of completed cases (hours)', 'Rates (%)']));
  }, 30_000); // role queries over a page of tables are slow in jsdom

  it('asks again for each version, period and grouping chosen, and offers the flow\'s dimensions to group by', async () => {
    // given the dashboard
    const { api, asked } = fakeApi();
    renderIt(api);
    await screen.findByLabelText('Key figures');
    // then the case-schema dimension is offered
    const groupBy = screen.getByLabelText('Group by');
    expect(within(groupBy).getAllByRole('option').map((o) => (o as HTMLOptionElement).value)).toEqual(['', 'version', 'status', 'outcome', 'branch']);
    // when a version, a start date and a grouping are chosen
    fireEvent.change(screen.getByLabelText('Version'), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('From (inclusive)'), { target: { value: '2026-02-01' } });
    fireEvent.change(groupBy, { target: { value: 'branch' } });
    // then the last question carries all three
    await waitFor(() => expect(asked.at(-1)).toEqual({ versions: [2], from: '2026-02-01', basis: 'ended', groupBy: 'branch' }));
  }, 30_000);

  it('shows a refused parameter as the server\'s problem', async () => {
    // given a server that refuses the question
    const { api } = fakeApi(() => new ApiError({ type: 'about:blank', title: 'Bad request', status: 400, code: 'health.period.invalid', detail: 'the period ends before it starts' }));
    renderIt(api);
    // then the problem is shown
    expect((await screen.findByRole('alert')).textContent).toContain('the period ends before it starts');
  });
});
