import { cnMainlandCalendar } from '@flowpath/engine';
import { act, cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n, setLang } from '../../i18n';
import { SlaBadge } from './SlaBadge';

afterEach(async () => {
  cleanup();
  await setLang('zh-CN');
});

const badge = (props: Partial<Parameters<typeof SlaBadge>[0]> & { now: string; dueAt: string | null }) =>
  render(
    <I18nextProvider i18n={i18n}>
      <SlaBadge warnAt={null} calendar={cnMainlandCalendar} mode="working" {...props} />
    </I18nextProvider>,
  );

describe('SLA badge', () => {
  it('counts down in working time across the Spring Festival 2026, in Chinese and English', async () => {
    // given a credit review due Tuesday 24 February 10:00, seen Friday 13 February 16:00
    await setLang('zh-CN');
    const { container } = badge({ dueAt: '2026-02-24T02:00:00Z', now: '2026-02-13T08:00:00Z' });
    // then it shows the working time left: Friday 1 h + make-up Saturday 8 h + Tuesday 1 h
    expect(screen.getByText('剩余 1 个工作日 2 小时（工作时间）')).toBeTruthy();
    expect(container.querySelector('[data-sla="ok"]')).not.toBeNull();
    await act(() => setLang('en'));
    expect(screen.getByText('1 working day 2 h left (working time)')).toBeTruthy();
  });

  it('shows the weekend as no time at all', async () => {
    await setLang('en');
    badge({ dueAt: '2026-03-09T03:00:00Z', now: '2026-03-06T08:00:00Z' });
    expect(screen.getByText('3 h left (working time)')).toBeTruthy();
  });

  it('is amber from the warning time and red with the time overdue once breached', async () => {
    await setLang('zh-CN');
    const warned = badge({ dueAt: '2026-03-09T09:00:00Z', warnAt: '2026-03-09T07:00:00Z', now: '2026-03-09T07:30:00Z' });
    expect(warned.container.querySelector('.sla-warning')?.textContent).toBe('剩余 1 小时 30 分钟（工作时间）');
    warned.unmount();
    const late = badge({ dueAt: '2026-02-13T09:00:00Z', now: '2026-02-24T03:00:00Z' });
    expect(late.container.querySelector('.sla-breached')?.textContent).toBe('已超时 1 个工作日 2 小时（工作时间）');
  });

  it('says when there is no limit, and shows the due time until the calendar is known', async () => {
    await setLang('en');
    badge({ dueAt: null, now: '2026-03-06T08:00:00Z' });
    expect(screen.getByText('No time limit')).toBeTruthy();
    cleanup();
    badge({ dueAt: '2026-03-09T03:00:00Z', now: '2026-03-06T08:00:00Z', calendar: null });
    expect(screen.getByText(/^Due /)).toBeTruthy();
  });
});
