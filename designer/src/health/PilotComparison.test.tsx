import { render, screen, waitFor, within, cleanup, fireEvent } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/client';
import { ApiProvider } from '../api/context';
import { i18n } from '../i18n';
import { loanFlow } from '../test/fixtures';
import { pilotMetrics } from './compare-model';
import { PilotComparison } from './PilotComparison';
import { comparison } from './test-fixtures';
import type { CompareQuery } from './types';

afterEach(() => cleanup());

function fakeApi() {
  const asked: CompareQuery[] = [];
  const api = {
    getVersion: vi.fn(async (key: string, version: number) => ({ key, version, publishedAt: '2026-02-01T00:00:00Z', definition: loanFlow() })),
    compareHealth: vi.fn(async (_key: string, q: CompareQuery) => {
      asked.push(q);
      return comparison();
    }),
  };
  return { api: api as unknown as ApiClient, asked };
}

const pilot = { name: 'Branches B01, B02', version: 2, when: { in: [{ var: 'branch' }, ['B01', 'B02']] } };

function renderIt(api: ApiClient) {
  return render(
    <I18nextProvider i18n={i18n}>
      <ApiProvider client={api}>
        <PilotComparison flowKey="small-loan" pilots={[pilot]} defaultVersion={1} />
      </ApiProvider>
    </I18nextProvider>,
  );
}

describe('pilot against control on the release-policy screen', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('asks for the pilot version against the default version, on cycle times, rates and each user task', async () => {
    // given a pilot of version 2 while version 1 is the default
    const { api, asked } = fakeApi();
    // when the section opens
    renderIt(api);
    // then one comparison is asked for with the pilot's metrics
    await waitFor(() => expect(asked).toHaveLength(1));
    expect(asked[0]).toEqual({ by: 'version', b: ['2'], a: ['1'], metrics: pilotMetrics(loanFlow()) });
  });

  it('shows both cohort sizes, each figure\'s difference and interval, and a verdict the owner can act on', async () => {
    // given a comparison where waiting got better, the review's SLA worse, incidents did not change and a milestone has too few cases
    const { api } = fakeApi();
    renderIt(api);
    // then the cohorts are sized
    expect(await screen.findByTestId('cohort-b')).toHaveProperty('textContent', '400 cases (3 still open)');
    expect(screen.getByTestId('cohort-a').textContent).toBe('900 cases (0 still open)');
    // and each row reads plainly
    const table = screen.getByRole('table', { name: 'Pilot against control, figure by figure' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').at(-1)?.textContent)).toEqual(['Significantly better', 'Significantly worse', 'Not significant', 'Too few cases to tell']);
    const wait = rows[0]!;
    expect(within(wait).getByRole('rowheader').textContent).toBe('Waiting at credit-review (working time)');
    expect(within(wait).getAllByRole('cell').map((c) => c.textContent)).toEqual(['2.5 h (n = 700)', '1.0 h (n = 300)', '−1.5 h', '−1.8 h … −1.2 h', 'Significantly better']);
    const sla = rows[1]!;
    expect(within(sla).getAllByRole('cell').map((c) => c.textContent)).toEqual(['85.0 % (595 / 700)', '57.0 % (171 / 300)', '−28.0 pp', '−34.0 pp … −22.0 pp', 'Significantly worse']);
    // and a summary counts them
    expect(screen.getByRole('status').textContent).toMatch(/^1 of 4 figures are significantly better with the pilot and 1 significantly worse \(95 % intervals\); 2 show no significant difference/);
  });

  it('compares the pilot branches with the rest when the owner chooses so, over the period given', async () => {
    // given the section
    const { api, asked } = fakeApi();
    renderIt(api);
    await waitFor(() => expect(asked).toHaveLength(1));
    // when the branch cohorts and a start date are chosen
    fireEvent.change(screen.getByLabelText('Compare'), { target: { value: 'dimension' } });
    fireEvent.change(screen.getByLabelText('From (inclusive)'), { target: { value: '2026-02-02' } });
    // then the last question is the branches B01, B02 against the rest from that day
    await waitFor(() => expect(asked.at(-1)).toEqual({ by: 'branch', b: ['B01', 'B02'], from: '2026-02-02', metrics: pilotMetrics(loanFlow()) }));
  });
});
